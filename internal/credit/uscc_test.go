package credit

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// refAlphabet is GB 32100-2015's alphabet, typed out again here so the tests
// do not trust the package's copy.
const refAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// refCheckChar computes character 18 from scratch: weights 3^i mod 31,
// c = 31 − (Σ value×weight mod 31), 31 → 0.
func refCheckChar(t testing.TB, first17 string) byte {
	t.Helper()
	if len(first17) != 17 {
		t.Fatalf("refCheckChar(%q): want 17 characters", first17)
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(refAlphabet, first17[i])
		if v < 0 {
			t.Fatalf("refCheckChar(%q): %q is not in the alphabet", first17, first17[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	return refAlphabet[(31-sum%31)%31]
}

// withCheck completes a 17-character prefix with its check character.
func withCheck(t testing.TB, first17 string) string {
	t.Helper()
	return first17 + string(refCheckChar(t, first17))
}

// codeEndingIn finds the 17th character that gives prefix16 the check
// character want (the weight 28 is invertible mod 31, so exactly one does).
func codeEndingIn(t testing.TB, prefix16 string, want byte) string {
	t.Helper()
	for i := 0; i < len(refAlphabet); i++ {
		if c := withCheck(t, prefix16+refAlphabet[i:i+1]); c[17] == want {
			return c
		}
	}
	t.Fatalf("no code %s?%c", prefix16, want)
	return ""
}

// refCheck names the first GB 32100-2015 check s fails ("" when valid), in
// the order length, alphabet, registration authority, organisation type,
// division, check character.
func refCheck(s string) (code, failed string) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if utf8.RuneCountInString(s) != 18 {
		return "", "length"
	}
	for _, r := range s {
		if !strings.ContainsRune(refAlphabet, r) {
			return "", "alphabet"
		}
	}
	// GB 32100-2015's table of registration authorities and their
	// organisation types, typed out again from the standard.
	refTypes := map[byte]string{'1': "1239", '2': "19", '3': "123459", '4': "19", '5': "1239",
		'6': "129", '7': "129", '8': "19", '9': "123", 'A': "19", 'N': "1239", 'Y': "1"}
	types, ok := refTypes[s[0]]
	if !ok {
		return "", "registration authority"
	}
	if !strings.ContainsRune(types, rune(s[1])) {
		return "", "organisation type"
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", "division"
		}
	}
	if s[2:8] != "100000" && !strings.Contains(" 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 ", " "+s[2:4]+" ") {
		return "", "division"
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(refAlphabet, s[i]) * w
		w = w * 3 % 31
	}
	if s[17] != refAlphabet[(31-sum%31)%31] {
		return "", "check character"
	}
	return s, ""
}

func TestUSCCAlphabet(t *testing.T) {
	if got := USCCAlphabet(); got != refAlphabet {
		t.Fatalf("USCCAlphabet() = %q, want %q", got, refAlphabet)
	}
	for _, c := range "IOSVZ" {
		if strings.ContainsRune(USCCAlphabet(), c) {
			t.Errorf("alphabet contains %q", c)
		}
	}
}

// Hand-checked: 91350100M000100Y4 → Σ = 9+3+27+135+26+420+8+900+112 = 1640,
// 1640 mod 31 = 28, c = 3. 914403001922038216: Σ = 831, mod 31 = 25, c = 6.
// 91330100716105852F: Σ = 884, mod 31 = 16, c = 15 = F.
func TestParseUSCCValid(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "Fujian company, hand-checked", in: "91350100M000100Y43", want: "91350100M000100Y43"},
		{name: "Shenzhen company, all digits, hand-checked", in: "914403001922038216", want: "914403001922038216"},
		{name: "Hangzhou company, letter check char, hand-checked", in: "91330100716105852F", want: "91330100716105852F"},
		{name: "lower case is upper-cased", in: "91350100m000100y43", want: "91350100M000100Y43"},
		{name: "mixed case", in: "91330100716105852f", want: "91330100716105852F"},
		{name: "surrounding spaces trimmed", in: "  91350100M000100Y43  ", want: "91350100M000100Y43"},
		{name: "tabs and newline trimmed", in: "\t91350100M000100Y43\r\n", want: "91350100M000100Y43"},
		{name: "ideographic space trimmed", in: "\u300091350100M000100Y43\u3000", want: "91350100M000100Y43"},
		{name: "lower case and spaces together", in: " 91350100m000100y43\n", want: "91350100M000100Y43"},
		{name: "individual business", in: withCheck(t, "92350102MA2YABCD1"), want: withCheck(t, "92350102MA2YABCD1")},
		{name: "farmers' cooperative", in: withCheck(t, "93350181MA31XY0K0"), want: withCheck(t, "93350181MA31XY0K0")},
		{name: "institution registered by an organ", in: withCheck(t, "12350000488000123"), want: withCheck(t, "12350000488000123")},
		{name: "check value 31 becomes 0", in: codeEndingIn(t, "9135010012345678", '0'), want: codeEndingIn(t, "9135010012345678", '0')},
		{name: "check value 30 is Y", in: codeEndingIn(t, "9135010012345678", 'Y'), want: codeEndingIn(t, "9135010012345678", 'Y')},
		{name: "every letter of the alphabet in the organisation code", in: withCheck(t, "91350100ABCDEFGHJ"), want: withCheck(t, "91350100ABCDEFGHJ")},
		{name: "the remaining letters", in: withCheck(t, "91350100KLMNPQRTU"), want: withCheck(t, "91350100KLMNPQRTU")},
		{name: "W X Y in the organisation code", in: withCheck(t, "91350100WXY000000"), want: withCheck(t, "91350100WXY000000")},
		{name: "registered nationally (division 100000)", in: withCheck(t, "91100000100003962"), want: withCheck(t, "91100000100003962")},
		{name: "Hong Kong division", in: withCheck(t, "91810000MA0000001"), want: withCheck(t, "91810000MA0000001")},
		{name: "law firm (3 1)", in: withCheck(t, "31350000MD0123456"), want: withCheck(t, "31350000MD0123456")},
		{name: "arbitration commission (3 5)", in: withCheck(t, "35350100MD0123456"), want: withCheck(t, "35350100MD0123456")},
		{name: "foundation (5 3)", in: withCheck(t, "53350000MJ0123456"), want: withCheck(t, "53350000MJ0123456")},
		{name: "military public institution (A 1)", in: withCheck(t, "A1350000MB0123456"), want: withCheck(t, "A1350000MB0123456")},
		{name: "village collective (N 2)", in: withCheck(t, "N2350181MF0123456"), want: withCheck(t, "N2350181MF0123456")},
		{name: "other authority (Y 1)", in: withCheck(t, "Y1350000MG0123456"), want: withCheck(t, "Y1350000MG0123456")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUSCC(tt.in)
			if err != nil {
				t.Fatalf("ParseUSCC(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseUSCC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseUSCCInvalid(t *testing.T) {
	const valid = "91350100M000100Y43"
	// at replaces character pos (1-based) of valid with c.
	at := func(pos int, c string) string { return valid[:pos-1] + c + valid[pos:] }
	tests := []struct {
		name, in, check string
	}{
		{name: "empty", in: "", check: "length"},
		{name: "only spaces", in: "   ", check: "length"},
		{name: "17 characters", in: valid[:17], check: "length"},
		{name: "19 characters", in: valid + "0", check: "length"},
		{name: "space inside makes 19", in: "9135 0100M000100Y43", check: "length"},
		{name: "hyphenated", in: "91350100-M000100Y43", check: "length"},
		{name: "6 Chinese characters are 18 bytes but 6 runes", in: "统一社会信用", check: "length"},
		{name: "17 ASCII and a Chinese character are 20 bytes but 18 runes", in: valid[:17] + "号", check: "alphabet"},
		{name: "18 Chinese characters", in: strings.Repeat("码", 18), check: "alphabet"},
		{name: "Chinese character in the division", in: at(4, "闽"), check: "alphabet"},
		{name: "I", in: at(10, "I"), check: "alphabet"},
		{name: "O", in: at(10, "O"), check: "alphabet"},
		{name: "S", in: at(10, "S"), check: "alphabet"},
		{name: "V", in: at(10, "V"), check: "alphabet"},
		{name: "Z", in: at(10, "Z"), check: "alphabet"},
		{name: "lower-case o upper-cases to O", in: at(12, "o"), check: "alphabet"},
		{name: "lower-case i upper-cases to I", in: at(18, "i"), check: "alphabet"},
		{name: "I as check character", in: at(18, "I"), check: "alphabet"},
		{name: "punctuation", in: at(9, "-"), check: "alphabet"},
		{name: "inner space", in: at(9, " "), check: "alphabet"},
		{name: "full-width digit", in: valid[:17] + "３", check: "alphabet"},
		{name: "registration authority 0", in: withCheck(t, "01350100M000100Y4"), check: "registration authority"},
		{name: "registration authority B", in: withCheck(t, "B1350100M000100Y4"), check: "registration authority"},
		{name: "organisation type 9 under market regulation (9)", in: "99330102MA0000001K", check: "organisation type"},
		{name: "organisation type 4 under market regulation (9)", in: withCheck(t, "94350100M000100Y4"), check: "organisation type"},
		{name: "organisation type 0", in: withCheck(t, "90350100M000100Y4"), check: "organisation type"},
		{name: "organisation type letter", in: withCheck(t, "9A350100M000100Y4"), check: "organisation type"},
		{name: "only type 1 under other authorities (Y)", in: withCheck(t, "Y2350100M000100Y4"), check: "organisation type"},
		{name: "type 3 is not a foreign-affairs type", in: withCheck(t, "23350100M000100Y4"), check: "organisation type"},
		{name: "organisation type is checked before the division", in: withCheck(t, "99A50100M000100Y4"), check: "organisation type"},
		{name: "division 000000", in: "91000000MA0000001R", check: "division"},
		{name: "no province 99", in: withCheck(t, "91990000M000100Y4"), check: "division"},
		{name: "no province 10 except 100000", in: withCheck(t, "91100100M000100Y4"), check: "division"},
		{name: "no province 72", in: withCheck(t, "91720000M000100Y4"), check: "division"},
		{name: "division is checked before the check character", in: "91990000M000100Y40", check: "division"},
		{name: "letter at position 3", in: withCheck(t, "91A50100M000100Y4"), check: "division"},
		{name: "letter at position 8", in: withCheck(t, "9135010AM000100Y4"), check: "division"},
		{name: "lower-case letter in the division", in: strings.ToLower(withCheck(t, "9135B100M000100Y4")), check: "division"},
		{name: "division failure is reported before a wrong check character", in: "91A50100M000100Y40", check: "division"},
		{name: "wrong check character", in: at(18, "4"), check: "check character"},
		{name: "two characters swapped", in: "91351000M000100Y43", check: "check character"},
		{name: "one organisation-code character changed", in: at(16, "X"), check: "check character"},
		{name: "wrong lower-case check character", in: strings.ToLower(withCheck(t, "91330100716105852")[:17]) + "e", check: "check character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUSCC(tt.in)
			if err == nil {
				t.Fatalf("ParseUSCC(%q) = %q, want a %s error", tt.in, got, tt.check)
			}
			if got != "" {
				t.Errorf("ParseUSCC(%q) returned %q with an error", tt.in, got)
			}
			var ue *USCCError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseUSCC(%q) error %T %v, want *USCCError", tt.in, err, err)
			}
			if ue.Check != tt.check {
				t.Errorf("ParseUSCC(%q): check %q (%v), want %q", tt.in, ue.Check, err, tt.check)
			}
			if ue.Input != tt.in {
				t.Errorf("Input = %q, want the original %q", ue.Input, tt.in)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.check+" check failed") || ue.Detail == "" {
				t.Errorf("error %q does not say which check failed", msg)
			}
			if _, ref := refCheck(tt.in); ref != tt.check {
				t.Errorf("test case is wrong: reference check says %q", ref)
			}
		})
	}
}

// Every wrong check character is rejected, and only the right one accepted.
func TestParseUSCCEveryCheckCharacter(t *testing.T) {
	for _, prefix := range []string{"91350100M000100Y4", "92350102MA2YABCD1", "914403001922038216"[:17]} {
		right := refCheckChar(t, prefix)
		for i := 0; i < len(refAlphabet); i++ {
			c := refAlphabet[i]
			_, err := ParseUSCC(prefix + string(c))
			var ue *USCCError
			switch {
			case c == right && err != nil:
				t.Errorf("%s%c: %v", prefix, c, err)
			case c != right && (!errors.As(err, &ue) || ue.Check != "check character"):
				t.Errorf("%s%c: got %v, want a check character error", prefix, c, err)
			}
		}
	}
}

func TestUSCCCheckChar(t *testing.T) {
	tests := []struct {
		name, first17 string
		want          byte
	}{
		{name: "hand-checked Fujian", first17: "91350100M000100Y4", want: '3'},
		{name: "hand-checked Shenzhen", first17: "91440300192203821", want: '6'},
		{name: "hand-checked Hangzhou", first17: "91330100716105852", want: 'F'},
		{name: "all zeros: sum 0 gives 31, which is 0", first17: "00000000000000000", want: '0'},
		{name: "1 at the last position: 28, c = 3", first17: "00000000000000001", want: '3'},
		{name: "1 at the first position: 1, c = 30 = Y", first17: "10000000000000000", want: 'Y'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := USCCCheckChar(tt.first17); got != tt.want {
				t.Errorf("USCCCheckChar(%q) = %q, want %q", tt.first17, got, tt.want)
			}
			if ref := refCheckChar(t, tt.first17); ref != tt.want {
				t.Errorf("test case is wrong: reference gives %q", ref)
			}
		})
	}
	t.Run("random prefixes agree with the reference", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for range 2000 {
			b := make([]byte, 17)
			for i := range b {
				b[i] = refAlphabet[rng.IntN(len(refAlphabet))]
			}
			if got, want := USCCCheckChar(string(b)), refCheckChar(t, string(b)); got != want {
				t.Fatalf("USCCCheckChar(%q) = %q, want %q", b, got, want)
			}
		}
	})
}

func TestIsIndividualBusiness(t *testing.T) {
	tests := []struct {
		name, uscc string
		want       bool
	}{
		{name: "9 2: individual business", uscc: withCheck(t, "92350102MA2YABCD1"), want: true},
		{name: "9 1: company", uscc: "91350100M000100Y43", want: false},
		{name: "9 3: farmers' cooperative", uscc: withCheck(t, "93350181MA31XY0K0"), want: false},
		{name: "1 2: type 2 of another authority", uscc: withCheck(t, "12350000488000123"), want: false},
		{name: "too short", uscc: "92350102", want: false},
		{name: "empty", uscc: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsIndividualBusiness(tt.uscc); got != tt.want {
				t.Errorf("IsIndividualBusiness(%q) = %v, want %v", tt.uscc, got, tt.want)
			}
		})
	}
}

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "914403001922038216", "91330100716105852f", " 91350100m000100y43\t",
		"91350100M000100Y44", "91A50100M000100Y43", "91350100I000100Y43", strings.Repeat("码", 18),
		"91350100M000100Y4号", "", "\u300091350100M000100Y43", "ıııııııııııııııııı", "ſſſſſſſſſſſſſſſſſſ",
		"\xff\xfe91350100M000100Y4",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseUSCC(in)
		want, failed := refCheck(in)
		if err != nil {
			var ue *USCCError
			if !errors.As(err, &ue) {
				t.Fatalf("ParseUSCC(%q): error %T, want *USCCError", in, err)
			}
			if ue.Check != failed {
				t.Fatalf("ParseUSCC(%q): check %q, reference says %q", in, ue.Check, failed)
			}
			if got != "" {
				t.Fatalf("ParseUSCC(%q) = %q with an error", in, got)
			}
			return
		}
		if failed != "" || got != want {
			t.Fatalf("ParseUSCC(%q) = %q, reference says %q / %q", in, got, want, failed)
		}
		if got[17] != refCheckChar(t, got[:17]) {
			t.Fatalf("ParseUSCC(%q) accepted a wrong check character", in)
		}
		again, err := ParseUSCC(got)
		if err != nil || again != got {
			t.Fatalf("ParseUSCC(%q) = %q, %v: accepted code does not round-trip", got, again, err)
		}
	})
}
