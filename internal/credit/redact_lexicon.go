package credit

import (
	"strings"
	"unicode/utf8"
)

// The word lists of the rules, indexed. A rule asks "does a word of this
// list start (or end) here?" at nearly every ideograph it looks at; a
// linear scan of the list made that the cost of redaction. Here every word
// of every list is filed under its first and its last character, with the
// lists it belongs to as bits: one table lookup finds the two or three
// words that can match.

// wordList names a list of words, as a bit.
type wordList uint64

const (
	wAddress wordList = 1 << iota
	wAddressConnector
	wAddressEnd
	wBank
	wClauseEnd
	wCompoundSurname
	wCount
	wDetail
	wDiagnosisEnd
	wDivisionEnd
	wDocument
	wGenericDiagnosis
	wGenericLabel
	wHandle
	wHealth
	wHonorific
	wIllness
	wKeep
	wListJoin
	wMask
	wMaskOrdinal
	wNameFollower
	wNameLead
	wNonRole
	wNotDistrict
	wNotDivision
	wNotName
	wOrganism
	wPersonDetail
	wPersonalAfter
	wPlateSuffix
	wPreposition
	wPublicLabel
	wRoleConnector
	wRoleNotBefore
	wRoleWord
	wStaffHead
	wStreet
	wUnit
)

type lexEntry struct {
	word  string
	lists wordList
}

// lexicon files words by their first and last characters: ideographs in a
// table, anything else (ASCII, punctuation) by its first or last byte.
type lexicon struct {
	byFirst, byLast       [ideoLast - ideoFirst + 1]uint16 // 1 + index into groups, 0 for none
	groups                [][]lexEntry
	otherFirst, otherLast [256][]lexEntry
}

var lex = newLexicon(map[wordList][]string{
	wAddress: addressWords, wAddressConnector: addressConnectors, wAddressEnd: addressEnds, wBank: bankWords,
	wClauseEnd: clauseEnds, wCompoundSurname: compoundSurnames, wCount: countWords, wDetail: detailChars,
	wDiagnosisEnd: diagnosisEnds, wDivisionEnd: divisionEnds, wDocument: documentWords,
	wGenericDiagnosis: genericDiagnoses, wGenericLabel: genericLabels, wHandle: handleWords, wHealth: healthWords,
	wHonorific: honorifics, wIllness: illnesses, wKeep: keepWords, wListJoin: listJoins, wMask: maskChars,
	wMaskOrdinal: maskOrdinals, wNameFollower: nameFollowers, wNameLead: nameLeads, wNonRole: nonRoleWords,
	wNotDistrict: notDistricts, wNotDivision: notDivision, wNotName: notNames, wOrganism: organisms,
	wPersonDetail: personDetails, wPersonalAfter: personalAfter, wPlateSuffix: plateSuffixes,
	wPreposition: prepositions, wPublicLabel: publicLabels, wRoleConnector: roleConnectors,
	wRoleNotBefore: roleNotBefore, wRoleWord: roleWords, wStaffHead: staffHeads, wStreet: streetChars, wUnit: units,
})

func newLexicon(lists map[wordList][]string) *lexicon {
	l := new(lexicon)
	all := map[string]wordList{}
	var order []string
	for list, words := range lists {
		for _, w := range words {
			if w == "" {
				panic("credit: empty word in a redaction list")
			}
			if all[w] == 0 {
				order = append(order, w)
			}
			all[w] |= list
		}
	}
	for _, w := range order {
		e := lexEntry{w, all[w]}
		first, _ := utf8.DecodeRuneInString(w)
		last, _ := utf8.DecodeLastRuneInString(w)
		l.file(&l.byFirst, &l.otherFirst[w[0]], first, e)
		l.file(&l.byLast, &l.otherLast[w[len(w)-1]], last, e)
	}
	return l
}

// file puts e in index under the ideograph r, or in other.
func (l *lexicon) file(index *[ideoLast - ideoFirst + 1]uint16, other *[]lexEntry, r rune, e lexEntry) {
	if r < ideoFirst || r > ideoLast {
		*other = append(*other, e)
		return
	}
	g := &index[r-ideoFirst]
	if *g == 0 {
		l.groups = append(l.groups, nil)
		*g = uint16(len(l.groups))
	}
	l.groups[*g-1] = append(l.groups[*g-1], e)
}

// at returns the length of the longest word of the lists that s[i:]
// starts with, or 0.
func (l *lexicon) at(s string, i int, lists wordList) int {
	if i < 0 || i >= len(s) {
		return 0
	}
	entries := l.otherFirst[s[i]]
	if r, ok := ideoRune(s, i); ok {
		entries = l.group(l.byFirst[r-ideoFirst])
	}
	return longest(entries, lists, s[i:], strings.HasPrefix)
}

// before returns the length of the longest word of the lists that s[:i]
// ends with, or 0.
func (l *lexicon) before(s string, i int, lists wordList) int {
	if i <= 0 || i > len(s) {
		return 0
	}
	entries := l.otherLast[s[i-1]]
	if r, ok := ideoRune(s, i-3); ok {
		entries = l.group(l.byLast[r-ideoFirst])
	}
	return longest(entries, lists, s[:i], strings.HasSuffix)
}

func (l *lexicon) group(g uint16) []lexEntry {
	if g == 0 {
		return nil
	}
	return l.groups[g-1]
}

// longest returns the length of the longest of the entries in the lists
// that has(s, word) finds, or 0.
func longest(entries []lexEntry, lists wordList, s string, has func(s, word string) bool) int {
	best := 0
	for _, e := range entries {
		if e.lists&lists != 0 && len(e.word) > best && has(s, e.word) {
			best = len(e.word)
		}
	}
	return best
}

// wordAt and wordBefore ask the lexicon.
func wordAt(s string, i int, lists wordList) int     { return lex.at(s, i, lists) }
func wordBefore(s string, i int, lists wordList) int { return lex.before(s, i, lists) }
