package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/store"
)

// ingestBlock is the body size one ingest point pays for.
const ingestBlock = 64 << 10

// IngestOptions configure POST /v1/ingest.
type IngestOptions struct {
	MaxBodyBytes int64 // default 64 MiB
	BatchSize    int
	MaxErrors    int
	MaxLineBytes int
	Timeout      time.Duration // longest an ingest request may run
}

// ingestHandler serves POST /v1/ingest: an NDJSON body of import records,
// for REGULATOR keys with write scope, validated and summarised exactly as
// the import command does. Every call is audited.
func ingestHandler(d Deps) http.Handler {
	limit := d.Ingest.MaxBodyBytes
	if limit <= 0 {
		limit = 64 << 20
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := auth.FromContext(r.Context())
		switch {
		case c.KeyName == "":
			w.Header().Set("WWW-Authenticate", `Bearer realm="creditgraph"`)
			writeError(w, http.StatusUnauthorized, apierr.New(apierr.Unauthenticated, "ingest needs a REGULATOR API key with write scope"))
			return
		case c.Tier < credit.TierRegulator || c.Scope != auth.ScopeWrite:
			writeError(w, http.StatusForbidden, apierr.New(apierr.Forbidden,
				"ingest needs a REGULATOR key with write scope; key %q is %s with %s scope", c.KeyName, c.Tier, c.Scope))
			return
		case r.ContentLength > limit:
			tooLarge(w, r, r.Body, limit, apierr.New(apierr.PayloadTooLarge,
				"the request body is %d bytes; the ingest limit is %d bytes", r.ContentLength, limit))
			return
		}
		// Ingest costs one point per started 64 KiB of body, charged before
		// any work; a body of unknown length pays for one block.
		points := max(1, int((r.ContentLength+ingestBlock-1)/ingestBlock))
		if res, ok := meter.Charge(r.Context(), points); !ok {
			writeError(w, http.StatusTooManyRequests, apierr.New(apierr.Throttled,
				"rate limit exceeded: this ingest costs %d points (one per 64 KiB) and %d of %d remain", points, res.Remaining, res.Limit))
			return
		}
		body := http.MaxBytesReader(w, r.Body, limit)
		im := &ingest.Importer{Store: d.Store, BatchSize: d.Ingest.BatchSize, MaxErrors: d.Ingest.MaxErrors, MaxLineBytes: d.Ingest.MaxLineBytes}
		sum, err := im.Import(r.Context(), body)
		auditWrite(r.Context(), d.Audit, d.Log, c.KeyName, d.Clock(), sum)
		if err != nil {
			var mbe *http.MaxBytesError
			if asMaxBytes(err, &mbe) {
				writeError(w, http.StatusRequestEntityTooLarge, apierr.New(apierr.PayloadTooLarge,
					"request body exceeds the ingest limit of %d bytes; %d records were accepted before it", limit, sum.Accepted))
				return
			}
			e, ok := apierr.Classify(err)
			if !ok {
				d.Log.ErrorContext(r.Context(), "ingest", "err", err, "key", c.KeyName)
			}
			status := e.Status
			if status == 0 {
				status = http.StatusInternalServerError
			}
			writeError(w, status, e)
			return
		}
		writeJSON(w, http.StatusOK, sum)
	})
}

// auditWrite records a write in the audit log.
func auditWrite(ctx context.Context, al store.AuditLog, log *slog.Logger, key string, at time.Time, sum ingest.Summary) {
	if al == nil {
		return
	}
	e := store.AuditEntry{At: at, KeyName: key, Operation: fmt.Sprintf("ingest accepted=%d rejected=%d", sum.Accepted, sum.Rejected)}
	if err := al.AppendAudit(context.WithoutCancel(ctx), e); err != nil {
		log.ErrorContext(ctx, "audit", "err", err, "key", key, "operation", e.Operation)
	}
}
