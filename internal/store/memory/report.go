package memory

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// RepeatOffenders pages through the enterprises with at least
// f.MinPenalties penalties v may see (a scan: demo-sized data).
func (s *Store) RepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter, p store.Page) (store.Connection[store.RepeatOffender], error) {
	fp := store.Fingerprint(f)
	var after *store.RepeatOffender
	if p.After != "" {
		key, err := store.DecodeCursor(p.After, store.CursorRepeatOffenders, fp, 3)
		if err != nil {
			return store.Connection[store.RepeatOffender]{}, err
		}
		a, err := store.ParseRepeatOffenderKey(key)
		if err != nil {
			return store.Connection[store.RepeatOffender]{}, err
		}
		after = &a
	}
	all, err := s.repeatOffenders(ctx, v, f)
	if err != nil {
		return store.Connection[store.RepeatOffender]{}, err
	}
	start := 0
	if after != nil {
		start = len(all)
		for i, r := range all {
			if store.CompareRepeatOffenders(r, *after) > 0 {
				start = i
				break
			}
		}
	}
	all = all[start:]
	limit := p.Limit()
	c := store.Connection[store.RepeatOffender]{HasNext: len(all) > limit, Items: all[:min(limit, len(all))]}
	for i := range c.Items {
		c.Items[i].Enterprise = s.p.ViewEnterprise(v, cloneEnterprise(c.Items[i].Enterprise))
		c.Cursors = append(c.Cursors, store.EncodeCursor(store.CursorRepeatOffenders, fp, store.RepeatOffenderKey(c.Items[i])...))
	}
	return c, nil
}

// CountRepeatOffenders counts what RepeatOffenders pages through.
func (s *Store) CountRepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter) (int, error) {
	all, err := s.repeatOffenders(ctx, v, f)
	return len(all), err
}

func (s *Store) repeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter) ([]store.RepeatOffender, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !store.ViolationTypeFilterUsable(v, f.ViolationType) {
		return nil, nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []store.RepeatOffender
	for uscc, e := range s.enterprises {
		if !strings.HasPrefix(e.RegionCode, f.RegionPrefix) {
			continue
		}
		r := store.RepeatOffender{Enterprise: e, TotalFines: decimal.Zero}
		for _, pen := range s.penalties.of(uscc) {
			switch {
			case f.KeyArea != "" && (pen.KeyArea == nil || *pen.KeyArea != f.KeyArea),
				f.ViolationType != "" && pen.ViolationType != f.ViolationType,
				!inRange(pen.DecidedOn, f.DecidedFrom, f.DecidedTo):
				continue
			}
			if _, ok := s.p.ViewPenalty(v, pen); !ok {
				continue
			}
			r.PenaltyCount++
			if pen.FineAmount != nil {
				r.TotalFines = r.TotalFines.Add(*pen.FineAmount)
			}
			if pen.DecidedOn.After(r.LatestDecidedOn) {
				r.LatestDecidedOn = pen.DecidedOn
			}
		}
		if r.PenaltyCount >= max(f.MinPenalties, 1) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, store.CompareRepeatOffenders)
	return out, nil
}

// Statistics counts the penalties, listings and inspections v may see.
func (s *Store) Statistics(ctx context.Context, v credit.Visibility, f store.StatisticsFilter) (store.Statistics, error) {
	if err := ctx.Err(); err != nil {
		return store.Statistics{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	inRegion := func(uscc string) bool { return strings.HasPrefix(s.enterprises[uscc].RegionCode, f.RegionPrefix) }
	ownArea := func(a *credit.KeyArea) bool { return f.KeyArea == "" || (a != nil && *a == f.KeyArea) }
	var st store.Statistics
	st.Penalties.TotalFines = decimal.Zero
	months, types, regions := buckets{}, buckets{}, buckets{}
	for _, pen := range s.penalties.all() {
		if !inRegion(pen.USCC) || !ownArea(pen.KeyArea) || !inRange(pen.DecidedOn, f.From, f.To) {
			continue
		}
		pv, ok := s.p.ViewPenalty(v, pen)
		if !ok {
			continue
		}
		fine := decimal.Zero
		if pen.FineAmount != nil {
			fine = *pen.FineAmount
		}
		st.Penalties.Count++
		st.Penalties.TotalFines = st.Penalties.TotalFines.Add(fine)
		months.add(store.MonthKey(pen.DecidedOn), fine)
		types.add(pv.ViolationType, fine) // as v reads it: redacted below REGULATOR
		regions.add(s.enterprises[pen.USCC].RegionCode, fine)
	}
	st.Penalties.ByMonth = store.SortedBuckets(months.list())
	st.Penalties.ByViolationType = store.TopBuckets(types.list(), store.TopViolationTypes)
	st.Penalties.ByRegion = store.SortedBuckets(regions.list())

	for _, list := range []credit.ListKind{credit.ListSerious, credit.ListAbnormal} {
		ls := &st.Serious
		if list == credit.ListAbnormal {
			ls = &st.Abnormal
		}
		months, areas, reasons := buckets{}, buckets{}, buckets{}
		for _, l := range s.listings.all() {
			e := s.enterprises[l.USCC]
			switch {
			case l.List != list, !inRegion(l.USCC), !inRange(l.ListedOn, f.From, f.To),
				list == credit.ListSerious && !ownArea(l.KeyArea),
				list == credit.ListAbnormal && f.KeyArea != "" && !slices.Contains(e.KeyAreas, f.KeyArea):
				continue
			}
			if _, ok := s.p.ViewListing(v, l); !ok {
				continue
			}
			ls.Count++
			months.add(store.MonthKey(l.ListedOn), decimal.Zero)
			if list == credit.ListSerious {
				areas.add(areaKey(l.KeyArea), decimal.Zero)
				continue
			}
			for _, a := range e.KeyAreas {
				areas.add(string(a), decimal.Zero)
			}
			reasons.add(strconv.Itoa(l.ReasonCode), decimal.Zero)
		}
		ls.ByMonth, ls.ByKeyArea = store.SortedBuckets(months.list()), store.SortedBuckets(areas.list())
		if list == credit.ListAbnormal {
			ls.ByReasonCode = store.SortedBuckets(reasons.list())
		}
	}

	results := buckets{}
	for _, in := range s.inspections.all() {
		if !inRegion(in.USCC) || !ownArea(in.KeyArea) || !inRange(in.InspectedOn, f.From, f.To) {
			continue
		}
		st.Inspections.Count++
		if in.Result == credit.ResultNonCompliant {
			st.Inspections.NonCompliant++
		}
		results.add(string(in.Result), decimal.Zero)
	}
	st.Inspections.ByResult = store.SortedBuckets(results.list())
	return st, nil
}

func areaKey(a *credit.KeyArea) string {
	if a == nil {
		return ""
	}
	return string(*a)
}

// buckets accumulates counts and fines by key.
type buckets map[string]*store.Bucket

func (b buckets) add(key string, fine decimal.Decimal) {
	x := b[key]
	if x == nil {
		x = &store.Bucket{Key: key, TotalFines: decimal.Zero}
		b[key] = x
	}
	x.Count++
	x.TotalFines = x.TotalFines.Add(fine)
}

func (b buckets) list() []store.Bucket {
	out := make([]store.Bucket, 0, len(b))
	for _, x := range b {
		out = append(out, *x)
	}
	return out
}
