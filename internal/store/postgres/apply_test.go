package postgres

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

func TestMigrateTwice(t *testing.T) {
	u := NewTestDatabase(t)
	if err := Migrate(context.Background(), u); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
}

func TestApplyRoundTrip(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u := testUSCC("350102", 1)
	e := enterprise(u, "福州示例食品有限公司")
	e.FormerNames = []string{"福州旧名食品厂"}
	e.Type = ptr("有限责任公司")
	e.LegalRepresentative = ptr("张三")
	e.LegalRepresentativeIDType = ptr("居民身份证")
	e.LegalRepresentativeIDNumber = ptr("350102198001011234")
	e.RegisteredCapital = dec("500.0000")
	e.EstablishedOn = ptr(date("2010-05-04"))
	e.KeyAreas = []credit.KeyArea{credit.AreaFoodProduction, credit.AreaSpecialFood}
	e.Phone = ptr("0591-12345678")
	lic := credit.License{USCC: u, LicenseNumber: "SC10635010200001", Name: "食品生产许可证", Authority: "福州市市场监督管理局",
		DecidedOn: date("2020-01-02"), ValidFrom: ptr(date("2020-01-02")), ValidTo: ptr(date("2025-01-01")),
		KeyArea: ptr(credit.AreaFoodProduction)}
	pen := heavyPenalty(u, "榕市监罚〔2024〕1号", "2024-03-01")
	pen.Facts = ptr("生产不符合标准的食品")
	pen.ConfiscationAmount = dec("1234.56")
	pen.RestrictionUntil = ptr(date("2030-01-01"))
	pen.PenaltyTypes = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltyConfiscation}
	pen.KeyArea = ptr(credit.AreaFoodProduction)
	insp := credit.Inspection{USCC: u, InspectionID: "CJ-2024-0001", Kind: credit.InspectionSampling, InspectedOn: date("2024-02-01"),
		Authority: "福州市市场监督管理局", Result: credit.ResultNonCompliant, Product: ptr("婴儿配方奶粉")}
	abn := listing(credit.ListAbnormal, u, "榕市监异〔2023〕9号", "2023-07-01")
	ser := listing(credit.ListSerious, u, "榕市监严〔2024〕2号", "2024-04-01")
	ser.PenaltyDecisionNumber = ptr(pen.DecisionNumber)
	ser.KeyArea = ptr(credit.AreaFoodProduction)
	com := credit.Commitment{USCC: u, CommitmentID: "CN-1", Kind: credit.CommitmentNotification, Content: "承诺依法经营",
		MadeOn: date("2022-01-01"), Status: credit.CommitmentUntrue, UntrueFoundOn: ptr(date("2023-01-01"))}
	cas := credit.TypicalCase{CaseID: "TC-1", Title: "婴配粉案", Summary: "…", USCC: ptr(u), PublishedOn: date("2024-05-01"),
		KeyArea: ptr(credit.AreaSpecialFood), RegionCode: ptr("350102")}

	// Records before their enterprise in the batch: order must not matter.
	mustNoRejections(t, s, &store.Batch{
		Licenses: lines(1, lic), Penalties: lines(2, pen), Inspections: lines(3, insp),
		Listings: lines(4, abn, ser), Commitments: lines(6, com), TypicalCases: lines(7, cas),
		Enterprises: lines(8, e),
	})

	v := regulator("2024-06-01")
	got, err := s.Enterprise(ctx, v, u)
	if err != nil {
		t.Fatal(err)
	}
	if got.UpdatedAt.IsZero() {
		t.Error("UpdatedAt not set")
	}
	got.UpdatedAt = time.Time{}
	if !reflect.DeepEqual(got, e) {
		t.Errorf("Enterprise:\n got %+v\nwant %+v", got, e)
	}
	if got.RegisteredCapital.String() != "500" || got.RegisteredCapital.StringFixed(4) != "500.0000" {
		t.Errorf("registered capital %s", got.RegisteredCapital)
	}
	pub, err := s.Enterprise(ctx, public("2024-06-01"), u)
	if err != nil {
		t.Fatal(err)
	}
	if pub.Phone != nil || pub.LegalRepresentativeIDNumber != nil || pub.LegalRepresentativeIDType != nil {
		t.Errorf("public sees private fields: %+v", pub)
	}

	lics, err := s.LicensesByUSCC(ctx, v, []string{u})
	if err != nil || !reflect.DeepEqual(lics, [][]credit.License{{lic}}) {
		t.Errorf("LicensesByUSCC = %+v, %v", lics, err)
	}
	pens, err := s.PenaltiesByUSCC(ctx, v, []string{u})
	if err != nil || !reflect.DeepEqual(pens, [][]credit.Penalty{{pen}}) {
		t.Errorf("PenaltiesByUSCC = %+v, %v\nwant %+v", pens, err, pen)
	}
	if got := pens[0][0].FineAmount.StringFixed(2); got != "200000.00" {
		t.Errorf("fine amount %s", got)
	}
	insps, err := s.InspectionsByUSCC(ctx, v, []string{u})
	if err != nil || !reflect.DeepEqual(insps, [][]credit.Inspection{{insp}}) {
		t.Errorf("InspectionsByUSCC = %+v, %v", insps, err)
	}
	for _, want := range []credit.Listing{abn, ser} {
		ls, err := s.ListingsByUSCC(ctx, v, want.List, []string{u})
		if err != nil || !reflect.DeepEqual(ls, [][]credit.Listing{{want}}) {
			t.Errorf("ListingsByUSCC(%s) = %+v, %v", want.List, ls, err)
		}
	}
	coms, err := s.CommitmentsByUSCC(ctx, v, []string{u})
	if err != nil || !reflect.DeepEqual(coms, [][]credit.Commitment{{com}}) {
		t.Errorf("CommitmentsByUSCC = %+v, %v", coms, err)
	}
	cases, err := s.TypicalCases(ctx, v, store.CaseFilter{}, store.Page{})
	if err != nil || !reflect.DeepEqual(cases.Items, []credit.TypicalCase{cas}) {
		t.Errorf("TypicalCases = %+v, %v", cases, err)
	}
}

func TestApplyUnknownReferences(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	known, unknown := testUSCC("350102", 1), testUSCC("350102", 2)
	mustNoRejections(t, s, &store.Batch{Enterprises: lines(1, enterprise(known, "甲公司"))})

	rej := mustApply(t, s, &store.Batch{
		Licenses: lines(10,
			credit.License{USCC: known, LicenseNumber: "L1", Name: "n", Authority: "a", DecidedOn: date("2024-01-01")},
			credit.License{USCC: unknown, LicenseNumber: "L2", Name: "n", Authority: "a", DecidedOn: date("2024-01-01")}),
		Penalties:    lines(12, heavyPenalty(unknown, "P1", "2024-01-01")),
		Listings:     lines(13, listing(credit.ListAbnormal, unknown, "A1", "2024-01-01")),
		TypicalCases: lines(14, credit.TypicalCase{CaseID: "C1", Title: "t", Summary: "s", USCC: ptr(unknown), PublishedOn: date("2024-01-01")}, credit.TypicalCase{CaseID: "C2", Title: "t", Summary: "s", PublishedOn: date("2024-01-01")}),
		Removals: lines(16, store.ListingRemoval{List: credit.ListAbnormal, ListingDecisionNumber: "A1",
			Removal: credit.Removal{RemovedOn: date("2024-02-01"), Reason: "已补报", Authority: "a"}}),
		Repairs: lines(17, credit.CreditRepair{Target: credit.RepairPenalty, TargetDecisionNumber: "P1",
			RepairedOn: date("2025-01-01"), Authority: "a"}),
	})
	if got, want := rejectionCodes(rej), "11:UNKNOWN_REFERENCE 12:UNKNOWN_REFERENCE 13:UNKNOWN_REFERENCE 14:UNKNOWN_REFERENCE 16:UNKNOWN_REFERENCE 17:UNKNOWN_REFERENCE"; got != want {
		t.Fatalf("rejections %q, want %q (%+v)", got, want, rej)
	}
	for _, r := range rej[:4] {
		if !strings.Contains(r.Message, unknown) {
			t.Errorf("line %d: message %q does not name %s", r.Line, r.Message, unknown)
		}
	}
	for _, r := range rej[4:] {
		if !strings.Contains(r.Message, "A1") && !strings.Contains(r.Message, "P1") {
			t.Errorf("line %d: message %q does not name the decision number", r.Line, r.Message)
		}
	}
	lics, err := s.LicensesByUSCC(ctx, regulator("2024-06-01"), []string{known, unknown})
	if err != nil || len(lics[0]) != 1 || len(lics[1]) != 0 {
		t.Errorf("LicensesByUSCC = %+v, %v", lics, err)
	}
	n, err := s.CountTypicalCases(ctx, regulator("2024-06-01"), store.CaseFilter{})
	if err != nil || n != 1 {
		t.Errorf("CountTypicalCases = %d, %v; want 1", n, err)
	}
}

func TestApplyIdempotentLastLineWins(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u := testUSCC("350102", 1)
	first, last := enterprise(u, "旧名"), enterprise(u, "新名")
	b := &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 2, V: last}, {N: 1, V: first}}}
	mustNoRejections(t, s, b)
	e1, err := s.Enterprise(ctx, regulator("2024-01-01"), u)
	if err != nil || e1.Name != "新名" {
		t.Fatalf("Enterprise = %+v, %v; want the last line's name", e1, err)
	}
	mustNoRejections(t, s, b) // the same again: nothing changes, not even updated_at
	e2, err := s.Enterprise(ctx, regulator("2024-01-01"), u)
	if err != nil || !e2.UpdatedAt.Equal(e1.UpdatedAt) {
		t.Errorf("re-import moved updated_at from %v to %v (%v)", e1.UpdatedAt, e2.UpdatedAt, err)
	}
	mustNoRejections(t, s, &store.Batch{Enterprises: lines(1, first)})
	e3, err := s.Enterprise(ctx, regulator("2024-01-01"), u)
	if err != nil || e3.Name != "旧名" || !e3.UpdatedAt.After(e1.UpdatedAt) {
		t.Errorf("changed re-import: %+v, %v", e3, err)
	}
}

func TestReimportKeepsRepairAndRemoval(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u := testUSCC("350102", 1)
	pen := heavyPenalty(u, "P1", "2022-01-01")
	abn := listing(credit.ListAbnormal, u, "A1", "2021-01-01")
	mustNoRejections(t, s, &store.Batch{
		Enterprises: lines(1, enterprise(u, "甲")), Penalties: lines(2, pen), Listings: lines(3, abn),
		Removals: lines(4, store.ListingRemoval{List: credit.ListAbnormal, ListingDecisionNumber: "A1",
			Removal: credit.Removal{RemovedOn: date("2021-06-01"), Reason: "已补报年报", Authority: "a"}}),
		Repairs: lines(5, credit.CreditRepair{Target: credit.RepairPenalty, TargetDecisionNumber: "P1",
			RepairedOn: date("2023-01-02"), Authority: "a"}),
	})
	pen.Facts = ptr("更正后的事实")
	mustNoRejections(t, s, &store.Batch{Penalties: lines(1, pen), Listings: lines(2, abn)})
	v := regulator("2024-01-01")
	pens, err := s.PenaltiesByUSCC(ctx, v, []string{u})
	if err != nil || len(pens[0]) != 1 || pens[0][0].RepairedOn == nil || *pens[0][0].Facts != "更正后的事实" {
		t.Fatalf("penalty after re-import: %+v, %v", pens, err)
	}
	ls, err := s.ListingsByUSCC(ctx, v, credit.ListAbnormal, []string{u})
	if err != nil || len(ls[0]) != 1 || ls[0][0].Removal == nil || !ls[0][0].Removal.RemovedOn.Equal(date("2021-06-01")) {
		t.Fatalf("listing after re-import: %+v, %v", ls, err)
	}
	// The repair is REGULATOR-only; the public no longer sees the penalty.
	pub, err := s.PenaltiesByUSCC(ctx, public("2024-01-01"), []string{u})
	if err != nil || len(pub[0]) != 0 {
		t.Errorf("public sees a repaired penalty: %+v, %v", pub, err)
	}
}

func TestRemovalRules(t *testing.T) {
	s := newTestStore(t)
	u := testUSCC("350102", 1)
	mustNoRejections(t, s, &store.Batch{
		Enterprises: lines(1, enterprise(u, "甲")),
		Penalties:   lines(2, heavyPenalty(u, "P-late", "2022-06-01")),
		Listings: lines(3, listing(credit.ListSerious, u, "S1", "2021-01-10"),
			listing(credit.ListAbnormal, u, "A1", "2021-01-10")),
	})
	rm := func(list credit.ListKind, dn, on, reason string) store.ListingRemoval {
		return store.ListingRemoval{List: list, ListingDecisionNumber: dn,
			Removal: credit.Removal{RemovedOn: date(on), Reason: reason, Authority: "a"}}
	}
	rej := mustApply(t, s, &store.Batch{Removals: lines(1,
		rm(credit.ListSerious, "S1", "2023-01-10", string(credit.RemovalExpired)),      // before three years
		rm(credit.ListSerious, "S1", "2020-01-10", string(credit.RemovalRevoked)),      // before the listing
		rm(credit.ListSerious, "S1", "2022-07-01", string(credit.RemovalCreditRepair)), // heavier penalty since
		rm(credit.ListAbnormal, "S1", "2022-03-01", "已补报"),                             // S1 is not on the abnormal list
		rm(credit.ListAbnormal, "A1", "2022-03-01", "已补报"),                             // fine
	)})
	want := "1:" + credit.CodeRemovalBeforeExpiry + " 2:" + credit.CodeDateBeforeRecord + " 3:" +
		credit.CodeRepairHeavierPenalty + " 4:" + store.CodeUnknownReference
	if got := rejectionCodes(rej); got != want {
		t.Fatalf("rejections %q, want %q (%+v)", got, want, rej)
	}
	for _, r := range rej {
		if r.Message == "" {
			t.Errorf("line %d: empty message", r.Line)
		}
	}
	ls, err := s.ListingsByUSCC(context.Background(), regulator("2024-01-01"), credit.ListSerious, []string{u})
	if err != nil || ls[0][0].Removal != nil {
		t.Errorf("rejected removals were written: %+v, %v", ls, err)
	}
	mustNoRejections(t, s, &store.Batch{Removals: lines(1, rm(credit.ListSerious, "S1", "2024-01-10", string(credit.RemovalExpired)))})
}

func TestPenaltyRepairFacts(t *testing.T) {
	u := testUSCC("350102", 1)
	base := func() *store.Batch {
		other := heavyPenalty(u, "P2", "2023-03-01")
		other.ViolationType = "虚假宣传"
		return &store.Batch{
			Enterprises: lines(1, enterprise(u, "甲")),
			Penalties:   lines(2, heavyPenalty(u, "P1", "2022-01-01"), other),
		}
	}
	repair := func(on string) store.Line[credit.CreditRepair] {
		return store.Line[credit.CreditRepair]{N: 100, V: credit.CreditRepair{Target: credit.RepairPenalty,
			TargetDecisionNumber: "P1", RepairedOn: date(on), Authority: "a"}}
	}
	tests := []struct {
		name string
		add  func(b *store.Batch)
		on   string
		want string // rejection code, "" = accepted
	}{
		{"accepted", func(*store.Batch) {}, "2023-06-01", ""},
		{"too early", func(*store.Batch) {}, "2022-03-01", credit.CodeRepairTooEarly},
		{"listed on the repair date", func(b *store.Batch) {
			b.Listings = lines(10, listing(credit.ListAbnormal, u, "A1", "2023-01-01"))
		}, "2023-06-01", credit.CodeRepairWhileListed},
		{"abnormal listing repaired in the same batch, after the penalty repair line", func(b *store.Batch) {
			b.Listings = lines(10, listing(credit.ListAbnormal, u, "A1", "2023-01-01"))
			b.Repairs = lines(200, credit.CreditRepair{Target: credit.RepairAbnormalListing, TargetDecisionNumber: "A1",
				RepairedOn: date("2023-05-01"), Authority: "a"})
		}, "2023-06-01", ""},
		{"listing removed before the repair date", func(b *store.Batch) {
			b.Listings = lines(10, listing(credit.ListAbnormal, u, "A1", "2023-01-01"))
			b.Removals = lines(11, store.ListingRemoval{List: credit.ListAbnormal, ListingDecisionNumber: "A1",
				Removal: credit.Removal{RemovedOn: date("2023-02-01"), Reason: "已补报", Authority: "a"}})
		}, "2023-06-01", ""},
		{"listed after the repair date", func(b *store.Batch) {
			b.Listings = lines(10, listing(credit.ListSerious, u, "S1", "2023-07-01"))
		}, "2023-06-01", ""},
		{"repeat violation", func(b *store.Batch) {
			b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: 20, V: heavyPenalty(u, "P3", "2023-01-01")})
		}, "2023-06-01", credit.CodeRepairRepeatViolation},
		{"same violation only after the repair date", func(b *store.Batch) {
			b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: 20, V: heavyPenalty(u, "P3", "2023-07-01")})
		}, "2023-06-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t)
			b := base()
			tt.add(b)
			b.Repairs = append(b.Repairs, repair(tt.on))
			rej := mustApply(t, s, b)
			var got string
			for _, r := range rej {
				if r.Line == 100 {
					got = r.Code
				} else {
					t.Errorf("unexpected rejection %+v", r)
				}
			}
			if got != tt.want {
				t.Fatalf("repair: got %q, want %q (%+v)", got, tt.want, rej)
			}
			pens, err := s.PenaltiesByUSCC(context.Background(), regulator("2024-01-01"), []string{u})
			if err != nil {
				t.Fatal(err)
			}
			var repaired bool
			for _, p := range pens[0] {
				if p.DecisionNumber == "P1" {
					repaired = p.RepairedOn != nil
				}
			}
			if repaired != (tt.want == "") {
				t.Errorf("P1 repaired = %v", repaired)
			}
		})
	}
}

func TestListingRepairs(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	u, w := testUSCC("350102", 1), testUSCC("350102", 2)
	short := heavyPenalty(w, "P-short", "2022-06-01")
	short.FineAmount = dec("5000")
	mustNoRejections(t, s, &store.Batch{
		Enterprises: lines(1, enterprise(u, "甲"), enterprise(w, "乙")),
		Penalties:   lines(3, heavyPenalty(u, "P-heavy", "2022-06-01"), short),
		Listings: lines(5, listing(credit.ListSerious, u, "S1", "2021-01-10"),
			listing(credit.ListSerious, w, "S2", "2021-01-10"),
			listing(credit.ListAbnormal, w, "A2", "2021-01-10")),
	})
	rep := func(target credit.RepairTarget, dn, on string) credit.CreditRepair {
		return credit.CreditRepair{Target: target, TargetDecisionNumber: dn, RepairedOn: date(on), Authority: "b"}
	}
	rej := mustApply(t, s, &store.Batch{Repairs: lines(1,
		rep(credit.RepairSeriousListing, "S1", "2022-07-01"),  // heavier penalty since
		rep(credit.RepairSeriousListing, "S2", "2021-06-01"),  // too early
		rep(credit.RepairSeriousListing, "S2", "2022-07-01"),  // a short-period penalty does not count
		rep(credit.RepairAbnormalListing, "A2", "2020-07-01"), // before the listing
		rep(credit.RepairAbnormalListing, "A2", "2022-07-01"),
		rep(credit.RepairAbnormalListing, "S2", "2022-07-01"), // not on that list
	)})
	want := "1:" + credit.CodeRepairHeavierPenalty + " 2:" + credit.CodeRepairTooEarly + " 4:" + credit.CodeDateBeforeRecord +
		" 6:" + store.CodeUnknownReference
	if got := rejectionCodes(rej); got != want {
		t.Fatalf("rejections %q, want %q (%+v)", got, want, rej)
	}
	v := regulator("2023-01-01")
	ser, err := s.ListingsByUSCC(ctx, v, credit.ListSerious, []string{w})
	if err != nil || ser[0][0].RepairedOn == nil || ser[0][0].Removal != nil {
		t.Errorf("serious repair: %+v, %v", ser, err)
	}
	abn, err := s.ListingsByUSCC(ctx, v, credit.ListAbnormal, []string{w})
	if err != nil || abn[0][0].RepairedOn == nil || abn[0][0].Removal == nil ||
		abn[0][0].Removal.Reason != store.AbnormalRepairReason || !abn[0][0].Removal.RemovedOn.Equal(date("2022-07-01")) {
		t.Errorf("abnormal repair: %+v, %v", abn, err)
	}
	// The public no longer sees a repaired serious listing, and does not
	// learn that an abnormal one was repaired.
	pubSer, err := s.ListingsByUSCC(ctx, public("2023-01-01"), credit.ListSerious, []string{w})
	if err != nil || len(pubSer[0]) != 0 {
		t.Errorf("public serious: %+v, %v", pubSer, err)
	}
	pubAbn, err := s.ListingsByUSCC(ctx, public("2023-01-01"), credit.ListAbnormal, []string{w})
	if err != nil || len(pubAbn[0]) != 1 || pubAbn[0][0].RepairedOn != nil || pubAbn[0][0].Removal == nil {
		t.Errorf("public abnormal: %+v, %v", pubAbn, err)
	}
}

// A value PostgreSQL cannot hold (a NUL in text, a name too long for its
// index) fails the batch with store.ErrInvalidRecord, writes nothing, and
// does not repeat the value: the importer then splits the batch to find
// the record, and the message may reach a log.
func TestApplyRefusedDataIsInvalidRecord(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	good := enterprise(testUSCC("350102", 1), "福州好食品有限公司")
	for name, bad := range map[string]credit.Enterprise{
		"NUL in text":         enterprise(testUSCC("350102", 2), "福州\x00身份证350102198001011234"),
		"name over the index": enterprise(testUSCC("350102", 3), incompressible(3000)),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Apply(ctx, &store.Batch{Enterprises: lines(1, good, bad)})
			if !errors.Is(err, store.ErrInvalidRecord) {
				t.Fatalf("Apply: %v, want ErrInvalidRecord", err)
			}
			if strings.Contains(err.Error(), "350102198001011234") || strings.Contains(err.Error(), incompressible(3)) {
				t.Errorf("the error repeats the data: %v", err)
			}
			if _, err := s.Enterprise(ctx, credit.Visibility{Tier: credit.TierRegulator}, good.USCC); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the good record of the refused batch was written: %v", err)
			}
		})
	}
}

// incompressible returns n different CJK characters (an index entry is
// compressed before its size is checked).
func incompressible(n int) string {
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(0x4E00 + (i*7919)%20000)
	}
	return string(r)
}
