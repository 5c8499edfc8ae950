package ingest

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/safetext"
)

// checker turns scanned members into typed values. The first problem found
// wins: after it, every method returns a zero value, so builders read as a
// plain list of fields.
type checker struct {
	v    *[numFields]value
	kind Kind
	err  *LineError
}

// fail records the first problem. String arguments are clipped: a message
// quotes what the line said, and a line may be a megabyte long.
func (c *checker) fail(code, format string, a ...any) {
	if c.err != nil {
		return
	}
	for i, v := range a {
		if s, ok := v.(string); ok {
			a[i] = clip(s, maxQuoted)
		}
	}
	c.err = lineErr(code, format, a...)
}

// multiline are the fields of long free text, which may hold tabs and line
// breaks; every other string is a single line.
var multiline = [numFields]bool{
	fFacts: true, fBasis: true, fContent: true, fBusinessScope: true, fItems: true,
	fReason: true, fGround: true, fSummary: true,
}

// failControl rejects a string holding a control character, naming the
// field, the character and where it is; the string itself is not quoted, so
// that the message never carries the character on.
func (c *checker) failControl(f field, where string, cc safetext.Control) {
	allowed := "control characters are not allowed"
	if multiline[f] {
		allowed = "only tab and line breaks are allowed in long text"
	}
	c.fail(CodeControlCharacter, "field %q: %s%s; %s", f, where, cc.Describe(), allowed)
}

// present reports whether f has a non-null value; a required field that has
// none fails MISSING_FIELD.
func (c *checker) present(f field, required bool) bool {
	if c.err != nil {
		return false
	}
	switch c.v[f].kind {
	case 0:
		if required {
			c.fail(CodeMissingField, "field %q is required for kind %q", f, c.kind)
		}
		return false
	case 'n':
		if required {
			c.fail(CodeMissingField, "field %q is null; it is required for kind %q", f, c.kind)
		}
		return false
	}
	return true
}

// str returns f's string with surrounding white space trimmed (natural keys
// must not differ by a stray space). Present but blank fails INVALID_VALUE
// when required, and counts as absent otherwise.
func (c *checker) str(f field, required bool) (string, bool) {
	if !c.present(f, required) {
		return "", false
	}
	v := &c.v[f]
	if v.kind != '"' {
		c.fail(CodeInvalidType, "field %q: want a string, got %s", f, kindName(v.kind))
		return "", false
	}
	s := strings.TrimSpace(v.s)
	if cc, bad := safetext.FindControl(s, multiline[f]); bad {
		c.failControl(f, "", cc)
		return "", false
	}
	if s == "" {
		if required {
			c.fail(CodeInvalidValue, "field %q is empty", f)
		}
		return "", false
	}
	if !multiline[f] {
		if n := utf8.RuneCountInString(s); n > maxLineChars {
			c.fail(CodeInvalidValue, "field %q is %d characters long; a single-line value holds at most %d", f, n, maxLineChars)
			return "", false
		}
	}
	return s, true
}

// maxLineChars bounds single-line values (names, numbers, authorities):
// the longest real ones are about a hundred characters, and every one of
// them must fit a PostgreSQL index entry (2,704 bytes) in any script.
const maxLineChars = 500

// Amounts hold at most this many digits before and after the point: a
// quadrillion yuan, and 万元 to the yuan's hundredth.
const (
	maxAmountWhole    = 15
	maxAmountFraction = 6
)

func (c *checker) reqStr(f field) string {
	s, _ := c.str(f, true)
	return s
}

func (c *checker) optStr(f field) *string {
	if s, ok := c.str(f, false); ok {
		return &s
	}
	return nil
}

func (c *checker) date(f field, required bool) (time.Time, bool) {
	s, ok := c.str(f, required)
	if !ok {
		return time.Time{}, false
	}
	d, err := credit.ParseDate(s)
	if err != nil {
		c.fail(CodeInvalidDate, "field %q: %q is not a date (want YYYY-MM-DD)", f, s)
		return time.Time{}, false
	}
	return d, true
}

func (c *checker) reqDate(f field) time.Time {
	d, _ := c.date(f, true)
	return d
}

func (c *checker) optDate(f field) *time.Time {
	if d, ok := c.date(f, false); ok {
		return &d
	}
	return nil
}

// notBefore fails when both dates are set and later is before earlier.
func (c *checker) notBefore(later field, l *time.Time, earlier field, e *time.Time) {
	if l != nil && e != nil && l.Before(*e) {
		c.fail(CodeInvalidValue, "field %q (%s) is before field %q (%s)",
			later, l.Format(time.DateOnly), earlier, e.Format(time.DateOnly))
	}
}

func (c *checker) uscc(f field, required bool) (string, bool) {
	s, ok := c.str(f, required)
	if !ok {
		return "", false
	}
	u, err := credit.ParseUSCC(s)
	if err != nil {
		msg := err.Error()
		if ue := (*credit.USCCError)(nil); errors.As(err, &ue) {
			msg = fmt.Sprintf("%s check failed: %s", ue.Check, ue.Detail)
		}
		c.fail(CodeInvalidUSCC, "field %q: %q is not a valid unified social credit code: %s", f, s, msg)
		return "", false
	}
	return u, true
}

func (c *checker) reqUSCC(f field) string {
	u, _ := c.uscc(f, true)
	return u
}

func (c *checker) optUSCC(f field) *string {
	if u, ok := c.uscc(f, false); ok {
		return &u
	}
	return nil
}

func (c *checker) regionCode(f field, required bool) (string, bool) {
	s, ok := c.str(f, required)
	if !ok {
		return "", false
	}
	if len(s) != 6 || strings.Trim(s, "0123456789") != "" {
		c.fail(CodeInvalidValue, "field %q: %q is not a 6-digit administrative division code (GB/T 2260, e.g. \"350102\")", f, s)
		return "", false
	}
	return s, true
}

func (c *checker) reqRegionCode(f field) string {
	s, _ := c.regionCode(f, true)
	return s
}

func (c *checker) optRegionCode(f field) *string {
	if s, ok := c.regionCode(f, false); ok {
		return &s
	}
	return nil
}

// amount reads a decimal amount ≥ 0. Amounts are strings, so no precision
// is lost on the way; a JSON number is a type error that says so.
func (c *checker) amount(f field) *decimal.Decimal {
	if !c.present(f, false) {
		return nil
	}
	if k := c.v[f].kind; k != '"' {
		c.fail(CodeInvalidType, "field %q: want a decimal string such as \"12500.00\", got %s (amounts are strings so that no precision is lost)", f, kindName(k))
		return nil
	}
	s, ok := c.str(f, false)
	if !ok {
		return nil
	}
	if !isDecimal(strings.TrimPrefix(s, "-")) {
		c.fail(CodeInvalidValue, "field %q: %q is not a decimal amount (want digits with an optional fraction, e.g. \"12500.00\")", f, s)
		return nil
	}
	if s[0] == '-' {
		c.fail(CodeInvalidValue, "field %q: %q is negative", f, s)
		return nil
	}
	if whole, frac, _ := strings.Cut(s, "."); len(strings.TrimLeft(whole, "0")) > maxAmountWhole || len(frac) > maxAmountFraction {
		c.fail(CodeInvalidValue, "field %q: %q has too many digits (at most %d before the point and %d after)", f, s, maxAmountWhole, maxAmountFraction)
		return nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // unreachable for isDecimal input; kept for safety
		c.fail(CodeInvalidValue, "field %q: %q is not a decimal amount: %v", f, s, err)
		return nil
	}
	return &d
}

// isDecimal reports whether s is digits with an optional fraction: no sign,
// exponent, grouping or leading/trailing dot.
func isDecimal(s string) bool {
	whole, frac, dot := strings.Cut(s, ".")
	return allDigits(whole) && (!dot || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (c *checker) boolean(f field) bool {
	if !c.present(f, false) {
		return false
	}
	switch k := c.v[f].kind; k {
	case 't':
		return true
	case 'f':
		return false
	default:
		c.fail(CodeInvalidType, "field %q: want a boolean, got %s", f, kindName(k))
		return false
	}
}

// reasonCode reads the abnormal-list ground, a JSON number 1–4.
func (c *checker) reasonCode(f field) int {
	if !c.present(f, true) {
		return 0
	}
	v := &c.v[f]
	if v.kind != '0' {
		c.fail(CodeInvalidType, "field %q: want a number 1–4, got %s", f, kindName(v.kind))
		return 0
	}
	n, err := strconv.Atoi(v.s)
	if err != nil || n < 1 || n > 4 {
		c.fail(CodeInvalidValue, "field %q: %s is not one of 1 (annual report not filed), 2 (ordered disclosure not made), 3 (false disclosure), 4 (unreachable at the registered address)", f, v.s)
		return 0
	}
	return n
}

// strList reads an array of non-empty strings, trimmed; absent or null is
// an empty list.
func (c *checker) strList(f field) []string {
	if !c.present(f, false) {
		return nil
	}
	v := &c.v[f]
	if v.kind != '[' {
		c.fail(CodeInvalidType, "field %q: want an array of strings, got %s", f, kindName(v.kind))
		return nil
	}
	if v.bad != 0 {
		c.fail(CodeInvalidType, "field %q: element %d: want a string, got %s", f, v.badAt, kindName(v.bad))
		return nil
	}
	for i, s := range v.list {
		if cc, bad := safetext.FindControl(s, false); bad {
			c.failControl(f, fmt.Sprintf("element %d: ", i), cc)
			return nil
		}
		if v.list[i] = strings.TrimSpace(s); v.list[i] == "" {
			c.fail(CodeInvalidValue, "field %q: element %d is empty", f, i)
			return nil
		}
		if n := utf8.RuneCountInString(v.list[i]); n > maxLineChars {
			c.fail(CodeInvalidValue, "field %q: element %d is %d characters long; at most %d", f, i, n, maxLineChars)
			return nil
		}
	}
	return v.list // nil when empty, like an absent list
}

// dedupe drops repeated values, keeping the first of each.
func dedupe[T comparable](list []T) []T {
	out := list[:0]
	for _, t := range list {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// enum finds s among the allowed values; values are exact (lower-case, as
// the contract spells them).
func enum[T ~string](s string, allowed []T) (T, bool) {
	for _, a := range allowed {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

func reqEnum[T ~string](c *checker, f field, allowed []T) T {
	t, _ := checkEnum(c, f, true, allowed)
	return t
}

func optEnum[T ~string](c *checker, f field, allowed []T) *T {
	if t, ok := checkEnum(c, f, false, allowed); ok {
		return &t
	}
	return nil
}

func checkEnum[T ~string](c *checker, f field, required bool, allowed []T) (T, bool) {
	s, ok := c.str(f, required)
	if !ok {
		return "", false
	}
	t, ok := enum(s, allowed)
	if !ok {
		c.fail(CodeInvalidEnum, "field %q: %q is not one of %s", f, s, joinValues(allowed))
	}
	return t, ok
}

// enumList reads an array of enum values, without duplicates; a required
// list must not be empty.
func enumList[T ~string](c *checker, f field, allowed []T, required bool) []T {
	if !c.present(f, required) {
		return nil
	}
	list := c.strList(f)
	if c.err != nil {
		return nil
	}
	if len(list) == 0 && required {
		c.fail(CodeInvalidValue, "field %q is empty: want at least one of %s", f, joinValues(allowed))
		return nil
	}
	var out []T
	for i, s := range list {
		t, ok := enum(s, allowed)
		if !ok {
			c.fail(CodeInvalidEnum, "field %q: element %d: %q is not one of %s", f, i, s, joinValues(allowed))
			return nil
		}
		out = append(out, t)
	}
	return dedupe(out)
}

func joinValues[T ~string](vals []T) string {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(v))
	}
	return b.String()
}
