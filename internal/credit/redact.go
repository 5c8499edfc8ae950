package credit

import "strings"

// Personal data in free text (Order 45 Art. 6: a natural person's ID number,
// telephone and bank account must not be public). Penalty facts, inspection
// items, commitments and case summaries are typed by people and now and then
// carry such data; PUBLIC and PARTNER see them through Redact, REGULATOR sees
// the original.
//
// The rules, and why. A false negative leaks a citizen's data; a false
// positive hides a piece of public information from the public tiers only
// (REGULATOR still has it). So where a typo would leak, the patterns are
// structural rather than resting on a check digit, and each is pinned down
// tightly enough that the public numbers of this domain never fit: decision
// numbers 〔2023〕118号, amounts 12500.00, dates 2024-05-01 and 20240501,
// licence numbers SC10635010200005 and JY33501020000012 (Luhn-checked),
// USCCs, batch numbers, standards GB 2760-2014, Chinese EAN-13 bar codes
// (69…), 20-digit special-equipment codes.
//
//   - Boundaries. A number is a word of its own, or the digits of a word whose
//     other characters are letters (Tel13912345678, ID350102198001011233):
//     digits elsewhere in the word make it a code, and a number never starts
//     or ends inside a longer digit run. ASCII and full-width digits are
//     alike. A number ending in a digit is not followed by a decimal point
//     and a digit, nor does one start after a digit and a decimal point
//     (0.13912345678, 13912345678.50 are quantities).
//   - Resident ID number (GB 11643), 18 characters: a division whose first
//     two digits are a province code (or 9 and a province code: the 2023
//     foreigner's permanent residence card), a real birth date YYYYMMDD in
//     1900–2099, three digits and a last character 0–9 or X. The check
//     character is NOT required to be right: a mistyped ID still names its
//     holder (17 digits are right, and a single error can be corrected from
//     the check), and an 18-digit run with a province code and a real date
//     in the right places is an ID far more often than anything else; the
//     price is that such a run with a wrong check, say a document number
//     built as division + date + serial, is hidden too. Whole, 6-8-4 or in
//     fours. One exception: an ID-shaped 91/92/93… number that is a valid
//     USCC is the enterprise's code (all-digit codes of counties like
//     110119 can look like a birth date), not a foreigner's card.
//   - Legacy ID, 15 digits: province division, YYMMDD (19YY), three digits.
//     Whole or 6-6-3. (An old 15-digit registration number 注册号 whose
//     digits 7–12 happen to form a date, about 1 in 27, is hidden too.)
//   - Mobile: 1[3-9] and 9 more digits, whole or as 3-4-4, 3-8, 7-4, with an
//     optional country code 86, 0086, +86, (+86), separate or glued on.
//   - Landline: area code 010, 02x (then 8 digits) or 0[3-9]xx (then 7 or
//     8 digits), the local number not starting with 0; the area code in
//     parentheses, joined by a dash or a space, or glued on; +86 with the
//     area code's 0 dropped; an extension (-123, 转123, 分机123, ext. 123);
//     further local numbers listed after it (0591-87654321/87654322). A bare
//     local number without an area code is not recognised: it cannot be
//     told from a date or a batch number.
//   - Bank card: 13–19 digits, whole or grouped in fours, passing the Luhn
//     check AND starting like a card scheme of that length (Visa 4: 13, 16,
//     19; Amex 34/37: 15; Diners 14–19; JCB, Mastercard, UnionPay 6, domestic
//     9: 16–19). Luhn alone is not enough here: licence numbers carry a Luhn
//     digit too, and one in ten long numbers passes by chance. An 18-digit
//     run that is a valid USCC is not a card. A card, unlike an ID or a
//     telephone, must be a word of its own: no letters glued on.
//   - E-mail address: a local part of letters, digits and ._%+-, @ or ＠,
//     and a domain whose last label is two or more characters starting with
//     a letter; the whole words on both sides of the at sign.
//
// Every span becomes the same marker, so the text does not reveal which kind
// of data was there. Redact is idempotent: the marker holds no digit or
// letter, a span never leaves part of a word beside it that a second pass
// could read differently, and spans an e-mail address overlaps are merged
// with it.

// RedactionMarker stands in for every piece of personal data Redact removes.
// It uses square brackets because decision numbers use 〔〕.
const RedactionMarker = "[已脱敏]"

// Redact returns s with natural persons' ID numbers, mobile and landline
// numbers, bank card numbers and e-mail addresses replaced by
// RedactionMarker. Text without any of them is returned as it is, without
// allocating. It is what PUBLIC and PARTNER see of free text.
func Redact(s string) string {
	if !mayHoldPersonalData(s) {
		return s
	}
	var buf [8]span
	spans := findPersonalData(s, buf[:0])
	if len(spans) == 0 {
		return s
	}
	return replaceSpans(s, spans)
}

// RedactPtr is Redact for optional text: nil stays nil, and text without
// personal data keeps its pointer.
func RedactPtr(p *string) *string {
	if p == nil {
		return nil
	}
	r := Redact(*p)
	if r == *p {
		return p
	}
	return &r
}

// minDigits is the fewest digits any number Redact looks for holds: a mobile,
// or a four-digit area code and a seven-digit local number.
const minDigits = 11

// mayHoldPersonalData is the fast path: most free text has too few digits
// for any number and no at sign.
func mayHoldPersonalData(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			n++
		case c == '@':
			return true
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC:
			switch c2 := s[i+2]; {
			case c2 >= 0x90 && c2 <= 0x99: // ０–９
				n++
			case c2 == 0xA0: // ＠
				return true
			}
			i += 2
		default:
			continue
		}
		if n >= minDigits {
			return true
		}
	}
	return false
}

// span is a byte range of personal data in the text.
type span struct{ start, end int }

// What findPersonalData does with each byte.
const (
	byteSkip   = iota // nothing begins here
	byteNumber        // 0–9 ( +: a number may begin
	byteAt            // @: an e-mail address may be here
	byteFull          // EF: a full-width form, maybe ０–９ （ ＋ ＠
	byteCJK           // E0–EE: leads a three-byte character (CJK text), never of interest
)

var byteKinds = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byteNumber
	}
	t['+'], t['('], t['@'], t[0xEF] = byteNumber, byteNumber, byteAt, byteFull
	for c := 0xE0; c < 0xEF; c++ {
		t[c] = byteCJK
	}
	return t
}()

// findPersonalData appends the spans of personal data in s, in order and
// not overlapping.
func findPersonalData(s string, spans []span) []span {
	for i := 0; i < len(s); {
		switch byteKinds[s[i]] {
		case byteSkip:
			i++
			continue
		case byteCJK:
			if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
				i += 3
			} else {
				i++
			}
			continue
		case byteAt:
			spans, i = appendEmail(s, i, 1, spans)
			continue
		case byteFull:
			if w := atSignAt(s, i); w > 0 {
				spans, i = appendEmail(s, i, w, spans)
				continue
			}
			if digitWidth(s, i) == 0 && openAt(s, i) == 0 && plusAt(s, i) == 0 {
				i++
				continue
			}
		}
		var sp span
		var ok bool
		sp, i, ok = number(s, i)
		if ok {
			spans = append(spans, sp)
		}
	}
	return spans
}

// replaceSpans puts the marker in place of each span.
func replaceSpans(s string, spans []span) string {
	n := len(s)
	for _, sp := range spans {
		n += len(RedactionMarker) - (sp.end - sp.start)
	}
	var b strings.Builder
	b.Grow(n)
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(RedactionMarker)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// number looks for a number at s[i], which holds a digit, a "(" or a "+".
// It returns its span and where to go on scanning; when there is none, that
// is past the first digit run (no number starts inside one) or the prefix.
func number(s string, i int) (sp span, next int, ok bool) {
	if skip, maybe := mayStartNumber(s, i); !maybe {
		return span{}, skip, false
	}
	var c chain
	if !c.parse(s, i) || c.nd < minDigits {
		return span{}, c.skip, false
	}
	end := max(idEnd(s, &c), mobileEnd(s, &c), landlineEnd(s, &c), cardEnd(s, &c))
	if end < 0 {
		return span{}, c.skip, false
	}
	return span{i, end}, end, true
}

// mayStartNumber is the cheap test before a chain is read. Most digit runs
// in free text are dates, sums and counts: too short for any number, and
// followed by neither a separator nor (after an opening parenthesis) a
// closing one. Most parentheses hold no digit at all. When it says no, skip
// is where to go on scanning.
func mayStartNumber(s string, i int) (skip int, maybe bool) {
	j := i + openAt(s, i)
	open := j > i
	j += plusAt(s, j)
	end, n := runEnd(s, j)
	if j > i {
		skip = i + max(openAt(s, i), plusAt(s, i))
	} else {
		skip = end
	}
	switch {
	case n == 0:
		return skip, false
	case n >= minDigits:
		return skip, true
	case open:
		return skip, closeAt(s, end) > 0
	}
	return skip, sepAt(s, end) > 0
}

const (
	maxGroups = 6
	maxDigits = 24 // more than any number: 19 for a card
)

// A chain is how people write a number: groups of digits joined by a space
// or a dash ("138 0013 8000", "0591-8765-4321"), maybe after "(" and "+"
// ("(0591)87654321", "+86 139 1234 5678", "(+86)13912345678").
type chain struct {
	open   bool // starts with ( and its first group is closed by )
	plus   bool // starts with + (after the parenthesis, if any)
	n      int
	groups [maxGroups]group
	nd     int
	digits [maxDigits]byte // the values of all groups' digits, in order
	skip   int             // where scanning goes on if no number is here
}

type group struct {
	start, end int // bytes in the text
	off, n     int // digits[off : off+n]
}

// parse reads the chain at s[i]. It fails when s[i] is a digit inside a
// longer number, or a prefix is not followed by what it needs.
func (c *chain) parse(s string, i int) bool {
	j := i
	if w := openAt(s, j); w > 0 {
		c.open, j = true, j+w
	}
	if w := plusAt(s, j); w > 0 {
		c.plus, j = true, j+w
	}
	end, ok := c.addRun(s, j)
	if j == i {
		c.skip = end
		if !startOK(s, i, false) {
			return false
		}
	} else {
		c.skip = i + max(openAt(s, i), plusAt(s, i))
	}
	if !ok {
		return false
	}
	for {
		next := end
		if c.n == 1 && c.open {
			w := closeAt(s, next)
			if w == 0 {
				return false
			}
			next += w
			next += sepAt(s, next)
		} else {
			w := sepAt(s, next)
			if w == 0 {
				return true
			}
			next += w
		}
		if digitWidth(s, next) == 0 {
			return true
		}
		e, ok := c.addRun(s, next)
		if !ok {
			return true
		}
		end = e
	}
}

// addRun reads the digit run at s[j] as the next group. It returns the end
// of the run, and false (without adding it) if there is none or no room.
func (c *chain) addRun(s string, j int) (int, bool) {
	off, end := c.nd, j
	for {
		w := digitWidth(s, end)
		if w == 0 {
			break
		}
		if c.nd < maxDigits {
			c.digits[c.nd] = digitValue(s, end)
		}
		c.nd++
		end += w
	}
	if c.nd == off || c.nd > maxDigits || c.n == maxGroups {
		c.nd = off
		return end, false
	}
	c.groups[c.n] = group{start: j, end: end, off: off, n: c.nd - off}
	c.n++
	return end, true
}

// fits reports whether the groups from g on have exactly these sizes.
func (c *chain) fits(g int, sizes ...int) bool {
	if g+len(sizes) > c.n {
		return false
	}
	for k, n := range sizes {
		if c.groups[g+k].n != n {
			return false
		}
	}
	return true
}

// from returns the digits from group g on.
func (c *chain) from(g int) []byte { return c.digits[c.groups[g].off:c.nd] }

// countryCode reports whether group g is 86 or 0086.
func (c *chain) countryCode(g int) bool {
	if g >= c.n {
		return false
	}
	d := c.from(g)
	switch c.groups[g].n {
	case 2:
		return d[0] == 8 && d[1] == 6
	case 4:
		return d[0] == 0 && d[1] == 0 && d[2] == 8 && d[3] == 6
	}
	return false
}

// The ways ID numbers are grouped: whole, by division, birth date and the
// rest, or in fours. An 18-character number ending in X is 17 digits and X.
var (
	id18Shapes = [...][]int{{18}, {6, 8, 4}, {4, 4, 4, 4, 2}}
	id17Shapes = [...][]int{{17}, {6, 8, 3}, {4, 4, 4, 4, 1}}
	id15Shapes = [...][]int{{15}, {6, 6, 3}}
)

// idEnd returns the end of a resident ID number at the start of c, or -1.
func idEnd(s string, c *chain) int {
	if c.open || c.plus {
		return -1
	}
	d := c.digits[:]
	for _, shape := range id18Shapes {
		end := c.shapeEnd(shape)
		if end >= 0 && validID18(d) && !enterpriseCode(d, int(d[17])) && endOK(s, end, false) {
			return end
		}
	}
	for _, shape := range id17Shapes {
		end := c.shapeEnd(shape)
		if end < 0 || !validID18(d) || enterpriseCode(d, usccX) {
			continue
		}
		if w := checkXAt(s, end); w > 0 && endOK(s, end+w, false) {
			return end + w
		}
	}
	for _, shape := range id15Shapes {
		if end := c.shapeEnd(shape); end >= 0 && validID15(d) && endOK(s, end, false) {
			return end
		}
	}
	return -1
}

// shapeEnd returns the end of the first groups if they have these sizes,
// or -1.
func (c *chain) shapeEnd(sizes []int) int {
	if !c.fits(0, sizes...) {
		return -1
	}
	return c.groups[len(sizes)-1].end
}

// mobileShapes are the ways an 11-digit mobile number is grouped.
var mobileShapes = [...][]int{{11}, {3, 4, 4}, {3, 8}, {7, 4}}

// mobileEnd returns the end of a mobile number at the start of c, or -1.
func mobileEnd(s string, c *chain) int {
	g := 0 // the group the subscriber number starts in
	switch cc := c.gluedCountryCode(); {
	case c.countryCode(0):
		g = 1
	case cc > 0 && !c.open:
		end := c.groups[0].end
		if validMobile(c.digits[cc:c.groups[0].n]) && endOK(s, end, false) {
			return end
		}
		return -1
	case c.open || c.plus:
		return -1
	}
	if g >= c.n || !validMobile(c.from(g)) {
		return -1
	}
	for _, shape := range mobileShapes {
		if c.fits(g, shape...) {
			if end := c.groups[g+len(shape)-1].end; endOK(s, end, false) {
				return end
			}
		}
	}
	return -1
}

// gluedCountryCode returns the length of the 86 or 0086 that a first group
// of 13 or 15 digits starts with, a mobile number glued to it, or 0.
func (c *chain) gluedCountryCode() int {
	d := c.digits[:]
	switch c.groups[0].n {
	case 13:
		if d[0] == 8 && d[1] == 6 {
			return 2
		}
	case 15:
		if d[0] == 0 && d[1] == 0 && d[2] == 8 && d[3] == 6 {
			return 4
		}
	}
	return 0
}

// localShapes are the ways a local telephone number is grouped, for 8 and
// 7 digits.
var localShapes = [...][]int{{8}, {4, 4}, {7}, {3, 4}, {4, 3}}

// landlineEnd returns the end of a landline number at the start of c, with
// its extension and the further local numbers listed after it, or -1.
func landlineEnd(s string, c *chain) int {
	g, area := 0, 0 // the group the local number starts in; the area code's length with its 0
	n0 := c.groups[0].n
	switch {
	case c.countryCode(0) && c.n > 1:
		g, area = 2, areaCodeLen(c.digits[c.groups[1].off:c.groups[1].off+c.groups[1].n], false)
		if area != c.groups[1].n+1 {
			return -1
		}
	case c.plus:
		return -1
	case areaCodeLen(c.digits[:n0], true) == n0:
		g, area = 1, n0
	case !c.open:
		area = areaCodeLen(c.digits[:n0], true)
		if area == 0 || !validLocal(c.digits[area:n0], area) {
			return -1
		}
		return landlineTail(s, c.groups[0].end)
	default:
		return -1
	}
	if g >= c.n {
		return -1
	}
	for _, shape := range localShapes {
		if !c.fits(g, shape...) {
			continue
		}
		last := g + len(shape) - 1
		local := c.digits[c.groups[g].off : c.groups[last].off+c.groups[last].n]
		if validLocal(local, area) {
			return landlineTail(s, c.groups[last].end)
		}
	}
	return -1
}

// landlineTail returns the end of a landline whose local number ends at
// s[i], with its extension and further local numbers, or -1 if it does not
// end there.
func landlineTail(s string, i int) int {
	if e := extensionEnd(s, i); e > i {
		return alsoEnd(s, e)
	}
	if !endOK(s, i, false) {
		return -1
	}
	return alsoEnd(s, i)
}

// areaCodeLen returns the length of the area code at the start of d: 3 for
// 010 and 02x, 4 for 0[3-9]xx, 0 if d starts with none. Without its 0
// (after +86) the lengths are one less and the result is still counted
// with the 0.
func areaCodeLen(d []byte, zero bool) int {
	if zero {
		if len(d) == 0 || d[0] != 0 {
			return 0
		}
		d = d[1:]
	}
	switch {
	case len(d) >= 2 && (d[0] == 1 && d[1] == 0 || d[0] == 2):
		return 3
	case len(d) >= 3 && d[0] >= 3:
		return 4
	}
	return 0
}

// validLocal reports whether d is a local number for an area code of that
// length: 8 digits after a three-digit code, 7 or 8 after a four-digit one,
// not starting with 0 (which would make it another area code). Real local
// numbers start with 2–8, but a mistyped or made-up 1 still reads as a
// telephone number.
func validLocal(d []byte, area int) bool {
	n := len(d)
	return (n == 8 || n == 7 && area == 4) && d[0] >= 1
}

// extensionEnd extends a landline ending at s[i] over an extension:
// -123, 转123, 分机 123, ext. 123. A dash followed by a longer number, or by
// one that goes on, is not an extension but the next number.
func extensionEnd(s string, i int) int {
	j, maxLen := i, 6
	if w := dashAt(s, j); w > 0 {
		j, maxLen = j+w, 5
	} else {
		j += spaceAt(s, j)
		switch {
		case strings.HasPrefix(s[j:], "转"):
			j += len("转")
		case strings.HasPrefix(s[j:], "分机"):
			j += len("分机")
		case len(s)-j >= 3 && strings.EqualFold(s[j:j+3], "ext"):
			j += 3
			if j < len(s) && s[j] == '.' {
				j++
			}
		default:
			return i
		}
		j += spaceAt(s, j)
	}
	k, n := runEnd(s, j)
	if n == 0 || n > maxLen || !endOK(s, k, false) {
		return i
	}
	if maxLen == 5 {
		if w := sepAt(s, k); w > 0 && digitWidth(s, k+w) > 0 {
			return i
		}
	}
	return k
}

// alsoEnd extends a landline ending at s[i] over further local numbers
// listed after it: 0591-87654321/87654322、87654323.
func alsoEnd(s string, i int) int {
	for {
		w := listSepAt(s, i)
		if w == 0 {
			return i
		}
		k, n := runEnd(s, i+w)
		if n != 7 && n != 8 || digitValue(s, i+w) == 0 || !endOK(s, k, false) {
			return i
		}
		i = k
	}
}

// cardEnd returns the end of a bank card number at the start of c, or -1:
// one run, or groups of four and a last group of one to four.
func cardEnd(s string, c *chain) int {
	if c.open || c.plus || !startOK(s, c.groups[0].start, true) {
		return -1
	}
	if n0 := c.groups[0].n; n0 != 4 {
		if c.validCard(1) && endOK(s, c.groups[0].end, true) {
			return c.groups[0].end
		}
		return -1
	}
	k := 1
	for k < c.n && c.groups[k].n == 4 {
		k++
	}
	if k < c.n && c.groups[k].n < 4 {
		k++
	}
	for ; k > 1; k-- {
		end := c.groups[k-1].end
		if c.validCard(k) && endOK(s, end, true) {
			return end
		}
	}
	return -1
}

// validCard reports whether the first k groups make a card number.
func (c *chain) validCard(k int) bool {
	last := c.groups[k-1]
	d := c.digits[:last.off+last.n]
	if len(d) < 13 || len(d) > 19 || !cardScheme(d) || !luhn(d) {
		return false
	}
	return len(d) != 18 || !allDigitUSCC(d)
}

// cardScheme reports whether d starts like a card of a real scheme of its
// length (ISO/IEC 7812 issuer numbers).
func cardScheme(d []byte) bool {
	n := len(d)
	p2 := int(d[0])*10 + int(d[1])
	p3 := p2*10 + int(d[2])
	p4 := p3*10 + int(d[3])
	switch d[0] {
	case 2: // Mastercard 2-series
		return p4 >= 2221 && p4 <= 2720 && n == 16
	case 3:
		switch {
		case p2 == 34 || p2 == 37: // American Express
			return n == 15
		case p4 >= 3528 && p4 <= 3589: // JCB
			return n >= 16
		case p2 == 36 || p2 == 38 || p2 == 39 || p3 >= 300 && p3 <= 305: // Diners Club
			return n >= 14
		}
		return false
	case 4: // Visa
		return n == 13 || n == 16 || n == 19
	case 5, 6, 9: // Mastercard, Maestro; UnionPay, Discover; domestic (9558, 95599)
		return n >= 16
	}
	return false
}

// luhn reports whether d passes the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	for i := len(d) - 1; i >= 0; i -= 2 {
		sum += int(d[i])
		if i > 0 {
			v := 2 * int(d[i-1])
			if v > 9 {
				v -= 9
			}
			sum += v
		}
	}
	return sum%10 == 0
}

// allDigitUSCC reports whether 18 digits make a valid unified social credit
// code: public, never a card.
func allDigitUSCC(d []byte) bool { return usccCheck(d) == int(d[17]) }

// enterpriseCode reports whether an ID-shaped number that starts with 9 is
// the USCC of a market-regulated entity (91, 92, 93) with a valid check
// character (check is its value: a digit, or usccX). Enterprise codes fill
// penalty texts and are public; the only IDs that start with 9,
// foreigners' permanent residence cards, are rare there.
func enterpriseCode(d []byte, check int) bool {
	return d[0] == 9 && d[1] >= 1 && d[1] <= 3 && usccCheck(d) == check
}

// usccX is the value of X in the USCC alphabet.
const usccX = 29

// usccCheck returns the value of the check character of a unified social
// credit code whose first 17 characters are the digits d[:17].
func usccCheck(d []byte) int {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(d[i]) * usccWeights[i]
	}
	return (31 - sum%31) % 31
}

// validID18 reports whether the first 17 digits of d have the shape of a
// resident ID number: province, birth date in 1900–2099. The check
// character is not looked at (see the package notes above).
func validID18(d []byte) bool {
	if !province(d[0], d[1]) && !(d[0] == 9 && province(d[1], d[2])) {
		return false
	}
	year := int(d[6])*1000 + int(d[7])*100 + int(d[8])*10 + int(d[9])
	return year >= 1900 && year <= 2099 && validDate(year, d[10:14])
}

// validID15 reports whether 15 digits have the shape of a legacy ID:
// province, birth date YYMMDD in the 1900s.
func validID15(d []byte) bool {
	return province(d[0], d[1]) && validDate(1900+int(d[6])*10+int(d[7]), d[8:12])
}

// province reports whether two digits are a province-level code of
// GB/T 2260 (including 71 Taiwan and 81–83 for Hong Kong, Macao and Taiwan
// residence permits).
func province(a, b byte) bool {
	switch a {
	case 1:
		return b >= 1 && b <= 5
	case 2:
		return b >= 1 && b <= 3
	case 3:
		return b >= 1 && b <= 7
	case 4:
		return b >= 1 && b <= 6
	case 5:
		return b <= 4
	case 6:
		return b >= 1 && b <= 5
	case 7:
		return b == 1
	case 8:
		return b >= 1 && b <= 3
	}
	return false
}

// validDate reports whether mmdd (four digits) is a day of year.
func validDate(year int, mmdd []byte) bool {
	m := int(mmdd[0])*10 + int(mmdd[1])
	day := int(mmdd[2])*10 + int(mmdd[3])
	if m < 1 || m > 12 || day < 1 {
		return false
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		days = 29
	}
	return day <= days
}

// validMobile reports whether d starts with a mobile number's 1[3-9].
func validMobile(d []byte) bool { return len(d) >= 11 && d[0] == 1 && d[1] >= 3 }

// appendEmail appends the e-mail address around the at sign at s[at] (w
// bytes) to spans, merging the spans its local part overlaps, and returns
// where to go on scanning. Like a number, an address is made of whole words:
// full-width letters and digits glued to it are taken in, so what is left
// beside it is never the rest of a word.
func appendEmail(s string, at, w int, spans []span) ([]span, int) {
	start, alnum := at, false
	for start > 0 {
		if c := s[start-1]; isLocal(c) {
			alnum = alnum || isASCIIAlnum(c)
			start--
		} else if fullWidthAlnumBefore(s, start) {
			alnum = true
			start -= 3
		} else {
			break
		}
	}
	end := domainEnd(s, at+w)
	if !alnum || end < 0 {
		return spans, at + w
	}
	for len(spans) > 0 && spans[len(spans)-1].end > start {
		start = min(start, spans[len(spans)-1].start)
		spans = spans[:len(spans)-1]
	}
	return append(spans, span{start, end}), end
}

// domainEnd returns the end of the longest domain name at s[i] — labels of
// letters, digits and hyphens joined by dots, the last one at least two
// characters long and starting with a letter — or -1. Like a number, it
// does not end in a digit before a decimal point and a digit.
func domainEnd(s string, i int) int {
	end, dots := -1, 0
	for {
		k := labelEnd(s, i)
		if k == i {
			return end
		}
		if dots > 0 && k-i >= 2 && isASCIILetter(s[i]) && endOK(s, k, false) {
			end = k
		}
		if k+1 >= len(s) || s[k] != '.' || labelEnd(s, k+1) == k+1 {
			return end
		}
		i, dots = k+1, dots+1
	}
}

// labelEnd returns the end of the domain label at s[i].
func labelEnd(s string, i int) int {
	for i < len(s) {
		if isASCIIAlnum(s[i]) || s[i] == '-' {
			i++
		} else if fullWidthAlnum(s, i) {
			i += 3
		} else {
			break
		}
	}
	return i
}

func isLocal(c byte) bool {
	return isASCIIAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isASCIIAlnum(c byte) bool { return c >= '0' && c <= '9' || isASCIILetter(c) }

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
