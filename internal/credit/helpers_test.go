package credit

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// d parses a civil date, YYYY-MM-DD, at midnight UTC.
func d(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// dp is d as a pointer; "" is nil.
func dp(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := d(s)
	return &t
}

func fmtDate(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func yuan(n float64) *decimal.Decimal {
	v := decimal.NewFromFloat(n)
	return &v
}

const (
	orgUSCC   = "91350100M000100Y43" // a company: the ¥100,000 threshold
	indivUSCC = "92350102MA2YABCD1R" // an individual business (2nd character 2): the ¥10,000 threshold
	decision  = "榕市监处罚〔2024〕12号"
	listingNo = "榕市监列严〔2021〕3号"
)

// penalty builds an ordinary-procedure penalty published on published: by
// default a ¥200,000 fine on a company, so a 3-year disclosure.
func penalty(published string, opts ...func(*Penalty)) Penalty {
	pub := d(published)
	p := Penalty{
		USCC:           orgUSCC,
		DecisionNumber: decision,
		ViolationType:  "生产经营不符合食品安全标准的食品",
		PenaltyTypes:   []PenaltyType{PenaltyFine},
		FineAmount:     yuan(200_000),
		Authority:      "福州市市场监督管理局",
		DecidedOn:      pub.AddDate(0, 0, -14),
		PublishedOn:    pub,
		Procedure:      ProcedureOrdinary,
	}
	for _, o := range opts {
		o(&p)
	}
	return p
}

func types(ts ...PenaltyType) func(*Penalty) {
	return func(p *Penalty) {
		p.PenaltyTypes = ts
		if len(ts) == 0 || !containsType(ts, PenaltyFine) {
			p.FineAmount = nil
		}
	}
}

func containsType(ts []PenaltyType, t PenaltyType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// fine sets the fine amount (keeping the types).
func fine(n float64) func(*Penalty) { return func(p *Penalty) { p.FineAmount = yuan(n) } }

// on names the penalised party.
func on(uscc string) func(*Penalty) { return func(p *Penalty) { p.USCC = uscc } }

func restrictedUntil(s string) func(*Penalty) {
	return func(p *Penalty) { p.RestrictionUntil = dp(s) }
}

func penaltyRepaired(s string) func(*Penalty) { return func(p *Penalty) { p.RepairedOn = dp(s) } }

func inArea(a KeyArea) func(*Penalty) { return func(p *Penalty) { p.KeyArea = &a } }

func revoked(p *Penalty) { p.Revoked = true }

func simple(p *Penalty) { p.Procedure = ProcedureSimple }

// serious builds a serious-list entry listed on listed.
func serious(listed string, opts ...func(*Listing)) Listing {
	ground := "生产经营不符合食品安全标准的婴幼儿配方食品"
	pd := decision
	l := Listing{
		List:                  ListSerious,
		USCC:                  orgUSCC,
		DecisionNumber:        listingNo,
		Reason:                &ground,
		ListedOn:              d(listed),
		Authority:             "福建省市场监督管理局",
		PenaltyDecisionNumber: &pd,
	}
	for _, o := range opts {
		o(&l)
	}
	return l
}

// abnormal builds an abnormal-list entry (reason 1, annual report not filed).
func abnormal(listed string, opts ...func(*Listing)) Listing {
	reason := "未依照规定报送年度报告"
	l := Listing{
		List:           ListAbnormal,
		USCC:           orgUSCC,
		DecisionNumber: "榕市监异〔2023〕77号",
		ReasonCode:     1,
		Reason:         &reason,
		ListedOn:       d(listed),
		Authority:      "福州市鼓楼区市场监督管理局",
	}
	for _, o := range opts {
		o(&l)
	}
	return l
}

func removed(s string, reason string) func(*Listing) {
	return func(l *Listing) {
		l.Removal = &Removal{RemovedOn: d(s), Reason: reason, Authority: "福建省市场监督管理局"}
	}
}

func listingRepaired(s string) func(*Listing) { return func(l *Listing) { l.RepairedOn = dp(s) } }

// disc builds an expected Disclosure; "" dates are nil.
func disc(state DisclosureState, endsOn, changesOn string) Disclosure {
	return Disclosure{State: state, EndsOn: dp(endsOn), ChangesOn: dp(changesOn)}
}

func sameDisclosure(a, b Disclosure) bool {
	return a.State == b.State && sameDate(a.EndsOn, b.EndsOn) && sameDate(a.ChangesOn, b.ChangesOn)
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func fmtDisclosure(x Disclosure) string {
	return string(x.State) + " ends " + fmtDate(x.EndsOn) + " changes " + fmtDate(x.ChangesOn)
}

// checkDisclosure compares got with want; when stateOnly, only the state.
func checkDisclosure(t *testing.T, got, want Disclosure, stateOnly bool) {
	t.Helper()
	if stateOnly {
		if got.State != want.State {
			t.Errorf("state %s, want %s", got.State, want.State)
		}
		return
	}
	if !sameDisclosure(got, want) {
		t.Errorf("got  %s\nwant %s", fmtDisclosure(got), fmtDisclosure(want))
	}
}

// days lists every date from first to last inclusive.
func days(first, last string) []time.Time {
	var out []time.Time
	for t := d(first); !t.After(d(last)); t = t.AddDate(0, 0, 1) {
		out = append(out, t)
	}
	return out
}
