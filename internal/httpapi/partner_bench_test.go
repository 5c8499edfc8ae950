//go:build unix

package httpapi

// Benchmarks of screening and bulk export on a large PostgreSQL database
// (docs/BENCHMARKS.md, "Screening and export"), each with its baseline in
// the same run. They read BENCH_DATABASE_URL (a migrated, loaded database,
// e.g. `creditgraph generate --enterprises 1000000` imported) and skip
// without it; they only read.
//
//	BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_1m \
//	  go test -run '^$' -bench 'Screening|Export' -benchtime 200x ./internal/httpapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// benchServer serves the real edge over the database at BENCH_DATABASE_URL.
func benchServer(b *testing.B) (*httptest.Server, *postgres.Store, string) {
	b.Helper()
	url := os.Getenv("BENCH_DATABASE_URL")
	if url == "" {
		b.Skip("BENCH_DATABASE_URL is not set: these benchmarks need a large database")
	}
	p := credit.NewPolicy(credit.DefaultSettings())
	st, err := postgres.New(context.Background(), postgres.Config{URL: url, Policy: p, MaxConns: 8})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(st.Close)
	lim := ratelimit.NewShared(nil, ratelimit.Options{})
	h := New(Deps{Store: st, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}),
		Meter:  testMeter(lim, 1_000_000_000),
		Policy: p, Clock: time.Now, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), Registry: prometheus.NewRegistry(),
		Options: Options{MaxBodyBytes: 1 << 20, ParserTokenLimit: 50000, RequestTimeout: time.Minute}})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return srv, st, url
}

// benchSample draws n enterprises (USCC and name) spread over the table.
func benchSample(b *testing.B, url string, n int) (usccs, names []string) {
	b.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(),
		`SELECT uscc, name FROM enterprises TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT $1`, n)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var u, nm string
		if err := rows.Scan(&u, &nm); err != nil {
			b.Fatal(err)
		}
		usccs, names = append(usccs, u), append(names, nm)
	}
	if err := rows.Err(); err != nil || len(usccs) < n {
		b.Fatalf("sample: %d rows, %v", len(usccs), err)
	}
	return usccs, names
}

func benchPost(b *testing.B, srv *httptest.Server, body []byte) time.Duration {
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+partnerKey)
	start := time.Now()
	res, err := srv.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(start)
	if res.StatusCode != 200 || bytes.Contains(raw, []byte(`"errors"`)) {
		b.Fatalf("%d %s", res.StatusCode, raw[:min(len(raw), 500)])
	}
	return d
}

// screeningBenchQuery asks what a partner's morning check would.
const screeningBenchQuery = `query($in: [ScreeningInput!]) { screenCounterparties(inputs: $in) {
  ref status score riskCategory enterprise { uscc name } candidates { score enterprise { uscc } }
  flags { code reason evidence since } } }`

// pageBenchQuery is the baseline: the same 100 enterprises' records (those
// the flags read) and risk categories, as one enterprises page.
const pageBenchQuery = `query($after: String) { enterprises(first: 100, after: $after) { nodes {
  uscc name riskCategory penalties(first: 100) { nodes { decisionNumber disclosureEndsOn } }
  inspections(first: 100) { nodes { inspectionId result } } abnormalOperations { decisionNumber }
  seriousDishonesty { decisionNumber } commitments { commitmentId status } } } }`

// BenchmarkScreening screens batches of 100 drawn from the database, by
// code and by name, interleaved (ABBA) with the baseline: a page of 100
// enterprises with the same records and risk categories. It reports p50
// and p99 of each arm in ms.
func BenchmarkScreening(b *testing.B) {
	srv, _, url := benchServer(b)
	usccs, names := benchSample(b, url, 5000)
	batch := func(i int, byName bool) []byte {
		in := make([]map[string]any, 100)
		for k := range in {
			j := (i*100 + k) % len(usccs)
			in[k] = map[string]any{"ref": strconv.Itoa(k), "uscc": usccs[j]}
			if byName {
				in[k] = map[string]any{"ref": strconv.Itoa(k), "name": names[j]}
			}
		}
		body, _ := json.Marshal(map[string]any{"query": screeningBenchQuery, "variables": map[string]any{"in": in}})
		return body
	}
	page := func(i int) []byte {
		// A page starting at a sampled USCC: a keyset cursor from it.
		u := usccs[(i*100)%len(usccs)]
		body, _ := json.Marshal(map[string]any{"query": pageBenchQuery,
			"variables": map[string]any{"after": cursorAfter(u)}})
		return body
	}
	arms := []struct {
		name string
		body func(i int) []byte
	}{
		{"code", func(i int) []byte { return batch(i, false) }},
		{"page", page},
	}
	if os.Getenv("BENCH_SCREEN_NAMES") != "" {
		arms = append(arms, struct {
			name string
			body func(i int) []byte
		}{"name", func(i int) []byte { return batch(i, true) }})
	}
	lat := make([][]time.Duration, len(arms))
	for i := range 2 { // warm up
		for _, a := range arms {
			benchPost(b, srv, a.body(i+1000))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		order := make([]int, len(arms))
		for k := range order {
			order[k] = k
		}
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, k := range order {
			lat[k] = append(lat[k], benchPost(b, srv, arms[k].body(i)))
		}
	}
	b.StopTimer()
	for k, a := range arms {
		p50, p99 := percentile(lat[k], 50), percentile(lat[k], 99)
		b.ReportMetric(ms(p50), a.name+"-p50-ms")
		b.ReportMetric(ms(p99), a.name+"-p99-ms")
	}
	b.ReportMetric(0, "ns/op")
}

// cursorAfter is the enterprises page cursor that starts after uscc.
func cursorAfter(uscc string) string {
	return store.EncodeCursor(store.CursorEnterprises, store.Fingerprint(store.EnterpriseFilter{}), uscc)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := (len(s)*p + 99) / 100 // nearest rank
	return s[min(max(i-1, 0), len(s)-1)]
}

// BenchmarkExport downloads enterprises.ndjson (PARTNER) through the real
// edge and, beside it, reads the same tables raw in one REPEATABLE READ
// transaction (every row, every column, streamed: the floor any export
// stands on). It reports both rates in lines/s and profiles/s, the ratio,
// and the process's resident memory: at the start, its peak while
// exporting (sampled every 50 ms) and at the end.
func BenchmarkExport(b *testing.B) {
	srv, _, url := benchServer(b)
	for i := 0; i < b.N; i++ {
		rss0 := rssBytes()
		var peak atomic.Int64
		stop := make(chan struct{})
		go func() {
			t := time.NewTicker(50 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if r := rssBytes(); r > peak.Load() {
						peak.Store(r)
					}
				}
			}
		}()
		start := time.Now()
		lines, profiles := exportOnce(b, srv)
		export := time.Since(start)
		close(stop)
		rss1 := rssBytes()

		start = time.Now()
		rawRows := rawRead(b, url)
		raw := time.Since(start)

		b.ReportMetric(float64(lines)/export.Seconds(), "lines/s")
		b.ReportMetric(float64(profiles)/export.Seconds(), "profiles/s")
		b.ReportMetric(float64(rawRows)/raw.Seconds(), "raw-rows/s")
		b.ReportMetric((float64(lines)/export.Seconds())/(float64(rawRows)/raw.Seconds()), "export/raw")
		b.ReportMetric(float64(rss0)/(1<<20), "rss-start-MiB")
		b.ReportMetric(float64(peak.Load())/(1<<20), "rss-peak-MiB")
		b.ReportMetric(float64(rss1)/(1<<20), "rss-end-MiB")
		b.Logf("export: %d lines, %d profiles in %s; raw read: %d rows in %s", lines, profiles, export, rawRows, raw)
	}
}

func exportOnce(b *testing.B, srv *httptest.Server) (lines, profiles int) {
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/export/enterprises.ndjson", nil)
	req.Header.Set("Authorization", "Bearer "+partnerKey)
	res, err := srv.Client().Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		raw, _ := io.ReadAll(res.Body)
		b.Fatalf("%d %s", res.StatusCode, raw)
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines++
		if bytes.HasPrefix(sc.Bytes(), []byte(`{"kind":"enterprise"`)) {
			profiles++
		}
	}
	if err := sc.Err(); err != nil {
		b.Fatal(err)
	}
	if got := res.Trailer.Get("X-Export-Records"); got != strconv.Itoa(profiles) {
		b.Fatalf("X-Export-Records %q, %d profiles read", got, profiles)
	}
	return lines, profiles
}

// rawRead streams every row of the tables an enterprises export reads.
func rawRead(b *testing.B, url string) int {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback(ctx)
	n := 0
	for _, table := range []string{"enterprises", "licenses", "penalties", "inspections", "listings", "commitments"} {
		rows, err := tx.Query(ctx, `SELECT * FROM `+table+` ORDER BY uscc`)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if _, err := rows.Values(); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
	}
	return n
}

// rssBytes is the process's resident set size (Linux /proc).
func rssBytes() int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func BenchmarkScreeningOnce(b *testing.B) {
	srv, _, url := benchServer(b)
	usccs, names := benchSample(b, url, 100)
	for _, byName := range []bool{false, true} {
		in := make([]map[string]any, 100)
		for k := range in {
			in[k] = map[string]any{"ref": strconv.Itoa(k), "uscc": usccs[k]}
			if byName {
				in[k] = map[string]any{"ref": strconv.Itoa(k), "name": names[k]}
			}
		}
		body, _ := json.Marshal(map[string]any{"query": screeningBenchQuery, "variables": map[string]any{"in": in}})
		b.Logf("byName=%v: %s", byName, benchPost(b, srv, body))
	}
}
