package credit

import (
	"strings"
	"unicode/utf8"
)

// Reading Chinese text byte by byte. The contextual rules (names, addresses,
// health, documents, accounts) look at CJK Unified Ideographs, U+4E00–U+9FFF,
// three bytes each in UTF-8 (E4–E9 lead bytes). What each ideograph may
// start or end is one table lookup, so a scan over text in which nothing
// can begin costs a load per character and no allocation.

// What an ideograph may be, as bits of ideoKinds.
const (
	kSurname  uint16 = 1 << iota // a common single-character surname
	kCompound                    // the first character of a compound surname (欧阳, 司马 …)
	kRole                        // ends a role word by itself: 员, 工, 师, 者, 人 …
	kRoleWord                    // ends a role word only in roleWords: 子 (妻子), 长 (店长) …
	kStop                        // a function word or common verb: never in a given name, ends one
	kPlace                       // after a name it was a place or a shop: 区, 县, 路, 店, 记 …
	kWeak                        // a surname that is also a common function word: 于, 向 …
	kProvince                    // a province's plate abbreviation: 闽, 京, 粤 …
	kTrigger                     // the first character of an address, health or cue word
	kContext                     // the first character of a banking or document word
)

const ideoFirst, ideoLast = 0x4E00, 0x9FFF

var ideoKinds = func() *[ideoLast - ideoFirst + 1]uint16 {
	var t [ideoLast - ideoFirst + 1]uint16
	mark := func(bit uint16, chars string) {
		for _, r := range chars {
			if r >= ideoFirst && r <= ideoLast {
				t[r-ideoFirst] |= bit
			}
		}
	}
	mark(kSurname, singleSurnames)
	mark(kWeak, weakSurnames)
	for _, c := range compoundSurnames {
		mark(kCompound, c[:3])
	}
	mark(kRole, roleEnds)
	for _, w := range roleWords {
		mark(kRoleWord, lastRune(w))
	}
	mark(kStop, stopChars)
	mark(kPlace, placeChars)
	mark(kProvince, plateProvinces)
	for _, list := range [][]string{addressWords, healthWords, illnesses, nameCues} {
		for _, w := range list {
			mark(kTrigger, w[:3])
		}
	}
	for _, list := range [][]string{bankWords, documentWords, handleWords, publicLabels, genericLabels} {
		for _, w := range list {
			if w[0] >= 0xE4 && w[0] <= 0xE9 {
				mark(kContext, w[:3])
			}
		}
	}
	return &t
}()

func lastRune(w string) string {
	for i := len(w) - 1; i >= 0; i-- {
		if w[i]&0xC0 != 0x80 {
			return w[i:]
		}
	}
	return w
}

// ideoRune returns the ideograph at s[i] and true, or false if there is
// none.
func ideoRune(s string, i int) (rune, bool) {
	if i < 0 || i+2 >= len(s) {
		return 0, false
	}
	b0, b1, b2 := s[i], s[i+1], s[i+2]
	if b0 < 0xE4 || b0 > 0xE9 || b1&0xC0 != 0x80 || b2&0xC0 != 0x80 {
		return 0, false
	}
	r := rune(b0&0x0F)<<12 | rune(b1&0x3F)<<6 | rune(b2&0x3F)
	return r, r >= ideoFirst
}

// ideoAt returns the kinds of the ideograph at s[i] and true, or false if
// there is none.
func ideoAt(s string, i int) (uint16, bool) {
	r, ok := ideoRune(s, i)
	if !ok {
		return 0, false
	}
	return ideoKinds[r-ideoFirst], true
}

// ideoBefore is ideoAt for the ideograph that ends at s[i].
func ideoBefore(s string, i int) (uint16, bool) { return ideoAt(s, i-3) }

// is reports whether the ideograph at s[i] has any of the bits.
func is(s string, i int, bits uint16) bool {
	k, ok := ideoAt(s, i)
	return ok && k&bits != 0
}

// hasWordAt returns the length of the first of words that s[i:] starts
// with, or 0.
func hasWordAt(s string, i int, words []string) int {
	for _, w := range words {
		if strings.HasPrefix(s[i:], w) {
			return len(w)
		}
	}
	return 0
}

// hasWordBefore returns the length of the first of words that s[:i] ends
// with, or 0.
func hasWordBefore(s string, i int, words []string) int {
	for _, w := range words {
		if strings.HasSuffix(s[:i], w) {
			return len(w)
		}
	}
	return 0
}

// markerAt reports the marker's length if s[i:] starts with one, or 0.
func markerAt(s string, i int) int {
	if strings.HasPrefix(s[i:], RedactionMarker) {
		return len(RedactionMarker)
	}
	return 0
}

// clauseEnds are where the context of a number or a name stops: a sentence
// or a clause of its own. A comma does not stop it (账户名称：某某，账号：…).
func clauseEndAt(s string, i int) int {
	switch {
	case i >= len(s):
		return 0
	case s[i] == '\n' || s[i] == ';' || s[i] == '!' || s[i] == '?':
		return 1
	}
	return wordAt(s, i, wClauseEnd)
}

var clauseEnds = []string{"。", "；", "！", "？", "\u2029"}

// runeStart returns the start of the character that ends at s[i]; an
// invalid byte is a character of its own.
func runeStart(s string, i int) int {
	_, n := utf8.DecodeLastRuneInString(s[:i])
	return i - max(n, 1)
}

// skipConnectors passes over what stands between a label and what it
// labels: colons, spaces and words like 为, 是, 系.
func skipConnectors(s string, i int, words wordList) int {
	for {
		switch {
		case i < len(s) && (s[i] == ':' || s[i] == ' '):
			i++
		default:
			n := wordAt(s, i, words)
			if n == 0 {
				return i
			}
			i += n
		}
	}
}

// wordEnd extends a span ending at s[j] to the end of the word of letters
// and digits it ends in, decimal part included (路12.5, X3456Ｘcn): a span
// never ends inside a word, or a second pass would read the rest of the
// word as a word of its own.
func wordEnd(s string, j int) int {
	for j > 0 && (isASCIIAlnum(s[j-1]) || fullWidthAlnumBefore(s, j)) {
		switch {
		case j < len(s) && isASCIIAlnum(s[j]):
			j++
		case fullWidthAlnum(s, j):
			j += 3
		case pointWidth(s, j) > 0 && digitBefore(s, j) && digitWidth(s, j+pointWidth(s, j)) > 0:
			j += pointWidth(s, j)
		default:
			return j
		}
	}
	return j
}
