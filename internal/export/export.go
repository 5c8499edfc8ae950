// Package export writes whole datasets — the enterprises with their
// records, the two lists, the penalties, the typical cases — as the
// caller's tier sees them on its date, from one consistent store snapshot
// (store.Snapshotter), walked in chunks of bounded size so that memory stays
// flat however large the dataset. NDJSON is the contract's import format
// (an export imports back with `import`); CSV is for spreadsheets. It reads
// every row through the store's visibility-filtered reads and never decides
// disclosure itself; it knows nothing of HTTP, budgets or caching.
//
// An enterprise line of a PARTNER export also carries the enterprise's
// credit risk category as the source's model gives it on the export's day
// and on each later day it moves with no write (risk.Model.Schedule, the
// import field risk_categories): the letter is PARTNER's to read, but it is
// derived from the whole record, which a PARTNER file does not hold, so a
// store importing the file could not derive it. Only letters and their
// days are written — what PARTNER reads from riskCategory and the
// RISK_CATEGORY feed on those days — never a score, factor or record. A
// PUBLIC export carries none; a REGULATOR export, which holds the whole
// record, carries one only for an enterprise whose letter was itself
// imported. The change feed's writers derive the same schedule whenever
// they look at a category (feed.RiskEntry); a snapshot that keeps it
// (store.RiskChecker) spares the export the whole record.
package export

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Format is an export's file format.
type Format string

const (
	NDJSON Format = "ndjson"
	CSV    Format = "csv"
)

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	if f == CSV {
		return "text/csv; charset=utf-8"
	}
	return "application/x-ndjson; charset=utf-8"
}

// MinTier is the least tier that may export d: the enterprises with every
// record is a partner service; the lists, penalties and cases are public.
func MinTier(d store.Dataset) credit.Tier {
	if d == store.DatasetEnterprises {
		return credit.TierPartner
	}
	return credit.TierPublic
}

// Formats lists the formats of d: every dataset has NDJSON; all but the
// enterprises (a profile is not one row) also have CSV.
func Formats(d store.Dataset) []Format {
	if d == store.DatasetEnterprises {
		return []Format{NDJSON}
	}
	return []Format{NDJSON, CSV}
}

// ParseName splits a file name such as "serious_list.csv" into its dataset
// and format, with an error naming what is wrong.
func ParseName(name string) (store.Dataset, Format, error) {
	base, ext, ok := strings.Cut(name, ".")
	if !ok {
		return "", "", fmt.Errorf("%q has no format: ask for %s.ndjson or %s.csv", name, name, name)
	}
	d := store.Dataset(base)
	known := false
	for _, k := range store.Datasets {
		known = known || k == d
	}
	if !known {
		names := make([]string, len(store.Datasets))
		for i, k := range store.Datasets {
			names[i] = string(k)
		}
		return "", "", fmt.Errorf("no dataset %q: the datasets are %s", base, strings.Join(names, ", "))
	}
	for _, f := range Formats(d) {
		if string(f) == ext {
			return d, f, nil
		}
	}
	if d == store.DatasetEnterprises {
		return "", "", fmt.Errorf("dataset %q has no format %q: it is exported as .ndjson only", d, ext)
	}
	return "", "", fmt.Errorf("dataset %q has no format %q: ask for .ndjson or .csv", d, ext)
}

// chunk is how many enterprises one round of statements reads.
const chunk = 500

// group is one enterprise and the records of it that an export writes.
type group struct {
	e           *credit.Enterprise
	licenses    []credit.License
	penalties   []credit.Penalty
	inspections []credit.Inspection
	abnormal    []credit.Listing
	serious     []credit.Listing
	commitments []credit.Commitment
}

// writer is one format.
type writer interface {
	group(g *group) error
	// caseWith writes a case; e is the enterprise it names, or nil, and
	// first says the case is the first to name e.
	caseWith(c *credit.TypicalCase, e *credit.Enterprise, first bool) error
	flush() error
}

type ndjsonWriter struct{ *ndjson }

func (w ndjsonWriter) caseWith(c *credit.TypicalCase, e *credit.Enterprise, first bool) error {
	if !first {
		e = nil
	}
	return w.ndjson.caseWith(c, e)
}

type csvWriter struct{ *table }

func (w csvWriter) caseWith(c *credit.TypicalCase, e *credit.Enterprise, _ bool) error {
	name := ""
	if e != nil {
		name = e.Name
	}
	return w.table.caseWith(c, e, name)
}

// Write writes dataset d in format f as v sees it, reading snap, and
// returns the number of the dataset's records written (profiles for the
// enterprises; listings, penalties or cases otherwise — the enterprise
// lines that come with them are not counted). On error, what was written
// is a prefix of the file.
func Write(ctx context.Context, w io.Writer, snap store.Snapshot, p credit.Policy, m risk.Model, v credit.Visibility,
	d store.Dataset, f Format) (int, error) {
	var out writer
	if f == CSV {
		t, err := newTable(w, d, p, v)
		if err != nil {
			return 0, err
		}
		out = csvWriter{t}
	} else {
		out = ndjsonWriter{newNDJSON(w)}
	}
	var n int
	var err error
	rc := riskCategories{snap: snap, p: p, m: m, v: v, on: f == NDJSON}
	rc.checker, _ = snap.(store.RiskChecker)
	if d == store.DatasetTypicalCases {
		n, err = writeCases(ctx, out, snap, v, rc)
	} else {
		n, err = writeGroups(ctx, out, snap, v, d, rc)
	}
	if ferr := out.flush(); err == nil {
		err = ferr
	}
	return n, err
}

// writeGroups walks the owners of d's records in USCC order, a chunk at a
// time: per chunk, one statement for the enterprises and the record kinds
// the dataset holds, and, when the lines carry the risk category the model
// derives from the whole record (PARTNER, NDJSON), one for the schedules
// the snapshot keeps — or, when it lacks one of the chunk's, the chunk's
// whole record, which gives both the schedules and PARTNER's view.
//
// The chunks are read (and their schedules derived) by a goroutine of their
// own, one chunk ahead of the writer: PostgreSQL reads the next chunk while
// this one is encoded, where one after the other each waited for the
// other (docs/BENCHMARKS.md §33). At most three chunks are held at once —
// one written, one waiting, one read — so memory stays flat. Only that
// goroutine uses snap, and Write returns only once it has stopped; when
// the writer fails it finishes the statement it is in rather than cancel
// it (a cancelled statement costs the pool its connection).
func writeGroups(ctx context.Context, out writer, snap store.Snapshot, v credit.Visibility, d store.Dataset, rc riskCategories) (int, error) {
	chunks := make(chan []group, 1)
	stop := make(chan struct{}) // closed when the writer fails: the reader ends after its current chunk
	var readErr error
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(chunks)
		readErr = readChunks(ctx, snap, v, d, rc, func(gs []group) bool {
			select {
			case chunks <- gs:
				return true
			case <-stop:
				return false
			case <-ctx.Done():
				return false
			}
		})
	}()
	n, err := 0, error(nil)
	for gs := range chunks {
		if err != nil {
			continue // drained until the reader has stopped
		}
		var k int
		k, err = writeChunk(out, d, gs)
		n += k
		if err != nil {
			close(stop)
		}
	}
	<-read
	if err != nil {
		return n, err
	}
	return n, readErr
}

// readChunks reads d's groups a chunk at a time, with the risk categories
// the lines carry, and hands each to emit until it returns false.
func readChunks(ctx context.Context, snap store.Snapshot, v credit.Visibility, d store.Dataset, rc riskCategories,
	emit func([]group) bool) error {
	after := ""
	for {
		owners, err := ownersAfter(ctx, snap, v, d, after)
		if err != nil || len(owners) == 0 {
			return err
		}
		after = owners[len(owners)-1]
		var groups []group
		var whole *store.Records
		var stored map[string][]credit.RiskStep
		if rc.derived() {
			if stored, err = rc.stored(ctx, owners); err != nil {
				return err
			}
		}
		switch {
		case rc.derived() && len(stored) < len(owners): // owners are distinct
			groups, whole, err = loadWhole(ctx, snap, rc.p, v, d, owners)
		default: // the snapshot keeps every schedule the lines carry, or they carry none
			groups, err = load(ctx, snap, v, d, owners)
		}
		if err != nil {
			return err
		}
		ents := make([]*credit.Enterprise, len(groups))
		for i := range groups {
			ents[i] = groups[i].e
		}
		if err := rc.set(ctx, ents, whole, stored); err != nil {
			return err
		}
		for i := range groups {
			groups[i].e = ents[i]
		}
		if !emit(groups) {
			return ctx.Err() // nil when the writer stopped it
		}
	}
}

// ownersAfter is the next chunk of owners of d's records after after: only
// those owning a record v sees where the snapshot can tell
// (store.VisibleOwners), every owner otherwise.
func ownersAfter(ctx context.Context, snap store.Snapshot, v credit.Visibility, d store.Dataset, after string) ([]string, error) {
	if o, ok := snap.(store.VisibleOwners); ok {
		return o.VisibleOwners(ctx, v, d, after, chunk)
	}
	return snap.Owners(ctx, d, after, chunk)
}

// writeChunk writes a chunk's groups and returns how many of d's records
// they held.
func writeChunk(out writer, d store.Dataset, groups []group) (int, error) {
	n := 0
	for i := range groups {
		g := &groups[i]
		rows := 0
		switch d {
		case store.DatasetEnterprises:
			rows = 1
		case store.DatasetPenalties:
			rows = len(g.penalties)
		case store.DatasetSeriousList:
			rows = len(g.serious)
		case store.DatasetAbnormalList:
			rows = len(g.abnormal)
		}
		if g.e == nil || rows == 0 {
			continue // an enterprise none of whose records the caller sees
		}
		if err := out.group(g); err != nil {
			return n, err
		}
		n += rows
	}
	return n, nil
}

// load reads one chunk of groups: the enterprises and the record kinds the
// dataset holds, in one round trip where the store can (PostgreSQL: one
// statement inside the snapshot's transaction).
func load(ctx context.Context, snap store.Snapshot, v credit.Visibility, d store.Dataset, usccs []string) ([]group, error) {
	all := d == store.DatasetEnterprises
	recs, err := store.ReadRecords(ctx, snap, v, usccs, store.Kinds{Enterprises: true,
		Licenses: all, Inspections: all, Commitments: all,
		Penalties: all || d == store.DatasetPenalties,
		Abnormal:  all || d == store.DatasetAbnormalList,
		Serious:   all || d == store.DatasetSeriousList})
	if err != nil {
		return nil, err
	}
	gs := make([]group, len(usccs))
	for i := range gs {
		g := &gs[i]
		g.e = recs.Enterprises[i]
		g.licenses = at(recs.Licenses, i)
		g.penalties = at(recs.Penalties, i)
		g.inspections = at(recs.Inspections, i)
		g.abnormal = at(recs.Abnormal, i)
		g.serious = at(recs.Serious, i)
		g.commitments = at(recs.Commitments, i)
	}
	return gs, nil
}

// wholeKinds is every record kind: what the risk model reads.
var wholeKinds = store.Kinds{Enterprises: true, Licenses: true, Penalties: true, Inspections: true, Abnormal: true,
	Serious: true, Commitments: true}

// loadWhole is load for an export whose lines carry the derived risk
// category: it reads the chunk's whole record once, at REGULATOR
// visibility on v's date, and gives v the policy's view of it
// (store.ViewRecords, which the conformance suite holds equal to reading
// at v) — the schedule needs every record anyway, so reading v's rows as
// well would read the chunk twice. whole is indexed as usccs.
func loadWhole(ctx context.Context, snap store.Snapshot, p credit.Policy, v credit.Visibility, d store.Dataset,
	usccs []string) ([]group, *store.Records, error) {
	whole, err := store.ReadRecords(ctx, snap, credit.Visibility{Tier: credit.TierRegulator, AsOf: v.AsOf}, usccs, wholeKinds)
	if err != nil {
		return nil, nil, err
	}
	all := d == store.DatasetEnterprises
	// Only the kinds the dataset writes are viewed (the policy's view of a
	// record, its redaction, is most of an export's CPU).
	written := store.Records{Enterprises: whole.Enterprises}
	if all {
		written.Licenses, written.Inspections, written.Commitments = whole.Licenses, whole.Inspections, whole.Commitments
	}
	if all || d == store.DatasetPenalties {
		written.Penalties = whole.Penalties
	}
	if all || d == store.DatasetAbnormalList {
		written.Abnormal = whole.Abnormal
	}
	if all || d == store.DatasetSeriousList {
		written.Serious = whole.Serious
	}
	seen := store.ViewRecords(p, v, written)
	gs := make([]group, len(usccs))
	for i := range gs {
		g := &gs[i]
		g.e = seen.Enterprises[i]
		g.licenses, g.inspections, g.commitments = at(seen.Licenses, i), at(seen.Inspections, i), at(seen.Commitments, i)
		g.penalties, g.abnormal, g.serious = at(seen.Penalties, i), at(seen.Abnormal, i), at(seen.Serious, i)
	}
	return gs, &whole, nil
}

// at is rows[i], or nil for a kind that was not read.
func at[T any](rows [][]T, i int) []T {
	if rows == nil {
		return nil
	}
	return rows[i]
}

// writeCases walks the typical cases v sees, newest first, a page at a
// time; each enterprise a case names is read with the page and written
// before the first case naming it. Cases are few (regulators publish them
// one by one), so remembering which enterprises were written is cheap.
func writeCases(ctx context.Context, out writer, snap store.Snapshot, v credit.Visibility, rc riskCategories) (int, error) {
	written := map[string]bool{}
	n, page := 0, store.Page{First: store.MaxFirst}
	for {
		conn, err := snap.TypicalCases(ctx, v, store.CaseFilter{}, page)
		if err != nil {
			return n, err
		}
		var usccs []string
		for _, c := range conn.Items {
			if c.USCC != nil {
				usccs = append(usccs, *c.USCC)
			}
		}
		ents, err := snap.EnterprisesByUSCC(ctx, v, usccs)
		if err != nil {
			return n, err
		}
		if err := rc.set(ctx, ents, nil, nil); err != nil {
			return n, err
		}
		byUSCC := make(map[string]*credit.Enterprise, len(ents))
		for _, e := range ents {
			if e != nil {
				byUSCC[e.USCC] = e
			}
		}
		for i := range conn.Items {
			c := &conn.Items[i]
			var e *credit.Enterprise
			first := false
			if c.USCC != nil {
				e = byUSCC[*c.USCC]
				first = e != nil && !written[e.USCC]
				if first {
					written[e.USCC] = true
				}
			}
			if err := out.caseWith(c, e, first); err != nil {
				return n, err
			}
			n++
		}
		if !conn.HasNext || len(conn.Cursors) == 0 {
			return n, nil
		}
		page.After = conn.Cursors[len(conn.Cursors)-1]
	}
}

// riskCategories sets the risk category schedule an export's enterprise
// lines carry (see the package comment).
type riskCategories struct {
	snap store.Snapshot
	p    credit.Policy
	m    risk.Model
	v    credit.Visibility
	on   bool // the format carries it (NDJSON)
	// checker, when snap is one, gives the schedules the change feed keeps
	// (stored).
	checker store.RiskChecker
}

// derived reports whether every enterprise line carries the schedule the
// model derives from the whole record: PARTNER's NDJSON.
func (rc riskCategories) derived() bool {
	return rc.on && rc.v.Tier == credit.TierPartner
}

// stored returns the schedules from the export's day on that the snapshot
// keeps for those of usccs it has one for (store.RiskChecker): the change
// feed's writers derived each from the enterprise's whole record, with the
// export's model, on its last write or the last day its category moved,
// so reading it is reading the model's schedule without reading the
// record. Nil when the snapshot keeps none.
func (rc riskCategories) stored(ctx context.Context, usccs []string) (map[string][]credit.RiskStep, error) {
	if rc.checker == nil || len(usccs) == 0 {
		return nil, nil
	}
	return rc.checker.RiskSchedules(ctx, rc.m.ID(), rc.v.AsOf, usccs)
}

// set replaces the RiskCategories of each enterprise of ents (nil ones
// skipped, each replaced by a copy) with the schedule the export writes:
// the model's, from the whole record as of the export's day, for PARTNER;
// for REGULATOR only where the letter was imported; none for PUBLIC.
// stored, when not nil, is what rc.stored gave for ents (else set asks
// it); an enterprise it has no schedule for is derived from its whole
// record: whole, when not nil, is that record already read (loadWhole),
// indexed as ents; otherwise set reads it.
func (rc riskCategories) set(ctx context.Context, ents []*credit.Enterprise, whole *store.Records,
	stored map[string][]credit.RiskStep) error {
	var usccs []string
	var at []int
	for i, e := range ents {
		if e == nil {
			continue
		}
		c := *e
		c.RiskCategories = nil
		ents[i] = &c
		if rc.on && (rc.v.Tier == credit.TierPartner || rc.v.Tier == credit.TierRegulator && len(e.RiskCategories) > 0) {
			usccs, at = append(usccs, e.USCC), append(at, i)
		}
	}
	if len(usccs) == 0 {
		return nil
	}
	if stored == nil {
		var err error
		if stored, err = rc.stored(ctx, usccs); err != nil {
			return err
		}
	}
	var rest []string // derived from the whole record
	var restAt []int
	for j, i := range at {
		if steps, ok := stored[usccs[j]]; ok {
			ents[i].RiskCategories = steps
		} else {
			rest, restAt = append(rest, usccs[j]), append(restAt, i)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	recs := whole
	if recs == nil {
		read, err := store.ReadRecords(ctx, rc.snap, credit.Visibility{Tier: credit.TierRegulator, AsOf: rc.v.AsOf}, rest, wholeKinds)
		if err != nil {
			return err
		}
		recs = &read
	}
	for j, i := range restAt {
		k := j // a read here is indexed as rest
		if whole != nil {
			k = i // whole is indexed as ents
		}
		if recs.Enterprises[k] == nil {
			continue
		}
		in := risk.Inputs{Enterprise: *recs.Enterprises[k], Licenses: recs.Licenses[k], Penalties: recs.Penalties[k],
			Inspections: recs.Inspections[k], Abnormal: recs.Abnormal[k], Serious: recs.Serious[k],
			Commitments: recs.Commitments[k]}
		ents[i].RiskCategories = rc.m.Schedule(in, rc.v.AsOf, rc.p)
	}
	return nil
}
