package ingest

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FuzzDecode: no input panics; a line that is not valid JSON is always
// INVALID_JSON, and a line that decodes is valid JSON (the tokenizer
// agrees with encoding/json's grammar, duplicate names aside).
func FuzzDecode(f *testing.F) {
	for _, path := range []string{"testdata/mixed.ndjson", "testdata/out_of_order.ndjson", "testdata/bench.ndjson"} {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for l := range strings.Lines(string(b)) {
			f.Add([]byte(strings.TrimSuffix(l, "\n")))
		}
	}
	for _, k := range Kinds {
		f.Add([]byte(line(k)))
	}
	f.Add([]byte(`{"kind":"penalty","penalty_types":[1,"fine",{}],"reason_code":1e400}`))
	var p Parser
	f.Fuzz(func(t *testing.T, in []byte) {
		rec, lerr := p.Decode(in)
		if lerr != nil {
			if lerr.Code == "" || lerr.Message == "" {
				t.Fatalf("line error without code or message: %+v", lerr)
			}
			if !json.Valid(in) && lerr.Code != CodeInvalidJSON {
				t.Fatalf("invalid JSON %q rejected with %s: %s", in, lerr.Code, lerr.Message)
			}
			return
		}
		if !json.Valid(in) {
			t.Fatalf("invalid JSON %q decoded to %+v", in, rec)
		}
		if rec.key() == (naturalKey{}) {
			t.Fatalf("decoded record without a key: %+v", rec)
		}
	})
}
