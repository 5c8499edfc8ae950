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
	Check  string // "length", "alphabet", "registration authority", "organisation type", "division", "check character"
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
	types, ok := organisationTypes[s[0]]
	if !ok {
		return "", &USCCError{Input: in, Check: "registration authority", Detail: fmt.Sprintf(
			"character 1 %q is not a registration authority code (1–9, A, N or Y)", s[0])}
	}
	if !strings.ContainsRune(types, rune(s[1])) {
		return "", &USCCError{Input: in, Check: "organisation type", Detail: fmt.Sprintf(
			"character 2 %q is not an organisation type of registration authority %c (%s); allowed: %s",
			s[1], s[0], authorityNames[s[0]], strings.Join(strings.Split(types, ""), ", "))}
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", &USCCError{Input: in, Check: "division", Detail: fmt.Sprintf("characters 3–8 must be an administrative division code of digits, got %q", s[2:8])}
		}
	}
	if div := s[2:8]; div != nationalDivision && !provinces[div[:2]] {
		return "", &USCCError{Input: in, Check: "division", Detail: fmt.Sprintf(
			"characters 3–8 %q do not start with a province-level division code (GB/T 2260: 11–65, 71, 81, 82) and are not %s (national bodies)", div, nationalDivision)}
	}
	if want := USCCCheckChar(s[:17]); s[17] != want {
		return "", &USCCError{Input: in, Check: "check character", Detail: fmt.Sprintf("character 18 is %q, want %q", s[17], want)}
	}
	return s, nil
}

// organisationTypes are GB 32100-2015's organisation type codes (character
// 2) allowed under each registration authority code (character 1), from the
// standard's table of registration authorities and organisation types:
//
//	1 机构编制 (institutional establishment): 1 organs, 2 public institutions, 3 mass
//	  organisations, 9 other
//	2 外交 (foreign affairs): 1 resident foreign news agencies, 9 other
//	3 司法行政 (justice): 1 law firms, 2 notaries, 3 grassroots legal services, 4 forensic
//	  appraisal, 5 arbitration commissions, 9 other
//	4 文化 (culture): 1 foreign cultural centres, 9 other
//	5 民政 (civil affairs): 1 social organisations, 2 private non-enterprise units,
//	  3 foundations, 9 other
//	6 旅游 (tourism): 1 and 2 representative offices, 9 other
//	7 宗教 (religious affairs): 1 venues, 2 colleges, 9 other
//	8 工会 (trade unions): 1 grassroots unions, 9 other
//	9 工商 (market regulation): 1 enterprises, 2 individual businesses, 3 farmers'
//	  cooperatives
//	A 中央军委改革和编制办公室 (Central Military Commission): 1 military public institutions,
//	  9 other
//	N 农业 (agriculture): 1–3 collective economic organisations, 9 other
//	Y 其他 (other authorities): 1 only
var organisationTypes = map[byte]string{
	'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239", '6': "129", '7': "129", '8': "19",
	'9': "123", 'A': "19", 'N': "1239", 'Y': "1",
}

// authorityNames name the registration authorities in error messages.
var authorityNames = map[byte]string{
	'1': "机构编制 institutional establishment", '2': "外交 foreign affairs", '3': "司法行政 justice",
	'4': "文化 culture", '5': "民政 civil affairs", '6': "旅游 tourism", '7': "宗教 religious affairs",
	'8': "工会 trade unions", '9': "工商 market regulation", 'A': "中央军委 Central Military Commission",
	'N': "农业 agriculture", 'Y': "其他 other",
}

// provinces are the province-level division codes of GB/T 2260 (the first
// two digits of characters 3–8): 31 provinces, autonomous regions and
// municipalities, Taiwan (71), Hong Kong (81) and Macao (82).
var provinces = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46
		50 51 52 53 54 61 62 63 64 65 71 81 82`) {
		m[c] = true
	}
	return m
}()

// nationalDivision is the division of bodies registered nationally.
const nationalDivision = "100000"

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
