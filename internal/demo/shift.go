package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
)

// Anchor is the day the demo dataset was generated for.
func Anchor() time.Time { return gen.DefaultAnchor() }

// OpenAt returns the demo dataset with every date moved by the days between
// Anchor and today, so that the dataset always looks as it did on its
// anchor day: a penalty published a month before the anchor was published a
// month before today, and is as far into its disclosure period. Without the
// shift, months after the anchor periods would have ended and examples
// would come back empty; with CLOCK_DATE before the anchor, records would
// lie in the future. Identifiers (decision numbers with their years) are
// not changed.
func OpenAt(today time.Time) io.ReadCloser {
	days := int(credit.DateOf(today).Sub(Anchor()).Hours() / 24)
	if days == 0 {
		return Open()
	}
	rc := Open()
	defer rc.Close()
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(rc)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if err := shiftLine(enc, sc.Bytes(), days); err != nil {
			return errReader{err}
		}
	}
	if err := sc.Err(); err != nil {
		return errReader{err}
	}
	return io.NopCloser(&out)
}

// shiftLine writes one record with its dates moved by days.
func shiftLine(enc *json.Encoder, line []byte, days int) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		return err
	}
	for k, v := range rec {
		s, ok := v.(string)
		if !ok || !isDateField(k) {
			continue
		}
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return err
		}
		rec[k] = d.AddDate(0, 0, days).Format(time.DateOnly)
	}
	return enc.Encode(rec)
}

// isDateField reports whether an import record member holds a date.
func isDateField(name string) bool {
	return strings.HasSuffix(name, "_on") || name == "valid_from" || name == "valid_to" || name == "restriction_until"
}
