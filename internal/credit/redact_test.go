package credit

import (
	"path/filepath"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit/redactiontest"
)

// redactCases reads the corpus in testdata/redaction.
func redactCases(tb testing.TB) []redactiontest.Case {
	tb.Helper()
	if redactiontest.Marker != RedactionMarker {
		tb.Fatalf("redactiontest.Marker %q is not RedactionMarker %q", redactiontest.Marker, RedactionMarker)
	}
	cases, err := redactiontest.Load(filepath.Join("testdata", "redaction"))
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

func TestRedactCorpus(t *testing.T) {
	cases := redactCases(t)
	if len(cases) < 424 {
		t.Fatalf("corpus has %d cases, want at least 424 (124 of numbers and e-mail, 300 contextual)", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Note, func(t *testing.T) {
			got := Redact(c.In)
			if got != c.Want {
				t.Fatalf("Redact(%q)\n got %q\nwant %q", c.In, got, c.Want)
			}
			if again := Redact(got); again != got {
				t.Errorf("not idempotent: Redact(%q) = %q", got, again)
			}
		})
	}
}

func TestRedactDoesNotAllocateWithoutPersonalData(t *testing.T) {
	for _, s := range []string{
		"",
		"当事人对上述事实予以确认。",
		benchFactsClean,
		"闽市监罚〔2023〕118号，罚款12500.00元，SC10635010200005",
	} {
		if n := testing.AllocsPerRun(100, func() { _ = Redact(s) }); n != 0 {
			t.Errorf("Redact(%q) allocates %v times", s, n)
		}
	}
	// and every sentence of the corpus that must stay as it is
	for _, c := range redactCases(t) {
		if c.In == c.Want {
			if n := testing.AllocsPerRun(10, func() { _ = Redact(c.In) }); n != 0 {
				t.Errorf("%s: Redact(%q) allocates %v times", c.Note, c.In, n)
			}
		}
	}
}

func TestRedactPtr(t *testing.T) {
	if RedactPtr(nil) != nil {
		t.Error("RedactPtr(nil) is not nil")
	}
	clean := "无个人信息"
	if p := RedactPtr(&clean); p != &clean {
		t.Error("RedactPtr of clean text returned a new pointer")
	}
	personal := "电话13912345678"
	p := RedactPtr(&personal)
	if p == nil || *p != "电话"+RedactionMarker {
		t.Errorf("RedactPtr(%q) = %v", personal, p)
	}
	if personal != "电话13912345678" {
		t.Error("RedactPtr changed its argument")
	}
}

// Typical penalty facts, about 200 runes, as internal/gen writes them:
// dates, amounts, a batch number, a standard, a licence number, a USCC and
// a decision number, and in the second an agent's ID and mobile number.
const (
	benchFactsHead = "经查，当事人于2024年5月1日生产的酱油（批号：20240501）经抽样检验，氨基酸态氮项目不符合" +
		"GB 2717-2018《食品安全国家标准 酱油》要求，检验结论为不合格。该批次产品共计1200瓶，货值金额12500.00元，" +
		"违法所得3600.00元。"
	benchFactsClean = benchFactsHead + "当事人持有食品生产许可证SC10635010200005，统一社会信用代码91350100MA2XYK001G。" +
		"以上事实有现场检查笔录、检验报告等证据为证。依据闽市监罚〔2024〕118号作出处罚。"
	benchFactsPersonal = benchFactsHead + "当事人委托代理人王某（公民身份号码350102198001011233，联系电话13912345678）" +
		"对上述事实予以确认。依据闽市监罚〔2024〕118号作出处罚。"
)

func BenchmarkRedact(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"clean", benchFactsClean},
		{"personal", benchFactsPersonal},
		{"short", "当事人对上述事实予以确认。"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				_ = Redact(bc.text)
			}
		})
	}
}
