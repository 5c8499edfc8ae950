// Package redactiontest reads the redaction corpus
// (internal/credit/testdata/redaction) for tests: package credit's own, which
// pin credit.Redact down, and tests outside it, which run the same sentences
// through every read path (GraphQL on both stores, the cache, export, the
// feed) and must show PUBLIC and PARTNER the redacted text and REGULATOR the
// original. It is for tests only and does no I/O but reading the corpus. It
// must not import credit (credit's tests import it), so it carries the
// marker itself; credit's tests check the two agree.
package redactiontest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Marker is credit.RedactionMarker, written where a marked-up sentence has
// {{…}}.
const Marker = "[已脱敏]"

// Case is one corpus sentence and what a public caller must read of it.
type Case struct {
	Note string // unique name of the case
	In   string // the original text
	Want string // credit.Redact(In)
}

// Dir is the corpus directory.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "redaction")
}

// Cases reads every corpus file of Dir (see Load).
func Cases() ([]Case, error) { return Load(Dir()) }

// Load reads every corpus file in dir, the format in its README.md:
//   - *.tsv: note, input and expected output separated by tabs, "=" for an
//     input that must come back unchanged;
//   - *.txt: note, a tab and the text marked up: {{x}} is x in the input and
//     Marker in the output, {{x>y}} is x in the input and y in the output
//     (a name and what it becomes).
//
// Lines starting with # and blank lines are skipped; notes are unique
// across files.
func Load(dir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.t[sx][vt]"))
	if err != nil {
		return nil, err
	}
	var out []Case
	seen := map[string]string{}
	for _, name := range files {
		cs, err := read(name, seen)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("redactiontest: no cases in %s", dir)
	}
	return out, nil
}

func read(name string, seen map[string]string) ([]Case, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	base := filepath.Base(name)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		c, err := parse(text, strings.HasSuffix(name, ".tsv"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", base, line, err)
		}
		if at, dup := seen[c.Note]; dup {
			return nil, fmt.Errorf("%s:%d: note %q already used at %s", base, line, c.Note, at)
		}
		seen[c.Note] = fmt.Sprintf("%s:%d", base, line)
		out = append(out, c)
	}
	return out, sc.Err()
}

func parse(text string, tsv bool) (Case, error) {
	fields := strings.Split(text, "\t")
	if tsv {
		if len(fields) != 3 {
			return Case{}, fmt.Errorf("want 3 tab-separated fields, got %d", len(fields))
		}
		c := Case{Note: fields[0], In: fields[1], Want: fields[2]}
		if c.Want == "=" {
			c.Want = c.In
		}
		return c, nil
	}
	if len(fields) != 2 {
		return Case{}, fmt.Errorf("want a note and a text separated by one tab, got %d fields", len(fields))
	}
	in, want, err := markup(fields[1])
	return Case{Note: fields[0], In: in, Want: want}, err
}

// markup reads a marked-up text into the input and the expected output.
func markup(rest string) (in, want string, err error) {
	var bi, bw strings.Builder
	for {
		open := strings.Index(rest, "{{")
		if open < 0 {
			if strings.Contains(rest, "}}") {
				return "", "", fmt.Errorf("}} without {{")
			}
			bi.WriteString(rest)
			bw.WriteString(rest)
			return bi.String(), bw.String(), nil
		}
		bi.WriteString(rest[:open])
		bw.WriteString(rest[:open])
		rest = rest[open+2:]
		end := strings.Index(rest, "}}")
		if end < 0 || strings.Contains(rest[:end], "{{") {
			return "", "", fmt.Errorf("{{ without }}")
		}
		span := rest[:end]
		rest = rest[end+2:]
		if from, to, ok := strings.Cut(span, ">"); ok {
			bi.WriteString(from)
			bw.WriteString(to)
		} else {
			bi.WriteString(span)
			bw.WriteString(Marker)
		}
	}
}
