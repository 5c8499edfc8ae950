//go:build unix

package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/dataloader"
	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gen"
	"github.com/creditgraph/creditgraph/internal/ingest"
)

// benchProfileQuery is README.md's profile query: every nested connection
// of an enterprise and its credit summary.
const benchProfileQuery = `query Profile($uscc: ID!) {
  enterprise(uscc: $uscc) {
    name status regionCode keyAreas
    creditSummary { penaltyCount totalFines onSeriousDishonestyList onAbnormalOperationList validLicenseCount }
    licenses(first: 5) { totalCount nodes { licenseNumber name validTo } }
    penalties { totalCount nodes { decisionNumber violationType penaltyTypes fineAmount publishedOn disclosureEndsOn } }
    inspections(first: 5) { nodes { kind inspectedOn result product } }
    abnormalOperations { decisionNumber reason listedOn removal { removedOn reason } }
    seriousDishonesty { decisionNumber reason listedOn disclosureEndsOn }
    commitments { kind content status }
  }
}`

// BenchmarkProfile measures the profile query through the real handler
// (embedded store with 2,000 generated enterprises, seed 1, USCCs in turn)
// for each kind of caller, so the cost of authentication and of the tier
// policy reads as a ratio against the callers beside it:
//
//	caller=anonymous  the whole edge, no Authorization header (PUBLIC)
//	caller=bare       GraphQL and loaders only, no edge middleware at all:
//	                  the no-auth floor
//	caller=public     the whole edge with a PUBLIC key: key lookup, same tier
//	caller=regulator  the whole edge with a REGULATOR key: key lookup, the
//	                  REGULATOR schema and its larger visible record
//
// Besides ns/op it reports cpu-ns/op: the process's CPU time per request,
// which the loaders' sleeping does not dilute.
//
//	go test -run '^$' -bench Profile -count 10 ./internal/httpapi | tee /tmp/profile.txt
//	benchstat -col /caller /tmp/profile.txt
func BenchmarkProfile(b *testing.B) {
	st := memoryStore()
	var data bytes.Buffer
	if err := gen.Write(&data, gen.Options{Enterprises: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	usccs := enterpriseUSCCs(b, data.Bytes())
	sum, err := (&ingest.Importer{Store: st}).Import(context.Background(), bytes.NewReader(data.Bytes()))
	if err != nil || sum.Rejected != 0 {
		b.Fatalf("load: %v %+v", err, sum)
	}
	// "Today" is the dataset's anchor, so the disclosure states are the ones
	// the generator spread, whatever the date of the run.
	today := gen.DefaultAnchor().Add(10 * time.Hour)
	d := Deps{Store: st, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}),
		Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: func() time.Time { return today }, Log: discardLog(),
		Options: Options{MaxBodyBytes: 1 << 20, ParserTokenLimit: 5000, RequestTimeout: 10 * time.Second}}
	full := New(d)
	bare := dataloader.Middleware(d.Store, d.Clock, GraphQL(d))

	bodies := make([][]byte, len(usccs))
	for i, u := range usccs {
		bodies[i], _ = json.Marshal(map[string]any{"query": benchProfileQuery, "variables": map[string]string{"uscc": u}})
	}
	callers := []struct {
		name string
		h    http.Handler
		auth string
	}{
		{"anonymous", full, ""},
		{"bare", bare, ""},
		{"public", full, "Bearer " + publicKey},
		{"regulator", full, "Bearer " + regulatorKey},
	}
	for _, c := range callers {
		b.Run("caller="+c.name, func(b *testing.B) {
			serve := func(body []byte) *httptest.ResponseRecorder {
				req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				if c.auth != "" {
					req.Header.Set("Authorization", c.auth)
				}
				rec := httptest.NewRecorder()
				c.h.ServeHTTP(rec, req)
				return rec
			}
			checkProfile(b, serve(bodies[0]))
			b.ReportAllocs()
			i, cpu := 0, processCPU(b)
			for b.Loop() {
				if rec := serve(bodies[i%len(bodies)]); rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				i++
			}
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// processCPU is the CPU time (user and system) this process has used. A
// profile spends most of its wall time asleep in the loaders' batch windows
// (see docs/BENCHMARKS.md), so ns/op hides what a caller's extra work costs;
// cpu-ns/op shows it.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// checkProfile fails unless a response is a found enterprise with no errors:
// a benchmark of error responses would measure the wrong thing.
func checkProfile(b *testing.B, rec *httptest.ResponseRecorder) {
	b.Helper()
	var r struct {
		Data struct {
			Enterprise *struct{ Name string } `json:"enterprise"`
		} `json:"data"`
		Errors []gqlError `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || rec.Code != http.StatusOK ||
		len(r.Errors) > 0 || r.Data.Enterprise == nil {
		b.Fatalf("not a profile (%d): %s", rec.Code, rec.Body)
	}
}

// enterpriseUSCCs returns the USCCs of the enterprise lines of an NDJSON
// dataset, in file order.
func enterpriseUSCCs(b *testing.B, ndjson []byte) []string {
	b.Helper()
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(ndjson))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line struct{ Kind, USCC string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			b.Fatal(err)
		}
		if line.Kind == "enterprise" {
			out = append(out, line.USCC)
		}
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		b.Fatalf("no enterprises: %v", err)
	}
	return out
}
