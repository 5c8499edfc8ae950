package httpapi

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/export"
	"github.com/creditgraph/creditgraph/internal/meter"
	"github.com/creditgraph/creditgraph/internal/store"
)

// exportBlock is how many exported records one point pays for.
const exportBlock = 1000

// ExportOptions configure GET /v1/export/{dataset}.{format}.
type ExportOptions struct {
	// Timeout is the longest an export may run (0: 30 minutes).
	Timeout time.Duration
}

func (o ExportOptions) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 30 * time.Minute
	}
	return o.Timeout
}

// exportHandler serves GET /v1/export/{file}: a whole dataset as the
// caller's tier sees it on its date, from one consistent snapshot of st.
//
// Charging: the records a tier will see are only known once written, so
// the export is charged before its first byte for every record the dataset
// holds in the snapshot (store.Snapshot.Candidates, at one point per 1,000,
// at least one), which the rate-limit headers report; once it is written,
// what it did not use is refunded and the trailers X-Export-Records and
// X-Export-Points say what it cost. A budget that cannot pay is refused
// with 429 before anything is read.
func exportHandler(d Deps, st store.Store) http.Handler {
	snapper, _ := store.SnapshotterOf(st)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := auth.FromContext(r.Context())
		ds, format, err := export.ParseName(r.PathValue("file"))
		switch {
		case err != nil:
			writeError(w, http.StatusNotFound, apierr.New(apierr.NotFound, "%s", err.Error()))
			return
		case c.Tier < export.MinTier(ds):
			who := "anonymous callers are PUBLIC"
			if c.KeyName != "" {
				who = fmt.Sprintf("key %q is %s", c.KeyName, c.Tier)
			}
			writeError(w, http.StatusForbidden, apierr.New(apierr.Forbidden,
				"exporting %s needs a %s key or higher; %s", ds, export.MinTier(ds), who))
			return
		case snapper == nil:
			writeError(w, http.StatusServiceUnavailable, apierr.New(apierr.Unavailable, "this store cannot export"))
			return
		}
		v := credit.VisibilityAt(c.Tier, d.Clock())
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), d.Export.timeout())
		defer cancel()
		stop := context.AfterFunc(r.Context(), cancel) // the client went away
		defer stop()
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Now().Add(d.Export.timeout()))

		started := false
		var records, points int
		err = snapper.Snapshot(ctx, v.AsOf, func(ctx context.Context, snap store.Snapshot) error {
			candidates, err := snap.Candidates(ctx, ds)
			if err != nil {
				return err
			}
			points = max(1, (candidates+exportBlock-1)/exportBlock)
			if res, ok := meter.Charge(r.Context(), points); !ok {
				msg := fmt.Sprintf("rate limit exceeded: this export is charged %d points up front (one per %d of the %d records the dataset holds; unused points are refunded) and %d of %d remain",
					points, exportBlock, candidates, res.Remaining, res.Limit)
				if points > res.Limit {
					msg = fmt.Sprintf("this export is charged %d points up front (one per %d of the %d records the dataset holds), more than your whole budget of %d",
						points, exportBlock, candidates, res.Limit)
				}
				return apierr.New(apierr.Throttled, "%s", msg)
			}
			setExportHeaders(w.Header(), ds, format, v, snap.FeedCursor(), points)
			out, closeOut := exportBody(w, r)
			started = true
			records, err = export.Write(ctx, out, snap, d.Policy, d.Risk, v, ds, format)
			if cerr := closeOut(); err == nil {
				err = cerr
			}
			return err
		})
		used := max(1, (records+exportBlock-1)/exportBlock)
		if started && used < points {
			meter.Refund(r.Context(), points-used)
		}
		h := w.Header()
		h.Set("X-Export-Records", strconv.Itoa(records))
		h.Set("X-Export-Points", strconv.Itoa(min(used, points)))
		auditExport(r.Context(), d, c, ds, format, records, err)
		if err == nil {
			return
		}
		if started {
			// The status and part of the body are sent: cut the response so
			// the client sees a broken transfer, never a short file.
			d.Log.ErrorContext(r.Context(), "export failed while streaming", "dataset", ds, "records", records, "err", err)
			panic(http.ErrAbortHandler)
		}
		e, ok := apierr.Classify(err)
		if !ok {
			d.Log.ErrorContext(r.Context(), "export", "dataset", ds, "err", err)
		}
		status := apierr.Status(e.Code)
		if status == 0 {
			status = http.StatusInternalServerError
		}
		writeError(w, status, e)
	})
}

// setExportHeaders describes the file: its date, tier, feed position and
// the up-front charge; trailers follow with what it really held and cost.
func setExportHeaders(h http.Header, ds store.Dataset, f export.Format, v credit.Visibility, cursor string, points int) {
	day := v.AsOf.Format(time.DateOnly)
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.%s"`, ds, strings.ToLower(v.Tier.String()), day, f))
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept-Encoding, Authorization")
	h.Set("X-Export-As-Of", day)
	h.Set("X-Export-Tier", v.Tier.String())
	h.Set("X-Export-Points-Charged", strconv.Itoa(points))
	if cursor != "" {
		h.Set("X-Feed-Cursor", cursor)
	}
	h.Set("Trailer", "X-Export-Records, X-Export-Points")
}

// exportBody is where the file goes: gzip-compressed when the client
// accepts gzip.
func exportBody(w http.ResponseWriter, r *http.Request) (io.Writer, func() error) {
	if !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		return w, func() error { return nil }
	}
	w.Header().Set("Content-Encoding", "gzip")
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the level is valid
	return zw, zw.Close
}

// acceptsGzip reads Accept-Encoding: gzip (or *) with a non-zero quality.
func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}

// auditExport records a REGULATOR export in the audit log: it reads the
// whole record, REGULATOR-tier fields included.
func auditExport(ctx context.Context, d Deps, c auth.Caller, ds store.Dataset, f export.Format, records int, err error) {
	if d.Audit == nil || c.Tier < credit.TierRegulator {
		return
	}
	op := fmt.Sprintf("export %s.%s records=%d", ds, f, records)
	if err != nil {
		op += " (failed)"
	}
	e := store.AuditEntry{At: d.Clock(), KeyName: c.KeyName, Operation: op}
	if aerr := d.Audit.AppendAudit(context.WithoutCancel(ctx), e); aerr != nil {
		d.Log.LogAttrs(ctx, slog.LevelError, "audit", slog.Any("err", aerr), slog.String("operation", op))
	}
}
