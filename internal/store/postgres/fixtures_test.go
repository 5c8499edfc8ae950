package postgres

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// testUSCC returns a valid code for a company (91) in Fujian region
// "region" (6 digits) with organisation code number n.
func testUSCC(region string, n int) string {
	alphabet := credit.USCCAlphabet()
	org := make([]byte, 9)
	for i := 8; i >= 0; i-- {
		org[i] = alphabet[n%31]
		n /= 31
	}
	first := "91" + region + string(org)
	return first + string(credit.USCCCheckChar(first))
}

func date(s string) time.Time {
	t, err := credit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func enterprise(uscc, name string) credit.Enterprise {
	return credit.Enterprise{
		USCC: uscc, Name: name, Status: credit.StatusOperating, RegionCode: uscc[2:8],
		FormerNames: []string{}, KeyAreas: []credit.KeyArea{},
	}
}

// heavyPenalty is an ordinary-procedure fine above the lower amount: a
// three-year disclosure that may be repaired.
func heavyPenalty(uscc, dn string, decided string) credit.Penalty {
	return credit.Penalty{
		USCC: uscc, DecisionNumber: dn, ViolationType: "无证生产", PenaltyTypes: []credit.PenaltyType{credit.PenaltyFine},
		FineAmount: dec("200000.00"), Authority: "福州市市场监督管理局", DecidedOn: date(decided),
		PublishedOn: date(decided).AddDate(0, 0, 7), Procedure: credit.ProcedureOrdinary,
	}
}

func listing(list credit.ListKind, uscc, dn, listed string) credit.Listing {
	l := credit.Listing{List: list, USCC: uscc, DecisionNumber: dn, ListedOn: date(listed), Authority: "福州市市场监督管理局"}
	if list == credit.ListAbnormal {
		l.ReasonCode = 1
		l.Reason = ptr("未按规定报送年度报告")
	} else {
		l.Reason = ptr("生产经营不符合食品安全标准的婴幼儿配方食品")
	}
	return l
}

// lines numbers values from first.
func lines[T any](first int, vs ...T) []store.Line[T] {
	out := make([]store.Line[T], len(vs))
	for i, v := range vs {
		out[i] = store.Line[T]{N: first + i, V: v}
	}
	return out
}

var (
	regulator = func(asOf string) credit.Visibility {
		return credit.Visibility{Tier: credit.TierRegulator, AsOf: date(asOf)}
	}
	public = func(asOf string) credit.Visibility {
		return credit.Visibility{Tier: credit.TierPublic, AsOf: date(asOf)}
	}
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	return NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
}

func mustApply(t *testing.T, s *Store, b *store.Batch) []store.Rejection {
	t.Helper()
	rej, err := s.Apply(context.Background(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return rej
}

func mustNoRejections(t *testing.T, s *Store, b *store.Batch) {
	t.Helper()
	if rej := mustApply(t, s, b); len(rej) > 0 {
		t.Fatalf("Apply rejected %+v", rej)
	}
}

// rejectionCodes renders rejections as "line:CODE" for comparisons.
func rejectionCodes(rej []store.Rejection) string {
	var parts []string
	for _, r := range rej {
		parts = append(parts, fmt.Sprintf("%d:%s", r.Line, r.Code))
	}
	return strings.Join(parts, " ")
}

// statementCounter is a pgx.QueryTracer counting statements.
type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
