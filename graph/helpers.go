package graph

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/graph/model"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/search"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/shopspring/decimal"
)

func pointers[T any](items []T) []*T {
	out := make([]*T, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// mustEnterprise loads an enterprise a record refers to; the store keeps
// references whole, so a missing one is an internal error.
func mustEnterprise(ctx context.Context, uscc string) (*credit.Enterprise, error) {
	e, err := dataloader.For(ctx).Enterprise.Load(ctx, uscc)
	if err == nil && e == nil {
		err = fmt.Errorf("graph: enterprise %s referenced but not found", uscc)
	}
	return e, err
}

func (r *queryResolver) listings(ctx context.Context, list credit.ListKind, filter *model.ListingFilter, first *int, after *string) (*model.ListingConnection, error) {
	f, err := listingFilter(filter)
	if err != nil {
		return nil, err
	}
	p, err := storePage(first, after)
	if err != nil {
		return nil, err
	}
	v := dataloader.For(ctx).V
	conn, err := r.Store.Listings(ctx, v, list, f, p)
	if err != nil {
		return nil, err
	}
	if err := primeListingEnterprises(ctx, conn.Items); err != nil {
		return nil, err
	}
	c := &model.ListingConnection{
		PageInfo: pageInfo(conn.Cursors, conn.HasNext),
		Count:    func(ctx context.Context) (int, error) { return r.Store.CountListings(ctx, v, list, f) },
	}
	for i := range conn.Items {
		c.Nodes = append(c.Nodes, &conn.Items[i])
		c.Edges = append(c.Edges, &model.ListingEdge{Cursor: conn.Cursors[i], Node: &conn.Items[i]})
	}
	return c, nil
}

func enterpriseFilter(in *model.EnterpriseFilter) (store.EnterpriseFilter, error) {
	if in == nil {
		return store.EnterpriseFilter{}, nil
	}
	region, err := regionPrefix(in.RegionCode)
	return store.EnterpriseFilter{
		RegionPrefix:   region,
		KeyArea:        deref(in.KeyArea),
		Status:         deref(in.Status),
		OnSeriousList:  in.OnSeriousDishonestyList,
		OnAbnormalList: in.OnAbnormalOperationList,
		Name:           deref(in.Name),
		NamePrefix:     deref(in.NamePrefix),
	}, err
}

func listingFilter(in *model.ListingFilter) (store.ListingFilter, error) {
	if in == nil {
		return store.ListingFilter{}, nil
	}
	region, err := regionPrefix(in.RegionCode)
	return store.ListingFilter{
		RegionPrefix:   region,
		KeyArea:        deref(in.KeyArea),
		ListedFrom:     in.ListedFrom,
		ListedTo:       in.ListedTo,
		IncludeRemoved: deref(in.IncludeRemoved),
	}, err
}

func caseFilter(in *model.CaseFilter) (store.CaseFilter, error) {
	if in == nil {
		return store.CaseFilter{}, nil
	}
	region, err := regionPrefix(in.RegionCode)
	if err != nil {
		return store.CaseFilter{}, err
	}
	if in.Text != nil {
		if n := utf8.RuneCountInString(search.Normalize(*in.Text)); n < search.MinRunes || n > search.MaxRunes {
			return store.CaseFilter{}, apierr.BadInput("typicalCases filter `text` %q has %d characters once spaces and punctuation are removed; it must have %d to %d",
				*in.Text, n, search.MinRunes, search.MaxRunes)
		}
	}
	return store.CaseFilter{
		RegionPrefix:  region,
		KeyArea:       deref(in.KeyArea),
		PublishedFrom: in.PublishedFrom,
		PublishedTo:   in.PublishedTo,
		Text:          deref(in.Text),
	}, nil
}

// creditSummary counts what is publicly disclosed on the caller's date, so
// its numbers mean the same in every tier and agree with what a public
// caller sees in the lists beside it. A regulator's loaders return every
// record: the penalties are counted only in the state DISCLOSED, and the
// whole file is counted apart, in Recorded.
func creditSummary(ctx context.Context, p credit.Policy, uscc string) (*model.CreditSummary, error) {
	l := dataloader.For(ctx)
	lic, pen, ins := l.Licenses.LoadThunk(ctx, uscc), l.Penalties.LoadThunk(ctx, uscc), l.Inspections.LoadThunk(ctx, uscc)
	abn, ser, com := l.Abnormal.LoadThunk(ctx, uscc), l.Serious.LoadThunk(ctx, uscc), l.Commitments.LoadThunk(ctx, uscc)
	s := &model.CreditSummary{AsOf: l.V.AsOf, TotalFines: decimal.Zero, USCC: uscc}
	licenses, err := lic()
	if err != nil {
		return nil, err
	}
	s.LicenseCount = len(licenses)
	for _, x := range licenses {
		if (x.ValidFrom == nil || !x.ValidFrom.After(s.AsOf)) && (x.ValidTo == nil || !x.ValidTo.Before(s.AsOf)) {
			s.ValidLicenseCount++
		}
	}
	penalties, err := pen()
	if err != nil {
		return nil, err
	}
	for _, pen := range penalties {
		if p.Penalty(pen, s.AsOf).State != credit.Disclosed {
			continue
		}
		s.PenaltyCount++
		if pen.FineAmount != nil {
			s.TotalFines = s.TotalFines.Add(*pen.FineAmount)
		}
		if s.LatestPenaltyOn == nil || pen.DecidedOn.After(*s.LatestPenaltyOn) {
			s.LatestPenaltyOn = &pen.DecidedOn
		}
	}
	inspections, err := ins()
	if err != nil {
		return nil, err
	}
	s.InspectionCount = len(inspections)
	for _, x := range inspections {
		if x.Result == credit.ResultNonCompliant {
			s.NonCompliantInspectionCount++
		}
	}
	abnormal, err := abn()
	if err != nil {
		return nil, err
	}
	serious, err := ser()
	if err != nil {
		return nil, err
	}
	s.OnAbnormalOperationList, s.OnSeriousDishonestyList = inForce(p, abnormal, s.AsOf), inForce(p, serious, s.AsOf)
	if l.V.Tier == credit.TierRegulator {
		s.Recorded = recordedCounts(p, s.AsOf, penalties, abnormal, serious)
	}
	commitments, err := com()
	if err != nil {
		return nil, err
	}
	for _, c := range commitments {
		if c.Status == credit.CommitmentUntrue {
			s.UntrueCommitmentCount++
		}
	}
	return s, nil
}

// inForce asks the policy whether any listing puts the enterprise on its
// list today.
func inForce(p credit.Policy, ls []credit.Listing, asOf time.Time) bool {
	for _, l := range ls {
		if p.InForce(l, asOf) {
			return true
		}
	}
	return false
}

// recordedCounts counts a regulator's whole file of an enterprise.
func recordedCounts(p credit.Policy, asOf time.Time, penalties []credit.Penalty, abnormal, serious []credit.Listing) *model.RecordedCounts {
	r := &model.RecordedCounts{PenaltyCount: len(penalties), TotalFines: decimal.Zero,
		AbnormalListingCount: len(abnormal), SeriousListingCount: len(serious)}
	byState := map[credit.DisclosureState]int{}
	for _, pen := range penalties {
		if pen.FineAmount != nil {
			r.TotalFines = r.TotalFines.Add(*pen.FineAmount)
		}
		byState[p.Penalty(pen, asOf).State]++
	}
	for _, st := range []credit.DisclosureState{credit.Disclosed, credit.Expired, credit.Repaired, credit.Withdrawn, credit.NotDisclosed} {
		if n := byState[st]; n > 0 {
			r.PenaltiesByState = append(r.PenaltiesByState, &model.DisclosureStateCount{State: st, Count: n})
		}
	}
	return r
}

// primeListingEnterprises loads the enterprises of a page of listings in
// one batch when the query asks for them.
func primeListingEnterprises(ctx context.Context, items []credit.Listing) error {
	if !nodeFields(ctx, "Listing")["enterprise"] || len(items) == 0 {
		return nil
	}
	usccs := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, l := range items {
		if !seen[l.USCC] {
			seen[l.USCC] = true
			usccs = append(usccs, l.USCC)
		}
	}
	return dataloader.For(ctx).PreloadEnterprises(ctx, usccs)
}

// alwaysDisclosed is the state of records the law makes public without a
// period: licences, inspections, commitments.
func alwaysDisclosed() *credit.Disclosure { return &credit.Disclosure{State: credit.Disclosed} }

// caseDisclosure: a typical case is public from its publication date.
func caseDisclosure(c *credit.TypicalCase, asOf time.Time) *credit.Disclosure {
	if c.PublishedOn.After(asOf) {
		return &credit.Disclosure{State: credit.NotDisclosed, ChangesOn: &c.PublishedOn}
	}
	return alwaysDisclosed()
}

func (r *queryResolver) auditLog(ctx context.Context, filter *model.AuditFilter, first *int, after *string) (*model.AuditEntryConnection, error) {
	if r.Audit == nil {
		return nil, fmt.Errorf("graph: no audit log configured: %w", store.ErrUnavailable)
	}
	p, err := storePage(first, after)
	if err != nil {
		return nil, err
	}
	var f store.AuditFilter
	if filter != nil {
		f.KeyName = deref(filter.KeyName)
		if filter.Uscc != nil {
			if f.USCC, err = credit.ParseUSCC(*filter.Uscc); err != nil {
				return nil, err
			}
		}
	}
	conn, err := r.Audit.Audit(ctx, f, p)
	if err != nil {
		return nil, err
	}
	c := &model.AuditEntryConnection{PageInfo: pageInfo(conn.Cursors, conn.HasNext)}
	for i := range conn.Items {
		c.Nodes = append(c.Nodes, &conn.Items[i])
		c.Edges = append(c.Edges, &model.AuditEntryEdge{Cursor: conn.Cursors[i], Node: &conn.Items[i]})
	}
	return c, nil
}

// assess classifies an enterprise from its whole record (REGULATOR
// visibility), whatever the caller's tier: the letter is shared with
// partners by agreement, the record behind it is not.
func (r *enterpriseResolver) assess(ctx context.Context, e *credit.Enterprise) (risk.Assessment, error) {
	l := dataloader.For(ctx).Full()
	lic, pen, ins := l.Licenses.LoadThunk(ctx, e.USCC), l.Penalties.LoadThunk(ctx, e.USCC), l.Inspections.LoadThunk(ctx, e.USCC)
	abn, ser, com := l.Abnormal.LoadThunk(ctx, e.USCC), l.Serious.LoadThunk(ctx, e.USCC), l.Commitments.LoadThunk(ctx, e.USCC)
	in := risk.Inputs{Enterprise: *e}
	var err error
	if in.Licenses, err = lic(); err != nil {
		return risk.Assessment{}, err
	}
	if in.Penalties, err = pen(); err != nil {
		return risk.Assessment{}, err
	}
	if in.Inspections, err = ins(); err != nil {
		return risk.Assessment{}, err
	}
	if in.Abnormal, err = abn(); err != nil {
		return risk.Assessment{}, err
	}
	if in.Serious, err = ser(); err != nil {
		return risk.Assessment{}, err
	}
	if in.Commitments, err = com(); err != nil {
		return risk.Assessment{}, err
	}
	return r.Risk.Assess(in, l.V.AsOf, r.Policy), nil
}
