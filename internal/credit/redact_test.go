package credit

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// redactCase is one sentence of the corpus in testdata/redaction.
type redactCase struct {
	note, in, want string
}

// redactCases reads the corpus: cases.tsv (note, input and expected output
// separated by tabs, "=" for an input that must come back unchanged) and
// the marked-up files *.txt (see testdata/redaction/README.md): note, a tab
// and the text, with {{…}} around what becomes the marker and {{张三>张某}}
// around a name and what it becomes.
func redactCases(tb testing.TB) []redactCase {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "redaction", "*.t[sx][vt]"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus files: %v", err)
	}
	var cases []redactCase
	seen := map[string]string{}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for line := 1; sc.Scan(); line++ {
			text := sc.Text()
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			where := fmt.Sprintf("%s:%d", filepath.Base(file), line)
			c, err := parseCase(text, strings.HasSuffix(file, ".tsv"))
			if err != nil {
				tb.Fatalf("%s: %v", where, err)
			}
			if other, dup := seen[c.note]; dup {
				tb.Fatalf("%s: note %q also used at %s", where, c.note, other)
			}
			seen[c.note] = where
			cases = append(cases, c)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return cases
}

func parseCase(text string, tsv bool) (redactCase, error) {
	fields := strings.Split(text, "\t")
	if tsv {
		if len(fields) != 3 {
			return redactCase{}, fmt.Errorf("want 3 tab-separated fields, got %d", len(fields))
		}
		c := redactCase{note: fields[0], in: fields[1], want: fields[2]}
		if c.want == "=" {
			c.want = c.in
		}
		return c, nil
	}
	if len(fields) != 2 {
		return redactCase{}, fmt.Errorf("want a note and a text separated by one tab, got %d fields", len(fields))
	}
	c := redactCase{note: fields[0]}
	var in, want strings.Builder
	rest := fields[1]
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			if strings.Contains(rest, "}}") {
				return c, fmt.Errorf("}} without {{")
			}
			in.WriteString(rest)
			want.WriteString(rest)
			break
		}
		in.WriteString(rest[:open])
		want.WriteString(rest[:open])
		rest = rest[open+2:]
		end := strings.Index(rest, "}}")
		if end < 0 || strings.Contains(rest[:end], "{{") {
			return c, fmt.Errorf("{{ without }}")
		}
		span := rest[:end]
		rest = rest[end+2:]
		if from, to, ok := strings.Cut(span, ">"); ok {
			in.WriteString(from)
			want.WriteString(to)
		} else {
			in.WriteString(span)
			want.WriteString(RedactionMarker)
		}
	}
	c.in, c.want = in.String(), want.String()
	return c, nil
}

func TestRedactCorpus(t *testing.T) {
	cases := redactCases(t)
	if len(cases) < 424 {
		t.Fatalf("corpus has %d cases, want at least 424 (124 of numbers and e-mail, 300 contextual)", len(cases))
	}
	for _, c := range cases {
		t.Run(c.note, func(t *testing.T) {
			got := Redact(c.in)
			if got != c.want {
				t.Fatalf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
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
		if c.in == c.want {
			if n := testing.AllocsPerRun(10, func() { _ = Redact(c.in) }); n != 0 {
				t.Errorf("%s: Redact(%q) allocates %v times", c.note, c.in, n)
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
