// Package redactiontest reads the redaction corpus
// (internal/credit/testdata/redaction) for tests outside package credit:
// the same sentences that pin credit.Redact down are run through every
// read path (GraphQL on both stores, the cache, export, the feed), which
// must show PUBLIC and PARTNER the redacted text and REGULATOR the
// original. It is for tests only and does no I/O but reading the corpus.
package redactiontest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

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

// Cases reads every *.tsv file of the corpus: note, input and expected
// output separated by tabs, "=" for an input that must come back
// unchanged; lines starting with # and blank lines are skipped.
func Cases() ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(Dir(), "*.tsv"))
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
		return nil, fmt.Errorf("redactiontest: no cases in %s", Dir())
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
		fields := strings.Split(text, "\t")
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: want 3 tab-separated fields, got %d", base, line, len(fields))
		}
		c := Case{Note: fields[0], In: fields[1], Want: fields[2]}
		if c.Want == "=" {
			c.Want = c.In
		}
		if at, dup := seen[c.Note]; dup {
			return nil, fmt.Errorf("%s:%d: note %q already used at %s", base, line, c.Note, at)
		}
		seen[c.Note] = fmt.Sprintf("%s:%d", base, line)
		out = append(out, c)
	}
	return out, sc.Err()
}
