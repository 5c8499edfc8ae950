package httpapi

import (
	"bufio"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
)

// forbiddenInLogs is what no log line may carry: the test keys' secrets,
// what a database URL is made of, and the personal data of the fixtures
// (ID and phone numbers), read from the fixture files.
var forbiddenInLogs = sync.OnceValue(func() []string {
	out := []string{publicKey, partnerKey, regulatorKey, writerKey, "postgres://", "user=", "database=", "password"}
	if u, err := url.Parse(os.Getenv("TEST_DATABASE_URL")); err == nil && u.Host != "" {
		out = append(out, u.Host)
	}
	for _, file := range []string{"testdata/fixture.ndjson", canaryFixture} {
		f, err := os.Open(file)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			for _, k := range []string{"legal_representative_id_number", "phone"} {
				if v, _ := rec[k].(string); len(v) >= 7 {
					out = append(out, v)
				}
			}
		}
		f.Close()
	}
	return out
})

// checkLogs fails the test for every log line carrying something of
// forbiddenInLogs. Every harness runs it on its logs when its test ends,
// the leak suite's included.
func checkLogs(t *testing.T, logs string) {
	t.Helper()
	for i, line := range strings.Split(logs, "\n") {
		for _, bad := range forbiddenInLogs() {
			if strings.Contains(line, bad) {
				t.Errorf("log line %d carries %q: %s", i+1, bad, line)
			}
		}
	}
}
