package credit

import "strings"

// Names of natural persons other than the party (Order 45 Art. 6).
// Published decisions write a third party as surname + 某 (张某, 欧阳某), and
// so does Redact: the surname stays, the given name becomes 某. A name that
// is already masked (王某, 王某某, 张×, 李**) is left as it is.
//
// Chinese has no spaces and no capitals, so a name is read from what stands
// around it, never from a list of names:
//
//   - After a role word: a word for a person (员工张三, 收银员李四, 举报人为
//     王五). A role word is recognised by its last character (…员, …工, …师,
//     …者, …人, …客, kin words; see roleEnds), so role words nobody listed
//     (质检员, 驾驶员, 保洁员, 厨工) work; characters that end too many other
//     words (子, 长, 主 …) count only in the listed roleWords (妻子, 店长,
//     店主). A list goes on: 员工张三、李四和王五 masks all three.
//   - Before a person's particulars, without a role word: 张三（男，…）,
//     张三，女，…, 张三（身份证号…）, 张三先生, 张三、李四等3人. The name is
//     then read backwards, and must start after punctuation, a function word
//     or a verb (经查张三（男…） is 张三).
//
// A name is a surname (compound first: 欧阳, 司马 …; then the common single
// surnames) and a given name of one or two ideographs. Its end must be
// clear: punctuation, the end of the text, or a function word or common verb
// (stopChars: 张三在, 李四称, 王五驾驶). That rule is what keeps ordinary
// words out: 消费者权益保护法 has 权 after a role word, but 益保 is not
// followed by an end, so nothing is read. Two more guards: a name followed by
// a place or shop character (罗源县, 马尾区, 张记, 陈氏, 林业局) is a place or
// a business, and words that start like a name (高新, 方便, 黄金, 程序, 许可,
// 任何, 余额 … see notNames) are not names. Enterprise names that hold a
// surname (福州张记餐饮店) follow no role word and are never read.
//
// The party stays: a name after 当事人, 法定代表人, 经营者, 负责人,
// 投资人 … (keepWords) is public, as GSXT shows it. What is not caught: a
// bare name with neither a role word nor particulars (经查，张三于…), a
// name with a rare surname left out of singleSurnames, and given names of
// three or more characters. What is caught wrongly, rarely: a role word
// followed by a word that looks like a name and ends at punctuation.

// nameSpan is a name found: the surname is s[start:start+sur].
type nameSpan struct{ start, sur, end int }

// name reads a full name at s[i]. masked reports a name that is already
// masked (张某, 张某某, 张×); its end covers the mask.
func name(s string, i int) (n nameSpan, masked, ok bool) {
	if k, ok := ideoAt(s, i); ok && k&kCompound != 0 {
		if w := wordAt(s, i, wCompoundSurname); w > 0 {
			if n, masked, ok = givenName(s, i, w); ok {
				return n, masked, ok
			}
		}
	}
	k, ok := ideoAt(s, i)
	if !ok || k&kSurname == 0 {
		return n, false, false
	}
	n, masked, ok = givenName(s, i, 3)
	if ok && !masked && k&kWeak != 0 && n.end-i == 6 {
		// 向卡号, 于次日: a weak surname with a one-character given name
		// only before punctuation.
		if _, ideo := ideoAt(s, n.end); ideo {
			return n, false, false
		}
	}
	return n, masked, ok
}

// givenName reads the given name after a surname of sur bytes at s[i].
func givenName(s string, i, sur int) (n nameSpan, masked, ok bool) {
	j := i + sur
	if m := maskEnd(s, j); m > j {
		return nameSpan{i, sur, m}, true, true
	}
	// A given name never starts a word that follows names (陈家住…: 陈 +
	// 家住), whatever comes after: a first pass and a second, with the
	// address masked, must read the same.
	if !givenChar(s, j) || notName(s, i, j+3) || wordAt(s, j, followers) > 0 {
		return n, false, false
	}
	if givenChar(s, j+3) && !notName(s, i, j+6) && wordAt(s, j+3, followers) == 0 {
		switch nameEnd(s, j+6) {
		case endYes:
			return nameSpan{i, sur, j + 6}, false, true
		case endPlace:
			return n, false, false
		}
	}
	if nameEnd(s, j+3) == endYes {
		return nameSpan{i, sur, j + 3}, false, true
	}
	return n, false, false
}

// maskEnd returns the end of the mask at s[j] (某, 某某, 某甲; ×, *, Ｘ, ○ …),
// or j. A mask of 某 takes no symbol after it: 张某_ is 张某 and _, as 张三_
// was 张三 and _ before 张三 became 张某.
func maskEnd(s string, j int) int {
	if strings.HasPrefix(s[j:], "某") {
		for strings.HasPrefix(s[j:], "某") {
			j += len("某")
		}
		return j + wordAt(s, j, wMaskOrdinal)
	}
	for j < len(s) {
		switch {
		case s[j] == '*' || s[j] == 'X' || s[j] == 'x' || s[j] == '?' || s[j] == '_':
			j++
		case wordAt(s, j, wMask) > 0:
			j += wordAt(s, j, wMask)
		default:
			return j
		}
	}
	return j
}

var (
	maskChars    = []string{"×", "＊", "Ｘ", "○", "〇", "？", "✕", "＿"}
	maskOrdinals = []string{"甲", "乙", "丙", "丁"}
)

// givenChar reports whether s[i] holds an ideograph that may be part of a
// given name.
func givenChar(s string, i int) bool {
	k, ok := ideoAt(s, i)
	return ok && k&(kStop|kPlace) == 0 && !strings.HasPrefix(s[i:], "某")
}

// notName reports whether s[i:end] is, or begins with, a word of notNames.
func notName(s string, i, end int) bool {
	n := wordAt(s[:end], i, wNotName)
	return n > 0
}

const (
	endNo    = iota // a name does not end here
	endYes          // it does: punctuation, the end, a function word or verb
	endPlace        // what went before is a place or a shop
)

// nameEnd says whether a name may end at s[i].
//
// A marker is no end: what it hid may have been the rest of a word, and a
// second pass must not find a name the first did not. For the same reason
// 某 is neither an end nor part of a given name: it is what a given name
// becomes (王人管人 must not read as 王人管 + 某 once 管人 is 管某).
func nameEnd(s string, i int) int {
	if i >= len(s) {
		return endYes
	}
	if markerAt(s, i) > 0 || strings.HasPrefix(s[i:], "某") {
		return endNo
	}
	k, ok := ideoAt(s, i)
	switch {
	case !ok:
		return endYes
	case k&kPlace != 0:
		return endPlace
	case k&kStop != 0 || wordAt(s, i, followers) > 0:
		return endYes
	}
	return endNo
}

// followers are the lists of words that end a name where they start: the
// words below, the words for the party and roles (陈法定代表人 is 陈 +
// 法定代表人, never 陈法定 + 代表人), and the words that start an address or
// health rule (张病史 is 张 + 病史): a name never hides a word a rule reads.
const followers = wNameFollower | wKeep | wRoleWord | wStaffHead | wHealth | wAddress | wIllness

// nameFollowers are words that often follow a name and begin with a
// character that may also be in one: 陈建家住…, 林华身份证号…, and the verbs
// of decisions (熊丽参加: 丽参 is no given name, for 参加 follows). A given
// name never starts one of them.
var nameFollowers = []string{
	"家住", "家中", "家属", "患有", "患", "居住", "现住", "暂住", "户籍", "身份证", "公民身份", "联系电话", "电话", "手机", "住所",
	"住址", "名下", "本人", "个人", "健康", "体检", "年龄", "性别", "籍贯", "无证", "持证", "银行", "微信", "支付宝", "护照",
	"驾驶", "妻子", "丈夫", "系", "夫妇", "夫妻", "父子", "母女",
	// verbs
	"夸大", "参加", "参与", "宣称", "声称", "表示", "供述", "证明", "介绍", "负责", "经营", "生产", "购买", "购进", "采购",
	"制作", "加工", "操作", "使用", "安装", "维修", "维护", "检验", "检测", "提供", "出具", "签订", "签署", "收取", "要求",
	"拒绝", "拒不", "没有", "多次", "共计", "冒用", "伪造", "虚构", "隐瞒", "误导", "宣传", "推销", "组织", "安排", "到场",
	"到店", "进入", "离开", "入职", "离职", "接受", "配合", "投诉", "举报", "反映", "报告", "实施", "私自", "擅自", "未经",
	"通过", "利用", "借用", "冒充", "假冒", "谎称", "编造", "散布", "发布", "直播", "制售", "销售", "贩卖", "运输", "储存",
	"存放", "搬运", "配送", "收购", "屠宰", "注射", "食用", "饮用", "就餐", "用餐", "入住", "乘坐", "被困", "受伤", "死亡",
	"遇难", "摔倒", "跌落", "晕倒", "中毒", "腹泻", "呕吐", "出现", "感到", "表明", "承诺", "同意", "签字", "签名", "按印",
	"捺印", "陈述", "申辩", "辩称", "认为", "确认", "证实", "作证", "指认", "辨认", "领取", "办理", "申请", "填写", "登记",
	"记录", "拍摄", "录制", "录音", "录像", "转账", "汇款", "付款", "支付", "退款", "赔偿", "索要", "索赔", "协商", "调解",
	"经查", "经营者", "名义", "账户", "账号", "银行卡", "作为", "担任", "兼任", "任职", "就职", "工作", "务工", "上班",
}

// roleName reads the names after the role word whose last character is at
// s[p] (员 of 员工张三) and returns where scanning goes on. Names after a
// keep word are passed over, the others are masked.
func (r *redactor) roleName(p int, k uint16) int {
	s, q := r.s, p+3
	j := skipConnectors(s, q, wRoleConnector)
	if !surnameAt(s, j) && !surnameAt(s, j+wordAt(s, j, wPreposition)) {
		return q // most role words are followed by no name: decided cheaply
	}
	lo := r.clip(p) // the role word is read after what is redacted
	if k&kRole != 0 && wordBefore(s[lo:], q-lo, wNonRole) > 0 ||
		k&kRole == 0 && wordBefore(s[lo:], q-lo, wRoleWord) == 0 {
		return q
	}
	if wordAt(s, p, wRoleNotBefore) > 0 {
		return q
	}
	keep := keepBefore(s[lo:], q-lo)
	end := q
	for {
		n, masked, ok := name(s, j)
		if !ok && end == q {
			// 消费者向林建国购买: the name after a preposition is a third
			// person's, even after a keep word.
			if w := wordAt(s, j, wPreposition); w > 0 {
				if n, masked, ok = name(s, j+w); ok {
					keep = false
				}
			}
		}
		if !ok {
			return end
		}
		if !keep && !masked {
			r.rename(n)
		}
		end = n.end
		w := wordAt(s, end, wListJoin)
		if w == 0 {
			return end
		}
		j = end + w
	}
}

// surnameAt reports whether a surname may start at s[i].
func surnameAt(s string, i int) bool {
	k, ok := ideoAt(s, i)
	return ok && (k&kSurname != 0 || k&kCompound != 0 && wordAt(s, i, wCompoundSurname) > 0)
}

// keepBefore reports whether a keep word ends at s[i], one that names the
// party or who answers for it (法定代表人, 负责人), not a staff head (质量负责人).
func keepBefore(s string, i int) bool {
	return wordBefore(s, i, wKeep) > 0 && wordBefore(s, i, wStaffHead) == 0
}

// listJoins join the names of a list: 张三、李四和王五.
var listJoins = []string{"、", "和", "及", "与", "以及", "，"}

// cueName reads the name before a person's particulars that begin at s[i]
// (（男, ，女，, 先生, 等3人 …) and masks it and the names listed before it,
// unless a keep word stands before them.
func (r *redactor) cueName(i int) {
	s := r.s
	for {
		lo := r.clip(i)
		n, masked, ok := nameBefore(s, i, lo)
		if !ok {
			return
		}
		before := n.start
		if before >= 3 && (s[before-1] == ':' || strings.HasSuffix(s[:before], "：")) {
			before = runeStart(s, before)
		}
		if before >= lo && keepBefore(s[lo:], before-lo) {
			return
		}
		if !masked {
			r.rename(n)
		}
		w := hasWordBefore(s, n.start, []string{"、", "和", "及", "与"})
		if w == 0 {
			return
		}
		i = n.start - w
	}
}

// nameBefore reads a full name that ends at s[e] and starts after a word
// boundary, not before lo (what is redacted ends there). A reading with a
// weak surname (向张三) gives way to a shorter one.
func nameBefore(s string, e, lo int) (n nameSpan, masked, ok bool) {
	for _, sur := range [...]int{6, 3} {
		for _, given := range [...]int{6, 3} {
			start := e - sur - given
			if start < lo || !nameStart(s, start, lo) {
				continue
			}
			if sur == 3 && given == 6 && is(s, start, kWeak) {
				continue
			}
			if sur == 6 && wordAt(s, start, wCompoundSurname) == 0 || sur == 3 && !is(s, start, kSurname) {
				continue
			}
			if n, masked, ok = givenName(s, start, sur); ok && n.end == e {
				return n, masked, true
			}
		}
	}
	// an already masked name: 张某, 张某某, 欧阳某
	for start := e - 3; start >= lo && start >= e-15; start-- {
		if n, masked, ok = name(s, start); ok && masked && n.end == e && nameStart(s, start, lo) {
			return n, true, true
		}
	}
	return n, false, false
}

// nameStart reports whether a name may start at s[i]: at the start of the
// text, after a character that is not an ideograph, or after a function
// word, verb or role word; never right after something redacted (at lo).
func nameStart(s string, i, lo int) bool {
	if i == 0 {
		return true
	}
	if i == lo || strings.HasSuffix(s[:i], RedactionMarker) {
		return false // right after something redacted: as in nameEnd
	}
	k, ok := ideoBefore(s, i)
	return !ok || k&(kStop|kRole|kRoleWord) != 0 || wordBefore(s, i, wNameLead) > 0
}

// nameLeads are verbs that often stand right before a name.
var nameLeads = []string{"委托", "雇佣", "雇用", "聘用", "聘请", "安排", "指派", "指使", "包括", "其中", "分别", "查明", "发现", "姓名"}

// personDetails follow a name in parentheses: 张三（男，…）, 李四（身份证号…）.
var personDetails = []string{
	"男", "女", "身份证", "公民身份", "居民身份", "证件", "联系电话", "电话", "手机", "住", "户籍", "年龄", "出生",
	"生于", "汉族", "系", "护照", "曾用名", "化名", "绰号",
}

// nameCue reports whether a name ends at s[i] because particulars follow:
// （男…, ，女，, 先生, 女士, 等3人. It returns the end of the name, or -1.
func nameCue(s string, i int) int {
	if w := openAt(s, i); w > 0 {
		if wordAt(s, i+w, wPersonDetail) > 0 {
			return i
		}
		return -1
	}
	switch {
	case wordAt(s, i, wHonorific) > 0:
		return i
	case strings.HasPrefix(s[i:], "等"):
		j := i + len("等")
		if k, n := runEnd(s, j); n > 0 {
			j = k
		} else {
			j += wordAt(s, j, wCount)
		}
		if hasWordAt(s, j, []string{"人", "名"}) > 0 {
			return i
		}
	case strings.HasPrefix(s[i:], "男") || strings.HasPrefix(s[i:], "女"):
		c := commaBefore(s, i)
		if c > 0 && commaAfter(s, i+3) {
			return i - c
		}
	}
	return -1
}

var (
	honorifics = []string{"先生", "女士", "同志", "老师", "师傅"}
	nameCues   = append([]string{"等", "男", "女"}, honorifics...)
	countWords = []string{"一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "几", "多"}
)

func commaBefore(s string, i int) int {
	if i > 0 && s[i-1] == ',' {
		return 1
	}
	return hasWordBefore(s, i, []string{"，"})
}

func commaAfter(s string, i int) bool {
	return i < len(s) && (s[i] == ',' || s[i] == ')') || hasWordAt(s, i, []string{"，", "、", "。", "）", "；"}) > 0
}
