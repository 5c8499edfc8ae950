package gqlcache

import (
	"context"
	"log/slog"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Tagging returns st with every read noting, in the answer being computed
// (see Extension), the tags of what it read. An enterprise is tagged whether
// or not it was found: an answer that says "unknown" must go when the
// enterprise arrives. A page of a collection is tagged with the collection
// only: every write that changes a row's own fields, or which rows a filter
// selects, bumps the collection (WriteTags); records nested under the rows
// are read through the per-USCC loaders, which tag each enterprise. So a
// page costs a hit two tags to check, not one per row.
func Tagging(st store.Store) store.Store { return tagging{st} }

type tagging struct{ store.Store }

// Unwrap returns the decorated store (store.SnapshotterOf).
func (t tagging) Unwrap() store.Store { return t.Store }

func (t tagging) Enterprise(ctx context.Context, v credit.Visibility, uscc string) (credit.Enterprise, error) {
	note(ctx, EnterpriseTag(uscc))
	return t.Store.Enterprise(ctx, v, uscc)
}

func (t tagging) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.EnterprisesByUSCC(ctx, v, usccs)
}

func (t tagging) Enterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter, p store.Page) (store.Connection[credit.Enterprise], error) {
	note(ctx, TagEnterprises)
	if f.OnSeriousList != nil {
		note(ctx, ListTag(credit.ListSerious))
	}
	if f.OnAbnormalList != nil {
		note(ctx, ListTag(credit.ListAbnormal))
	}
	return t.Store.Enterprises(ctx, v, f, p)
}

// A name search reads names and, through its filter, list membership: the
// enterprise collection's tag covers both (WriteTags bumps it for every
// enterprise and listing written).
func (t tagging) SearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter, p store.Page) (store.Connection[search.Hit], error) {
	note(ctx, TagEnterprises)
	if f.OnSeriousList != nil {
		note(ctx, ListTag(credit.ListSerious))
	}
	if f.OnAbnormalList != nil {
		note(ctx, ListTag(credit.ListAbnormal))
	}
	return t.Store.SearchEnterprises(ctx, v, q, f, p)
}

func (t tagging) CountSearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f store.EnterpriseFilter) (int, error) {
	note(ctx, TagEnterprises, ListTag(credit.ListSerious), ListTag(credit.ListAbnormal))
	return t.Store.CountSearchEnterprises(ctx, v, q, f)
}

// Repeat offenders and statistics count records of every enterprise: they
// depend on the records tag (and on enterprises' names and regions).
func (t tagging) RepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter, p store.Page) (store.Connection[store.RepeatOffender], error) {
	note(ctx, TagRecords, TagEnterprises)
	return t.Store.RepeatOffenders(ctx, v, f, p)
}

func (t tagging) CountRepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter) (int, error) {
	note(ctx, TagRecords, TagEnterprises)
	return t.Store.CountRepeatOffenders(ctx, v, f)
}

func (t tagging) Statistics(ctx context.Context, v credit.Visibility, f store.StatisticsFilter) (store.Statistics, error) {
	note(ctx, TagRecords, TagEnterprises)
	return t.Store.Statistics(ctx, v, f)
}

func (t tagging) CountEnterprises(ctx context.Context, v credit.Visibility, f store.EnterpriseFilter) (int, error) {
	note(ctx, TagEnterprises, ListTag(credit.ListSerious), ListTag(credit.ListAbnormal))
	return t.Store.CountEnterprises(ctx, v, f)
}

func (t tagging) LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.LicensesByUSCC(ctx, v, usccs)
}

func (t tagging) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.PenaltiesByUSCC(ctx, v, usccs)
}

func (t tagging) InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.InspectionsByUSCC(ctx, v, usccs)
}

func (t tagging) ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.ListingsByUSCC(ctx, v, list, usccs)
}

func (t tagging) CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error) {
	noteEnterprises(ctx, usccs)
	return t.Store.CommitmentsByUSCC(ctx, v, usccs)
}

// RecordsByUSCC tags every enterprise read, like the per-kind loaders, and
// reads through st's own batch when it has one.
func (t tagging) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	noteEnterprises(ctx, usccs)
	return store.ReadRecords(ctx, t.Store, v, usccs, k)
}

func (t tagging) Listings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter, p store.Page) (store.Connection[credit.Listing], error) {
	note(ctx, ListTag(list), TagEnterprises)
	return t.Store.Listings(ctx, v, list, f, p)
}

func (t tagging) CountListings(ctx context.Context, v credit.Visibility, list credit.ListKind, f store.ListingFilter) (int, error) {
	note(ctx, ListTag(list), TagEnterprises)
	return t.Store.CountListings(ctx, v, list, f)
}

func (t tagging) TypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter, p store.Page) (store.Connection[credit.TypicalCase], error) {
	note(ctx, TagCases)
	return t.Store.TypicalCases(ctx, v, f, p)
}

func (t tagging) CountTypicalCases(ctx context.Context, v credit.Visibility, f store.CaseFilter) (int, error) {
	note(ctx, TagCases)
	return t.Store.CountTypicalCases(ctx, v, f)
}

// Invalidating returns st with every Apply, once it returns, bumping the
// tags its batch could have changed (WriteTags), on every replica sharing
// c's Redis: those of the enterprises the batch names and of those Apply
// reports it took records from (store.Batch.Displaced), so an answer about
// an enterprise that lost a record to a correction is not served again. It
// invalidates even when Apply fails: part of the batch may have been
// written. A batch of more than bulk enterprises, displaced ones included,
// invalidates everything (one bump instead of thousands).
func Invalidating(st store.Store, c *cache.Cache, bulk int, log *slog.Logger) store.Store {
	if inv, ok := st.(invalidating); ok && inv.c == c {
		return st // already
	}
	return invalidating{Store: st, c: c, bulk: bulk, log: log}
}

type invalidating struct {
	store.Store
	c    *cache.Cache
	bulk int
	log  *slog.Logger
}

// RecordsByUSCC keeps st's batch of several kinds in one round trip
// visible through the decorator (it only changes writes).
func (s invalidating) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	return store.ReadRecords(ctx, s.Store, v, usccs, k)
}

// Unwrap returns the decorated store (store.SnapshotterOf).
func (s invalidating) Unwrap() store.Store { return s.Store }

func (s invalidating) Apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	rej, err := s.Store.Apply(ctx, b)
	tags := WriteTags(b, s.bulk) // after Apply: b.Displaced is set
	if ierr := s.c.Invalidate(context.WithoutCancel(ctx), tags...); ierr != nil {
		s.log.WarnContext(ctx, "cache invalidation deferred until Redis answers", "tags", len(tags), "err", ierr)
	}
	return rej, err
}
