// Package redactcorpus reads the redaction corpus, the sentences in
// internal/credit/testdata/redaction with what credit.Redact must make of
// each (the format is in that folder's README.md). It owns the parsing of
// the files and nothing else: the credit package's own tests run the
// corpus against Redact, and the HTTP tests through every read path.
// It must not import credit (credit's tests import it); the marker is
// passed in.
package redactcorpus

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A Case is one sentence: its note (unique, a subtest name), the text and
// what the public tiers must read.
type Case struct {
	Note, In, Want string
}

// Load reads every corpus file in dir (*.tsv and *.txt), writing marker
// where the expected text has one.
func Load(dir, marker string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.t[sx][vt]"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("redactcorpus: no *.tsv or *.txt in %s", dir)
	}
	var cases []Case
	seen := map[string]string{}
	for _, file := range files {
		fc, err := loadFile(file, marker)
		if err != nil {
			return nil, err
		}
		for _, c := range fc {
			if other, dup := seen[c.Note]; dup {
				return nil, fmt.Errorf("redactcorpus: %s: note %q also used in %s", file, c.Note, other)
			}
			seen[c.Note] = filepath.Base(file)
		}
		cases = append(cases, fc...)
	}
	return cases, nil
}

func loadFile(file, marker string) ([]Case, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		c, err := parse(text, strings.HasSuffix(file, ".tsv"), marker)
		if err != nil {
			return nil, fmt.Errorf("redactcorpus: %s:%d: %w", filepath.Base(file), line, err)
		}
		cases = append(cases, c)
	}
	return cases, sc.Err()
}

// parse reads one line: note, input and expected output separated by tabs
// ("=" for unchanged) in a .tsv; note and marked-up text in a .txt.
func parse(text string, tsv bool, marker string) (Case, error) {
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
	in, want, err := markup(fields[1], marker)
	return Case{Note: fields[0], In: in, Want: want}, err
}

// markup reads a marked-up text: {{x}} is x in the input and the marker in
// the output, {{x>y}} is x in the input and y in the output.
func markup(rest, marker string) (in, want string, err error) {
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
			bw.WriteString(marker)
		}
	}
}
