package credit

import (
	"strings"
	"unicode/utf8"
)

// Numbers that are personal data because of the word before them. A bank
// account, unlike a card, has no check digit and no fixed length (8 to 30
// digits; 对公 accounts of 20 or more), and people group it as they like
// (3500 1234 5678 9012 3, 6222-0212-3456-7890-128). A passport or permit
// number is a letter and a few digits that look like any product code.
// None of them can be told by its shape; all of them are told by their
// label, which published text always gives: 账号, 开户行…卡号, 护照号码,
// 往来港澳通行证, 台胞证, 微信号.
//
//   - Context: walking back from the number, within the clause (up to
//     contextWindow characters, not across 。；！？), the NEAREST label decides.
//     A banking word (bankWords) makes a run of 8–30 digits an account; a
//     document word (documentWords) makes a token of up to 20 letters and
//     digits with at least 5 digits a document number (E12345678,
//     CA1234567, 0123456789B); a messaging word (handleWords) makes the
//     token right after it an account name (zhangsan_1988, QQ123456). A label of a
//     public number (publicLabels: 批号, 编号, 文号, 许可证, 订单号 …) nearer
//     to the number than the banking word wins: 通过银行转账收取货款，批号
//     20240501 is a batch. A generic label (编号, 号码) counts for the word
//     right before it: 护照编号, 银行卡号码.
//   - Groups: digit runs joined by a space or a dash, any sizes, up to 30
//     digits; a run followed by a unit is not joined (账号6222… 2024年).
//   - Never an account: an amount (a unit after it: 元, 万元, 笔, 年 …; a
//     decimal part; ¥ or 人民币 before it), a date (YYYYMMDD, with a time
//     YYYYMMDDhhmm[ss], or 2024-05-01), an all-digit USCC, an ordinal
//     (第…), a number glued to letters (SC…, JY…: licences).
//
// What is not caught: an account with no label in its clause (a bare
// 20-digit number could as well be an equipment code), and a label more than
// contextWindow characters before the number.

const (
	minAccountDigits = 8
	maxAccountDigits = 30
	minDocDigits     = 5
	contextWindow    = 30 // characters
)

// The labels. Ideographic ones are marked in ideoKinds (kContext) by their
// first character, so the walk back tests a word only where one may start.
var (
	bankWords = []string{
		"银行卡", "银行账", "银行帐", "银行", "卡号", "账号", "帐号", "账户", "帐户", "开户", "收款", "转账", "转帐",
		"汇款", "打款", "入账", "对公", "支付宝", "银联", "储蓄", "信用卡", "借记卡", "存折", "付款账", "结算账", "IBAN",
	}
	documentWords = []string{
		"护照", "通行证", "回乡证", "台胞证", "居住证", "居留证", "居留许可", "证件号", "证件编号", "证件", "身份证", "公民身份",
		"居民身份", "军官证", "士兵证", "驾驶证", "驾照", "社保卡", "社会保障卡", "医保卡", "就诊卡", "健康证", "旅行证",
		"海员证", "出入境", "Passport", "passport", "PASSPORT",
	}
	handleWords = []string{"微信号", "微信账号", "微信帐号", "微信ID", "微信：", "微信:", "QQ", "qq", "WeChat"}
	// publicLabels name public numbers; a bare 编号 or 号码 is one unless a
	// banking or document word stands right before it.
	publicLabels = []string{
		"批号", "批次", "编号", "号码", "文号", "许可证", "许可", "代码", "单号", "订单", "发票", "合同", "条码", "条形码",
		"型号", "货号", "注册号", "登记号", "执照", "流水号", "案号", "决定书", "标准", "检验报告", "报告编号", "统一社会",
		"设备", "GB", "QB", "DB", "Q/", "T/", "NY", "SB", "SN", "YY", "HG", "JB",
	}
)

// The kinds of context a label gives.
const (
	ctxNone = iota
	ctxBank
	ctxDocument
	ctxHandle
)

// contextOf returns the context the nearest label before s[i] gives,
// looking back at most contextWindow characters. What is already redacted,
// a marker in the text or a span found before, is passed over whole (a
// label inside it counts in neither pass) and counts as what a second pass
// reads there: one character for a marker, the surname and 某 for a name.
// A label is read only up to it (微信号 whose 号 is masked is no label).
func (r *redactor) contextOf(i int) int {
	s := r.s
	limit := i // a label must end before what is redacted after it
	for p, budget := i, contextWindow; p > 0 && budget > 0; budget-- {
		if q, cost := r.redactedBefore(p); q < p {
			p, limit, budget = q, q, budget-cost+1
			continue
		}
		p = runeStart(s, p)
		if clauseEndAt(s, p) > 0 {
			return ctxNone
		}
		if ctx, found := labelAt(s[:limit], p); found {
			return ctx
		}
	}
	return ctxNone
}

// recentSpans bounds how many of the spans found last redactedBefore looks
// at: what ends within contextWindow characters of the scan was found
// lately, and text with thousands of numbers must not cost their square.
const recentSpans = 64

// clip returns where the text a rule may read back from s[i] starts: the
// end of the latest thing masked before i, or 0. A word that crosses it is
// not in the text a second pass reads (账户 whose 账 is masked is none). A
// renamed name is no such end: a second pass reads it as a masked name.
func (r *redactor) clip(i int) int {
	lo := 0
	for k := max(0, r.n-recentSpans); k < r.n; k++ {
		if sp := r.span(k); sp.sur == 0 && sp.end <= i && sp.end > lo {
			lo = sp.end
		}
	}
	for _, sp := range r.illnesses[:r.nIll] {
		if sp.end <= i && sp.end > lo {
			lo = sp.end
		}
	}
	return lo
}

// afterRedacted reports whether something a second pass reads as redacted
// ends at s[p] (see redactedBefore).
func (r *redactor) afterRedacted(p int) bool {
	q, _ := r.redactedBefore(p)
	return q < p
}

// redactedBefore returns the start of what ends at s[p] and a second pass
// reads as redacted — a marker, a span found before, an illness waiting for
// its sentence — and how many characters it will be then; or p, 0.
func (r *redactor) redactedBefore(p int) (int, int) {
	if m := len(RedactionMarker); p >= m && r.s[p-m:p] == RedactionMarker {
		return p - m, 1
	}
	for k := max(0, r.n-recentSpans); k < r.n; k++ {
		if sp := r.span(k); sp.end == p && sp.start < p {
			if sp.sur > 0 {
				return sp.start, utf8.RuneCountInString(r.s[sp.start:sp.start+sp.sur]) + 1
			}
			return sp.start, 1
		}
	}
	// An illness still waiting for its sentence is a boundary either way:
	// masked, it becomes a marker; left, it is a word found again.
	for _, sp := range r.illnesses[:r.nIll] {
		if sp.end == p {
			return sp.start, 1
		}
	}
	return p, 0
}

// labelAt reports whether a label starts at s[p], and the context it gives.
func labelAt(s string, p int) (int, bool) {
	if k, ok := ideoAt(s, p); ok {
		if k&kContext == 0 {
			return ctxNone, false
		}
	} else if !isASCIILetter(s[p]) || p > 0 && isASCIILetter(s[p-1]) {
		return ctxNone, false
	}
	switch {
	case wordAt(s, p, wHandle) > 0:
		return ctxHandle, true
	case wordAt(s, p, wDocument) > 0:
		return ctxDocument, true
	case wordAt(s, p, wBank) > 0:
		return ctxBank, true
	case wordAt(s, p, wGenericLabel) > 0:
		// 护照编号, 银行卡号码, 护照（号码…: the word before decides.
		b := p - hasWordBefore(s, p, []string{"（", "(", "：", ":", " "})
		if wordBefore(s, b, wDocument) > 0 {
			return ctxDocument, true
		}
		if wordBefore(s, b, wBank) > 0 {
			return ctxBank, true
		}
		return ctxNone, true
	case wordAt(s, p, wPublicLabel) > 0:
		return ctxNone, true
	}
	return ctxNone, false
}

var genericLabels = []string{"编号", "号码"}

// contextNumber returns the end of an account, document or messaging
// number at s[i], which holds a digit, or -1.
// glued says a span found before ends at s[i]: a word starts there.
func (r *redactor) contextNumber(i int, glued bool) int {
	s := r.s
	if digitWidth(s, i) == 0 || !glued && !startOK(s, i, true) {
		return -1
	}
	end, nd, sizes := digitChain(s, i)
	if nd < minDocDigits {
		return -1
	}
	if tok := tokenEnd(s, i); tok > end {
		// digits glued to letters: only a document number (台胞证 0123456789B)
		if endOK(s, tok, true) && tokenDigits(s, i, tok) >= minDocDigits && !r.amountBefore(i) &&
			r.contextOf(i) == ctxDocument {
			return tok
		}
		return -1
	}
	if !endOK(s, end, true) || unitAfter(s, end) || publicDigits(s, i, end, nd, sizes) || r.amountBefore(i) {
		return -1
	}
	switch r.contextOf(i) {
	case ctxBank:
		if nd >= minAccountDigits {
			return end
		}
	case ctxDocument:
		return end
	case ctxHandle:
		if handleLabelBefore(s, i) > 0 {
			return end
		}
	}
	return -1
}

// digitChain reads digit runs joined by spaces or dashes at s[i]: its end,
// how many digits, and the size of its first three groups.
func digitChain(s string, i int) (end, nd int, sizes [3]int) {
	end, nd = runEnd(s, i)
	sizes[0] = nd
	for g := 1; ; g++ {
		w := sepAt(s, end)
		if w == 0 {
			return
		}
		k, n := runEnd(s, end+w)
		if n == 0 || nd+n > maxAccountDigits || unitAfter(s, k) || !endOK(s, k, true) {
			return
		}
		if g < len(sizes) {
			sizes[g] = n
		}
		end, nd = k, nd+n
	}
}

// tokenEnd returns the end of the word of ASCII letters and digits (and
// full-width digits) at s[i].
func tokenEnd(s string, i int) int {
	for i < len(s) {
		if isASCIIAlnum(s[i]) {
			i++
		} else if digitWidth(s, i) == 3 || letterWidth(s, i) == 3 {
			i += 3
		} else {
			break
		}
	}
	return i
}

func tokenDigits(s string, i, end int) int {
	n := 0
	for i < end {
		if w := digitWidth(s, i); w > 0 {
			n++
			i += w
		} else {
			i += max(1, letterWidth(s, i))
		}
	}
	return n
}

// units after a number make it an amount, a count or a date.
var units = []string{
	"元", "万", "亿", "千", "百", "年", "月", "日", "号", "次", "笔", "件", "个", "人", "名", "份", "瓶", "箱", "袋",
	"盒", "包", "克", "斤", "吨", "升", "米", "台", "辆", "条", "张", "本", "批", "家", "户", "天", "小时", "分", "秒",
	"位", "倍", "%", "％", "kg", "g", "ml", "mL", "L", "m", "t", "美元", "港币",
}

func unitAfter(s string, i int) bool {
	j := i + spaceAt(s, i)
	w := wordAt(s, j, wUnit)
	// A Latin unit is a word of its own: t00000 is a code, not tonnes.
	return w > 0 && (s[j] >= 0x80 || j+w == len(s) || !isASCIIAlnum(s[j+w]))
}

// amountBefore: ¥, ￥, 人民币, RMB, 第 (an ordinal), 共计, 金额 … before the
// number, not inside something redacted (a second pass sees a marker).
func (r *redactor) amountBefore(i int) bool {
	s, j := r.s, i
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	w := hasWordBefore(s, j, []string{"¥", "￥", "人民币", "RMB", "第", "共计", "合计", "金额", "余额", "价款"})
	return w > 0 && !r.afterRedacted(j)
}

// publicDigits reports whether the digits at s[i:end] are a public number
// whatever the label: a date or a timestamp, or an all-digit USCC.
func publicDigits(s string, i, end, nd int, sizes [3]int) bool {
	var d [maxAccountDigits]byte
	n := 0
	for j := i; j < end && n < len(d); {
		if w := digitWidth(s, j); w > 0 {
			d[n] = digitValue(s, j)
			n++
			j += w
		} else {
			j++
		}
	}
	date := func() bool {
		year := int(d[0])*1000 + int(d[1])*100 + int(d[2])*10 + int(d[3])
		return year >= 1900 && year <= 2099 && validDate(year, d[4:8])
	}
	switch {
	case nd == 8 && (sizes[0] == 8 || sizes == [3]int{4, 2, 2}):
		return date()
	case nd == 12 || nd == 14:
		hh, mm := int(d[8])*10+int(d[9]), int(d[10])*10+int(d[11])
		return sizes[0] == nd && date() && hh < 24 && mm < 60
	case nd == 18 && sizes[0] == 18:
		return allDigitUSCC(d[:18])
	}
	return false
}

// letters looks at an ASCII letter: a passport or permit number (E12345678,
// CA1234567, H0123456789) after a document word, an account name after a
// messaging word (微信号 zhang_san88, QQ123456789). Other letters are passed
// one by one, so digits glued to them (Tel13912345678) are still read.
func (r *redactor) letters(i int) int {
	s := r.s
	// A word starts here, or right after a number found before it
	// (13912345678HIV reads as [已脱敏]HIV in a second pass).
	if (i > 0 && (isASCIIAlnum(s[i-1]) || s[i-1] == '_') || fullWidthAlnumBefore(s, i)) && !r.afterRedacted(i) {
		return i + max(1, letterWidth(s, i))
	}
	end := tokenEnd(s, i)
	if w := hasWordAt(s, i, []string{"QQ", "qq"}); w > 0 && end > i+w {
		if tokenDigits(s, i+w, end) == end-i-w && end-i-w >= 5 && endOK(s, end, false) {
			r.mark(i+w, end)
			return end
		}
	}
	if w := hasWordAt(s, i, []string{"HIV", "AIDS"}); w > 0 && (i+w == len(s) || !isASCIILetter(s[i+w])) {
		return max(r.illness(i, w), i+w)
	}
	doc := tokenDigits(s, i, end) >= minDocDigits && utf8.RuneCountInString(s[i:end]) <= 20 && endOK(s, end, false)
	if !doc && !handleAt(s, i) {
		return i + max(1, letterWidth(s, i))
	}
	switch ctx := r.contextOf(i); {
	case ctx == ctxDocument && doc:
		r.mark(i, end)
		return end
	case ctx == ctxHandle && handleAt(s, i):
		end = handleEnd(s, i)
		r.mark(i, end)
		return end
	}
	return i + max(1, letterWidth(s, i))
}

// handleAt reports whether a messaging account name (6 or more letters,
// digits, _ and -, starting with a letter) is at s[i] and the label is right
// before it. The whole token is the name, however long: a card number
// inside it (NoNoNo_4111111111111111) is part of it.
func handleAt(s string, i int) bool {
	label := handleLabelBefore(s, i)
	if label == 0 || label == 2 {
		return false // none, or QQ: a QQ account is a number
	}
	// Not before a marker either: what it hid may have been the rest of
	// the token (NoNoNo350102198001011233_12500.00 was never a name).
	end := handleEnd(s, i)
	return end-i >= 6 && endOK(s, end, true) && markerAt(s, end) == 0
}

// handleLabelBefore returns 2 if QQ stands right before s[i] (after spaces
// or a colon), 1 for another messaging label or a 为, 是, ： after one, or 0.
// A number in a messaging context is an account only right after its
// label, never inside another token (NoNo_11010519491231002_…).
func handleLabelBefore(s string, i int) int {
	j := i
	for j > 0 && (s[j-1] == ' ' || s[j-1] == ':') {
		j--
	}
	switch w := wordBefore(s, j, wHandle); {
	case w == 2 && strings.EqualFold(s[j-2:j], "qq"):
		return 2
	case w > 0 || hasWordBefore(s, j, []string{"：", "为", "是", "号"}) > 0:
		return 1
	}
	return 0
}

// handleEnd returns the end of an account name at s[i]: letters, digits
// (full-width too: the name is a whole word), _ and -.
func handleEnd(s string, i int) int {
	for i < len(s) {
		switch {
		case isASCIIAlnum(s[i]) || s[i] == '_' || s[i] == '-':
			i++
		case fullWidthAlnum(s, i):
			i += 3
		default:
			return i
		}
	}
	return i
}
