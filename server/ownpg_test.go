package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// pgBin is where Debian's PostgreSQL 15 server programs live.
const pgBin = "/usr/lib/postgresql/15/bin"

// ownPostgres is a PostgreSQL cluster of the test's own, in a temporary
// directory on a free port, that the test may stop, kill and restart: the
// shared server on 5432 is never touched. fsync is off: the tests crash
// processes, never the machine.
type ownPostgres struct {
	t    *testing.T
	dir  string
	port string
	cred *syscall.Credential // run as the postgres user when the test runs as root

	mu  sync.Mutex
	cmd *exec.Cmd
	out lockedBuffer
}

// newOwnPostgres creates the cluster (initdb) and starts it. Without the
// PostgreSQL 15 server programs the test is skipped, or fails under CI=true.
func newOwnPostgres(t *testing.T) *ownPostgres {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		testenv.NeedServer(t, "postgresql-15", "%s/initdb not found: the fault tests run a PostgreSQL 15 of their own (apt-get install postgresql-15)", pgBin)
	}
	dir, err := os.MkdirTemp("", "creditgraph-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	p := &ownPostgres{t: t, dir: dir, port: strconv.Itoa(freePort(t))}
	if os.Geteuid() == 0 { // initdb and postgres refuse to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	initdb := p.command(filepath.Join(pgBin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres",
		"--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	t.Cleanup(p.kill)
	p.start()
	return p
}

func (p *ownPostgres) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = p.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// url is the URL of database db on this cluster.
func (p *ownPostgres) url(db string) string {
	return "postgres://postgres@127.0.0.1:" + p.port + "/" + db + "?sslmode=disable"
}

// start runs the server and waits until it accepts connections.
func (p *ownPostgres) start() {
	p.t.Helper()
	cmd := p.command(filepath.Join(pgBin, "postgres"), "-D", filepath.Join(p.dir, "data"), "-p", p.port,
		"-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="+p.dir,
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "max_connections=60", "-c", "shared_buffers=32MB")
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.cmd = cmd
	p.mu.Unlock()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, p.url("postgres"))
		if err == nil {
			_ = c.Close(ctx)
			cancel()
			return
		}
		cancel()
		if time.Now().After(deadline) {
			p.t.Fatalf("own PostgreSQL on %s did not start: %v\n%s", p.port, err, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts the server down as an operator would (fast shutdown: open
// sessions are ended, SIGINT) and waits for it to exit.
func (p *ownPostgres) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGINT)
	_ = p.cmd.Wait()
	p.cmd = nil
}

func (p *ownPostgres) kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
}

// createDB creates database name.
func (p *ownPostgres) createDB(name string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, p.url("postgres"))
	if err != nil {
		p.t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		p.t.Fatal(err)
	}
	return p.url(name)
}

// recordTables are the tables of the record: what an import writes.
var recordTables = []string{"enterprises", "licenses", "penalties", "inspections", "listings", "commitments", "typical_cases"}

// derivedTables are kept from the record tables by triggers, or by the
// end of a bulk load (listings' key areas are in listings).
var derivedTables = []string{"search_postings", "inspection_counts", "penalty_windows", "penalty_windows_meta"}

// digest is each record table's row count and a hash of its rows in a
// fixed order, without the write timestamps: equal digests, equal records.
func digest(t *testing.T, url string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	out := map[string]string{}
	for _, table := range append(slices.Clone(recordTables), derivedTables...) {
		row := `(to_jsonb(t) - 'created_at' - 'updated_at')::text`
		var n int
		var sum string
		from := table
		if table == "inspection_counts" { // a count brought to 0 reads as none
			from = `(SELECT * FROM inspection_counts WHERE n <> 0)`
		}
		q := fmt.Sprintf(`SELECT count(*), md5(coalesce(string_agg(%s, E'\n' ORDER BY %s), '')) FROM %s t`, row, row, from)
		if err := c.QueryRow(ctx, q).Scan(&n, &sum); err != nil {
			t.Fatalf("digest %s: %v", table, err)
		}
		out[table] = fmt.Sprintf("%d rows, md5 %s", n, sum)
	}
	return out
}
