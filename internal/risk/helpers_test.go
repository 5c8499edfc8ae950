package risk

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// asOf is the assessment day of the table tests.
var asOf = d("2025-06-30")

const orgUSCC = "91350100M000100Y43"

// d parses a civil date, YYYY-MM-DD, at midnight UTC.
func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func dp(s string) *time.Time {
	t := d(s)
	return &t
}

// yuan is an amount as the store returns it, with cents: 150000.00.
func yuan(n int64) *decimal.Decimal {
	v := decimal.New(n*100, -2)
	return &v
}

func area(a credit.KeyArea) *credit.KeyArea { return &a }

var policy = credit.NewPolicy(credit.DefaultSettings())

func defaultModel() Model { return Model{DefaultSettings()} }

// enterprise is an operating company established long ago, in no key area.
func enterprise(opts ...func(*credit.Enterprise)) credit.Enterprise {
	e := credit.Enterprise{
		USCC:          orgUSCC,
		Name:          "福州示例食品有限公司",
		Status:        credit.StatusOperating,
		EstablishedOn: dp("2012-03-01"),
		RegionCode:    "350100",
	}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// penalty is an ordinary-procedure confiscation decided on decided: a
// heavier penalty with no fine and no sanction, so it scores PenaltyHeavier
// alone.
func penalty(id, decided string, opts ...func(*credit.Penalty)) credit.Penalty {
	p := credit.Penalty{
		USCC:           orgUSCC,
		DecisionNumber: id,
		ViolationType:  "violation " + id,
		PenaltyTypes:   []credit.PenaltyType{credit.PenaltyConfiscation},
		Authority:      "福州市市场监督管理局",
		DecidedOn:      d(decided),
		PublishedOn:    d(decided).AddDate(0, 0, 7),
		Procedure:      credit.ProcedureOrdinary,
	}
	for _, o := range opts {
		o(&p)
	}
	return p
}

func types(ts ...credit.PenaltyType) func(*credit.Penalty) {
	return func(p *credit.Penalty) { p.PenaltyTypes = ts }
}

func fine(n int64) func(*credit.Penalty) {
	return func(p *credit.Penalty) {
		p.PenaltyTypes, p.FineAmount = []credit.PenaltyType{credit.PenaltyFine}, yuan(n)
	}
}

func simple(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }

func withdrawn(p *credit.Penalty) { p.Revoked = true }

func violationType(v string) func(*credit.Penalty) {
	return func(p *credit.Penalty) { p.ViolationType = v }
}

func repairedOn(s string) func(*credit.Penalty) {
	return func(p *credit.Penalty) { p.RepairedOn = dp(s) }
}

func restrictedUntil(s string) func(*credit.Penalty) {
	return func(p *credit.Penalty) { p.RestrictionUntil = dp(s) }
}

func serious(id, listed string, opts ...func(*credit.Listing)) credit.Listing {
	l := credit.Listing{List: credit.ListSerious, USCC: orgUSCC, DecisionNumber: id, ListedOn: d(listed), Authority: "福建省市场监督管理局"}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func abnormal(id, listed string, reason int, opts ...func(*credit.Listing)) credit.Listing {
	l := credit.Listing{List: credit.ListAbnormal, USCC: orgUSCC, DecisionNumber: id, ReasonCode: reason, ListedOn: d(listed), Authority: "福州市市场监督管理局"}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func removed(on string, reason credit.RemovalReason) func(*credit.Listing) {
	return func(l *credit.Listing) {
		l.Removal = &credit.Removal{RemovedOn: d(on), Reason: string(reason), Authority: l.Authority}
	}
}

func inspection(id, on string, kind credit.InspectionKind, result credit.InspectionResult) credit.Inspection {
	return credit.Inspection{USCC: orgUSCC, InspectionID: id, Kind: kind, InspectedOn: d(on), Authority: "福州市市场监督管理局", Result: result}
}

func commitment(id, made string, status credit.CommitmentStatus, found string) credit.Commitment {
	c := credit.Commitment{USCC: orgUSCC, CommitmentID: id, Kind: credit.CommitmentNotification, Content: "符合许可条件", MadeOn: d(made), Status: status}
	if found != "" {
		c.UntrueFoundOn = dp(found)
	}
	return c
}

func license(no string, a credit.KeyArea, from, to string) credit.License {
	return credit.License{USCC: orgUSCC, LicenseNumber: no, Name: "食品生产许可证", ValidFrom: dp(from), ValidTo: dp(to),
		Authority: "福州市市场监督管理局", DecidedOn: d(from), KeyArea: area(a)}
}

// points maps each factor's code to its points.
func points(a Assessment) map[string]float64 {
	m := map[string]float64{}
	for _, f := range a.Factors {
		m[f.Code] = f.Points
	}
	return m
}
