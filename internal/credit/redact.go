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
