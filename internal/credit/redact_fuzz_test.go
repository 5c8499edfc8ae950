package credit

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkRedact checks the properties that hold for every input: valid UTF-8
// in gives valid UTF-8 out; a second pass changes nothing; markers already
// in the text survive whole (none is split: no piece of one is left that
// was not there); and nothing but markers and 某 is added (a name may only
// shrink). Pure ASCII text without digits or at sign has nothing to redact,
// but for a WeChat account name after its label.
func checkRedact(t *testing.T, s string) {
	t.Helper()
	got := Redact(s)
	if utf8.ValidString(s) && !utf8.ValidString(got) {
		t.Fatalf("Redact(%q) = %q: not valid UTF-8", s, got)
	}
	if again := Redact(got); again != got {
		t.Fatalf("not idempotent: Redact(%q) = %q, Redact of that = %q", s, got, again)
	}
	markers := strings.Count(got, RedactionMarker)
	if markers < strings.Count(s, RedactionMarker) {
		t.Fatalf("Redact(%q) = %q: lost a marker", s, got)
	}
	for _, piece := range []string{"[已", "已脱敏", "脱敏]"} {
		if strings.Count(got, piece)-markers > strings.Count(s, piece)-strings.Count(s, RedactionMarker) {
			t.Fatalf("Redact(%q) = %q: split a marker (%q left over)", s, got, piece)
		}
	}
	if rest := strings.ReplaceAll(got, RedactionMarker, ""); len(rest) > len(s) {
		t.Fatalf("Redact(%q) = %q: added text other than markers", s, got)
	}
	if isPlainASCII(s) && !strings.Contains(strings.ToLower(s), "wechat") && got != s {
		t.Fatalf("Redact(%q) = %q: changed ASCII text without digits or at sign", s, got)
	}
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c >= '0' && c <= '9' || c == '@' {
			return false
		}
	}
	return true
}

// FuzzRedact runs checkRedact on any text, seeded with the corpus.
func FuzzRedact(f *testing.F) {
	for _, c := range redactCases(f) {
		f.Add(c.In)
	}
	f.Add(benchFactsPersonal)
	f.Add("a@b@c.com 1391234567813912345678 (+86)(0591)87654321-")
	// Inputs that once broke a property.
	f.Add("01 00000000000")
	f.Add("（电话11010519491231002x8613912345678x")
	f.Add("SC3456@ext.SC010１３９87654321")
	f.Add("913501001000003604＠ext.X12500.008613912345678")
	f.Add(".5＠0212.SC5678．4111111111111111")
	f.Add("身份证3568331234567896qq１２３４.500867890")
	f.Add("1１２３４、１３９qq12500.0087654321")
	f.Add("身份证62345678qq（a12820240501")
	f.Fuzz(checkRedact)
}

// FuzzRedactPieces glues text from redactPieces as the fuzzer's bytes say:
// the fuzzer then explores how the words of every rule meet, which it
// rarely finds byte by byte.
func FuzzRedactPieces(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3})
	f.Add([]byte{200, 150, 100, 50, 25})
	f.Fuzz(func(t *testing.T, picks []byte) {
		if len(picks) > 24 {
			picks = picks[:24]
		}
		var b strings.Builder
		for _, p := range picks {
			b.WriteString(redactPieces[int(p)%len(redactPieces)])
		}
		checkRedact(t, b.String())
	})
}

// redactPieces are the fragments the composed tests glue together: numbers
// of every kind, their separators and prefixes, the words of the contextual
// rules, names, masks, places, and what people put next to them.
var redactPieces = []string{
	"350102198001011233", "11010519491231002", "X", "x", "350102800101123", "13912345678", "139", "1234", "5678",
	"8613912345678", "+86", "86", "0086", "(", ")", "（", "）", "0591", "87654321", "010", "62345678", "转", "分机", "ext.",
	"6228480012345678903", "6222", "0212", "3456", "7890", "128", "4111111111111111", "913501001000003604",
	"@", "＠", "qq", "com", "cn", ".", "-", "－", " ", "\u3000", "/", "、", "a", "Z", "SC", "JY", "No", "_", "%",
	"１３９", "１２３４", "５６７８", "０", "身份证", "电话", "，", "。", "元", "〔2023〕", "12500.00", "20240501", RedactionMarker,
	"Ｘ", "ｘ", "Ａ", "．", ".5", "0", "1", "9", "-1", "ext", "\u00a0", "[", "]", "3568331234567896", "0598", "8234567",
	// contextual rules
	"账号", "银行卡", "开户行", "收款", "对公账户", "批号", "编号", "号码", "护照", "E12345678", "台胞证", "通行证", "H", "微信号",
	"闽", "D", "A·", "学", "挂", "员工", "收银员", "消费者", "举报人", "当事人", "法定代表人", "负责人", "质量负责人", "为", "：",
	"张", "三", "欧阳", "小明", "王某", "某", "李**", "陈", "建国", "于", "向", "和", "等", "3人", "男", "女", "先生", "称", "在",
	"家住", "住址", "住", "住所地", "福州市", "鼓楼区", "罗源县", "温泉路", "12号", "小区", "户籍地", "的", "患有", "确诊为", "乙肝",
	"艾滋病", "HIV", "病史", "患者", "沙门氏菌", "隐患", "结核", "携带者", "高新区", "马尾", "林业局", "福州张记餐饮店", "许可证",
}

// TestRedactComposed runs checkRedact on text glued from pieces at random,
// with a fixed seed: the fuzz targets' properties on every test run.
func TestRedactComposed(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 200_000 {
		b.Reset()
		for range 1 + r.IntN(10) {
			b.WriteString(redactPieces[r.IntN(len(redactPieces))])
		}
		checkRedact(t, b.String())
	}
}
