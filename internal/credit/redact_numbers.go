package credit

// Numbers that are personal data by their shape alone, wherever they stand:
// resident ID numbers, mobile and landline numbers, bank card numbers; and
// e-mail addresses (redact_email.go). Numbers that need a word beside them
// (bank accounts, passports, permits) are in redact_context.go.
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

// minDigits is the fewest digits any number personal by its shape holds: a
// mobile, or a four-digit area code and a seven-digit local number.
const minDigits = 11

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
	return span{i, end, 0}, end, true
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
