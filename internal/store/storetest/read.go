package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

func testEnterprise(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a))
	got, err := s.Enterprise(t.Context(), regulator("2024-01-01"), a)
	if err != nil {
		t.Fatalf("Enterprise(%s): %v", a, err)
	}
	eq(t, "enterprise", got, enterprise(a))
	if got.UpdatedAt.IsZero() {
		t.Errorf("UpdatedAt not set: the store stamps each write, for the changes feed")
	}
	if _, err := s.Enterprise(t.Context(), regulator("2024-01-01"), company(2)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Enterprise(unknown) err = %v, want ErrNotFound", err)
	}
}

// A loader answers in key order with nil for an unknown key, whatever order
// the rows come back in: dataloaders match results to keys by position.
func testEnterprisesByUSCC(t *testing.T, s store.Store) {
	a, b, unknown := company(1), company(2), company(3)
	mustApply(t, s, enterprise(a), enterprise(b))
	got, err := s.EnterprisesByUSCC(t.Context(), regulator("2024-01-01"), []string{b, unknown, a, b})
	if err != nil {
		t.Fatalf("EnterprisesByUSCC: %v", err)
	}
	ea, eb := enterprise(a), enterprise(b)
	eq(t, "enterprises", got, []*credit.Enterprise{&eb, nil, &ea, &eb})
	if got, err := s.EnterprisesByUSCC(t.Context(), regulator("2024-01-01"), nil); err != nil || len(got) != 0 {
		t.Errorf("EnterprisesByUSCC(no keys) = %v, %v; want empty", got, err)
	}
}

func testLoadersKeyOrder(t *testing.T, s store.Store) {
	a, b, unknown := company(1), company(2), company(3)
	recs := append(oneOfEach(a), enterprise(b),
		license(b, "LB", "2024-01-01"), penalty(b, "PB", "2024-02-01"), inspection(b, "IB", "2024-03-01"),
		abnormal(b, "AB", "2024-04-01"), serious(b, "SB", "2024-05-01"), commitment(b, "CB", "2024-06-01"))
	mustApply(t, s, recs...)
	ctx, v, keys := t.Context(), regulator("2024-12-31"), []string{b, unknown, a}
	want := [][]string{{"xB"}, nil, {"x1"}}
	check := func(what string, got [][]string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if len(got) != len(keys) {
			t.Fatalf("%s: %d results for %d keys", what, len(got), len(keys))
		}
		for i := range keys {
			eqKeys(t, what+" for key "+keys[i], got[i], want[i])
		}
	}
	// Keys are reduced to "x"+the last character of the record's key, so one
	// want serves every kind.
	short := func(k string) string { return "x" + k[len(k)-1:] }
	lic, err := s.LicensesByUSCC(ctx, v, keys)
	check("LicensesByUSCC", mapKeys(lic, func(r credit.License) string { return short(r.LicenseNumber) }), err)
	pen, err := s.PenaltiesByUSCC(ctx, v, keys)
	check("PenaltiesByUSCC", mapKeys(pen, func(r credit.Penalty) string { return short(r.DecisionNumber) }), err)
	ins, err := s.InspectionsByUSCC(ctx, v, keys)
	check("InspectionsByUSCC", mapKeys(ins, func(r credit.Inspection) string { return short(r.InspectionID) }), err)
	for _, list := range []credit.ListKind{credit.ListAbnormal, credit.ListSerious} {
		ls, err := s.ListingsByUSCC(ctx, v, list, keys)
		check("ListingsByUSCC "+string(list), mapKeys(ls, func(r credit.Listing) string { return short(r.DecisionNumber) }), err)
	}
	com, err := s.CommitmentsByUSCC(ctx, v, keys)
	check("CommitmentsByUSCC", mapKeys(com, func(r credit.Commitment) string { return short(r.CommitmentID) }), err)
}

func mapKeys[T any](rows [][]T, key func(T) string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = keysOf(r, key)
	}
	return out
}

// Every loader returns newest first, ties broken by the natural key
// ascending, so pages and caches are stable. Records are applied in a
// scrambled order so insertion order cannot pass for sort order.
func testLoadersNewestFirst(t *testing.T, s store.Store) {
	a := company(1)
	dates := []struct{ key, on string }{
		{"K2", "2024-03-01"}, {"K4", "2023-01-01"}, {"K1", "2024-03-01"}, {"K5", "2024-06-01"}, {"K3", "2024-01-01"},
	}
	want := []string{"K5", "K1", "K2", "K3", "K4"}
	recs := []any{enterprise(a)}
	for _, d := range dates {
		recs = append(recs, license(a, d.key, d.on), penalty(a, d.key, d.on), inspection(a, d.key, d.on),
			abnormal(a, d.key, d.on), commitment(a, d.key, d.on))
	}
	mustApply(t, s, recs...)
	v := regulator("2024-12-31")
	eqKeys(t, "licences", keysOf(licensesOf(t, s, v, a), func(r credit.License) string { return r.LicenseNumber }), want)
	eqKeys(t, "penalties", keysOf(penaltiesOf(t, s, v, a), penaltyKey), want)
	eqKeys(t, "inspections", keysOf(inspectionsOf(t, s, v, a), func(r credit.Inspection) string { return r.InspectionID }), want)
	eqKeys(t, "abnormal listings", keysOf(listingsOf(t, s, v, credit.ListAbnormal, a), listingKey), want)
	eqKeys(t, "commitments", keysOf(commitmentsOf(t, s, v, a), func(r credit.Commitment) string { return r.CommitmentID }), want)
}

// ListingsByUSCC returns one list only.
func testListingsByUSCCOneList(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a), abnormal(a, "A1", "2024-01-01"), serious(a, "S1", "2024-01-01"))
	v := regulator("2024-02-01")
	eqKeys(t, "abnormal", keysOf(listingsOf(t, s, v, credit.ListAbnormal, a), listingKey), []string{"A1"})
	eqKeys(t, "serious", keysOf(listingsOf(t, s, v, credit.ListSerious, a), listingKey), []string{"S1"})
}

// Licences, inspections, commitments (untrue ones too) and typical cases are
// public records: every tier sees them whole.
func testPublicRecordsEveryTier(t *testing.T, s store.Store) {
	a := company(1)
	untrue := with(commitment(a, "C2", "2024-02-01"), func(c *credit.Commitment) {
		c.Status = credit.CommitmentUntrue
		c.UntrueFoundOn = dayPtr("2024-05-01")
	})
	tc := with(typicalCase("T1", "2024-03-01"), func(c *credit.TypicalCase) { c.USCC = &a })
	mustApply(t, s, enterprise(a), license(a, "L1", "2024-01-01"), inspection(a, "I1", "2024-01-01"),
		commitment(a, "C1", "2024-01-01"), untrue, tc)
	for _, v := range everyTier("2024-12-31") {
		t.Run(v.Tier.String(), func(t *testing.T) {
			eq(t, "licences", licensesOf(t, s, v, a), []credit.License{license(a, "L1", "2024-01-01")})
			eq(t, "inspections", inspectionsOf(t, s, v, a), []credit.Inspection{inspection(a, "I1", "2024-01-01")})
			eq(t, "commitments", commitmentsOf(t, s, v, a), []credit.Commitment{untrue, commitment(a, "C1", "2024-01-01")})
			c, err := s.TypicalCases(t.Context(), v, store.CaseFilter{}, store.Page{First: 10})
			if err != nil {
				t.Fatalf("TypicalCases: %v", err)
			}
			eq(t, "typical cases", c.Items, []credit.TypicalCase{tc})
		})
	}
}

// The legal representative's ID and the phone are personal information:
// no Reader method may hand them to PUBLIC or PARTNER.
func testPersonalData(t *testing.T, s store.Store) {
	a := company(1)
	mustApply(t, s, enterprise(a))
	for _, v := range everyTier("2024-01-01") {
		t.Run(v.Tier.String(), func(t *testing.T) {
			want := enterprise(a)
			if v.Public() {
				want.LegalRepresentativeIDType, want.LegalRepresentativeIDNumber, want.Phone = nil, nil, nil
			}
			got, err := s.Enterprise(t.Context(), v, a)
			if err != nil {
				t.Fatalf("Enterprise: %v", err)
			}
			eq(t, "Enterprise", got, want)
			byKey, err := s.EnterprisesByUSCC(t.Context(), v, []string{a})
			if err != nil {
				t.Fatalf("EnterprisesByUSCC: %v", err)
			}
			eq(t, "EnterprisesByUSCC", byKey, []*credit.Enterprise{&want})
			page, err := s.Enterprises(t.Context(), v, store.EnterpriseFilter{}, store.Page{First: 10})
			if err != nil {
				t.Fatalf("Enterprises: %v", err)
			}
			eq(t, "Enterprises", page.Items, []credit.Enterprise{want})
		})
	}
}

// REGULATOR sees every record whatever its disclosure state, with the
// repair and removal facts, long after public display stopped.
func testRegulatorSeesEverything(t *testing.T, s store.Store) {
	a := company(1)
	hidden := []any{
		enterprise(a),
		with(penalty(a, "P1", "2020-01-10"), func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }),
		with(penalty(a, "P2", "2020-01-10"), func(p *credit.Penalty) {
			p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyWarning}, nil
		}),
		with(penalty(a, "P3", "2020-01-10"), func(p *credit.Penalty) { p.Revoked = true }),
		penalty(a, "P4", "2020-01-10"),                   // expired
		penalty(a, "P5", "2021-01-10"),                   // repaired below
		serious(a, "S1", "2020-01-10"),                   // expired
		serious(a, "S2", "2021-01-10"),                   // revoked below
		serious(a, "S3", "2021-01-10"),                   // repaired below
		repair(credit.RepairPenalty, "P5", "2023-01-10"), // S1 no longer in force
		removal(credit.ListSerious, "S2", "2021-02-01", string(credit.RemovalRevoked)),
		repair(credit.RepairSeriousListing, "S3", "2022-01-10"),
	}
	mustApply(t, s, hidden...)
	v := regulator("2030-01-01")
	eqKeys(t, "penalties", keysOf(penaltiesOf(t, s, v, a), penaltyKey), []string{"P5", "P1", "P2", "P3", "P4"})
	eqKeys(t, "serious", keysOf(listingsOf(t, s, v, credit.ListSerious, a), listingKey), []string{"S2", "S3", "S1"})
	eqKeys(t, "serious, IncludeRemoved", keysOf(walkListings(t, s, v, credit.ListSerious, store.ListingFilter{IncludeRemoved: true}), listingKey),
		[]string{"S2", "S3", "S1"})
	for _, p := range penaltiesOf(t, s, v, a) {
		if p.DecisionNumber == "P5" && p.RepairedOn == nil {
			t.Errorf("regulator does not see P5's repair")
		}
	}
	for _, l := range listingsOf(t, s, v, credit.ListSerious, a) {
		if (l.DecisionNumber == "S2") != (l.Removal != nil) || (l.DecisionNumber == "S3") != (l.RepairedOn != nil) {
			t.Errorf("regulator's view of %s: %s", l.DecisionNumber, canon(l))
		}
	}
	if pub := penaltiesOf(t, s, public("2030-01-01"), a); len(pub) != 0 {
		t.Errorf("public sees %v in 2030", keysOf(pub, penaltyKey))
	}
}

// store.ReadRecords answers as the per-kind loaders do, through a store's
// own batch when it has one (store.RecordsReader): same rows, same key order,
// same visibility, only the kinds asked for. Records hidden from PUBLIC (a
// repaired penalty, a removed serious listing, a penalty whose disclosure
// period ended) are among them, so a batch that skipped the policy shows.
func testRecordsInOneRead(t *testing.T, s store.Store) {
	a, b, c, unknown := company(1), company(2), company(4), company(3)
	recs := append(oneOfEach(a), enterprise(b),
		license(b, "LB", "2024-01-01"), penalty(b, "PB", "2024-02-01"), penalty(b, "PO", "2019-02-01"),
		inspection(b, "IB", "2024-03-01"), abnormal(b, "AB", "2024-04-01"), serious(b, "SB", "2024-05-01"),
		commitment(b, "CB", "2024-06-01"), removal(credit.ListSerious, "SB", "2024-08-01", "revoked"),
		enterprise(c), penalty(c, "PC", "2024-01-01"), repair(credit.RepairPenalty, "PC", "2024-09-01"))
	mustApply(t, s, recs...)
	keys := []string{b, unknown, a, c, b}
	all := store.Kinds{Enterprises: true, Licenses: true, Penalties: true, Inspections: true, Abnormal: true,
		Serious: true, Commitments: true}
	for _, k := range []store.Kinds{all, {Penalties: true, Serious: true}, {Enterprises: true}, {}} {
		for _, v := range everyTier("2024-12-31") {
			what := fmt.Sprintf("%s, %+v", v.Tier, k)
			got, err := store.ReadRecords(t.Context(), s, v, keys, k)
			if err != nil {
				t.Fatalf("ReadRecords(%s): %v", what, err)
			}
			want := recordsOneByOne(t, s, v, keys, k)
			eq(t, "records, "+what, got, want)
			if k.Penalties && len(got.Penalties) != len(keys) {
				t.Errorf("%s: %d penalty groups for %d keys", what, len(got.Penalties), len(keys))
			}
			if !k.Licenses && got.Licenses != nil {
				t.Errorf("%s: licences read though not asked for", what)
			}
			// What a tier reads is the policy's view of the whole record
			// (store.ViewRecords: screening reads the rows once for both).
			whole, err := store.ReadRecords(t.Context(), s, regulator("2024-12-31"), keys, k)
			if err != nil {
				t.Fatalf("ReadRecords(REGULATOR, %+v): %v", k, err)
			}
			eq(t, "viewed records, "+what, emptyGroupsNil(store.ViewRecords(credit.NewPolicy(credit.DefaultSettings()), v, whole)),
				emptyGroupsNil(want))
		}
	}
	// One enterprise at a time (a profile: a backend may read one key
	// differently from several).
	for _, key := range []string{a, b, c, unknown} {
		for _, v := range everyTier("2024-12-31") {
			got, err := store.ReadRecords(t.Context(), s, v, []string{key}, all)
			if err != nil {
				t.Fatalf("ReadRecords(%s, %s): %v", v.Tier, key, err)
			}
			eq(t, fmt.Sprintf("records of %s alone, %s", key, v.Tier), got, recordsOneByOne(t, s, v, []string{key}, all))
		}
	}
	if got, err := store.ReadRecords(t.Context(), s, regulator("2024-12-31"), nil, all); err != nil ||
		len(got.Enterprises) != 0 || len(got.Penalties) != 0 {
		t.Errorf("ReadRecords(no keys) = %+v, %v; want empty", got, err)
	}
}

// recordsOneByOne reads what k names with the per-kind loaders, one after
// the other.
func recordsOneByOne(t *testing.T, s store.Store, v credit.Visibility, keys []string, k store.Kinds) store.Records {
	t.Helper()
	out, err := store.ReadRecordsInTurn(t.Context(), s, v, keys, k)
	if err != nil {
		t.Fatalf("the per-kind loaders, one after the other: %v", err)
	}
	return out
}

// emptyGroupsNil makes every empty group nil: a backend may give an
// enterprise with no records of a kind either (both read as no records).
func emptyGroupsNil(r store.Records) store.Records {
	r.Licenses, r.Penalties, r.Inspections = nilEmpty(r.Licenses), nilEmpty(r.Penalties), nilEmpty(r.Inspections)
	r.Abnormal, r.Serious, r.Commitments = nilEmpty(r.Abnormal), nilEmpty(r.Serious), nilEmpty(r.Commitments)
	return r
}

func nilEmpty[T any](groups [][]T) [][]T {
	if groups == nil {
		return nil
	}
	out := make([][]T, len(groups))
	for i, g := range groups {
		if len(g) > 0 {
			out[i] = g
		}
	}
	return out
}
