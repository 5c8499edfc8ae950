package credit

import "strings"

// The byte-level readers below return the width in bytes of what they find
// at s[i] (0 if it is not there). Full-width forms are U+FF01–U+FF5E, three
// bytes EF BC xx or EF BD xx.

// fullWidth returns the last byte of the full-width form at s[i] after
// EF BC (hi = false) or EF BD (hi = true), or 0.
func fullWidth(s string, i int, hi bool) byte {
	second := byte(0xBC)
	if hi {
		second = 0xBD
	}
	if i >= 0 && i+2 < len(s) && s[i] == 0xEF && s[i+1] == second {
		return s[i+2]
	}
	return 0
}

// digitWidth: 0–9 or ０–９.
func digitWidth(s string, i int) int {
	if i < len(s) {
		if s[i]-'0' <= 9 {
			return 1
		}
		if s[i] == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2]-0x90 <= 9 {
			return 3
		}
	}
	return 0
}

// digitValue is the value of the digit at s[i], which must be one.
func digitValue(s string, i int) byte {
	if c := s[i]; c-'0' <= 9 {
		return c - '0'
	}
	return s[i+2] - 0x90
}

// runEnd returns the end of the digit run at s[i] and its length.
func runEnd(s string, i int) (end, n int) {
	for i < len(s) {
		if s[i]-'0' <= 9 {
			i, n = i+1, n+1
		} else if digitWidth(s, i) == 3 {
			i, n = i+3, n+1
		} else {
			break
		}
	}
	return i, n
}

// letterWidth: A–Z, a–z or their full-width forms.
func letterWidth(s string, i int) int {
	if i < len(s) && isASCIILetter(s[i]) {
		return 1
	}
	if c := fullWidth(s, i, false); c >= 0xA1 && c <= 0xBA {
		return 3
	}
	if c := fullWidth(s, i, true); c >= 0x81 && c <= 0x9A {
		return 3
	}
	return 0
}

// fullWidthAlnum: ０–９, Ａ–Ｚ, ａ–ｚ.
func fullWidthAlnum(s string, i int) bool {
	return digitWidth(s, i) == 3 || letterWidth(s, i) == 3
}

func fullWidthAlnumBefore(s string, i int) bool { return i >= 3 && fullWidthAlnum(s, i-3) }

// letterBeforeWidth: the width of the letter that ends at s[i], or 0.
func letterBeforeWidth(s string, i int) int {
	if i > 0 && isASCIILetter(s[i-1]) {
		return 1
	}
	if i >= 3 && letterWidth(s, i-3) == 3 {
		return 3
	}
	return 0
}

func digitBefore(s string, i int) bool {
	return i > 0 && s[i-1] >= '0' && s[i-1] <= '9' || i >= 3 && digitWidth(s, i-3) == 3
}

// pointWidth: . or ．
func pointWidth(s string, i int) int {
	if i < len(s) && s[i] == '.' {
		return 1
	}
	if fullWidth(s, i, false) == 0x8E {
		return 3
	}
	return 0
}

// A number is a word of its own, or the digits of a word whose other
// characters are letters: Tel13912345678, ID350102198001011233. Digits
// elsewhere in the word make it a code (JY33501020000012, a run of 25
// digits), never personal data. whole asks for a word of its own: cards,
// which a Luhn digit alone cannot tell from a licence number.

// startOK reports whether a number may start at s[i]: what comes before it
// in its word is letters only (none if whole), and it does not follow a
// decimal point that follows a digit (0.13912345678 is a quantity).
func startOK(s string, i int, whole bool) bool {
	j := i
	for {
		w := letterBeforeWidth(s, j)
		if w == 0 {
			break
		}
		if whole {
			return false
		}
		j -= w
	}
	if digitBefore(s, j) {
		return false
	}
	if j == i && i > 0 && s[i-1] == '.' {
		return !digitBefore(s, i-1)
	}
	if j == i && i >= 3 && pointWidth(s, i-3) == 3 {
		return !digitBefore(s, i-3)
	}
	return true
}

// endOK reports whether a number may end at s[i]: what follows it in its
// word is letters only (none if whole), and a number that ends in a digit is
// not followed by a decimal point and a digit (13912345678.50 is a sum).
func endOK(s string, i int, whole bool) bool {
	j := i
	for {
		w := letterWidth(s, j)
		if w == 0 {
			break
		}
		if whole {
			return false
		}
		j += w
	}
	if digitWidth(s, j) > 0 {
		return false
	}
	if j == i && digitBefore(s, i) {
		w := pointWidth(s, i)
		return w == 0 || digitWidth(s, i+w) == 0
	}
	return true
}

// checkXAt: the check character X, x, Ｘ or ｘ.
func checkXAt(s string, i int) int {
	if i < len(s) && s[i]|0x20 == 'x' {
		return 1
	}
	if fullWidth(s, i, false) == 0xB8 || fullWidth(s, i, true) == 0x98 {
		return 3
	}
	return 0
}

// openAt: ( or （.
func openAt(s string, i int) int {
	if i < len(s) && s[i] == '(' {
		return 1
	}
	if fullWidth(s, i, false) == 0x88 {
		return 3
	}
	return 0
}

// closeAt: ) or ）.
func closeAt(s string, i int) int {
	if i < len(s) && s[i] == ')' {
		return 1
	}
	if fullWidth(s, i, false) == 0x89 {
		return 3
	}
	return 0
}

// plusAt: + or ＋.
func plusAt(s string, i int) int {
	if i < len(s) && s[i] == '+' {
		return 1
	}
	if fullWidth(s, i, false) == 0x8B {
		return 3
	}
	return 0
}

// atSignAt: @ or ＠.
func atSignAt(s string, i int) int {
	if s[i] == '@' {
		return 1
	}
	if fullWidth(s, i, false) == 0xA0 {
		return 3
	}
	return 0
}

// spaceAt: a space, a no-break space or an ideographic space.
func spaceAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == ' ':
		return 1
	case strings.HasPrefix(s[i:], "\u00a0"):
		return 2
	case strings.HasPrefix(s[i:], "\u3000"):
		return 3
	}
	return 0
}

// spaceBefore: the width of the space (as spaceAt) that ends at s[i], or 0.
func spaceBefore(s string, i int) int {
	for _, w := range [...]int{1, 2, 3} {
		if i >= w && spaceAt(s, i-w) == w {
			return w
		}
	}
	return 0
}

// dashAt: a hyphen-minus, one of the dashes U+2010–U+2015, a minus sign or
// a full-width hyphen-minus.
func dashAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == '-':
		return 1
	case i+2 < len(s) && s[i] == 0xE2 && s[i+1] == 0x80 && s[i+2] >= 0x90 && s[i+2] <= 0x95,
		strings.HasPrefix(s[i:], "\u2212"), fullWidth(s, i, false) == 0x8D:
		return 3
	}
	return 0
}

// sepAt: what joins two groups of one number — a space, or a dash with a
// space on either side or none.
func sepAt(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch s[i] { // the first bytes of the spaces and dashes
	case ' ', '-', 0xC2, 0xE2, 0xE3, 0xEF:
	default:
		return 0
	}
	j := i + spaceAt(s, i)
	if w := dashAt(s, j); w > 0 {
		j += w
		j += spaceAt(s, j)
	}
	return j - i
}

// listSepAt: what lists several local numbers — / ／ 、.
func listSepAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == '/':
		return 1
	case fullWidth(s, i, false) == 0x8F, strings.HasPrefix(s[i:], "、"):
		return 3
	}
	return 0
}
