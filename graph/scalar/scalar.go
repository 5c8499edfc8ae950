// Package scalar holds the GraphQL custom scalars Date and Decimal: how they
// are written to and read from the wire. Bad input is rejected with a
// message naming what was wrong; nothing here touches the store.
package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/shopspring/decimal"
)

// MarshalDate writes a civil date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads "YYYY-MM-DD" and rejects anything else.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apierr.BadInput("Date must be a string \"YYYY-MM-DD\", got %T", v)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apierr.BadInput("Date %q is not a calendar date \"YYYY-MM-DD\"", s)
	}
	return t, nil
}

// MarshalDecimal writes an exact decimal as a string with at least two
// decimal places ("12500.00").
func MarshalDecimal(d decimal.Decimal) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		s := d.StringFixed(2)
		if d.Exponent() < -2 {
			s = d.String()
		}
		_, _ = io.WriteString(w, strconv.Quote(s))
	})
}

// UnmarshalDecimal reads a decimal string; numbers are refused because JSON
// numbers lose precision in many clients.
func UnmarshalDecimal(v any) (decimal.Decimal, error) {
	s, ok := v.(string)
	if !ok {
		return decimal.Decimal{}, apierr.BadInput("Decimal must be a string such as \"12500.00\", got %T", v)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, apierr.BadInput("Decimal %q is not a decimal number", s)
	}
	return d, nil
}
