package credit

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
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
	if len(cases) < 60 {
		t.Fatalf("corpus has %d cases, want at least 60", len(cases))
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

// FuzzRedact checks the properties that hold for every input: no panic,
// valid UTF-8 in gives valid UTF-8 out, idempotence, text without digits or
// at signs comes back unchanged, and nothing but markers is added.
func FuzzRedact(f *testing.F) {
	for _, c := range redactCases(f) {
		f.Add(c.in)
	}
	f.Add(benchFactsPersonal)
	f.Add("a@b@c.com 1391234567813912345678 (+86)(0591)87654321-")
	// Inputs that once broke a property.
	f.Add("01 00000000000")
	f.Add("（电话11010519491231002x8613912345678x")
	f.Add("SC3456@ext.SC010１３９87654321")
	f.Add("913501001000003604＠ext.X12500.008613912345678")
	f.Add(".5＠0212.SC5678．4111111111111111")
	f.Fuzz(func(t *testing.T, s string) {
		got := Redact(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Redact(%q) = %q: not valid UTF-8", s, got)
		}
		if again := Redact(got); again != got {
			t.Fatalf("not idempotent: Redact(%q) = %q, Redact of that = %q", s, got, again)
		}
		if !strings.ContainsAny(s, "0123456789０１２３４５６７８９@＠") && got != s {
			t.Fatalf("Redact(%q) = %q: changed text without digits or at sign", s, got)
		}
		if strings.Count(got, RedactionMarker) < strings.Count(s, RedactionMarker) {
			t.Fatalf("Redact(%q) = %q: lost a marker", s, got)
		}
		if rest := strings.ReplaceAll(got, RedactionMarker, ""); len(rest) > len(s) {
			t.Fatalf("Redact(%q) = %q: added text other than markers", s, got)
		}
	})
}

// redactPieces are the fragments TestRedactComposed glues together at
// random: numbers of every kind, their separators and prefixes, and what
// people put next to them.
var redactPieces = []string{
	"350102198001011233", "11010519491231002", "X", "x", "350102800101123", "13912345678", "139", "1234", "5678",
	"8613912345678", "+86", "86", "0086", "(", ")", "（", "）", "0591", "87654321", "010", "62345678", "转", "分机", "ext.",
	"6228480012345678903", "6222", "0212", "3456", "7890", "128", "4111111111111111", "913501001000003604",
	"@", "＠", "qq", "com", "cn", ".", "-", "－", " ", "\u3000", "/", "、", "a", "Z", "SC", "JY", "No", "_", "%",
	"１３９", "１２３４", "５６７８", "０", "身份证", "电话", "，", "。", "元", "〔2023〕", "12500.00", "20240501", RedactionMarker,
	"Ｘ", "ｘ", "Ａ", "．", ".5", "0", "1", "9", "-1", "ext", "\u00a0", "[", "]", "3568331234567896", "0598", "8234567",
}

// TestRedactComposed checks idempotence and well-formed output on text
// glued from pieces that put numbers right next to each other, to letters,
// points, brackets, at signs and markers: the fuzzer rarely finds those.
func TestRedactComposed(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 200_000 {
		b.Reset()
		for range 1 + r.IntN(8) {
			b.WriteString(redactPieces[r.IntN(len(redactPieces))])
		}
		s := b.String()
		got := Redact(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Redact(%q) = %q: not valid UTF-8", s, got)
		}
		if again := Redact(got); again != got {
			t.Fatalf("not idempotent: Redact(%q) = %q, Redact of that = %q", s, got, again)
		}
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
