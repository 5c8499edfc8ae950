package storetest

import (
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// probe is one day on which a record is, or is not, public.
type probe struct {
	asOf   string
	public bool
}

// seen lists the days around each boundary: the day before, the day of and
// the day after the boundary, as probes.
func seen(pairs ...any) []probe {
	out := make([]probe, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, probe{pairs[i].(string), pairs[i+1].(bool)})
	}
	return out
}

// Every penalty rule of SAMR Order No. 45 through the store, at its
// boundaries. Periods are the policy's (time.AddDate: 29 February plus 3
// years is 1 March), not SQL interval arithmetic (28 February), so a backend
// that filters in SQL must agree with credit.Policy to the day. P1 is published 2024-01-10: a 3-month period ends 2024-04-09,
// a 3-year one 2027-01-09. REGULATOR sees P1 on every probe.
func testPenaltyDisclosure(t *testing.T, fresh func(t *testing.T) store.Store) {
	indiv := usccOf('2', "350102", 7)
	tests := []struct {
		name    string
		records []any
		uscc    string
		probes  []probe
	}{
		{"3-year fine", []any{penalty(a1, "P1", "2024-01-10")}, a1,
			seen("2024-01-09", false, "2024-01-10", true, "2027-01-09", true, "2027-01-10", false)},
		{"lower-amount fine: 3 months", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) { p.FineAmount = yuan(shortFine) })}, a1,
			seen("2024-01-10", true, "2024-04-09", true, "2024-04-10", false)},
		{"reprimand and warning: 3 months", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) {
			p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyWarning, credit.PenaltyPublicReprimand}, nil
		})}, a1, seen("2024-04-09", true, "2024-04-10", false)},
		{"individual business ¥9,999: 3 months", []any{enterprise(indiv), with(penalty(indiv, "P1", "2024-01-10"), func(p *credit.Penalty) { p.FineAmount = yuan(9_999) })}, indiv,
			seen("2024-04-09", true, "2024-04-10", false)},
		{"individual business ¥10,000: 3 years", []any{enterprise(indiv), with(penalty(indiv, "P1", "2024-01-10"), func(p *credit.Penalty) { p.FineAmount = yuan(10_000) })}, indiv,
			seen("2024-04-10", true, "2027-01-09", true, "2027-01-10", false)},
		{"restriction beyond 3 years", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) {
			p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltyRestriction}
			p.RestrictionUntil = dayPtr("2028-06-30")
		})}, a1, seen("2027-01-10", true, "2028-06-30", true, "2028-07-01", false)},
		{"restriction within 3 years", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) {
			p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyRestriction}
			p.FineAmount, p.RestrictionUntil = nil, dayPtr("2025-01-01")
		})}, a1, seen("2025-01-02", true, "2027-01-09", true, "2027-01-10", false)},
		{"3 years from a leap day end on 28 February", []any{penalty(a1, "P1", "2020-02-29")}, a1,
			seen("2023-02-28", true, "2023-03-01", false)},
		{"3 months ending in a short month", []any{with(penalty(a1, "P1", "2023-11-30"), func(p *credit.Penalty) { p.FineAmount = yuan(shortFine) })}, a1,
			seen("2024-02-29", true, "2024-03-01", false)},
		{"simple procedure: never", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple })}, a1,
			seen("2024-01-10", false, "2024-06-01", false)},
		{"warning only: never", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) {
			p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyWarning}, nil
		})}, a1, seen("2024-01-10", false, "2024-06-01", false)},
		{"revoked: withdrawn", []any{with(penalty(a1, "P1", "2024-01-10"), func(p *credit.Penalty) { p.Revoked = true })}, a1,
			seen("2024-01-10", false, "2024-06-01", false)},
		{"repaired: hidden from the repair date", []any{penalty(a1, "P1", "2024-01-10"), repair(credit.RepairPenalty, "P1", "2024-07-10")}, a1,
			seen("2024-07-09", true, "2024-07-10", false, "2024-07-11", false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fresh(t)
			mustApply(t, s, append([]any{enterprise(a1)}, tt.records...)...)
			for _, p := range tt.probes {
				for _, v := range everyTier(p.asOf) {
					want := []string(nil)
					if p.public || v.Tier == credit.TierRegulator {
						want = []string{"P1"}
					}
					got := penaltiesOf(t, s, v, tt.uscc)
					eqKeys(t, v.Tier.String()+" on "+p.asOf, keysOf(got, penaltyKey), want)
					// Counts and ranks see exactly the same penalties.
					checkPenaltyCounted(t, s, v, tt.uscc, len(want))
				}
			}
		})
	}
}

// listingProbe is one day and what PUBLIC/PARTNER see of a listing on it.
// inForce implies public; an abnormal listing stays public after removal.
type listingProbe struct {
	asOf    string
	public  bool // visible to PUBLIC/PARTNER at all (ListingsByUSCC, IncludeRemoved)
	inForce bool // on the list that day: default list, OnSeriousList/OnAbnormalList
}

// Every listing rule through every read path that shows a listing. a1's
// listing is X1; probes are the days around each boundary.
func testListingDisclosure(t *testing.T, fresh func(t *testing.T) store.Store) {
	ser, abn := credit.ListSerious, credit.ListAbnormal
	rmS := func(on string, r credit.RemovalReason) store.ListingRemoval {
		return removal(ser, "X1", on, string(r))
	}
	lp := func(asOf string, public, inForce bool) listingProbe { return listingProbe{asOf, public, inForce} }
	tests := []struct {
		name    string
		list    credit.ListKind
		records []any
		probes  []listingProbe
	}{
		{"serious: public for 3 years", ser, []any{serious(a1, "X1", "2024-03-01")},
			[]listingProbe{lp("2024-02-29", false, false), lp("2024-03-01", true, true), lp("2027-02-28", true, true), lp("2027-03-01", false, false)}},
		{"serious: listed on a leap day", ser, []any{serious(a1, "X1", "2020-02-29")},
			[]listingProbe{lp("2023-02-28", true, true), lp("2023-03-01", false, false)}},
		{"serious: 3 years ending on a leap day", ser, []any{serious(a1, "X1", "2021-03-01")},
			[]listingProbe{lp("2024-02-29", true, true), lp("2024-03-01", false, false)}},
		{"serious: removed on expiry", ser, []any{serious(a1, "X1", "2021-03-01"), rmS("2024-03-01", credit.RemovalExpired)},
			[]listingProbe{lp("2024-02-29", true, true), lp("2024-03-01", false, false)}},
		{"serious: repaired", ser, []any{serious(a1, "X1", "2024-03-01"), repair(credit.RepairSeriousListing, "X1", "2025-03-01")},
			[]listingProbe{lp("2025-02-28", true, true), lp("2025-03-01", false, false), lp("2025-03-02", false, false)}},
		{"serious: removed by repair", ser, []any{serious(a1, "X1", "2024-03-01"), rmS("2025-03-01", credit.RemovalCreditRepair)},
			[]listingProbe{lp("2025-02-28", true, true), lp("2025-03-01", false, false)}},
		{"serious: revoked", ser, []any{serious(a1, "X1", "2024-03-01"), rmS("2024-06-01", credit.RemovalRevoked)},
			[]listingProbe{lp("2024-05-31", true, true), lp("2024-06-01", false, false), lp("2030-01-01", false, false)}},
		{"abnormal: public with its removal", abn, []any{abnormal(a1, "X1", "2024-01-01"), removal(abn, "X1", "2024-06-01", "已补报年度报告")},
			[]listingProbe{lp("2023-12-31", false, false), lp("2024-01-01", true, true), lp("2024-05-31", true, true), lp("2024-06-01", true, false), lp("2030-01-01", true, false)}},
		{"abnormal: repaired", abn, []any{abnormal(a1, "X1", "2024-01-01"), repair(credit.RepairAbnormalListing, "X1", "2024-06-01")},
			[]listingProbe{lp("2024-05-31", true, true), lp("2024-06-01", true, false)}},
		{"abnormal: listed years ago", abn, []any{abnormal(a1, "X1", "2020-01-01")},
			[]listingProbe{lp("2030-01-01", true, true)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fresh(t)
			mustApply(t, s, append([]any{enterprise(a1), enterprise(company(2))}, tt.records...)...)
			for _, p := range tt.probes {
				for _, v := range everyTier(p.asOf) {
					checkListingProbe(t, s, v, tt.list, p)
				}
			}
		})
	}
}

// checkListingProbe checks one day and tier across ListingsByUSCC, Listings
// (default and IncludeRemoved), CountListings and the enterprise filters.
func checkListingProbe(t *testing.T, s store.Store, v credit.Visibility, list credit.ListKind, p listingProbe) {
	t.Helper()
	what := v.Tier.String() + " on " + p.asOf
	visible := p.public || v.Tier == credit.TierRegulator
	inForce := []string(nil)
	if p.inForce {
		inForce = []string{"X1"}
	}
	all := []string(nil)
	if visible {
		all = []string{"X1"}
	}
	byUSCC := listingsOf(t, s, v, list, a1)
	eqKeys(t, what+": ListingsByUSCC", keysOf(byUSCC, listingKey), all)
	withRemoved := walkListings(t, s, v, list, store.ListingFilter{IncludeRemoved: true})
	eqKeys(t, what+": Listings IncludeRemoved", keysOf(withRemoved, listingKey), all)
	eqKeys(t, what+": Listings", keysOf(walkListings(t, s, v, list, store.ListingFilter{}), listingKey), inForce)
	if v.Public() {
		for _, l := range slices.Concat(byUSCC, withRemoved) {
			checkPublicListing(t, what, v, l)
		}
	}
	onList := store.EnterpriseFilter{OnAbnormalList: ptr(true)}
	offList := store.EnterpriseFilter{OnAbnormalList: ptr(false)}
	if list == credit.ListSerious {
		onList = store.EnterpriseFilter{OnSeriousList: ptr(true)}
		offList = store.EnterpriseFilter{OnSeriousList: ptr(false)}
	}
	wantOn, wantOff := []string{a1}, []string{a1, company(2)}
	if p.inForce {
		wantOff = []string{company(2)}
	} else {
		wantOn = nil
	}
	slices.Sort(wantOff)
	eqKeys(t, what+": OnList=true", walkEnterprises(t, s, v, onList), wantOn)
	eqKeys(t, what+": OnList=false", walkEnterprises(t, s, v, offList), wantOff)
}

// checkPublicListing: the public never learns that a repair happened, never
// sees a serious-list removal, and sees no removal before its date.
func checkPublicListing(t *testing.T, what string, v credit.Visibility, l credit.Listing) {
	t.Helper()
	if l.RepairedOn != nil {
		t.Errorf("%s: public view shows RepairedOn: %s", what, canon(l))
	}
	if rm := l.Removal; rm != nil && (l.List == credit.ListSerious || rm.RemovedOn.After(v.AsOf)) {
		t.Errorf("%s: public view shows removal %s", what, canon(rm))
	}
}

// The public never learns that a penalty was repaired: not after the repair
// date (it is hidden) and not before it (RepairedOn is cleared).
func testRepairedPenaltyHidesRepair(t *testing.T, s store.Store) {
	mustApply(t, s, enterprise(a1), penalty(a1, "P1", "2024-01-10"), repair(credit.RepairPenalty, "P1", "2024-07-10"))
	for _, v := range everyTier("2024-07-09") {
		pens := penaltiesOf(t, s, v, a1)
		if len(pens) != 1 {
			t.Fatalf("%s: %d penalties, want 1", v.Tier, len(pens))
		}
		if got := pens[0].RepairedOn; (got != nil) != (v.Tier == credit.TierRegulator) {
			t.Errorf("%s: RepairedOn = %v", v.Tier, got)
		}
	}
	reg := penaltiesOf(t, s, regulator("2024-07-10"), a1)
	if len(reg) != 1 || reg[0].RepairedOn == nil || !reg[0].RepairedOn.Equal(day("2024-07-10")) {
		t.Errorf("regulator after repair: %s", canon(reg))
	}
}

// An abnormal listing's removal is public with its reason, date and
// authority; before its date it is not shown.
func testAbnormalRemovalPublic(t *testing.T, s store.Store) {
	rm := removal(credit.ListAbnormal, "A1", "2024-06-01", "已补报年度报告")
	mustApply(t, s, enterprise(a1), abnormal(a1, "A1", "2024-01-01"), rm)
	for _, v := range everyTier("2024-06-01") {
		want := with(abnormal(a1, "A1", "2024-01-01"), func(l *credit.Listing) { l.Removal = &rm.Removal })
		eq(t, v.Tier.String()+" on the removal date", listingsOf(t, s, v, credit.ListAbnormal, a1), []credit.Listing{want})
	}
	for _, v := range []credit.Visibility{public("2024-05-31"), partner("2024-05-31")} {
		eq(t, v.Tier.String()+" the day before", listingsOf(t, s, v, credit.ListAbnormal, a1), []credit.Listing{abnormal(a1, "A1", "2024-01-01")})
	}
}
