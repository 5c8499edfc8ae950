package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Conversions between the domain's types and what pgx encodes natively.
// Amounts travel as pgtype.Numeric built from the decimal's coefficient and
// exponent, so they are exact both ways and never go through a string.

func numericArg(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func decimalOf(n pgtype.Numeric) *decimal.Decimal {
	if !n.Valid || n.NaN || n.InfinityModifier != pgtype.Finite || n.Int == nil {
		return nil
	}
	d := decimal.NewFromBigInt(n.Int, n.Exp)
	return &d
}

func keyAreaArg(a *credit.KeyArea) any {
	if a == nil {
		return nil
	}
	return string(*a)
}

func keyAreaOf(s *string) *credit.KeyArea {
	if s == nil {
		return nil
	}
	a := credit.KeyArea(*s)
	return &a
}

func keyAreasArg(as []credit.KeyArea) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func keyAreasOf(ss []string) []credit.KeyArea {
	out := make([]credit.KeyArea, len(ss))
	for i, s := range ss {
		out[i] = credit.KeyArea(s)
	}
	return out
}

func penaltyTypesArg(ts []credit.PenaltyType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func penaltyTypesOf(ss []string) []credit.PenaltyType {
	out := make([]credit.PenaltyType, len(ss))
	for i, s := range ss {
		out[i] = credit.PenaltyType(s)
	}
	return out
}

// dateArg passes a civil date; pgx writes time.Time to a date column by its
// calendar date, so dates are normalised to UTC first.
func dateArg(t time.Time) time.Time { return credit.DateOf(t) }

func datePtrArg(t *time.Time) any {
	if t == nil {
		return nil
	}
	return credit.DateOf(*t)
}

func stringsOrEmpty(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// dateKey and parseDateKey write and read a date inside a cursor.
func dateKey(t time.Time) string { return t.Format(time.DateOnly) }

func parseDateKey(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// riskStep is an imported risk category step as the risk_categories
// column holds it (migration 00012), the import line's own shape.
type riskStep struct {
	From     string `json:"from"`
	Category string `json:"category"`
}

// riskStepsArg is the risk_categories column of steps: NULL for none.
func riskStepsArg(steps []credit.RiskStep) any {
	if len(steps) == 0 {
		return nil
	}
	out := make([]riskStep, len(steps))
	for i, s := range steps {
		out[i] = riskStep{s.From.Format(time.DateOnly), s.Category}
	}
	b, err := json.Marshal(out)
	if err != nil { // strings always marshal
		panic("postgres: risk_categories: " + err.Error())
	}
	return b
}

func riskStepsOf(b []byte) ([]credit.RiskStep, error) {
	var raw []riskStep
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("postgres: risk_categories: %w", err)
	}
	steps := make([]credit.RiskStep, len(raw))
	for i, r := range raw {
		d, err := credit.ParseDate(r.From)
		if err != nil {
			return nil, fmt.Errorf("postgres: risk_categories: %w", err)
		}
		steps[i] = credit.RiskStep{From: d, Category: r.Category}
	}
	return steps, nil
}
