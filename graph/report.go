package graph

import (
	"context"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Repeat offenders' defaults: at least two penalties, decided in the
// store.RepeatYears years up to the caller's date (store.DefaultRepeatWindow).
const (
	defaultMinPenalties = 2
	maxMinPenalties     = 1000
)

// repeatOffenders answers Query.repeatOffenders. The contract's shape
// (filter: ListingFilter, minPenalties) keeps working: listedFrom/listedTo
// are aliases of decidedFrom/decidedTo and the top-level minPenalties of
// filter.minPenalties.
func (r *queryResolver) repeatOffenders(ctx context.Context, in *model.RepeatOffenderFilter, minPenalties *int, first *int, after *string) (*model.RepeatOffenderConnection, error) {
	if in == nil {
		in = &model.RepeatOffenderFilter{}
	}
	v := dataloader.For(ctx).V
	region, err := regionPrefix(in.RegionCode)
	if err != nil {
		return nil, err
	}
	f := store.RepeatOffenderFilter{RegionPrefix: region, KeyArea: deref(in.KeyArea), MinPenalties: defaultMinPenalties}
	switch {
	case in.MinPenalties != nil:
		f.MinPenalties = *in.MinPenalties
	case minPenalties != nil:
		f.MinPenalties = *minPenalties
	}
	if f.MinPenalties < 1 || f.MinPenalties > maxMinPenalties {
		return nil, apierr.BadInput("repeatOffenders `minPenalties` must be between 1 and %d, got %d", maxMinPenalties, f.MinPenalties)
	}
	if in.ViolationType != nil {
		f.ViolationType = strings.TrimSpace(*in.ViolationType)
		if f.ViolationType == "" {
			return nil, apierr.BadInput("repeatOffenders filter `violationType` is empty")
		}
	}
	from, to := in.DecidedFrom, in.DecidedTo
	if from == nil {
		from = in.ListedFrom
	}
	if to == nil {
		to = in.ListedTo
	}
	defFrom, defTo := store.DefaultRepeatWindow(v.AsOf)
	if from == nil {
		from = &defFrom
	}
	if to == nil {
		to = &defTo
	}
	if to.Before(*from) {
		return nil, apierr.BadInput("repeatOffenders filter: decidedTo %s is before decidedFrom %s", to.Format("2006-01-02"), from.Format("2006-01-02"))
	}
	f.DecidedFrom, f.DecidedTo = from, to
	p, err := storePage(first, after)
	if err != nil {
		return nil, err
	}
	conn, err := r.Store.RepeatOffenders(ctx, v, f, p)
	if err != nil {
		return nil, err
	}
	usccs := make([]string, len(conn.Items))
	for i := range conn.Items {
		usccs[i] = conn.Items[i].Enterprise.USCC
		dataloader.For(ctx).Enterprise.Prime(usccs[i], &conn.Items[i].Enterprise)
	}
	if err := primeEnterprises(ctx, nodeFields(ctx, "Enterprise"), usccs); err != nil {
		return nil, err
	}
	c := &model.RepeatOffenderConnection{
		PageInfo: pageInfo(conn.Cursors, conn.HasNext),
		Count:    func(ctx context.Context) (int, error) { return r.Store.CountRepeatOffenders(ctx, v, f) },
	}
	for i := range conn.Items {
		o := &conn.Items[i]
		c.Nodes = append(c.Nodes, &o.Enterprise)
		c.Edges = append(c.Edges, &model.RepeatOffenderEdge{Cursor: conn.Cursors[i], Node: &o.Enterprise,
			PenaltyCount: o.PenaltyCount, TotalFines: o.TotalFines, LatestDecidedOn: o.LatestDecidedOn})
	}
	return c, nil
}

// statistics answers Query.statistics.
func (r *queryResolver) statistics(ctx context.Context, in *model.StatisticsFilter) (*model.Statistics, error) {
	f := store.StatisticsFilter{}
	if in != nil {
		region, err := regionPrefix(in.RegionCode)
		if err != nil {
			return nil, err
		}
		if in.From != nil && in.To != nil && in.To.Before(*in.From) {
			return nil, apierr.BadInput("statistics filter: to %s is before from %s", in.To.Format("2006-01-02"), in.From.Format("2006-01-02"))
		}
		f = store.StatisticsFilter{RegionPrefix: region, KeyArea: deref(in.KeyArea), From: in.From, To: in.To}
	}
	v := dataloader.For(ctx).V
	st, err := r.Store.Statistics(ctx, v, f)
	if err != nil {
		return nil, err
	}
	listing := func(l store.ListingStatistics, reasons bool) *model.ListingStatistics {
		out := &model.ListingStatistics{Count: l.Count, ByMonth: months(l.ByMonth, false), ByKeyArea: statBuckets(l.ByKeyArea, false)}
		if reasons {
			out.ByReasonCode = statBuckets(l.ByReasonCode, false)
		}
		return out
	}
	return &model.Statistics{
		AsOf: v.AsOf,
		Penalties: &model.PenaltyStatistics{Count: st.Penalties.Count, TotalFines: st.Penalties.TotalFines,
			ByMonth: months(st.Penalties.ByMonth, true), ByViolationType: statBuckets(st.Penalties.ByViolationType, true),
			ByRegion: statBuckets(st.Penalties.ByRegion, true)},
		SeriousListings:  listing(st.Serious, false),
		AbnormalListings: listing(st.Abnormal, true),
		Inspections: &model.InspectionStatistics{Count: st.Inspections.Count, NonCompliant: st.Inspections.NonCompliant,
			ByResult: statBuckets(st.Inspections.ByResult, false)},
	}, nil
}

func fines(b store.Bucket, with bool) *decimal.Decimal {
	if !with {
		return nil
	}
	return &b.TotalFines
}

func months(in []store.Bucket, withFines bool) []*model.MonthBucket {
	out := make([]*model.MonthBucket, len(in))
	for i, b := range in {
		out[i] = &model.MonthBucket{Month: b.Key, Count: b.Count, TotalFines: fines(b, withFines)}
	}
	return out
}

func statBuckets(in []store.Bucket, withFines bool) []*model.StatisticsBucket {
	out := make([]*model.StatisticsBucket, len(in))
	for i, b := range in {
		out[i] = &model.StatisticsBucket{Key: b.Key, Count: b.Count, TotalFines: fines(b, withFines)}
	}
	return out
}
