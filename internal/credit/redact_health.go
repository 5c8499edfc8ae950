package credit

import "strings"

// Health information: a person's diseases and diagnoses. Two rules.
//
//   - After a word that reports a diagnosis — 患有, 罹患, 确诊为, 诊断为,
//     被诊断, 查出, 患…病 — the diagnosis is masked, up to punctuation (a
//     list joined by 、 or 和 goes on) or a word that ends it (的, 等, 后,
//     住院 …). Such words are about a person by their meaning. Not masked:
//     a count (确诊3例), and what statutes and generic texts say of
//     illnesses in general (患有有碍食品安全疾病的人员, 国务院卫生行政部门规定的
//     …), which names nobody; nor 食物中毒 and 食源性疾病, which classify an
//     incident.
//   - The illnesses that expose a person most — infectious (乙肝, 艾滋病,
//     HIV, 梅毒, 结核 …) and mental (精神分裂症, 抑郁症 …) — are masked
//     wherever they are about a person: when a personal word follows them
//     (患者, 携带者, 感染者, 阳性, 病史) or the sentence names a person (a
//     name, masked or not, 员工, 本人, 他, 她 …). Followed by the name of an
//     organism (伤寒沙门氏菌, 痢疾杆菌, 霍乱弧菌, 结核分枝杆菌) they are
//     food-safety vocabulary and stay, as do 致病菌, 沙门氏菌, 大肠菌群 and
//     counts of the sick without names, which no rule reads. 隐患 (a hazard)
//     is no 患.
//
// Symptoms (腹泻, 呕吐) are not masked: they are the facts of a food case,
// and without a name they say nothing of anyone.

var healthWords = []string{
	"患有", "罹患", "患上", "身患", "确诊为", "确诊患有", "确诊", "诊断为", "诊断出", "被诊断", "诊断患有", "查出患有", "查出",
	"检出患有", "病史", "患",
}

var illnesses = []string{
	"活动性肺结核", "肺结核", "结核病", "结核", "乙型病毒性肝炎", "甲型病毒性肝炎", "戊型病毒性肝炎", "丙型病毒性肝炎",
	"病毒性肝炎", "乙型肝炎", "丙型肝炎", "乙肝", "丙肝", "甲肝", "戊肝", "艾滋病", "艾滋", "获得性免疫缺陷", "梅毒", "淋病",
	"尖锐湿疣", "性病", "麻风", "伤寒", "副伤寒", "痢疾", "霍乱", "精神分裂症", "精神分裂", "抑郁症", "双相情感障碍",
	"焦虑症", "精神病", "精神障碍", "精神疾病", "癫痫", "自闭症", "孤独症", "阿尔茨海默", "老年痴呆", "白血病", "尘肺",
	"化脓性皮肤病", "渗出性皮肤病", "HIV", "AIDS",
}

// organisms after an illness make it food-safety vocabulary.
var organisms = []string{"沙门", "杆菌", "弧菌", "分枝", "菌", "螺旋体", "防治", "防控", "预防", "宣传", "筛查", "疫苗", "知识", "检测试剂"}

// personalAfter: words after an illness that make it a person's.
var personalAfter = []string{"患者", "病人", "携带者", "感染者", "病毒携带", "病毒感染", "阳性", "病史", "抗体阳性", "表面抗原阳性"}

// personWords in a sentence make an illness in it a person's.
var personWords = []string{"某", "员工", "职工", "人员", "本人", "他", "她", "患者", "病人", "消费者", "顾客", "厨师", "店员", "工人"}

// diagnosisEnds end a diagnosis.
var diagnosisEnds = []string{
	"的", "等", "并", "且", "而", "后", "被", "仍", "还", "期间", "住院", "治疗", "入院", "就医", "病史", "，", "。", "；",
	"（", "）", "：", "！", "？", "仍然", "未", "不", "却", "已", "从事", "在", "于", "多年", "多", "年", "个月", "至今",
	"一直", "期", "时", "但",
}

// genericDiagnoses open what names no one's illness: statute wording, an
// incident's classification, a vague word.
var genericDiagnoses = []string{
	"有碍食品安全", "国务院", "规定的", "食物中毒", "食源性", "法定", "传染病", "疾病", "上述", "相关", "该类", "此类", "以下",
}

// maxDiagnosis bounds a diagnosis, in bytes.
const maxDiagnosis = 60

// health looks for health information at s[i] and returns where scanning
// goes on, or i.
func (r *redactor) health(i int) int {
	s := r.s
	if w := wordAt(s, i, wIllness); w > 0 {
		if end := r.illness(i, w); end > i {
			return end
		}
	}
	w := wordAt(s, i, wHealth)
	switch {
	case w == 0:
		return i
	case s[i:i+w] == "病史":
		r.historyBefore(i)
		return i + w
	case s[i:i+w] == "患" && !bareDiagnosis(s, i, r.clip(i)):
		return i
	}
	end := diagnosisEnd(s, i+w)
	if end > i+w && !genericDiagnosis(s, i+w, end) {
		r.mark(i+w, end)
		return end
	}
	return i
}

// illness looks at the illness of w bytes at s[i]: masked now if a
// personal word follows it, left for settleIllnesses if its sentence
// decides, left alone before the name of an organism.
func (r *redactor) illness(i, w int) int {
	s := r.s
	end := i + w
	if wordAt(s, end, wOrganism) > 0 {
		return end
	}
	personal := wordAt(s, end, wPersonalAfter) > 0
	end += hasWordAt(s, end, []string{"病毒", "抗体", "表面抗原"})
	switch {
	case personal:
		r.mark(i, end)
	case r.nIll < len(r.illnesses):
		r.illnesses[r.nIll] = span{i, end, 0}
		r.nIll++
	default: // too many to wait for: hidden
		r.mark(i, end)
	}
	return end
}

// settleIllnesses masks the illnesses whose sentence names a person, once
// every name of the text is known.
func (r *redactor) settleIllnesses() {
	for _, sp := range r.illnesses[:r.nIll] {
		if r.personInSentence(sp.start) {
			r.mark(sp.start, sp.end)
		}
	}
}

// bareDiagnosis reports whether a bare 患 at s[i] reports an illness: not
// 隐患 or 患者, and followed within a few characters by 病, 症, 炎 or 癌.
//
// The 隐 of 隐患 is read after lo, where what is redacted before ends.
func bareDiagnosis(s string, i, lo int) bool {
	if strings.HasSuffix(s[lo:i], "隐") || hasWordAt(s, i+3, []string{"者", "病期间", "儿"}) > 0 {
		return false
	}
	for j, n := i+3, 0; n < 8 && j < len(s); n++ {
		if hasWordAt(s, j, []string{"病", "症", "炎", "癌", "瘤"}) > 0 {
			return true
		}
		if _, ok := ideoAt(s, j); !ok {
			return false
		}
		j += 3
	}
	return false
}

// diagnosisEnd returns the end of the diagnosis at s[j]: ideographs and
// Latin letters (HIV), on over a list joined by 、, up to a word that ends
// it. It stops before digits: a number there is found by its own rule, and
// the diagnosis must read the same when that number is a marker.
func diagnosisEnd(s string, j int) int {
	j += hasWordAt(s, j, []string{"为", "了", "：", ":", " "})
	if digitWidth(s, j) > 0 || wordAt(s, j, wCount) > 0 && hasWordAt(s, j+3, []string{"例", "人", "名"}) > 0 {
		return j
	}
	start := j
	for j < len(s) && j-start < maxDiagnosis {
		if wordAt(s, j, wDiagnosisEnd) > 0 || wordAt(s, j, wAddress) > 0 {
			break
		}
		if _, ok := ideoAt(s, j); ok {
			j += 3
			continue
		}
		if isASCIILetter(s[j]) {
			j++
			continue
		}
		if hasWordAt(s, j, []string{"、"}) > 0 && j > start {
			j += 3
			continue
		}
		break
	}
	for j > start && strings.HasSuffix(s[start:j], "、") {
		j -= 3
	}
	return wordEnd(s, j)
}

// genericDiagnosis reports whether the diagnosis s[start:end] names no
// one's illness: it opens with a generic word, or is said of 人员 in
// general (患有…的人员, as statutes write). Only its start and what follows
// it count, never its middle: a name or number inside it that a first pass
// masks must not change the answer in a second.
func genericDiagnosis(s string, start, end int) bool {
	return wordAt(s, start, wGenericDiagnosis) > 0 || hasWordAt(s, end, []string{"的人员", "的从业人员"}) > 0
}

// historyBefore masks what stands before 病史 at s[i]: 有高血压病史,
// 既往糖尿病病史; at most 12 ideographs, back to 有, 既往 …, a function word
// or anything not an ideograph.
func (r *redactor) historyBefore(i int) {
	s := r.s
	j := i
	for n := 0; n < 12 && j > 0; n++ {
		if hasWordBefore(s, j, []string{"有", "具有", "既往", "存在", "无", "其", "患"}) > 0 {
			break
		}
		// and not over a name: one found (afterRedacted) reads as one
		// masked (某) in a second pass
		if k, ok := ideoBefore(s, j); !ok || k&kStop != 0 || r.afterRedacted(j) || strings.HasSuffix(s[:j], "某") {
			break
		}
		j -= 3
	}
	// Not right after a letter or digit (or a space after one), unless they
	// were found as a number: a number there would read differently next
	// to the marker.
	k := j
	for w := spaceBefore(s, k); w > 0; w = spaceBefore(s, k) {
		k -= w // 87654321 台胞证病史: 台 may be the number's unit
	}
	glued := k > 0 && (isASCIIAlnum(s[k-1]) || fullWidthAlnumBefore(s, k)) && !r.afterRedacted(k)
	if j < i && !genericDiagnosis(s, j, i) && !glued {
		r.mark(j, i)
	}
}

// personInSentence reports whether the sentence around s[i] names a person.
func (r *redactor) personInSentence(i int) bool {
	s := r.s
	start, end := i, i
	for start > 0 && clauseEndAt(s, runeStart(s, start)) == 0 {
		start = runeStart(s, start)
	}
	for end < len(s) && clauseEndAt(s, end) == 0 {
		end++
	}
	for k := range r.n {
		if sp := r.span(k); sp.sur > 0 && sp.start >= start && sp.start < end {
			return true
		}
	}
	for _, w := range personWords {
		if strings.Contains(s[start:end], w) {
			return true
		}
	}
	return false
}
