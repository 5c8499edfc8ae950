package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// These are the fault tests: PostgreSQL stopped and restarted under load,
// and an import killed mid-file, each on a PostgreSQL (and Redis) of the
// test's own.

// outcome is one answer seen under load.
type outcome struct {
	phase      string
	kind       string // warm-public, warm-partner, cold, new-key
	status     int
	code       string // first error's extensions.code
	errs       int
	retryAfter string
	err        error
}

// loadQuery is the profile the load asks for.
const loadQuery = `query($u: ID!) { enterprise(uscc: $u) { uscc name creditSummary { penaltyCount } penalties(first: 5) { totalCount nodes { decisionNumber } } } }`

func ask(base, key, uscc string) outcome {
	return askQuery(base, key, loadQuery, uscc)
}

// askQuery is ask with another document.
func askQuery(base, key, query, uscc string) outcome {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]string{"u": uscc}})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var env struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	o := outcome{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After")}
	if err := json.Unmarshal(raw, &env); err != nil {
		o.err = fmt.Errorf("not JSON: %s", raw)
	}
	o.errs = len(env.Errors)
	if o.errs > 0 {
		o.code = env.Errors[0].Extensions.Code
	}
	return o
}

// importFile runs `creditgraph import file` as its own process.
func importFile(t *testing.T, file string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t), "import", file)
	cmd.Env = append(os.Environ(), append([]string{"LOG_LEVEL=warn", "KEYS_FILE="}, env...)...)
	return cmd
}

// generated writes `generate --enterprises n --seed s` to a file.
func generated(t *testing.T, n, seed int) (string, int) {
	t.Helper()
	out, err := exec.Command(binary(t), "generate", "--enterprises", fmt.Sprint(n), "--seed", fmt.Sprint(seed)).Output()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "data.ndjson")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return file, bytes.Count(out, []byte("\n"))
}

// TestStoreOutageUnderLoad: PostgreSQL is stopped and restarted while four
// clients keep asking. Throughout, every answer is either a 200 without
// errors or a 503 UNAVAILABLE with Retry-After — never a 200 carrying
// UNAVAILABLE, a 500 or a 401. While PostgreSQL is down, answers Redis
// holds keep coming, for anonymous callers and for a key whose
// KEY_CACHE_TTL (200 ms) ran out long ago (KEY_GRACE); a key never seen
// gets 503, not 401; what Redis does not hold is 503. Once PostgreSQL is
// back, everything is answered. The server's log names no user, database,
// host, port or key, and collapses the outage's repeated errors.
func TestStoreOutageUnderLoad(t *testing.T) {
	needRedis(t)
	pg := newOwnPostgres(t)
	rs := newOwnRedis(t)
	rs.start()
	db := pg.createDB("creditgraph_fault")
	file, _ := generated(t, 100, 5)
	if out, err := importFile(t, file, "DATABASE_URL="+db).CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	key, lateKey := storeKey(t, db, "acme-bank"), storeKey(t, db, "late-bank")
	srv := startProcess(t, []string{"serve"}, "DATABASE_URL="+db, "REDIS_URL="+rs.url(), "LOG_LEVEL=info",
		"KEY_CACHE_TTL=200ms", "KEY_GRACE=10m", "LOG_REPEAT_INTERVAL=1s", "CACHE_TIMEOUT="+testCacheTimeout,
		"RATE_LIMIT_PUBLIC=1000000/1h", "RATE_LIMIT_PARTNER=1000000/1h", "MAX_CONCURRENT_PER_KEY=0", "DB_MAX_CONNS=4")
	usccs := enterpriseCodes(t, srv.base, 40)
	warm, cold := usccs[:20], usccs[20:]
	for _, u := range warm { // computed and cached, for both tiers
		for _, k := range []string{"", key} {
			if o := ask(srv.base, k, u); o.status != 200 || o.errs > 0 {
				t.Fatalf("warming %s: %+v", u, o)
			}
		}
	}

	l := startLoad(srv.base, key, warm, cold)
	l.waitFor("up", 60)
	l.setPhase("stopping")
	pg.stop()
	l.setPhase("down")
	l.waitFor("down", 300)
	newKey := ask(srv.base, lateKey, warm[0])
	for range 50 { // the same failure again and again: its log line is collapsed
		ask(srv.base, lateKey, warm[0])
	}
	notReady := status(t, srv.base+"/readyz")
	l.setPhase("starting")
	pg.start()
	l.setPhase("recovering")
	waitReady(t, srv.base)
	l.setPhase("up again")
	l.waitFor("up again", 120)
	checkOutcomes(t, l.stop())

	if newKey.status != 503 || newKey.code != "UNAVAILABLE" || newKey.retryAfter == "" {
		t.Errorf("a key never seen, store down: %+v, want 503 UNAVAILABLE (never 401)", newKey)
	}
	if notReady != 503 {
		t.Errorf("/readyz while the store is down: %d", notReady)
	}
	for _, u := range usccs { // after the outage every answer comes
		for _, k := range []string{"", key} {
			if o := ask(srv.base, k, u); o.status != 200 || o.errs > 0 {
				t.Errorf("after recovery, %s: %+v", u, o)
			}
		}
	}
	// A graceful stop logs the counts still held back.
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	_ = srv.cmd.Wait()
	checkServerLog(t, srv.out.String(), pg.port, key, lateKey)
}

// storeKey creates a PARTNER key in db with the keys command and returns
// its secret.
func storeKey(t *testing.T, db, name string) string {
	t.Helper()
	t.Setenv("DATABASE_URL", db)
	t.Setenv("KEYS_FILE", "")
	out, err := keysCLI(t, "create", "--tier", "PARTNER", "--name", name)
	if err != nil {
		t.Fatal(err)
	}
	return lastLine(out)
}

// status GETs url and returns the status.
func status(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// waitReady waits until base's /readyz answers 200.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// load is four clients asking without pause, each answer labelled with the
// phase the test was in when it came.
type load struct {
	phase atomic.Value
	stopc chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	seen  []outcome
}

// startLoad asks, in turn, a cached profile anonymously, the same with key,
// and a document never asked before (never in the cache).
func startLoad(base, key string, warm, cold []string) *load {
	l := &load{stopc: make(chan struct{})}
	l.phase.Store("up")
	for w := range 4 {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := w; ; i++ {
				select {
				case <-l.stopc:
					return
				default:
				}
				var o outcome
				switch i % 3 {
				case 0:
					o, o.kind = ask(base, "", warm[i%len(warm)]), "warm-public"
				case 1:
					o, o.kind = ask(base, key, warm[i%len(warm)]), "warm-partner"
				default:
					q := fmt.Sprintf("query($u: ID!) { c%d_%d: enterprise(uscc: $u) { name } }", w, i)
					o, o.kind = askQuery(base, "", q, cold[i%len(cold)]), "cold"
				}
				o.phase = l.phase.Load().(string)
				l.mu.Lock()
				l.seen = append(l.seen, o)
				l.mu.Unlock()
			}
		}()
	}
	return l
}

func (l *load) setPhase(p string) { l.phase.Store(p) }

// waitFor waits until the load has had n answers in phase p.
func (l *load) waitFor(p string, n int) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		got := 0
		for _, o := range l.seen {
			if o.phase == p {
				got++
			}
		}
		l.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends the load and returns every answer it saw.
func (l *load) stop() []outcome {
	close(l.stopc)
	l.wg.Wait()
	return l.seen
}

// checkOutcomes holds every answer seen under load to the outage contract.
func checkOutcomes(t *testing.T, seen []outcome) {
	t.Helper()
	tally := map[string]int{}
	for _, o := range seen {
		tally[fmt.Sprintf("%s %s %d %s", o.phase, o.kind, o.status, o.code)]++
		ok := o.err == nil && o.status == 200 && o.errs == 0
		unavailable := o.err == nil && o.status == 503 && o.code == "UNAVAILABLE" && o.retryAfter != ""
		switch {
		case !ok && !unavailable:
			t.Errorf("%s, %s: %+v: want a 200 without errors or a 503 UNAVAILABLE with Retry-After", o.phase, o.kind, o)
		case (o.phase == "up" || o.phase == "down") && strings.HasPrefix(o.kind, "warm") && !ok:
			t.Errorf("%s, %s: %+v: an answer Redis holds must be served", o.phase, o.kind, o)
		case o.phase == "up" && !ok:
			t.Errorf("before the outage: %+v", o)
		case o.phase == "down" && o.kind == "cold" && !unavailable:
			t.Errorf("store down, an answer Redis does not hold: %+v, want 503", o)
		}
	}
	t.Logf("answers by phase, kind, status and code: %v", tally)
	for _, want := range []string{"down warm-partner 200 ", "down cold 503 UNAVAILABLE"} {
		if tally[want] == 0 {
			t.Errorf("no %q answer: the outage was not exercised (%v)", want, tally)
		}
	}
}

// checkServerLog requires the log to name no connection detail or key,
// and the outage's errors to be collapsed.
func checkServerLog(t *testing.T, log, pgPort string, keys ...string) {
	t.Helper()
	for _, bad := range append([]string{"user=", "database=", "postgres://", "127.0.0.1:" + pgPort, "creditgraph_fault", `"postgres"`}, keys...) {
		for _, line := range strings.Split(log, "\n") {
			if strings.Contains(line, bad) {
				t.Errorf("the server log carries %q: %s", bad, line)
			}
		}
	}
	errorLines := strings.Count(log, "level=ERROR")
	if errorLines == 0 || errorLines > 40 || !strings.Contains(log, "suppressed=") {
		t.Errorf("%d ERROR lines (want 1–40, repeats collapsed with suppressed=N):\n%s", errorLines, log)
	}
}

// enterpriseCodes returns the first n USCCs of the enterprises list.
func enterpriseCodes(t *testing.T, base string, n int) []string {
	t.Helper()
	body := fmt.Sprintf(`{"query":"{ enterprises(first: %d) { nodes { uscc } } }"}`, n)
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data struct {
			Enterprises struct{ Nodes []struct{ USCC string } }
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Data.Enterprises.Nodes) != n {
		t.Fatalf("enterprises: %v %+v", err, out)
	}
	var codes []string
	for _, e := range out.Data.Enterprises.Nodes {
		codes = append(codes, e.USCC)
	}
	return codes
}

// TestImportKilledMidFile: an import killed with SIGKILL part-way through
// a file, then run again, leaves exactly the records an uninterrupted
// import leaves: every batch is one transaction and every record an upsert
// by its natural key.
func TestImportKilledMidFile(t *testing.T) {
	pg := newOwnPostgres(t)
	killed, reference := pg.createDB("killed"), pg.createDB("reference")
	file, lines := generated(t, 3000, 11)

	cmd := importFile(t, file, "DATABASE_URL="+killed, "IMPORT_BATCH_SIZE=100")
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	rows := waitForRows(t, killed, done)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := <-done
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		t.Fatalf("the import was not killed mid-file (it ended first: %v; %d enterprise rows seen): give it more to do\n%s", err, rows, out.String())
	}
	partial := digest(t, killed)

	for name, db := range map[string]string{"re-run": killed, "reference": reference} {
		var stdout bytes.Buffer
		c := importFile(t, file, "DATABASE_URL="+db, "IMPORT_BATCH_SIZE=100")
		c.Stdout = &stdout
		if err := c.Run(); err != nil {
			t.Fatalf("%s import: %v\n%s", name, err, stdout.String())
		}
		var sum struct{ Accepted, Rejected int }
		if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil || sum.Accepted != lines || sum.Rejected != 0 {
			t.Fatalf("%s import summary: %s (want %d accepted)", name, stdout.String(), lines)
		}
	}
	got, want := digest(t, killed), digest(t, reference)
	if fmt.Sprint(partial) == fmt.Sprint(want) {
		t.Errorf("the killed import had already written everything: the test proves nothing")
	}
	for _, table := range append(slices.Clone(recordTables), derivedTables...) {
		if got[table] != want[table] {
			t.Errorf("%s after kill and re-run: %s; uninterrupted: %s", table, got[table], want[table])
		}
	}
	// The first import was a bulk load (the database was empty): the
	// re-run built the indexes it had deferred before writing.
	if gi, wi := indexes(t, killed), indexes(t, reference); gi != wi {
		t.Errorf("indexes after kill and re-run:\n%s\nuninterrupted:\n%s", gi, wi)
	}
	t.Logf("killed after %d enterprise rows; final state %v", rows, want)
}

// waitForRows polls db until the import has committed some enterprises and
// returns how many; it fails if the import ends first.
func waitForRows(t *testing.T, db string, done chan error) int {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			done <- err
			return 0
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, db)
		if err == nil {
			// Never wait for a lock: the import's migrations and its bulk
			// load take the tables' locks, and a poll holding one while it
			// waits for another could deadlock them.
			_, _ = c.Exec(ctx, `SET lock_timeout = '10ms'`)
			var n int
			if c.QueryRow(ctx, `SELECT count(*) FROM enterprises`).Scan(&n) == nil && n > 0 {
				_ = c.Close(ctx)
				cancel()
				return n
			}
			_ = c.Close(ctx)
		}
		cancel()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the import wrote no enterprise within 60 s")
	return 0
}

// indexes lists db's index definitions and the indexes a bulk load left
// deferred.
func indexes(t *testing.T, db string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var defs string
	if err := c.QueryRow(ctx, `SELECT string_agg(indexdef, E'\n' ORDER BY indexname) || E'\ndeferred: ' ||
		(SELECT count(*) FROM deferred_indexes) FROM pg_indexes WHERE schemaname = current_schema()`).Scan(&defs); err != nil {
		t.Fatal(err)
	}
	return defs
}
