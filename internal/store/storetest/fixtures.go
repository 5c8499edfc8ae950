package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/shopspring/decimal"
)

// Fixtures are small builders with sensible defaults; a test states only
// what it is about and adjusts the rest with with(). Dates are civil dates
// (midnight UTC) written as YYYY-MM-DD so a reader can check the arithmetic
// of every boundary by eye.

// day parses a YYYY-MM-DD literal; a typo is a bug in the suite.
func day(s string) time.Time {
	d, err := credit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dayPtr(s string) *time.Time { d := day(s); return &d }

func ptr[T any](v T) *T { return &v }

func yuan(n int64) *decimal.Decimal { d := decimal.NewFromInt(n); return &d }

// with returns v changed by f: with(penalty(...), func(p *credit.Penalty) {...}).
func with[T any](v T, f func(*T)) T {
	f(&v)
	return v
}

// usccOf returns a valid code: registration authority 9, organisation type
// typ ('1' company, '2' individual business), a division and organisation
// code n, and the GB 32100 check character.
func usccOf(typ byte, division string, n int) string {
	first := fmt.Sprintf("9%c%s%09d", typ, division, n)
	return first + string(credit.USCCCheckChar(first))
}

// company returns the code of company n in Fuzhou's Gulou district (350102).
func company(n int) string { return usccOf('1', "350102", n) }

// a1 is the enterprise most tests are about.
var a1 = company(1)

// enterprise returns an operating company with every optional field set,
// including the personal data public tiers must never see.
func enterprise(uscc string) credit.Enterprise {
	return credit.Enterprise{
		USCC:                        uscc,
		Name:                        "福州测试" + uscc[8:17] + "有限公司",
		FormerNames:                 []string{"福州旧名" + uscc[8:17] + "有限公司"},
		Type:                        ptr("有限责任公司"),
		Status:                      credit.StatusOperating,
		LegalRepresentative:         ptr("张三"),
		LegalRepresentativeIDType:   ptr("居民身份证"),
		LegalRepresentativeIDNumber: ptr("350102199001011234"),
		RegisteredCapital:           yuan(100),
		EstablishedOn:               dayPtr("2015-06-01"),
		RegistrationAuthority:       ptr("福州市鼓楼区市场监督管理局"),
		Address:                     ptr("福州市鼓楼区五四路1号"),
		BusinessScope:               ptr("食品销售"),
		RegionCode:                  uscc[2:8],
		KeyAreas:                    []credit.KeyArea{credit.AreaFoodDistribution},
		Phone:                       ptr("0591-87654321"),
	}
}

// Fine amounts either side of the default ¥100,000 "lower amount" for a
// company.
const (
	longFine  = 200_000
	shortFine = 5_000
)

// penalty returns an ordinary-procedure fine large enough for the 3-year
// period, decided and published on the same day to keep the arithmetic plain.
func penalty(uscc, number, published string) credit.Penalty {
	return credit.Penalty{
		USCC:           uscc,
		DecisionNumber: number,
		ViolationType:  "虚假宣传",
		Facts:          ptr("当事人在网店发布虚假宣传信息"),
		Basis:          ptr("《中华人民共和国反不正当竞争法》第二十条"),
		PenaltyTypes:   []credit.PenaltyType{credit.PenaltyFine},
		Content:        ptr("罚款200000元"),
		FineAmount:     yuan(longFine),
		Authority:      "福州市鼓楼区市场监督管理局",
		DecidedOn:      day(published),
		PublishedOn:    day(published),
		Procedure:      credit.ProcedureOrdinary,
	}
}

func license(uscc, number, decided string) credit.License {
	return credit.License{
		USCC:          uscc,
		LicenseNumber: number,
		Name:          "食品经营许可证",
		Content:       ptr("预包装食品销售"),
		ValidFrom:     dayPtr(decided),
		ValidTo:       ptr(day(decided).AddDate(5, 0, 0)),
		Authority:     "福州市鼓楼区市场监督管理局",
		DecidedOn:     day(decided),
		KeyArea:       ptr(credit.AreaFoodDistribution),
	}
}

func inspection(uscc, id, on string) credit.Inspection {
	return credit.Inspection{
		USCC:         uscc,
		InspectionID: id,
		Kind:         credit.InspectionRandomSpotCheck,
		InspectedOn:  day(on),
		Authority:    "福州市鼓楼区市场监督管理局",
		Result:       credit.ResultNoIssue,
		Items:        ptr("营业执照公示情况"),
	}
}

func abnormal(uscc, number, listed string) credit.Listing {
	return credit.Listing{
		List:           credit.ListAbnormal,
		USCC:           uscc,
		DecisionNumber: number,
		ReasonCode:     1,
		Reason:         ptr("未按规定报送年度报告"),
		ListedOn:       day(listed),
		Authority:      "福州市鼓楼区市场监督管理局",
	}
}

func serious(uscc, number, listed string) credit.Listing {
	return credit.Listing{
		List:                  credit.ListSerious,
		USCC:                  uscc,
		DecisionNumber:        number,
		Reason:                ptr("未取得食品生产许可从事食品生产活动"),
		ListedOn:              day(listed),
		Authority:             "福州市市场监督管理局",
		PenaltyDecisionNumber: ptr("P-GROUND"),
		KeyArea:               ptr(credit.AreaFoodProduction),
	}
}

func removal(list credit.ListKind, number, on, reason string) store.ListingRemoval {
	return store.ListingRemoval{
		List:                  list,
		ListingDecisionNumber: number,
		Removal:               credit.Removal{RemovedOn: day(on), Reason: reason, Authority: "福州市鼓楼区市场监督管理局"},
	}
}

func repair(target credit.RepairTarget, number, on string) credit.CreditRepair {
	return credit.CreditRepair{Target: target, TargetDecisionNumber: number, RepairedOn: day(on), Authority: "福州市鼓楼区市场监督管理局"}
}

func commitment(uscc, id, made string) credit.Commitment {
	return credit.Commitment{
		USCC:         uscc,
		CommitmentID: id,
		Kind:         credit.CommitmentVoluntary,
		Content:      "诚信经营，不销售过期食品",
		MadeOn:       day(made),
		Status:       credit.CommitmentInForce,
	}
}

func typicalCase(id, published string) credit.TypicalCase {
	return credit.TypicalCase{
		CaseID:      id,
		Title:       "典型案例" + id,
		Summary:     "某公司销售过期食品被处罚",
		PublishedOn: day(published),
		KeyArea:     ptr(credit.AreaFoodDistribution),
		RegionCode:  ptr("350102"),
	}
}

// batch builds a Batch from records of any kind; a record's line number is
// its position among the arguments, from 1, so a test can name the line a
// rejection must carry.
func batch(records ...any) *store.Batch {
	b := &store.Batch{}
	for i, r := range records {
		n := i + 1
		switch v := r.(type) {
		case credit.Enterprise:
			b.Enterprises = append(b.Enterprises, store.Line[credit.Enterprise]{N: n, V: v})
		case credit.License:
			b.Licenses = append(b.Licenses, store.Line[credit.License]{N: n, V: v})
		case credit.Penalty:
			b.Penalties = append(b.Penalties, store.Line[credit.Penalty]{N: n, V: v})
		case credit.Inspection:
			b.Inspections = append(b.Inspections, store.Line[credit.Inspection]{N: n, V: v})
		case credit.Listing:
			b.Listings = append(b.Listings, store.Line[credit.Listing]{N: n, V: v})
		case store.ListingRemoval:
			b.Removals = append(b.Removals, store.Line[store.ListingRemoval]{N: n, V: v})
		case credit.Commitment:
			b.Commitments = append(b.Commitments, store.Line[credit.Commitment]{N: n, V: v})
		case credit.CreditRepair:
			b.Repairs = append(b.Repairs, store.Line[credit.CreditRepair]{N: n, V: v})
		case credit.TypicalCase:
			b.TypicalCases = append(b.TypicalCases, store.Line[credit.TypicalCase]{N: n, V: v})
		default:
			panic(fmt.Sprintf("storetest: batch of %T", r))
		}
	}
	return b
}

// apply applies records as one batch and returns the rejections; an error
// fails the test.
func apply(t *testing.T, s store.Store, records ...any) []store.Rejection {
	t.Helper()
	rej, err := s.Apply(t.Context(), batch(records...))
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return rej
}

// mustApply applies records as one batch and fails the test on any rejection.
func mustApply(t *testing.T, s store.Store, records ...any) {
	t.Helper()
	if rej := apply(t, s, records...); len(rej) > 0 {
		t.Fatalf("Apply rejected %+v", rej)
	}
}
