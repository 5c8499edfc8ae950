package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"
	"time"
)

// report is the outcome of a run. Latencies are in milliseconds.
type report struct {
	Clients int       `json:"clients"`
	Warmup  int       `json:"warmup"`
	USCCs   int       `json:"usccs"`
	Seed    uint64    `json:"seed"`
	Elapsed float64   `json:"elapsedSeconds"`
	Targets []summary `json:"targets"`
	// Ratio is Targets[0] / Targets[1] when there is a baseline.
	Ratio *ratios `json:"ratio,omitempty"`
}

type summary struct {
	target
	Count      int     `json:"count"`
	Errors     int     `json:"errors"`
	Non200     int     `json:"non200"`
	GQLErrors  int     `json:"graphqlErrors"`
	FirstError string  `json:"firstError,omitempty"`
	Throughput float64 `json:"throughputPerSecond"`
	MeanBytes  float64 `json:"meanResponseBytes"`
	Mean       float64 `json:"meanMs"`
	P50        float64 `json:"p50Ms"`
	P90        float64 `json:"p90Ms"`
	P99        float64 `json:"p99Ms"`
	Max        float64 `json:"maxMs"`
}

type ratios struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
}

func summarize(t target, s *sample) summary {
	out := summary{target: t, Count: len(s.lat), Errors: s.errs, Non200: s.non200, GQLErrors: s.gqlErrors, FirstError: s.firstErr}
	if len(s.lat) == 0 {
		return out
	}
	lat := slices.Clone(s.lat)
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	out.Mean = ms(sum / time.Duration(len(lat)))
	out.P50, out.P90, out.P99 = ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99))
	out.Max = ms(lat[len(lat)-1])
	out.MeanBytes = float64(s.bytes) / float64(len(lat))
	if span := s.last.Sub(s.first); span > 0 {
		out.Throughput = float64(len(lat)) / span.Seconds()
	}
	return out
}

// percentile is the nearest-rank percentile of sorted latencies: the
// smallest value at least p% of the samples are at or below. Exact, no
// buckets.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func ratio(a, b summary) *ratios {
	div := func(x, y float64) float64 {
		if y == 0 {
			return 0
		}
		return x / y
	}
	return &ratios{Mean: div(a.Mean, b.Mean), P50: div(a.P50, b.P50), P90: div(a.P90, b.P90), P99: div(a.P99, b.P99), Max: div(a.Max, b.Max)}
}

func (r *report) failed() bool {
	for _, t := range r.Targets {
		if t.Errors+t.Non200+t.GQLErrors > 0 {
			return true
		}
	}
	return false
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *report) writeText(w io.Writer) {
	mode := "single target"
	if len(r.Targets) == 2 {
		mode = "interleaved A/B (ABBA order)"
	}
	fmt.Fprintf(w, "clients=%d warmup=%d usccs=%d seed=%d elapsed=%.1fs mode=%s\n",
		r.Clients, r.Warmup, r.USCCs, r.Seed, r.Elapsed, mode)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tcount\terrors\tnon200\tgqlerr\treq/s\tbytes\tmean ms\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
	for _, t := range r.Targets {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.1f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n",
			t.Name, t.Count, t.Errors, t.Non200, t.GQLErrors, t.Throughput, t.MeanBytes, t.Mean, t.P50, t.P90, t.P99, t.Max)
	}
	if r.Ratio != nil {
		x := r.Ratio
		fmt.Fprintf(tw, "%s/%s\t\t\t\t\t\t\t%.2fx\t%.2fx\t%.2fx\t%.2fx\t%.2fx\t\n",
			r.Targets[0].Name, r.Targets[1].Name, x.Mean, x.P50, x.P90, x.P99, x.Max)
	}
	tw.Flush()
	for _, t := range r.Targets {
		fmt.Fprintf(w, "%s = %s (Authorization header: %v)\n", t.Name, t.URL, t.Auth)
		if t.FirstError != "" {
			fmt.Fprintf(w, "%s first failure: %s\n", t.Name, t.FirstError)
		}
	}
	if len(r.Targets) == 2 {
		fmt.Fprintln(w, "req/s of interleaved targets share one client's time: compare latencies, not req/s")
	}
}
