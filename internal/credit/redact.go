package credit

import (
	"slices"
	"strings"
)

// Personal data in free text (Order 45 Art. 6 and the provincial rules: a
// natural person's ID number, home address, telephone, bank account and
// health information, and the names of natural persons other than the
// party, must not be public). Penalty facts, inspection items, listing
// reasons, commitments, case summaries, addresses and business scopes are
// typed by people and now and then carry such data; PUBLIC and PARTNER see
// them through Redact, REGULATOR sees the original.
//
// What Redact hides, and where each rule lives:
//
//   - numbers personal by their shape: resident ID numbers, mobile and
//     landline numbers, bank card numbers (redact_numbers.go,
//     redact_phone.go); e-mail addresses (redact_email.go);
//   - numbers personal by the word before them: bank card and account numbers
//     of 8–30 digits after a banking word, passports, Hong Kong, Macao and
//     Taiwan permits, WeChat, Alipay and QQ accounts (redact_context.go);
//     vehicle plates (redact_plates.go);
//   - names of third persons, rewritten to surname + 某 (redact_names.go);
//   - home and personal addresses after 家住, 住址, 户籍地 …, kept up to the
//     district or county (redact_address.go);
//   - diseases and diagnoses of a person (redact_health.go).
//
// The balance. A false negative publishes a citizen's data; a false positive
// hides a piece of public information from the public tiers only (REGULATOR
// still has it). So the rules lean to hiding, but each is pinned down tightly
// enough that the public content of this domain never fits: decision numbers
// 〔2023〕118号, amounts, dates, licence, permit and batch numbers, USCCs,
// standards, product and enterprise names, the authority's own address, and
// the place names and ordinary words that hold a surname character.
//
// Every number and address becomes the same marker, so the text does not
// reveal which kind of data was there; a name becomes its surname and 某, as
// published decisions write it. Redact is idempotent (a second pass changes
// nothing: the marker holds no digit, letter or ideograph a rule reads, and
// a masked name is a name no rule rewrites), never splits a marker already
// in the text, and keeps valid UTF-8 valid.
//
// Cost. The public profile redacts every free-text field of every record
// at read time, so one scan does all of it: ASCII bytes go through a byte
// table, ideographs through one table of what each may start (ideoKinds),
// and only a hit looks further. Text with nothing to redact is returned as it
// is, without allocating.

// RedactionMarker stands in for every number and address Redact removes. It
// uses square brackets because decision numbers use 〔〕.
const RedactionMarker = "[已脱敏]"

// Redact returns s with the personal data of natural persons removed: ID,
// passport and permit numbers, telephone numbers, bank card and account
// numbers, e-mail and messaging accounts, vehicle plates, home addresses
// (kept up to the district or county) and health information become
// RedactionMarker; names of persons other than the party become surname +
// 某. Text without any is returned as it is, without allocating. It is what
// PUBLIC and PARTNER see of free text.
func Redact(s string) string {
	r := redactor{s: s}
	r.scan()
	r.settleIllnesses()
	if r.n == 0 {
		return s
	}
	return r.replace()
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

// A span is a byte range of personal data in the text. A number, an
// address or a diagnosis becomes the marker (sur = 0); a name keeps its
// first sur bytes, the surname, and the rest becomes 某.
type span struct{ start, end, sur int }

// A redactor collects the spans of one text. The first spans are kept in
// an array inside it, so that a redactor on the stack stays there: text with
// nothing to redact costs no allocation.
type redactor struct {
	s    string
	n    int // spans found
	buf  [8]span
	more []span // the spans after the first len(buf)

	// illnesses named in the text whose sentence decides (see
	// settleIllnesses): a name later in the sentence counts too.
	illnesses [4]span
	nIll      int
}

func (r *redactor) add(sp span) {
	if r.n < len(r.buf) {
		r.buf[r.n] = sp
	} else {
		r.more = append(r.more, sp)
	}
	r.n++
}

// span returns the k-th span found.
func (r *redactor) span(k int) span {
	if k < len(r.buf) {
		return r.buf[k]
	}
	return r.more[k-len(r.buf)]
}

// drop forgets the last span found.
func (r *redactor) drop() {
	r.n--
	if r.n >= len(r.buf) {
		r.more = r.more[:r.n-len(r.buf)]
	}
}

func (r *redactor) mark(start, end int) {
	if end > start {
		r.add(span{start, end, 0})
	}
}

func (r *redactor) rename(n nameSpan) { r.add(span{n.start, n.end, n.sur}) }

// What scan does with each byte.
const (
	byteSkip   = iota // nothing begins here
	byteNumber        // 0–9 ( +: a number may begin
	byteLetter        // A–Z a–z: a passport or permit number may begin
	byteAt            // @: an e-mail address may be here
	byteFull          // EF: a full-width form, maybe ０–９ （ ＋ ＠
	byteIdeo          // E4–E9: leads an ideograph
	byteCJK           // E0–E3, EA–EE: leads another three-byte character
)

var byteKinds = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byteNumber
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c], t[c+'a'-'A'] = byteLetter, byteLetter
	}
	t['+'], t['('], t['@'], t[0xEF] = byteNumber, byteNumber, byteAt, byteFull
	for c := 0xE0; c < 0xEF; c++ {
		t[c] = byteCJK
	}
	for c := 0xE4; c <= 0xE9; c++ {
		t[c] = byteIdeo
	}
	return t
}()

// scan finds the spans of personal data in r.s.
func (r *redactor) scan() {
	s := r.s
	for i := 0; i < len(s); {
		switch byteKinds[s[i]] {
		case byteSkip:
			i++
		case byteCJK:
			i += cjkWidth(s, i)
		case byteIdeo:
			i = r.ideograph(i)
		case byteLetter:
			i = r.letters(i)
		case byteAt:
			i = r.email(i, 1)
		case byteFull:
			if w := atSignAt(s, i); w > 0 {
				i = r.email(i, w)
			} else if digitWidth(s, i) > 0 || plusAt(s, i) > 0 {
				i = r.number(i)
			} else if openAt(s, i) > 0 {
				i = r.paren(i)
			} else if letterWidth(s, i) > 0 {
				i = r.letters(i)
			} else {
				i += cjkWidth(s, i)
			}
		case byteNumber:
			if s[i] == '(' {
				i = r.paren(i)
			} else {
				i = r.number(i)
			}
		}
	}
}

// cjkWidth is 3 for a well-formed three-byte character at s[i], else 1.
func cjkWidth(s string, i int) int {
	if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		return 3
	}
	return 1
}

// ideograph looks at the ideograph at s[i]: what it may end (a role word
// before a name) or start (a plate, an address, health or cue word).
func (r *redactor) ideograph(i int) int {
	k, ok := ideoAt(r.s, i)
	if !ok {
		return i + cjkWidth(r.s, i)
	}
	if k&kProvince != 0 && plateLetter(r.s, i+3) > 0 {
		if end := plateEnd(r.s, i, r.afterRedacted(i)); end > i {
			r.mark(i, end)
			return end
		}
	}
	if k&kTrigger != 0 {
		if e := nameCue(r.s, i); e >= 0 {
			r.cueName(e)
		}
		if next := r.address(i); next > i {
			return next
		}
		if next := r.health(i); next > i {
			return next
		}
	}
	if k&(kRole|kRoleWord) != 0 {
		return r.roleName(i, k)
	}
	return i + 3
}

// paren looks at an opening parenthesis: a name before particulars
// (张三（男，…）), or the start of a telephone number ((0591)87654321).
func (r *redactor) paren(i int) int {
	if e := nameCue(r.s, i); e >= 0 {
		r.cueName(e)
	}
	return r.number(i)
}

// number looks for a number at s[i]: one personal by its shape, else one
// personal by the word before it.
//
// Right after a span found before, the number starts a word, as it will
// after that span's marker in a second pass (HIV3568331234567896).
func (r *redactor) number(i int) int {
	s, off := r.s, 0
	glued := r.afterRedacted(i)
	if glued {
		s, off = r.s[i:], i
	}
	sp, next, ok := number(s, i-off)
	next += off
	if ok {
		r.mark(sp.start+off, sp.end+off)
		return next
	}
	if end := r.contextNumber(i, glued); end > i {
		r.mark(i, end)
		return end
	}
	return next
}

func (r *redactor) email(i, w int) int {
	start, end := emailAt(r.s, i, w)
	if end < 0 {
		return i + w
	}
	// The local part may take in numbers found before the at sign.
	for r.n > 0 && r.span(r.n-1).end > start {
		start = min(start, r.span(r.n-1).start)
		r.drop()
	}
	r.mark(start, end)
	return end
}

// replace writes the text with each span replaced. Spans found by
// different rules may overlap (a name in an address, a phone in an account
// context): they are sorted and overlapping ones joined, a joined span
// becoming the marker.
func (r *redactor) replace() string {
	spans := r.buf[:min(r.n, len(r.buf))]
	if r.n > len(r.buf) {
		spans = append(spans[:len(spans):len(spans)], r.more...)
	}
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	out := spans[:1]
	for _, sp := range spans[1:] {
		last := &out[len(out)-1]
		switch {
		case sp.start >= last.end:
			out = append(out, sp)
		case sp == *last:
		default:
			last.end, last.sur = max(last.end, sp.end), 0
		}
	}
	s := r.s
	var b strings.Builder
	b.Grow(len(s) + len(out)*len(RedactionMarker))
	at := 0
	for _, sp := range out {
		b.WriteString(s[at:sp.start])
		if sp.sur > 0 {
			b.WriteString(s[sp.start : sp.start+sp.sur])
			b.WriteString("某")
		} else {
			b.WriteString(RedactionMarker)
		}
		at = sp.end
	}
	b.WriteString(s[at:])
	return b.String()
}
