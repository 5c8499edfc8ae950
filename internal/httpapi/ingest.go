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
	// PublicationLead: how far ahead of today a publication date may lie
	// (zero: ingest.DefaultPublicationLead).
	PublicationLead credit.Period
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
		im := &ingest.Importer{Store: d.Store, BatchSize: d.Ingest.BatchSize, MaxErrors: d.Ingest.MaxErrors,
			MaxLineBytes: d.Ingest.MaxLineBytes, Log: d.Log, Now: d.Clock, PublicationLead: d.Ingest.PublicationLead}
		sum, err := im.Import(r.Context(), body)
		auditWrite(r.Context(), d.Audit, d.Log, c.KeyName, d.Clock(), sum)
		if err != nil {
			writeIngestFailure(w, r, d, c.KeyName, limit, sum, err)
			return
		}
		writeJSON(w, http.StatusOK, sum)
	})
}

// writeIngestFailure answers an ingest that stopped before the end of its
// body. The error carries the summary of what was written before it
// (extensions.summary), so a client knows what to send again.
func writeIngestFailure(w http.ResponseWriter, r *http.Request, d Deps, key string, limit int64, sum ingest.Summary, err error) {
	var mbe *http.MaxBytesError
	var e *apierr.Error
	if asMaxBytes(err, &mbe) {
		sum.Fatal = fmt.Sprintf("the body exceeds the ingest limit of %d bytes", limit)
		e = apierr.New(apierr.PayloadTooLarge, "request body exceeds the ingest limit of %d bytes; %d records were accepted before it", limit, sum.Accepted)
		e.Status = http.StatusRequestEntityTooLarge
	} else {
		var ok bool
		if e, ok = apierr.Classify(err); !ok {
			d.Log.ErrorContext(r.Context(), "ingest", "err", err, "key", key)
		}
		e = &apierr.Error{Code: e.Code, Message: e.Message + ": " + sum.Fatal, Status: e.Status}
	}
	e.Extra = map[string]any{"summary": sum}
	status := e.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	writeError(w, status, e)
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
