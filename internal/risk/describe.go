package risk

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// describe appends what a factor counted to b, in English with the Chinese
// term, for a partner or regulator reading the letter's explanation.
// Descriptions are most of what Assess costs, so they are appended to one
// local buffer (a strings.Builder behind a pointer pays a GC write barrier
// per write).
func (s *Settings) describe(b []byte, f factor, t *tally, e *credit.Enterprise) []byte {
	w := s.Windows
	n := strconv.Itoa(t.n)
	switch f {
	case fSeriousListed:
		b = cat(b, "On the serious illegal and dishonest list (列入严重违法失信名单), which makes the category D: listings in force: ", n)
	case fSeriousPast:
		sp := spanOf(w.SeriousPast)
		b = cat(b, "Serious illegal and dishonest listings ended within the last ", sp.n, sp.en,
			" (近", sp.n, sp.zh, "曾列入严重违法失信名单): ", n)
		b = s.appendRepaired(b, t)
	case fAbnormalListed:
		b = cat(b, "On the abnormal operations list (列入经营异常名录): listings in force: ", n)
	case fAbnormalUnreachable:
		b = cat(b, "On the abnormal operations list as unreachable at the registered address ",
			"(通过登记的住所或者经营场所无法联系，列入经营异常名录): listings in force: ", n)
	case fPenaltyHeavier:
		b = s.appendPenalty(b, "Heavier administrative penalties", "较重行政处罚", t)
	case fPenaltyLighter:
		b = s.appendPenalty(b, "Penalties of a public reprimand or lower-amount fine only", "通报批评或较低数额罚款", t)
	case fPenaltyMinor:
		b = s.appendPenalty(b, "Simple-procedure or warning-only penalties", "简易程序或警告处罚", t)
	case fPenaltySuspension:
		b = s.appendPenalty(b, "Penalties suspending or restricting business or lowering a qualification (extra points)",
			"责令停产停业、限制开展生产经营活动、降低资质等级", t)
	case fPenaltyRevocation:
		b = s.appendPenalty(b, "Penalties revoking a licence or the business licence (extra points)", "吊销许可证件、吊销营业执照", t)
	case fLargeFine:
		b = cat(b, "Large fines, points per amount tier reached (")
		b = appendYuanList(b, s.FineTiers)
		b = s.appendPenalty(b, ")", "大额罚款，按金额分档", t)
	case fRepeatViolation:
		sp := spanOf(w.Penalty)
		b = cat(b, "Same violation type penalised more than once in the last ", sp.n, sp.en,
			" (近", sp.n, sp.zh, "同类违法行为重复受罚): ")
		b = appendJoined(b, t.details, "; ")
	case fSamplingNonCompliant:
		b = appendInspection(b, "Non-compliant sampling results", "监督抽检不合格", w.Inspection, n)
	case fInspectionNonCompliant:
		b = appendInspection(b, "Non-compliant spot or supervision checks", "抽查检查不合格", w.Inspection, n)
	case fIssuesCorrected:
		b = appendInspection(b, "Checks that found issues, since corrected,", "抽查检查发现问题已整改", w.Inspection, n)
	case fNotFoundAtAddress:
		b = appendInspection(b, "Not found at the registered address on a check", "抽查检查中通过登记的住所无法联系", w.Inspection, n)
	case fUntrueCommitment:
		sp := spanOf(w.Commitment)
		b = cat(b, "Credit commitments found untrue in the last ", sp.n, sp.en, " (近", sp.n, sp.zh, "信用承诺不实): ", n)
	case fLicenseExpired:
		b = cat(b, "Operating in a key area with only expired licences (重点领域许可证已过期仍在经营): ")
		b = appendJoined(b, t.details, ", ")
	case fYoungEnterprise:
		sp := spanOf(w.YoungEnterprise)
		b = cat(b, "Established on ", e.EstablishedOn.Format(time.DateOnly), ", less than ", sp.n, sp.en,
			" before the assessment (成立不满", sp.n, sp.zh, ")")
	case fStatusRevoked:
		b = cat(b, "Business licence revoked (吊销营业执照)")
	case fStatusCancelled:
		b = cat(b, "Registration cancelled (已注销)")
	default:
		b = cat(b, f.code())
	}
	return b
}

// cat appends parts to b.
func cat(b []byte, parts ...string) []byte {
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func appendJoined(b []byte, xs []string, sep string) []byte {
	for i, x := range xs {
		if i > 0 {
			b = cat(b, sep)
		}
		b = cat(b, x)
	}
	return b
}

func appendInspection(b []byte, en, zh string, window credit.Period, n string) []byte {
	sp := spanOf(window)
	return cat(b, en, " in the last ", sp.n, sp.en, " (近", sp.n, sp.zh, zh, "): ", n)
}

// appendPenalty describes a penalty factor: its window, repairs and decay.
func (s *Settings) appendPenalty(b []byte, en, zh string, t *tally) []byte {
	sp := spanOf(s.Windows.Penalty)
	b = cat(b, en, " in the last ", sp.n, sp.en, " (近", sp.n, sp.zh, zh, "): ", strconv.Itoa(t.n))
	b = s.appendRepaired(b, t)
	if hl := s.Windows.PenaltyHalfLife; hl != (credit.Period{}) {
		h := spanOf(hl)
		b = cat(b, "; points halve every ", h.n, h.en, " since the decision (按时间衰减，每", h.n, h.zh, "减半)")
	}
	return b
}

func (s *Settings) appendRepaired(b []byte, t *tally) []byte {
	if t.repaired > 0 {
		b = cat(b, ", of which ", strconv.Itoa(t.repaired), " credit-repaired (信用修复) and counted at ",
			strconv.FormatFloat(s.RepairedShare*100, 'g', -1, 64), "%")
	}
	return b
}

// span is a period in words, split so that the common one-unit case costs
// no allocation: n is the number ("3", or "" when en and zh say it all), en
// the English unit (" years") and zh the Chinese one ("年").
type span struct{ n, en, zh string }

func spanOf(p credit.Period) span {
	one := func(n int, en1, en, zh string) span {
		if n == 1 {
			en = en1
		}
		return span{strconv.Itoa(n), en, zh}
	}
	switch {
	case p.Months == 0 && p.Days == 0 && p.Years > 0:
		return one(p.Years, " year", " years", "年")
	case p.Years == 0 && p.Days == 0 && p.Months > 0:
		return one(p.Months, " month", " months", "个月")
	case p.Years == 0 && p.Months == 0 && p.Days > 0:
		return one(p.Days, " day", " days", "天")
	}
	return span{"", p.String(), zhPeriod(p)}
}

// zhPeriod writes a period the Chinese way: 3年, 18个月, 1年6个月.
func zhPeriod(p credit.Period) string {
	s := ""
	if p.Years != 0 {
		s += strconv.Itoa(p.Years) + "年"
	}
	if p.Months != 0 {
		s += strconv.Itoa(p.Months) + "个月"
	}
	if p.Days != 0 {
		s += strconv.Itoa(p.Days) + "天"
	}
	if s == "" {
		return "0天"
	}
	return s
}

// appendYuanList appends fine tiers as "≥¥10,000 / ≥¥100,000 / ≥¥1,000,000".
func appendYuanList(b []byte, tiers []decimal.Decimal) []byte {
	for i, t := range tiers {
		if i > 0 {
			b = cat(b, " / ")
		}
		var digits [20]byte
		whole, frac := strconv.AppendInt(digits[:0], t.IntPart(), 10), ""
		if !t.IsInteger() {
			w, f, _ := strings.Cut(t.StringFixed(2), ".")
			whole, frac = []byte(w), f
		}
		b = cat(b, "≥¥")
		for j := range len(whole) {
			if j > 0 && (len(whole)-j)%3 == 0 {
				b = append(b, ',')
			}
			b = append(b, whole[j])
		}
		if frac != "" {
			b = cat(b, ".", frac)
		}
	}
	return b
}
