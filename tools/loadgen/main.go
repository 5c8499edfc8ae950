// Command loadgen is Creditgraph's load harness: it sends GraphQL POSTs to a
// loopback URL from C concurrent clients, bounded by a request count and a
// duration, and reports count, errors, non-200s, throughput and p50/p90/p99/max
// latency. With -baseline-url it sends the same requests, interleaved one for
// one, to a second URL in the same run, so both targets see the same machine
// noise, and prints the ratio of the two. With -baseline-server it is instead
// the floor to compare against: a bare net/http server answering a fixed body.
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
	fs.IntVar(&o.clients, "c", 1, fmt.Sprintf("concurrent clients (1..%d)", maxClients))
	fs.IntVar(&o.requests, "n", 0, fmt.Sprintf("requests per target, 0 = until -d (at most %d)", maxRequests))
	fs.DurationVar(&o.duration, "d", 5*time.Minute, fmt.Sprintf("longest the run may take (at most %s)", maxDuration))
	fs.IntVar(&o.warmup, "warmup", 0, "requests per target sent first and not recorded")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.StringVar(&o.query, "query", ProfileQuery, "GraphQL document; its variable is set from -var")
	fs.StringVar(&o.queryFile, "query-file", "", "read the GraphQL document from this file instead of -query")
	fs.StringVar(&o.varName, "var", "uscc", "name of the variable filled with a USCC (empty: send no variables)")
	fs.StringVar(&o.usccFile, "uscc-file", "", "file of USCCs, one a line, drawn in a random order")
	fs.StringVar(&o.uscc, "uscc", "", "a single USCC to use when there is no -uscc-file")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the USCC order")
	fs.BoolVar(&o.json, "json", false, "print the report as JSON")
	var serveAddr, bodyFile string
	fs.StringVar(&serveAddr, "baseline-server", "", "instead of loading, serve a fixed JSON body on this loopback address (e.g. 127.0.0.1:27181)")
	fs.StringVar(&bodyFile, "body-file", "", "with -baseline-server: the body to answer with (default: a small fixed GraphQL response)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if serveAddr != "" {
		return serveBare(ctx, serveAddr, bodyFile, stderr)
	}
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
