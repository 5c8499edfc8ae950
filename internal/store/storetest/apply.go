package storetest

import (
	"slices"
	"strconv"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// oneOfEach is one record of every kind for enterprise a, dated so that
// nothing is repaired or removed.
func oneOfEach(a string) []any {
	return []any{
		enterprise(a),
		license(a, "L1", "2024-01-01"),
		penalty(a, "P1", "2024-02-01"),
		inspection(a, "I1", "2024-03-01"),
		abnormal(a, "A1", "2024-04-01"),
		serious(a, "S1", "2024-05-01"),
		commitment(a, "C1", "2024-06-01"),
		with(typicalCase("T1", "2024-07-01"), func(c *credit.TypicalCase) { c.USCC = &a }),
	}
}

// checkOneOfEach reads back every record of a as a regulator and compares
// it with the record of that kind in recs.
func checkOneOfEach(t *testing.T, s store.Store, a string, recs []any) {
	t.Helper()
	v := regulator("2024-12-31")
	for _, r := range recs {
		switch want := r.(type) {
		case credit.Enterprise:
			got, err := s.Enterprise(t.Context(), v, a)
			if err != nil {
				t.Fatalf("Enterprise: %v", err)
			}
			eq(t, "enterprise", got, want)
		case credit.License:
			eq(t, "licences", licensesOf(t, s, v, a), []credit.License{want})
		case credit.Penalty:
			eq(t, "penalties", penaltiesOf(t, s, v, a), []credit.Penalty{want})
		case credit.Inspection:
			eq(t, "inspections", inspectionsOf(t, s, v, a), []credit.Inspection{want})
		case credit.Listing:
			eq(t, string(want.List), listingsOf(t, s, v, want.List, a), []credit.Listing{want})
		case credit.Commitment:
			eq(t, "commitments", commitmentsOf(t, s, v, a), []credit.Commitment{want})
		case credit.TypicalCase:
			c, err := s.TypicalCases(t.Context(), v, store.CaseFilter{}, store.Page{First: 10})
			if err != nil {
				t.Fatalf("TypicalCases: %v", err)
			}
			eq(t, "typical cases", c.Items, []credit.TypicalCase{want})
		}
	}
	if n, err := s.CountEnterprises(t.Context(), v, store.EnterpriseFilter{}); err != nil || n != 1 {
		t.Errorf("CountEnterprises = %d, %v; want 1", n, err)
	}
}

// Re-importing the same records must not duplicate them, and a re-import
// with changed fields must update them: imports are idempotent upserts.
func testApplyIdempotent(t *testing.T, s store.Store) {
	a := company(1)
	recs := oneOfEach(a)
	mustApply(t, s, recs...)
	mustApply(t, s, recs...)
	checkOneOfEach(t, s, a, recs)

	changed := []any{
		with(enterprise(a), func(e *credit.Enterprise) { e.Name = "新名称有限公司"; e.Status = credit.StatusRevoked }),
		with(license(a, "L1", "2024-01-01"), func(l *credit.License) { l.Name = "特种设备生产许可证" }),
		with(penalty(a, "P1", "2024-02-01"), func(p *credit.Penalty) { p.Facts = ptr("更正后的事实") }),
		with(inspection(a, "I1", "2024-03-01"), func(i *credit.Inspection) { i.Result = credit.ResultNonCompliant }),
		with(abnormal(a, "A1", "2024-04-01"), func(l *credit.Listing) { l.ReasonCode = 4 }),
		with(serious(a, "S1", "2024-05-01"), func(l *credit.Listing) { l.Reason = ptr("更正后的事由") }),
		with(commitment(a, "C1", "2024-06-01"), func(c *credit.Commitment) {
			c.Status = credit.CommitmentUntrue
			c.UntrueFoundOn = dayPtr("2024-09-01")
		}),
		with(typicalCase("T1", "2024-07-01"), func(c *credit.TypicalCase) { c.USCC = &a; c.Title = "更正后的标题" }),
	}
	mustApply(t, s, changed...)
	checkOneOfEach(t, s, a, changed)
}

// Order within a batch must not matter: a repair may come before its
// penalty, a removal before its listing, a listing before its enterprise.
func testApplyOrderIndependent(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s,
		repair(credit.RepairPenalty, "P1", "2024-08-01"),
		// A2's repair (a removal) comes after P1's repair in the batch, but
		// must be applied first: P1 may only be repaired off the lists.
		repair(credit.RepairAbnormalListing, "A2", "2024-07-01"),
		removal(credit.ListAbnormal, "A1", "2024-05-01", "已补报年度报告"),
		abnormal(a, "A1", "2024-03-01"),
		abnormal(a, "A2", "2024-03-01"),
		penalty(a, "P1", "2024-01-10"),
		enterprise(a),
	)
	v := regulator("2024-12-31")
	pens := penaltiesOf(t, s, v, a)
	if len(pens) != 1 || pens[0].RepairedOn == nil || !pens[0].RepairedOn.Equal(day("2024-08-01")) {
		t.Errorf("penalty P1 after batch = %s, want repaired on 2024-08-01", canon(pens))
	}
	for _, l := range listingsOf(t, s, v, credit.ListAbnormal, a) {
		if l.Removal == nil {
			t.Errorf("abnormal listing %s has no removal", l.DecisionNumber)
		}
	}
}

// The good records of a batch are written even when one is rejected; a
// rejection names the line and UNKNOWN_REFERENCE.
func testApplyUnknownReference(t *testing.T, fresh func(t *testing.T) store.Store) {
	a, unknown := company(1), company(99)
	tests := []struct {
		name   string
		record any
	}{
		{"licence of unknown enterprise", license(unknown, "L9", "2024-01-01")},
		{"penalty of unknown enterprise", penalty(unknown, "P9", "2024-01-01")},
		{"inspection of unknown enterprise", inspection(unknown, "I9", "2024-01-01")},
		{"abnormal listing of unknown enterprise", abnormal(unknown, "A9", "2024-01-01")},
		{"serious listing of unknown enterprise", serious(unknown, "S9", "2024-01-01")},
		{"commitment of unknown enterprise", commitment(unknown, "C9", "2024-01-01")},
		{"typical case naming unknown enterprise", with(typicalCase("T9", "2024-01-01"), func(c *credit.TypicalCase) { c.USCC = &unknown })},
		{"abnormal removal of unknown listing", removal(credit.ListAbnormal, "A9", "2024-06-01", "已补报")},
		{"serious removal of unknown listing", removal(credit.ListSerious, "S9", "2027-06-01", string(credit.RemovalExpired))},
		{"serious removal naming an abnormal listing", removal(credit.ListSerious, "A1", "2027-06-01", string(credit.RemovalExpired))},
		{"abnormal removal naming a serious listing", removal(credit.ListAbnormal, "S1", "2024-06-01", "已补报")},
		{"repair of unknown penalty", repair(credit.RepairPenalty, "P9", "2024-08-01")},
		{"repair of unknown abnormal listing", repair(credit.RepairAbnormalListing, "A9", "2024-08-01")},
		{"repair of unknown serious listing", repair(credit.RepairSeriousListing, "S9", "2025-08-01")},
		{"serious repair naming an abnormal listing", repair(credit.RepairSeriousListing, "A1", "2025-08-01")},
		{"penalty repair naming a listing", repair(credit.RepairPenalty, "A1", "2024-08-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fresh(t)
			rej := apply(t, s, tt.record, enterprise(a), penalty(a, "P1", "2024-01-01"),
				abnormal(a, "A1", "2024-01-01"), serious(a, "S1", "2024-01-01"))
			eqKeys(t, "rejections", codes(rej), []string{"1 " + store.CodeUnknownReference})
			v := regulator("2024-02-01")
			eqKeys(t, "penalties kept", keysOf(penaltiesOf(t, s, v, a), penaltyKey), []string{"P1"})
			eqKeys(t, "abnormal kept", keysOf(listingsOf(t, s, v, credit.ListAbnormal, a), listingKey), []string{"A1"})
			eqKeys(t, "serious kept", keysOf(listingsOf(t, s, v, credit.ListSerious, a), listingKey), []string{"S1"})
		})
	}
}

// codes renders rejections as "line CODE", sorted, for comparison; a
// rejection without a message is marked, so it fails the comparison: the
// import summary shows the message to whoever must fix the line.
func codes(rej []store.Rejection) []string {
	out := make([]string, len(rej))
	for i, r := range rej {
		if r.Message == "" {
			out[i] = "(no message) "
		}
		out[i] += strconv.Itoa(r.Line) + " " + r.Code
	}
	slices.Sort(out)
	return out
}

// A record rejected for an unknown reference is written when retried once
// the reference exists: the rejection is not remembered.
func testApplyRetryAfterUnknownReference(t *testing.T, s store.Store) {
	a := company(1)
	p := penalty(a, "P1", "2024-01-01")
	if rej := apply(t, s, p); len(rej) != 1 || rej[0].Code != store.CodeUnknownReference {
		t.Fatalf("rejections = %+v, want one UNKNOWN_REFERENCE", rej)
	}
	mustApply(t, s, enterprise(a))
	mustApply(t, s, p)
	eqKeys(t, "penalties", keysOf(penaltiesOf(t, s, regulator("2024-02-01"), a), penaltyKey), []string{"P1"})
}

// Repairs and removals are separate records: re-importing the penalty or
// listing they apply to must not undo them.
func testApplyKeepsRepairsAndRemovals(t *testing.T, s store.Store) {
	a := company(1)
	abnRemoval := removal(credit.ListAbnormal, "A1", "2023-04-01", "已补报年度报告")
	serRemoval := removal(credit.ListSerious, "S2", "2023-04-01", string(credit.RemovalRevoked))
	mustApply(t, s, enterprise(a),
		penalty(a, "P1", "2023-01-10"),
		abnormal(a, "A1", "2023-02-01"),
		serious(a, "S1", "2023-03-01"),
		serious(a, "S2", "2023-03-01"),
		abnRemoval,
		repair(credit.RepairPenalty, "P1", "2024-06-01"), // after S1 is repaired: off the lists
		repair(credit.RepairSeriousListing, "S1", "2024-03-01"),
		serRemoval,
	)
	corrected := with(penalty(a, "P1", "2023-01-10"), func(p *credit.Penalty) { p.Facts = ptr("更正后的事实") })
	mustApply(t, s, corrected, abnormal(a, "A1", "2023-02-01"), serious(a, "S1", "2023-03-01"), serious(a, "S2", "2023-03-01"))

	v := regulator("2024-12-31")
	corrected.RepairedOn = dayPtr("2024-06-01")
	eq(t, "penalty after re-import", penaltiesOf(t, s, v, a), []credit.Penalty{corrected})
	eq(t, "abnormal after re-import", listingsOf(t, s, v, credit.ListAbnormal, a), []credit.Listing{
		with(abnormal(a, "A1", "2023-02-01"), func(l *credit.Listing) { l.Removal = &abnRemoval.Removal }),
	})
	eq(t, "serious after re-import", listingsOf(t, s, v, credit.ListSerious, a), []credit.Listing{
		with(serious(a, "S1", "2023-03-01"), func(l *credit.Listing) { l.RepairedOn = dayPtr("2024-03-01") }),
		with(serious(a, "S2", "2023-03-01"), func(l *credit.Listing) { l.Removal = &serRemoval.Removal }),
	})
}

// Re-importing an enterprise replaces its fields; it does not merge them.
func testApplyEnterpriseReplaces(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a))
	bare := credit.Enterprise{USCC: a, Name: "精简有限公司", Status: credit.StatusCancelled, RegionCode: "350103"}
	mustApply(t, s, bare)
	got, err := s.Enterprise(t.Context(), regulator("2024-01-01"), a)
	if err != nil {
		t.Fatalf("Enterprise: %v", err)
	}
	eq(t, "enterprise", got, bare)
}

// A record re-imported under another enterprise moves to it: per-enterprise
// indexes must follow the natural key, not the first owner.
func testApplyRecordMovesEnterprise(t *testing.T, s store.Store) {
	a, b := company(1), company(2)
	mustApply(t, s, enterprise(a), enterprise(b), penalty(a, "P1", "2024-01-01"), license(a, "L1", "2024-01-01"),
		inspection(a, "I1", "2024-01-01"), abnormal(a, "A1", "2024-01-01"), commitment(a, "C1", "2024-01-01"))
	mustApply(t, s, penalty(b, "P1", "2024-01-01"), license(b, "L1", "2024-01-01"),
		inspection(b, "I1", "2024-01-01"), abnormal(b, "A1", "2024-01-01"), commitment(b, "C1", "2024-01-01"))
	v := regulator("2024-02-01")
	for _, c := range []struct {
		uscc string
		want int
	}{{a, 0}, {b, 1}} {
		counts := []int{len(penaltiesOf(t, s, v, c.uscc)), len(licensesOf(t, s, v, c.uscc)), len(inspectionsOf(t, s, v, c.uscc)),
			len(listingsOf(t, s, v, credit.ListAbnormal, c.uscc)), len(commitmentsOf(t, s, v, c.uscc))}
		for i, n := range counts {
			if n != c.want {
				t.Errorf("enterprise %s record kind %d: %d records, want %d", c.uscc, i, n, c.want)
			}
		}
	}
}

// Apply reports in Batch.Displaced the enterprises a batch took records
// from (so that a cache can drop what it holds about them): exactly those
// whose record, by natural key, now belongs to another enterprise or none,
// compared with before the batch; sorted, unique, and replaced by every
// Apply.
func testApplyReportsDisplaced(t *testing.T, s store.Store) {
	a, b, c, unknown := company(1), company(2), company(3), company(99)
	caseOf := func(u *string) credit.TypicalCase {
		return with(typicalCase("T1", "2024-07-01"), func(c *credit.TypicalCase) { c.USCC = u })
	}
	// One record of every kind whose natural key is not its USCC.
	records := func(u string) []any {
		return []any{
			license(u, "L1", "2024-01-01"),
			penalty(u, "P1", "2024-02-01"),
			inspection(u, "I1", "2024-03-01"),
			abnormal(u, "A1", "2024-04-01"),
			serious(u, "S1", "2024-05-01"),
			commitment(u, "C1", "2024-06-01"),
			caseOf(&u),
		}
	}
	// displaced applies records as one batch, which must be accepted
	// whole, and returns its Displaced.
	displaced := func(t *testing.T, records ...any) []string {
		t.Helper()
		bt := batch(records...)
		bt.Displaced = []string{"stale"} // Apply replaces it
		rej, err := s.Apply(t.Context(), bt)
		if err != nil || len(rej) > 0 {
			t.Fatalf("Apply: %v, rejected %+v", err, rej)
		}
		return bt.Displaced
	}
	none := []string(nil)

	t.Run("new records displace nobody", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, append([]any{enterprise(a), enterprise(b), enterprise(c)}, records(a)...)...), none)
	})
	t.Run("an unchanged re-import displaces nobody", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, records(a)...), none)
	})
	t.Run("a licence, a penalty and a typical case moved to another enterprise", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, license(b, "L1", "2024-01-01"), penalty(b, "P1", "2024-02-01"), caseOf(&b)), []string{a})
		eqKeys(t, "back", displaced(t, license(a, "L1", "2024-01-01"), penalty(a, "P1", "2024-02-01"), caseOf(&a)), []string{b})
	})
	// Each kind on its own: each has its own key and its own statement.
	kinds := []string{"licence", "penalty", "inspection", "abnormal listing", "serious listing", "commitment", "typical case"}
	for i, r := range records(b) {
		t.Run("moved "+kinds[i], func(t *testing.T) {
			eqKeys(t, "Displaced", displaced(t, r), []string{a})
			eqKeys(t, "moved back", displaced(t, records(a)[i]), []string{b})
		})
	}
	t.Run("a new record, after the moves", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, license(b, "L2", "2024-01-01"), penalty(c, "P2", "2024-02-01")), none)
	})
	t.Run("a typical case that no longer names an enterprise", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, caseOf(nil)), []string{a})
		eqKeys(t, "named again", displaced(t, caseOf(&a)), none)
	})
	t.Run("several enterprises, sorted and once each", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t, penalty(c, "P1", "2024-02-01"), license(c, "L1", "2024-01-01"),
			penalty(a, "P2", "2024-02-01"), inspection(c, "I1", "2024-03-01")), []string{a, c})
		// Now P1, L1 and I1 are c's and P2 is a's: swap them back.
		eqKeys(t, "swapped", displaced(t, penalty(a, "P1", "2024-02-01"), license(a, "L1", "2024-01-01"),
			inspection(a, "I1", "2024-03-01"), penalty(c, "P2", "2024-02-01")), []string{a, c})
	})
	t.Run("a key named twice in a batch compares the batch's end with its start", func(t *testing.T) {
		// The last line of a key wins: P3 is new and ends b's, P1 ends a's again.
		eqKeys(t, "Displaced", displaced(t, penalty(a, "P3", "2024-02-01"), penalty(b, "P3", "2024-02-01"),
			penalty(c, "P1", "2024-02-01"), penalty(a, "P1", "2024-02-01")), none)
		v := regulator("2024-12-31")
		eqKeys(t, "b's penalties", keysOf(penaltiesOf(t, s, v, b), penaltyKey), []string{"P3"})
		eqKeys(t, "c's penalties", keysOf(penaltiesOf(t, s, v, c), penaltyKey), []string{"P2"})
	})
	t.Run("a rejected line moves nothing", func(t *testing.T) {
		bt := batch(penalty(unknown, "P1", "2024-02-01"))
		if rej, err := s.Apply(t.Context(), bt); err != nil || len(rej) != 1 {
			t.Fatalf("Apply: %v, rejected %+v; want one rejection", err, rej)
		}
		eqKeys(t, "Displaced", bt.Displaced, none)
	})
	t.Run("an empty batch", func(t *testing.T) {
		eqKeys(t, "Displaced", displaced(t), none)
	})
}

// Repairing an abnormal listing records the repair and, when the listing
// has no removal yet, removes it on the repair date; an existing removal
// stays as it was.
func testApplyAbnormalRepair(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a), abnormal(a, "A1", "2024-01-01"), abnormal(a, "A2", "2024-01-01"),
		removal(credit.ListAbnormal, "A2", "2024-02-01", "已补报年度报告"))
	mustApply(t, s, repair(credit.RepairAbnormalListing, "A1", "2024-03-01"), repair(credit.RepairAbnormalListing, "A2", "2024-03-01"))
	r := repair(credit.RepairAbnormalListing, "A1", "2024-03-01")
	want := []credit.Listing{
		with(abnormal(a, "A1", "2024-01-01"), func(l *credit.Listing) {
			l.RepairedOn = dayPtr("2024-03-01")
			l.Removal = &credit.Removal{RemovedOn: day("2024-03-01"), Reason: store.AbnormalRepairReason, Authority: r.Authority}
		}),
		with(abnormal(a, "A2", "2024-01-01"), func(l *credit.Listing) {
			l.RepairedOn = dayPtr("2024-03-01")
			l.Removal = ptr(removal(credit.ListAbnormal, "A2", "2024-02-01", "已补报年度报告").Removal)
		}),
	}
	eq(t, "regulator's view", listingsOf(t, s, regulator("2024-12-31"), credit.ListAbnormal, a), want)
	for i := range want {
		want[i].RepairedOn = nil // that a repair happened is REGULATOR-only
	}
	eq(t, "public view", listingsOf(t, s, public("2024-12-31"), credit.ListAbnormal, a), want)
}

// A repair or removal rejected for a rule must not change anything.
func testApplyRejectedLeavesNoTrace(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a), penalty(a, "P1", "2024-01-10"), serious(a, "S1", "2024-03-01"))
	v := regulator("2027-12-31")
	before := []any{penaltiesOf(t, s, v, a), listingsOf(t, s, v, credit.ListSerious, a)}
	rej := apply(t, s,
		repair(credit.RepairPenalty, "P1", "2024-02-01"),                               // too early
		repair(credit.RepairSeriousListing, "S1", "2024-04-01"),                        // too early
		removal(credit.ListSerious, "S1", "2024-05-01", string(credit.RemovalExpired)), // before expiry
	)
	eqKeys(t, "rejections", codes(rej), []string{"1 " + credit.CodeRepairTooEarly, "2 " + credit.CodeRepairTooEarly, "3 " + credit.CodeRemovalBeforeExpiry})
	eq(t, "penalties", penaltiesOf(t, s, v, a), before[0])
	eq(t, "serious listings", listingsOf(t, s, v, credit.ListSerious, a), before[1])
}

func testApplyEmptyBatch(t *testing.T, s store.Store) {
	if rej := apply(t, s); len(rej) != 0 {
		t.Errorf("empty batch rejected %+v", rej)
	}
}

func testPing(t *testing.T, s store.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}
