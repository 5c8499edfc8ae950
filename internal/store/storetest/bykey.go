package storetest

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// testRecordsByKey: reading a record by its natural key shows exactly what
// the per-enterprise loaders and the case list show the same caller on the
// same day — the same record, or nothing — and a hidden record is nil just
// as an unknown key is.
func testRecordsByKey(t *testing.T, s store.Store) {
	a, b := company(1), company(2)
	mustApply(t, s,
		enterprise(a), enterprise(b),
		license(a, "L1", "2019-01-10"),
		inspection(a, "I1", "2019-02-10"),
		commitment(a, "C1", "2019-03-10"),
		penalty(a, "P1", "2021-01-10"), // disclosed until 2024-01-10
		with(penalty(a, "P2", "2021-01-10"), func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }),
		with(penalty(a, "P3", "2021-01-10"), func(p *credit.Penalty) { p.Revoked = true }),
		penalty(a, "P4", "2021-06-10"), // repaired below
		repair(credit.RepairPenalty, "P4", "2022-03-01"),
		abnormal(a, "X1", "2021-02-01"),
		removal(credit.ListAbnormal, "X1", "2021-09-01", "已补报年度报告"),
		serious(b, "X1", "2021-02-01"), // the same number on the other list
		serious(b, "S2", "2021-03-01"),
		removal(credit.ListSerious, "S2", "2021-04-01", string(credit.RemovalRevoked)),
		with(typicalCase("T1", "2021-05-01"), func(c *credit.TypicalCase) { c.USCC = &a }),
		typicalCase("T2", "2022-05-01"),
	)
	keys := []store.RecordKey{
		{Kind: store.KindEnterprise, Key: a}, {Kind: store.KindEnterprise, Key: b},
		{Kind: store.KindLicense, Key: "L1"}, {Kind: store.KindInspection, Key: "I1"},
		{Kind: store.KindCommitment, Key: "C1"},
		{Kind: store.KindPenalty, Key: "P1"}, {Kind: store.KindPenalty, Key: "P2"},
		{Kind: store.KindPenalty, Key: "P3"}, {Kind: store.KindPenalty, Key: "P4"},
		{Kind: store.KindAbnormalListing, Key: "X1"}, {Kind: store.KindSeriousListing, Key: "X1"},
		{Kind: store.KindSeriousListing, Key: "S2"},
		{Kind: store.KindTypicalCase, Key: "T1"}, {Kind: store.KindTypicalCase, Key: "T2"},
		// Unknown, of another kind's key, of no kind, and a repeat.
		{Kind: store.KindPenalty, Key: "P9"}, {Kind: store.KindPenalty, Key: "L1"},
		{Kind: store.KindAbnormalListing, Key: "S2"}, {Kind: "nonsense", Key: "P1"},
		{Kind: store.KindEnterprise, Key: company(9)}, {Kind: store.KindPenalty, Key: "P1"},
	}
	for _, asOf := range []string{"2021-01-20", "2021-08-01", "2022-06-01", "2030-01-01"} {
		for _, v := range everyTier(asOf) {
			want := expectedRecords(t, s, v, []string{a, b})
			got, err := s.RecordsByKey(t.Context(), v, keys)
			if err != nil {
				t.Fatalf("RecordsByKey: %v", err)
			}
			if len(got) != len(keys) {
				t.Fatalf("RecordsByKey returned %d records for %d keys", len(got), len(keys))
			}
			for i, k := range keys {
				w, ok := want[k]
				switch {
				case !ok && got[i] != nil:
					t.Errorf("%s as of %s: %s %q: got %s, want nil (what the loaders do not show)", v.Tier, asOf, k.Kind, k.Key, canon(got[i]))
				case ok && got[i] == nil:
					t.Errorf("%s as of %s: %s %q: got nil, want %s", v.Tier, asOf, k.Kind, k.Key, canon(w))
				case ok && canon(*got[i]) != canon(w):
					t.Errorf("%s as of %s: %s %q:\n got  %s\n want %s", v.Tier, asOf, k.Kind, k.Key, canon(*got[i]), canon(w))
				}
			}
		}
	}
	if got, err := s.RecordsByKey(t.Context(), public("2030-01-01"), nil); err != nil || len(got) != 0 {
		t.Errorf("RecordsByKey(no keys) = %v, %v", got, err)
	}
}

// expectedRecords is every record of usccs (and every typical case) that v
// sees through the loaders and lists, by its key.
func expectedRecords(t *testing.T, s store.Store, v credit.Visibility, usccs []string) map[store.RecordKey]store.Record {
	t.Helper()
	out := map[store.RecordKey]store.Record{}
	es, err := s.EnterprisesByUSCC(t.Context(), v, usccs)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e != nil {
			out[store.RecordKey{Kind: store.KindEnterprise, Key: e.USCC}] = store.Record{Enterprise: e}
		}
	}
	for _, u := range usccs {
		for _, l := range licensesOf(t, s, v, u) {
			out[store.RecordKey{Kind: store.KindLicense, Key: l.LicenseNumber}] = store.Record{License: &l}
		}
		for _, p := range penaltiesOf(t, s, v, u) {
			out[store.RecordKey{Kind: store.KindPenalty, Key: p.DecisionNumber}] = store.Record{Penalty: &p}
		}
		for _, in := range inspectionsOf(t, s, v, u) {
			out[store.RecordKey{Kind: store.KindInspection, Key: in.InspectionID}] = store.Record{Inspection: &in}
		}
		for _, c := range commitmentsOf(t, s, v, u) {
			out[store.RecordKey{Kind: store.KindCommitment, Key: c.CommitmentID}] = store.Record{Commitment: &c}
		}
		for _, list := range []credit.ListKind{credit.ListAbnormal, credit.ListSerious} {
			for _, l := range listingsOf(t, s, v, list, u) {
				out[store.RecordKey{Kind: store.ListingKind(list), Key: l.DecisionNumber}] = store.Record{Listing: &l}
			}
		}
	}
	cases, err := s.TypicalCases(t.Context(), v, store.CaseFilter{}, store.Page{First: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases.Items {
		out[store.RecordKey{Kind: store.KindTypicalCase, Key: c.CaseID}] = store.Record{TypicalCase: &c}
	}
	return out
}
