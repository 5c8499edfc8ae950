package safetext

import (
	"testing"
	"unicode"
)

func TestFindControl(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      Control
		found     bool
	}{
		{name: "empty", in: ""},
		{name: "Chinese text", in: "泉州海禾食品有限公司"},
		{name: "NUL at the start", in: "\x00abc", want: Control{0, 1}, found: true},
		{name: "NUL after Chinese counts characters, not bytes", in: "海禾\x00", want: Control{0, 3}, found: true},
		{name: "NUL in multiline text too", in: "第一行\n\x00", multiline: true, want: Control{0, 5}, found: true},
		{name: "tab refused on one line", in: "a\tb", want: Control{'\t', 2}, found: true},
		{name: "newline refused on one line", in: "a\nb", want: Control{'\n', 2}, found: true},
		{name: "tab and newline allowed in long text", in: "一\t二\n三", multiline: true},
		{name: "CRLF allowed in long text", in: "一\r\n二", multiline: true},
		{name: "lone CR refused in long text", in: "一\r二", multiline: true, want: Control{'\r', 2}, found: true},
		{name: "CR at the end refused", in: "一\r", multiline: true, want: Control{'\r', 2}, found: true},
		{name: "escape", in: "x\x1b[31m", multiline: true, want: Control{0x1b, 2}, found: true},
		{name: "DEL", in: "x\x7f", want: Control{0x7f, 2}, found: true},
		{name: "C1 control U+0085", in: "x\u0085", multiline: true, want: Control{0x85, 2}, found: true},
		{name: "U+00A0 is not a control", in: "x\u00a0y"},
		{name: "ideographic space is not a control", in: "x\u3000y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found := FindControl(tt.in, tt.multiline)
			if found != tt.found || got != tt.want {
				t.Fatalf("FindControl(%q, %v) = %+v, %v; want %+v, %v", tt.in, tt.multiline, got, found, tt.want, tt.found)
			}
		})
	}
}

// Every code point of category Cc is found on one line, and nothing else is.
func TestFindControlMatchesUnicodeCc(t *testing.T) {
	for r := rune(0); r < 0x3000; r++ {
		_, found := FindControl("a"+string(r), false)
		if want := unicode.Is(unicode.Cc, r); found != want {
			t.Errorf("%U: found %v, want %v", r, found, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	if got := (Control{Rune: 0, At: 12}).Describe(); got != "control character U+0000 at character 12" {
		t.Fatalf("Describe() = %q", got)
	}
}
