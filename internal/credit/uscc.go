package credit

import (
	"fmt"
	"strings"
)

// usccAlphabet is the 31-character alphabet of GB 32100-2015; a character's
// index is its value.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCError says which check a unified social credit code failed.
type USCCError struct {
	Input  string
	Check  string // "length", "alphabet", "division", "check character"
	Detail string
}

func (e *USCCError) Error() string {
	return fmt.Sprintf("invalid USCC %q: %s check failed: %s", e.Input, e.Check, e.Detail)
}

// ParseUSCC validates a unified social credit code and returns it upper-cased.
// Surrounding white space is trimmed; lower-case letters are accepted.
func ParseUSCC(s string) (string, error) {
	in := s
	s = strings.ToUpper(strings.TrimSpace(s))
	if n := len([]rune(s)); n != 18 {
		return "", &USCCError{Input: in, Check: "length", Detail: fmt.Sprintf("want 18 characters, got %d", n)}
	}
	for i, r := range []rune(s) {
		if !strings.ContainsRune(usccAlphabet, r) {
			return "", &USCCError{Input: in, Check: "alphabet", Detail: fmt.Sprintf("character %d %q is not in %s", i+1, r, usccAlphabet)}
		}
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", &USCCError{Input: in, Check: "division", Detail: fmt.Sprintf("characters 3–8 must be an administrative division code of digits, got %q", s[2:8])}
		}
	}
	if want := USCCCheckChar(s[:17]); s[17] != want {
		return "", &USCCError{Input: in, Check: "check character", Detail: fmt.Sprintf("character 18 is %q, want %q", s[17], want)}
	}
	return s, nil
}

// USCCCheckChar computes the 18th character for the first 17 characters of a
// code, which must already be in the alphabet.
func USCCCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccAlphabet, first17[i]) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c]
}

// IsIndividualBusiness reports whether a (valid) code names an individual
// business (个体工商户): registered by market regulation (9) with type 2.
func IsIndividualBusiness(uscc string) bool {
	return len(uscc) == 18 && uscc[0] == '9' && uscc[1] == '2'
}

// USCCAlphabet returns the code alphabet, for generators.
func USCCAlphabet() string { return usccAlphabet }
