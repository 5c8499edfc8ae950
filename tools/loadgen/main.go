// Command loadgen is Creditgraph's load harness: it sends GraphQL POSTs to a
// loopback URL from C concurrent clients, bounded by a request count and a
// duration, and reports count, errors, non-200s, throughput and p50/p90/p99/max
// latency. With -baseline-url it sends the same requests, interleaved one for
// one, to a second URL in the same run, so both targets see the same machine
// noise, and prints the ratio of the two. With -baseline-server it is instead
// the floor to compare against: a bare net/http server answering a fixed body.
// With -floor it measures throughput as well: -url and a bare net/http
// server answering the bytes -url answered (started by loadgen itself), in
// alternating phases, checking that every answer was a cache HIT.
//
// It refuses any target or listen address that is not loopback: it is a tool
// for measuring a server on this machine, never for loading someone else's.
// It uses the standard library only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProfileQuery is README.md's profile query: every nested connection of an
// enterprise and its credit summary.
const ProfileQuery = `query Profile($uscc: ID!) {
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

// Hard bounds: a run always ends, whatever the flags say.
const (
	maxRequests = 10_000_000
	maxDuration = time.Hour
	maxClients  = 256
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

// intList is a comma-separated list of whole numbers.
type intList []int

func (l *intList) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, ",")
}

func (l *intList) Set(v string) error {
	var out []int
	for _, f := range splitList(v) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return errors.New("empty list")
	}
	*l = out
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.url, "url", "", "GraphQL endpoint to load (loopback only), e.g. http://127.0.0.1:8080/graphql")
	fs.StringVar(&o.auth, "auth", "", "Authorization header value for -url, e.g. \"Bearer cg_…\" (default: none)")
	fs.StringVar(&o.baseURL, "baseline-url", "", "second endpoint, loaded interleaved with -url in the same run (default: -url when -baseline-auth is set)")
	fs.StringVar(&o.baseAuth, "baseline-auth", "", "Authorization header value for the baseline (default: none)")
	fs.BoolVar(&o.baseSet, "baseline", false, "run a baseline even if -baseline-url is empty: the same -url without -auth")
	fs.StringVar(&o.name, "name", "A", "label of -url in the report")
	fs.StringVar(&o.baseName, "baseline-name", "B", "label of the baseline in the report")
	o.clientList = []int{1}
	fs.Var((*intList)(&o.clientList), "c", fmt.Sprintf("concurrent clients (1..%d); with -floor a comma-separated list, one block of rounds each", maxClients))
	fs.IntVar(&o.requests, "n", 0, fmt.Sprintf("requests per target, 0 = until -d (at most %d)", maxRequests))
	fs.DurationVar(&o.duration, "d", 5*time.Minute, fmt.Sprintf("longest the run may take (at most %s)", maxDuration))
	fs.IntVar(&o.warmup, "warmup", 0, "requests per target sent first and not recorded")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&o.query, "query", ProfileQuery, "GraphQL document; its variable is set from -var")
	fs.StringVar(&o.queryFile, "query-file", "", "read the GraphQL document from this file instead of -query")
	fs.StringVar(&o.varName, "var", "uscc", "name of the variable filled with a USCC (empty: send no variables)")
	fs.StringVar(&o.usccFile, "uscc-file", "", "file of USCCs, one a line, drawn in a random order")
	fs.StringVar(&o.uscc, "uscc", "", "USCCs to use when there is no -uscc-file, comma-separated (with -floor: the hot set)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the USCC order")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	var serveAddr, bodyFile, repliesFile string
	fs.StringVar(&serveAddr, "baseline-server", "", "instead of loading, serve a fixed JSON body on this loopback address (e.g. 127.0.0.1:27181)")
	fs.StringVar(&bodyFile, "body-file", "", "with -baseline-server: the body to answer with (default: a small fixed GraphQL response)")
	fs.StringVar(&repliesFile, "replies-file", "", "with -baseline-server: canned answers by request body, as -floor writes them")
	fs.BoolVar(&o.floor, "floor", false, "measure throughput and latency of -url against a bare net/http server answering the same bytes, in alternating phases (see README)")
	fs.IntVar(&o.rounds, "rounds", 4, "with -floor: rounds per concurrency; each runs one phase per arm, ABBA over rounds")
	fs.DurationVar(&o.phase, "phase", 3*time.Second, "with -floor: recorded length of each phase")
	fs.DurationVar(&o.phaseWarmup, "phase-warmup", 500*time.Millisecond, "with -floor: unrecorded start of each phase")
	fs.StringVar(&o.expectCache, "expect-cache", "HIT", "with -floor: the "+cacheHeader+" value every -url answer must carry ('' = any, e.g. with the cache off)")
	fs.BoolVar(&o.floorFirst, "floor-first", false, "with -floor: the floor runs first in the first round")
	fs.IntVar(&o.hot, "hot", 0, fmt.Sprintf("with -floor: use this many values of -uscc-file, after shuffling (0 = all, at most %d)", maxHot))
	fs.Func("watch-pid", "with -floor: name=pid of a process whose CPU time to report per request, e.g. gateway=1234 (repeatable; loadgen and a spawned floor are always watched)", func(s string) error {
		w, err := parseWatch(s)
		o.watch = append(o.watch, w)
		return err
	})
	fs.StringVar(&o.metricsURL, "metrics-url", "", "with -floor: Prometheus endpoint of -url's server, scraped around each block (loopback only)")
	fs.StringVar(&o.metricsMatch, "metrics-match", `^creditgraph_(cache_lookups_total|ratelimit_decisions_total)\b`, "with -metrics-url: the series to report (regexp)")
	fs.StringVar(&o.metricsDeny, "metrics-deny", `^creditgraph_cache_lookups_total\{.*source="local"`, "with -metrics-url: reported series that must not move, or the run fails (regexp; '' = none); by default a cache answer from the in-process fallback instead of Redis")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if serveAddr != "" {
		return serveBare(ctx, serveAddr, bodyFile, repliesFile, stderr)
	}
	if o.floor {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["name"] {
			o.name = "gateway"
		}
		if !set["baseline-name"] {
			o.baseName = "bare"
		}
		plan, err := o.floorPlan(stderr)
		if err != nil {
			return err
		}
		rep, err := plan.run(ctx)
		if err != nil {
			return err
		}
		if o.json {
			err = rep.writeJSON(stdout)
		} else {
			rep.writeText(stdout)
		}
		if err == nil && rep.failed() {
			err = errors.New("some answers failed, were not " + orAny(o.expectCache) + ", or a -metrics-deny series moved (see the report)")
		}
		return err
	}
	if len(o.clientList) != 1 {
		return fmt.Errorf("-c takes one value without -floor, got %v", o.clientList)
	}
	o.clients = o.clientList[0]
	plan, err := o.plan()
	if err != nil {
		return err
	}
	rep, err := plan.run(ctx)
	if err != nil {
		return err
	}
	if o.json {
		return rep.writeJSON(stdout)
	}
	rep.writeText(stdout)
	if rep.failed() {
		return errors.New("some requests failed (see errors / non-200 / graphql errors)")
	}
	return nil
}
