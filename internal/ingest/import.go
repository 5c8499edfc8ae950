package ingest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Defaults of the Importer's settings.
const (
	DefaultBatchSize = 5000
	DefaultMaxErrors = 1000
)

// Importer streams import records into a store. Its zero settings take the
// defaults; it may be reused and shared, each import being independent.
type Importer struct {
	Store store.Store
	// BatchSize is the number of records per Store.Apply (default 5000).
	BatchSize int
	// MaxErrors is the number of rejected lines listed in the summary
	// (default 1000; negative: no limit). The counts are always exact.
	MaxErrors int
	// MaxLineBytes is the longest line accepted (default 1 MiB).
	MaxLineBytes int
	// Now gives today for the date checks (DATE_IN_FUTURE); nil: time.Now.
	// The server passes its one clock, so CLOCK_DATE moves imports too.
	Now func() time.Time
	// PublicationLead is how far ahead of today a publication date may lie
	// (zero: DefaultPublicationLead).
	PublicationLead credit.Period
	// Log notes records the store refused (nil: not logged). It never
	// receives record content, only line numbers, kinds and the store's
	// error.
	Log *slog.Logger
}

// Source is one named input of an import.
type Source struct {
	Name string // shown in line errors when an import has several sources
	Open func() (io.ReadCloser, error)
}

// Import reads NDJSON import records from r and writes them to the store.
// Bad lines are rejected and the good ones kept; a record that refers to an
// enterprise or listing defined later in r is applied once r is read. The
// error is fatal (reading failed, the store failed, ctx ended); the summary
// then counts what was done before it. r is not read after Import returns.
func (im *Importer) Import(ctx context.Context, r io.Reader) (Summary, error) {
	return im.ImportSources(ctx, Source{Open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }})
}

// ImportFiles imports the named files as one import, in order: a record
// may refer to one defined in any of them. "-" names stdin. Line errors name
// their file when there are several.
func (im *Importer) ImportFiles(ctx context.Context, stdin io.Reader, names ...string) (Summary, error) {
	return im.ImportSources(ctx, FileSources(stdin, names...)...)
}

// FileSources names files as import sources, "-" naming stdin.
func FileSources(stdin io.Reader, names ...string) []Source {
	srcs := make([]Source, len(names))
	for i, name := range names {
		srcs[i] = Source{Name: name, Open: func() (io.ReadCloser, error) {
			if name == "-" {
				if stdin == nil {
					return nil, errors.New("ingest: \"-\" names stdin, but there is none")
				}
				return io.NopCloser(stdin), nil
			}
			return os.Open(name)
		}}
	}
	return srcs
}

// ImportSources imports several sources as one import, in order, opening
// each when its turn comes.
func (im *Importer) ImportSources(ctx context.Context, srcs ...Source) (Summary, error) {
	if im.Store == nil {
		return Summary{}, errors.New("ingest: Importer has no Store")
	}
	now := im.Now
	if now == nil {
		now = time.Now
	}
	lead := im.PublicationLead
	if lead == (credit.Period{}) {
		lead = DefaultPublicationLead
	}
	j := &job{
		im:        im,
		now:       now,
		dates:     DateRules{Today: credit.DateOf(now()), PublicationLead: lead},
		batchSize: cmp.Or(im.BatchSize, DefaultBatchSize),
		errs:      errorList{max: cmp.Or(im.MaxErrors, DefaultMaxErrors)},
		srcs:      srcs,
		deferred:  map[naturalKey]*pending{},
	}
	err := j.run(ctx)
	sum := j.summary()
	if err != nil {
		sum.Fatal = FatalMessage(err)
	}
	return sum, err
}

// ErrRead wraps every error reading or opening an import's input.
var ErrRead = errors.New("ingest: reading the input failed")

// FatalMessage says why an import stopped, in words safe to show a caller:
// never the store's or the reader's own message, which may name hosts,
// users or the data.
func FatalMessage(err error) string {
	var lerr *LineError
	switch {
	case errors.Is(err, store.ErrUnavailable):
		return "the store became unavailable; the accepted records were written, the rest were not: import again (imports are idempotent)"
	case errors.Is(err, context.DeadlineExceeded):
		return "the import ran out of time; the accepted records were written, the rest were not: import again (imports are idempotent)"
	case errors.Is(err, context.Canceled):
		return "the import was cancelled; the accepted records were written, the rest were not"
	case errors.As(err, &lerr):
		return lerr.Message
	case errors.Is(err, os.ErrNotExist):
		return "an input file does not exist; the records before it were written"
	case errors.Is(err, ErrRead):
		return "reading the input failed; the accepted records were written, the rest were not"
	}
	return "the import stopped on an internal error; the accepted records were written, the rest were not"
}

// job is one import: records are read and decoded on one goroutine while
// the previous batch is applied on the caller's, so decoding and the store
// overlap.
type job struct {
	im        *Importer
	now       func() time.Time // stamps each batch for the change feed
	dates     DateRules        // today is taken once, when the import starts
	batchSize int
	srcs      []Source

	accepted, rejected int
	errs               errorList

	// Records the store rejected as UNKNOWN_REFERENCE, to retry once every
	// source is read, by natural key: a later line of the same key replaces
	// the record, as it would have had both been applied in order.
	deferred map[naturalKey]*pending
	seq      int // orders deferred records by when they were read
}

// chunk is what the reading goroutine hands over: records of one source in
// line order, with at most one record per natural key, and the lines that
// did not decode.
type chunk struct {
	src  int
	recs []Record
	errs []*LineError
}

// pending is a record on its way to the store, and, once deferred, waiting
// for a retry.
type pending struct {
	src int
	seq int
	rec Record
	msg string // the store's last word on it
}

func (j *job) run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan chunk, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(chunks)
		readErr <- j.read(ctx, chunks)
	}()
	for c := range chunks {
		if err := j.applyChunk(ctx, c); err != nil {
			// Stop the reader at its next chunk and wait for it, so that
			// no source is read after Import returns.
			cancel()
			for range chunks {
			}
			return err
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	return j.retry(ctx)
}

// read decodes every source into chunks. It runs on its own goroutine,
// where a panic would take the whole server down: it becomes an error.
func (j *job) read(ctx context.Context, out chan<- chunk) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("ingest: internal error while decoding: %v", v)
		}
	}()
	for i, src := range j.srcs {
		if err := j.readSource(ctx, i, src, out); err != nil {
			if src.Name != "" {
				err = fmt.Errorf("%s: %w", src.Name, err)
			}
			return fmt.Errorf("%w: %w", ErrRead, err)
		}
	}
	return nil
}

func (j *job) readSource(ctx context.Context, src int, s Source, out chan<- chunk) error {
	rc, err := s.Open()
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer rc.Close()
	in, zc, err := Gunzip(rc)
	if err != nil {
		return err
	}
	defer zc.Close()
	d := NewDecoder(in)
	d.MaxLineBytes = j.im.MaxLineBytes
	d.Dates = j.dates
	c := chunk{src: src}
	keys := make(map[naturalKey]struct{}, j.batchSize)
	send := func() error {
		select {
		case out <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		c = chunk{src: src}
		clear(keys)
		return nil
	}
	for {
		rec, err := d.Next()
		var lerr *LineError
		switch {
		case err == io.EOF:
			if len(c.recs) > 0 || len(c.errs) > 0 {
				return send()
			}
			return nil
		case errors.As(err, &lerr):
			c.errs = append(c.errs, lerr)
		case err != nil:
			return err
		default:
			// Two lines of one key go to different batches, so that the
			// later wins on every backend.
			k := rec.key()
			if _, dup := keys[k]; dup {
				if err := send(); err != nil {
					return err
				}
			}
			keys[k] = struct{}{}
			c.recs = append(c.recs, rec)
		}
		if len(c.recs) >= j.batchSize || len(c.errs) >= j.batchSize {
			if err := send(); err != nil {
				return err
			}
		}
	}
}

func (j *job) applyChunk(ctx context.Context, c chunk) error {
	for _, lerr := range c.errs {
		j.reject(c.src, lerr.Line, lerr.Code, lerr.Message)
	}
	if len(c.recs) == 0 {
		return nil
	}
	for _, rec := range c.recs {
		// A deferred record replaced by a later line counts as accepted:
		// in order, it would have been written and then overwritten.
		if _, ok := j.deferred[rec.key()]; ok {
			delete(j.deferred, rec.key())
			j.accepted++
		}
	}
	ps := make([]*pending, len(c.recs))
	for i, rec := range c.recs {
		ps[i] = &pending{src: c.src, rec: rec}
	}
	unknown, err := j.apply(ctx, ps)
	for _, p := range unknown {
		j.seq++
		p.seq = j.seq
		j.deferred[p.rec.key()] = p
	}
	return err
}

// retry applies the deferred records once more, now that every source is
// read, in dependency order (enterprises' records before the removals and
// repairs that name them) and again while that makes progress; those still
// unknown are rejected.
func (j *job) retry(ctx context.Context) error {
	ps := make([]*pending, 0, len(j.deferred))
	for _, p := range j.deferred {
		ps = append(ps, p)
	}
	clear(j.deferred)
	slices.SortFunc(ps, func(a, b *pending) int { return cmp.Compare(a.seq, b.seq) })
	slices.SortStableFunc(ps, func(a, b *pending) int { return cmp.Compare(a.rec.level(), b.rec.level()) })
	for len(ps) > 0 {
		var still []*pending
		for batch := range slices.Chunk(ps, j.batchSize) {
			unknown, err := j.apply(ctx, batch)
			if err != nil {
				return err
			}
			still = append(still, unknown...)
		}
		if len(still) == len(ps) {
			break
		}
		ps = still
	}
	for _, p := range ps {
		j.reject(p.src, p.rec.Line, store.CodeUnknownReference, p.msg)
	}
	return nil
}

// apply writes ps in one Store.Apply, counts the accepted and rejected, and
// returns those rejected for an unknown reference, for the caller to keep.
func (j *job) apply(ctx context.Context, ps []*pending) ([]*pending, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b := store.Batch{Now: j.now()}
	for i, p := range ps {
		p.rec.AddTo(&b, i+1) // N is the position: unique and in line order
	}
	rejs, err := j.im.Store.Apply(ctx, &b)
	if errors.Is(err, store.ErrInvalidRecord) && ctx.Err() == nil {
		return j.split(ctx, ps, err)
	}
	if err != nil {
		return nil, fmt.Errorf("ingest: apply a batch of %d records: %w", len(ps), err)
	}
	var unknown []*pending
	seen := make(map[int]bool, len(rejs))
	for _, rj := range rejs {
		if rj.Line < 1 || rj.Line > len(ps) {
			return nil, fmt.Errorf("ingest: the store rejected line %d of a batch of %d (%s: %s)", rj.Line, len(ps), rj.Code, rj.Message)
		}
		if seen[rj.Line] {
			continue
		}
		seen[rj.Line] = true
		p := ps[rj.Line-1]
		if rj.Code == store.CodeUnknownReference {
			p.msg = rj.Message
			unknown = append(unknown, p)
			continue
		}
		j.reject(p.src, p.rec.Line, rj.Code, rj.Message)
	}
	j.accepted += len(ps) - len(seen)
	return unknown, nil
}

// split finds the records a store refused a batch for (ErrInvalidRecord:
// a value the backend cannot hold, which no line check caught) by applying
// each half of the batch on its own, down to single records, which are then
// rejected with CodeStoreRejected. The other records are kept; a batch
// with one bad record costs about 2·log2(n) more Applies.
func (j *job) split(ctx context.Context, ps []*pending, cause error) ([]*pending, error) {
	if len(ps) == 1 {
		p := ps[0]
		if j.im.Log != nil {
			j.im.Log.WarnContext(ctx, "import: the store refused a record", "line", p.rec.Line, "kind", p.rec.Kind, "err", cause)
		}
		j.reject(p.src, p.rec.Line, CodeStoreRejected, fmt.Sprintf(
			"the store refused this %s record: a value is out of the range the store can hold; the other records were kept", p.rec.Kind))
		return nil, nil
	}
	half := len(ps) / 2
	first, err := j.apply(ctx, ps[:half])
	if err != nil {
		return nil, err
	}
	second, err := j.apply(ctx, ps[half:])
	return append(first, second...), err
}

func (j *job) reject(src, line int, code, msg string) {
	j.rejected++
	e := LineError{Line: line, Code: code, Message: clip(msg, maxMessage)}
	if len(j.srcs) > 1 {
		e.File = j.srcs[src].Name
	}
	j.errs.add(src, e)
}

func (j *job) summary() Summary {
	return Summary{
		Accepted:        j.accepted,
		Rejected:        j.rejected,
		Errors:          j.errs.list(),
		ErrorsTruncated: j.errs.truncated,
	}
}
