package storetest

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// checkPenaltyCounted: statistics and repeat offenders count want (0 or 1)
// penalties of uscc for v, as the per-enterprise loader shows them.
func checkPenaltyCounted(t *testing.T, s store.Store, v credit.Visibility, uscc string, want int) {
	t.Helper()
	st, err := s.Statistics(t.Context(), v, store.StatisticsFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Penalties.Count != want {
		t.Fatalf("%s on %s: statistics count %d penalties, the loader shows %d", v.Tier, v.AsOf.Format("2006-01-02"), st.Penalties.Count, want)
	}
	from, to := store.DefaultRepeatWindow(v.AsOf)
	for _, f := range []store.RepeatOffenderFilter{{MinPenalties: 1}, {MinPenalties: 1, DecidedFrom: &from, DecidedTo: &to}} {
		c, err := s.RepeatOffenders(t.Context(), v, f, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		// The default window (the last 3 years) counts it only while it was
		// decided within them.
		want := want
		if f.DecidedFrom != nil && want == 1 {
			if pens, err := s.PenaltiesByUSCC(t.Context(), v, []string{uscc}); err == nil && len(pens[0]) == 1 && (pens[0][0].DecidedOn.Before(from) || pens[0][0].DecidedOn.After(to)) {
				want = 0
			}
		}
		if len(c.Items) != want || want == 1 && (c.Items[0].Enterprise.USCC != uscc || c.Items[0].PenaltyCount != 1) {
			t.Fatalf("%s on %s, %+v: repeat offenders with 1 penalty %+v, the loader shows %d", v.Tier, v.AsOf.Format("2006-01-02"), f, c.Items, want)
		}
		n, err := s.CountRepeatOffenders(t.Context(), v, f)
		if err != nil || n != want {
			t.Fatalf("%s on %s, %+v: %d repeat offenders counted (%v), want %d", v.Tier, v.AsOf.Format("2006-01-02"), f, n, err, want)
		}
	}
}

// ReportHiddenViolation is a violation type holding a phone number: the
// public tiers read it, and count it, redacted.
const ReportHiddenViolation = "虚假宣传（举报电话13700001111）"

// The report population, as of 2024-06-01: rX has three disclosed
// penalties (one of them the hidden-phone type) and one hidden; rY one
// disclosed and three hidden (simple procedure, withdrawn, expired); rZ, in
// Xiamen, two disclosed in another key area.
func applyReportPopulation(t *testing.T, s store.Store) (rX, rY, rZ string) {
	rX, rY, rZ = company(201), company(202), usccOf('1', "350203", 203)
	pen := func(uscc, n, on string, fine int64, change func(*credit.Penalty)) credit.Penalty {
		return with(penalty(uscc, n, on), func(p *credit.Penalty) {
			p.FineAmount, p.KeyArea = yuan(fine), ptr(credit.AreaFoodDistribution)
			change(p)
		})
	}
	same := func(*credit.Penalty) {}
	mustApply(t, s, enterprise(rX), enterprise(rY), with(enterprise(rZ), func(e *credit.Enterprise) { e.RegionCode = "350203" }),
		pen(rX, "X1", "2023-01-10", 200_000, same),
		pen(rX, "X2", "2023-06-10", 300_000, same),
		pen(rX, "X3", "2024-02-10", 150_000, func(p *credit.Penalty) { p.ViolationType = ReportHiddenViolation }),
		pen(rX, "X4", "2024-03-10", 900_000, func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }),
		pen(rY, "Y1", "2024-01-10", 200_000, same),
		pen(rY, "Y2", "2024-02-10", 500_000, func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }),
		pen(rY, "Y3", "2024-03-10", 500_000, func(p *credit.Penalty) { p.Revoked = true }),
		pen(rY, "Y4", "2024-01-05", shortFine, same), // 3 months: expired on 2024-04-05
		pen(rZ, "Z1", "2024-01-10", 120_000, func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaCatering) }),
		pen(rZ, "Z2", "2024-02-10", 120_000, func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaCatering) }),
		serious(rX, "SX", "2024-01-01"),
		serious(rY, "SY", "2020-01-01"), // expired in 2023: REGULATOR only
		abnormal(rY, "AY", "2024-02-01"),
		inspection(rX, "IX", "2024-03-01"),
		with(inspection(rZ, "IZ", "2024-04-01"), func(i *credit.Inspection) { i.Result = credit.ResultNonCompliant }),
	)
	return rX, rY, rZ
}

func repeatKeys(c store.Connection[store.RepeatOffender]) []string {
	return keysOf(c.Items, func(r store.RepeatOffender) string { return r.Enterprise.USCC })
}

func testRepeatOffenders(t *testing.T, s store.Store) {
	rX, rY, rZ := applyReportPopulation(t, s)
	asOf := "2024-06-01"
	for _, v := range everyTier(asOf) {
		want := []string{rX, rZ} // rX 3 penalties; rZ 2; rY 1 (the others hidden)
		if !v.Public() {
			want = []string{rX, rY, rZ} // rX 4, rY 4 (fines 1,205,000 < 1,550,000), rZ 2
		}
		from, to := store.DefaultRepeatWindow(v.AsOf)
		for _, f := range []store.RepeatOffenderFilter{{MinPenalties: 2}, {MinPenalties: 2, DecidedFrom: &from, DecidedTo: &to}} {
			checkRepeatOffenders(t, s, v, f, want)
		}
	}
	checkRepeatFilters(t, s, asOf, rX, rY, rZ)
}

// checkRepeatOffenders: the population's repeat offenders for v under f
// (every penalty of it lies within the default window) are want, with the
// figures of the first, page by page too.
func checkRepeatOffenders(t *testing.T, s store.Store, v credit.Visibility, f store.RepeatOffenderFilter, want []string) {
	t.Helper()
	{
		c, err := s.RepeatOffenders(t.Context(), v, f, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		eqKeys(t, v.Tier.String()+" repeat offenders", repeatKeys(c), want)
		n, err := s.CountRepeatOffenders(t.Context(), v, f)
		if err != nil || n != len(want) {
			t.Fatalf("%s: count %d, %v", v.Tier, n, err)
		}
		first := c.Items[0]
		wantCount, wantFines := 3, decimal.NewFromInt(650_000)
		if !v.Public() {
			wantCount, wantFines = 4, decimal.NewFromInt(1_550_000)
		}
		if first.PenaltyCount != wantCount || !first.TotalFines.Equal(wantFines) || first.LatestDecidedOn.Format("2006-01-02") != map[bool]string{true: "2024-02-10", false: "2024-03-10"}[v.Public()] {
			t.Fatalf("%s: first %+v", v.Tier, first)
		}
		if v.Public() && first.Enterprise.LegalRepresentativeIDNumber != nil {
			t.Fatalf("%s: a repeat offender carries private fields", v.Tier)
		}
		// Paging walks the same order.
		var got []string
		after := ""
		for range 5 {
			c, err := s.RepeatOffenders(t.Context(), v, f, store.Page{First: 1, After: after})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, repeatKeys(c)...)
			if !c.HasNext {
				break
			}
			after = c.Cursors[0]
		}
		eqKeys(t, v.Tier.String()+" pages", got, want)
	}
}

func checkRepeatFilters(t *testing.T, s store.Store, asOf, rX, rY, rZ string) {
	v := public(asOf)
	for _, tc := range []struct {
		name string
		f    store.RepeatOffenderFilter
		want []string
	}{
		{"region", store.RepeatOffenderFilter{MinPenalties: 2, RegionPrefix: "350203"}, []string{rZ}},
		{"key area", store.RepeatOffenderFilter{MinPenalties: 2, KeyArea: credit.AreaFoodDistribution}, []string{rX}},
		{"decided from", store.RepeatOffenderFilter{MinPenalties: 2, DecidedFrom: dayPtr("2023-06-01")}, []string{rX, rZ}},
		{"decided to", store.RepeatOffenderFilter{MinPenalties: 1, DecidedTo: dayPtr("2023-12-31")}, []string{rX}},
		{"violation type", store.RepeatOffenderFilter{MinPenalties: 1, ViolationType: "虚假宣传"}, []string{rX, rZ, rY}},
		{"hidden violation type", store.RepeatOffenderFilter{MinPenalties: 1, ViolationType: ReportHiddenViolation}, nil},
		{"three", store.RepeatOffenderFilter{MinPenalties: 3}, []string{rX}},
	} {
		c, err := s.RepeatOffenders(t.Context(), v, tc.f, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		eqKeys(t, tc.name, repeatKeys(c), tc.want)
	}
	c, err := s.RepeatOffenders(t.Context(), regulator(asOf), store.RepeatOffenderFilter{MinPenalties: 1, ViolationType: ReportHiddenViolation}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	eqKeys(t, "REGULATOR hidden violation type", repeatKeys(c), []string{rX})
}

func testStatistics(t *testing.T, s store.Store) {
	_, _, _ = applyReportPopulation(t, s)
	asOf := "2024-06-01"
	bucketsOf := func(b []store.Bucket) map[string]int {
		m := map[string]int{}
		for _, x := range b {
			m[x.Key] = x.Count
		}
		return m
	}
	for _, v := range everyTier(asOf) {
		st, err := s.Statistics(t.Context(), v, store.StatisticsFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// Public: X1 X2 X3 Y1 Z1 Z2; REGULATOR: all ten.
		wantCount, wantFines := 6, decimal.NewFromInt(200_000+300_000+150_000+200_000+240_000)
		wantTypes := map[string]int{"虚假宣传": 5, credit.Redact(ReportHiddenViolation): 1}
		wantSerious, wantMonths := 1, map[string]int{"2023-01": 1, "2023-06": 1, "2024-01": 2, "2024-02": 2}
		if !v.Public() {
			wantCount, wantFines = 10, wantFines.Add(decimal.NewFromInt(900_000+500_000+500_000+shortFine))
			wantTypes = map[string]int{"虚假宣传": 9, ReportHiddenViolation: 1}
			wantSerious, wantMonths = 2, map[string]int{"2023-01": 1, "2023-06": 1, "2024-01": 3, "2024-02": 3, "2024-03": 2}
		}
		p := st.Penalties
		if p.Count != wantCount || !p.TotalFines.Equal(wantFines) {
			t.Fatalf("%s: penalties %d %s, want %d %s", v.Tier, p.Count, p.TotalFines, wantCount, wantFines)
		}
		eq(t, v.Tier.String()+" by violation type", bucketsOf(p.ByViolationType), wantTypes)
		eq(t, v.Tier.String()+" by month", bucketsOf(p.ByMonth), wantMonths)
		eq(t, v.Tier.String()+" by region", bucketsOf(p.ByRegion), map[string]int{"350102": wantCount - 2, "350203": 2})
		if st.Serious.Count != wantSerious || st.Abnormal.Count != 1 || st.Inspections.Count != 2 || st.Inspections.NonCompliant != 1 {
			t.Fatalf("%s: serious %d abnormal %d inspections %+v", v.Tier, st.Serious.Count, st.Abnormal.Count, st.Inspections)
		}
		eq(t, v.Tier.String()+" abnormal by reason", bucketsOf(st.Abnormal.ByReasonCode), map[string]int{"1": 1})
		eq(t, v.Tier.String()+" abnormal by key area", bucketsOf(st.Abnormal.ByKeyArea), map[string]int{"food_distribution": 1})
		for _, b := range p.ByViolationType {
			if v.Public() && b.Key == ReportHiddenViolation {
				t.Fatalf("%s: a violation type carries a hidden phone number", v.Tier)
			}
		}
	}
	v := public(asOf)
	st, err := s.Statistics(t.Context(), v, store.StatisticsFilter{RegionPrefix: "3502", From: dayPtr("2024-01-01"), To: dayPtr("2024-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if st.Penalties.Count != 2 || st.Serious.Count != 0 || st.Inspections.Count != 1 {
		t.Fatalf("Xiamen 2024: %+v", st)
	}
	st, err = s.Statistics(t.Context(), v, store.StatisticsFilter{KeyArea: credit.AreaCatering})
	if err != nil {
		t.Fatal(err)
	}
	if st.Penalties.Count != 2 || st.Abnormal.Count != 0 {
		t.Fatalf("catering: %+v", st)
	}
}
