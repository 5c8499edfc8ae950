package ingest

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll decodes a whole stream into "line kind" or "line CODE" entries.
func readAll(t *testing.T, d *Decoder) []string {
	t.Helper()
	var out []string
	for {
		rec, err := d.Next()
		var lerr *LineError
		switch {
		case err == io.EOF:
			return out
		case errors.As(err, &lerr):
			out = append(out, strconv.Itoa(lerr.Line)+" "+lerr.Code)
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			out = append(out, strconv.Itoa(rec.Line)+" "+string(rec.Kind))
		}
	}
}

func TestDecoderLines(t *testing.T) {
	ent, lic := line(KindEnterprise), line(KindLicense)
	long := line(KindTypicalCase, "summary", strings.Repeat("案", 100_000)) // 300 kB: spans buffer fills
	tests := []struct {
		name    string
		input   string
		maxLine int
		want    []string
	}{
		{"empty input", "", 0, nil},
		{"blank lines are skipped but counted", "\n" + ent + "\n\n   \t\n" + lic + "\n\n", 0, []string{"2 enterprise", "5 license"}},
		{"last line without newline", ent + "\n" + lic, 0, []string{"1 enterprise", "2 license"}},
		{"CRLF line endings", ent + "\r\n\r\n" + lic + "\r\n", 0, []string{"1 enterprise", "3 license"}},
		{"byte-order mark on the first line", "\uFEFF" + ent + "\n" + lic + "\n", 0, []string{"1 enterprise", "2 license"}},
		{"byte-order mark elsewhere is bad JSON", ent + "\n\uFEFF" + lic + "\n", 0, []string{"1 enterprise", "2 INVALID_JSON"}},
		{"a long line within the limit", ent + "\n" + long + "\n" + lic, 0, []string{"1 enterprise", "2 typical_case", "3 license"}},
		{"a line over the limit is skipped", ent + "\n" + long + "\n" + lic + "\n", 200_000,
			[]string{"1 enterprise", "2 LINE_TOO_LONG", "3 license"}},
		{"a last line over the limit", ent + "\n" + long, 200_000, []string{"1 enterprise", "2 LINE_TOO_LONG"}},
		{"limit is exact", lic + "\n" + lic + "x\n", len(lic), []string{"1 license", "2 LINE_TOO_LONG"}},
		{"limit excludes the line ending", lic + "\r\n", len(lic), []string{"1 license"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []struct {
				name string
				r    io.Reader
			}{{"whole", strings.NewReader(tt.input)}, {"byte by byte", iotest.OneByteReader(strings.NewReader(tt.input))}} {
				d := NewDecoder(r.r)
				d.MaxLineBytes = tt.maxLine
				got := readAll(t, d)
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Errorf("%s: got %q, want %q", r.name, got, tt.want)
				}
			}
		})
	}
}

func TestDecoderLineTooLongMessage(t *testing.T) {
	d := NewDecoder(strings.NewReader(strings.Repeat("x", 100)))
	d.MaxLineBytes = 10
	_, err := d.Next()
	var lerr *LineError
	if !errors.As(err, &lerr) || lerr.Code != CodeLineTooLong || lerr.Message != "line is longer than 10 bytes" || lerr.Line != 1 {
		t.Fatalf("Next = %v, want LINE_TOO_LONG on line 1", err)
	}
	if _, err := d.Next(); err != io.EOF {
		t.Fatalf("then Next = %v, want io.EOF", err)
	}
}

func TestDecoderReadErrorIsFatal(t *testing.T) {
	boom := errors.New("disk on fire")
	d := NewDecoder(io.MultiReader(strings.NewReader(line(KindEnterprise)+"\n"), iotest.ErrReader(boom)))
	if _, err := d.Next(); err != nil {
		t.Fatalf("first Next: %v", err)
	}
	_, err := d.Next()
	if !errors.Is(err, boom) || IsLineError(err) {
		t.Fatalf("Next = %v, want the read error, not a line error", err)
	}
	if _, again := d.Next(); !errors.Is(again, boom) {
		t.Fatalf("Next after the error = %v, want it again", again)
	}
}
