package main

// The report of a -floor run: per-arm summaries, metric deltas, text and
// JSON output.

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// floorReport is the outcome of a -floor run.
type floorReport struct {
	Measured      target       `json:"measured"`
	Floor         target       `json:"floor"`
	FloorSpawned  bool         `json:"floorSpawned"`
	USCCs         []string     `json:"usccs"`
	ResponseBytes []int        `json:"responseBytes"`
	ExpectCache   string       `json:"expectCache"`
	Seed          uint64       `json:"seed"`
	Rounds        int          `json:"rounds"`
	Phase         float64      `json:"phaseSeconds"`
	PhaseWarmup   float64      `json:"phaseWarmupSeconds"`
	Warmup        int          `json:"warmupRequests"`
	FloorFirst    bool         `json:"floorFirst"`
	Watched       []watched    `json:"watched"`
	Blocks        []floorBlock `json:"blocks"`
}

// floorBlock is every round at one concurrency.
type floorBlock struct {
	Clients int           `json:"clients"`
	Arms    [2]armSummary `json:"arms"`
	// Ratios are measured / floor.
	ThroughputRatio float64       `json:"throughputRatio"`
	RoundRatios     []float64     `json:"roundThroughputRatios"`
	P50Ratio        float64       `json:"p50Ratio"`
	P99Ratio        float64       `json:"p99Ratio"`
	Phases          []*phaseOut   `json:"phases"`
	Metrics         []metricDelta `json:"metrics,omitempty"`
	// Denied are the Metrics matching -metrics-deny: the run failed.
	Denied []metricDelta `json:"denied,omitempty"`
}

type armSummary struct {
	Name       string         `json:"name"`
	Phases     int            `json:"phases"`
	Count      int            `json:"count"`
	Errors     int            `json:"errors"`
	Non200     int            `json:"non200"`
	BadBody    int            `json:"badBody"`
	Cache      map[string]int `json:"cacheHeader"`
	FirstError string         `json:"firstError,omitempty"`
	Throughput float64        `json:"throughputPerSecond"`
	Mean       float64        `json:"meanMs"`
	P50        float64        `json:"p50Ms"`
	P90        float64        `json:"p90Ms"`
	P99        float64        `json:"p99Ms"`
	Max        float64        `json:"maxMs"`
	// CPUPerRequest is each watched process's CPU time per recorded
	// request, in microseconds; BusyCores the machine's busy cores on
	// average, OtherCores the part no watched process accounts for.
	CPUPerRequest map[string]float64 `json:"cpuMicrosPerRequest,omitempty"`
	BusyCores     float64            `json:"machineBusyCores,omitempty"`
	OtherCores    float64            `json:"otherBusyCores,omitempty"`
}

func summarizeArm(name string, phases []*phaseOut) armSummary {
	var all phaseOut
	var cpu cpuDelta
	var window float64
	n := 0
	for _, ph := range phases {
		if ph.Arm != name {
			continue
		}
		n++
		all.add(ph)
		cpu.add(ph.CPU)
		window += ph.Window
	}
	s := armSummary{Name: name, Phases: n, Count: all.Count, Errors: all.Errors, Non200: all.Non200,
		BadBody: all.BadBody, Cache: all.Cache, FirstError: all.firstErr}
	if all.Count == 0 {
		return s
	}
	lat := all.lat
	slices.Sort(lat)
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	s.Mean = ms(sum / time.Duration(len(lat)))
	s.P50, s.P90, s.P99, s.Max = ms(percentile(lat, 50)), ms(percentile(lat, 90)), ms(percentile(lat, 99)), ms(lat[len(lat)-1])
	s.Throughput = float64(all.Count) / window
	if len(cpu.Proc) > 0 {
		s.CPUPerRequest = map[string]float64{}
		var watchedSum float64
		for k, v := range cpu.Proc {
			s.CPUPerRequest[k] = v / float64(all.Count) * 1e6
			watchedSum += v
		}
		if cpu.Wall > 0 && cpu.Machine > 0 {
			s.BusyCores = cpu.Machine / cpu.Wall
			s.OtherCores = max(0, cpu.Machine-watchedSum) / cpu.Wall
		}
	}
	return s
}

func (r *floorReport) failed() bool {
	for _, b := range r.Blocks {
		if len(b.Denied) > 0 {
			return true
		}
		for i, a := range b.Arms {
			if a.Errors+a.Non200+a.BadBody > 0 || a.Count == 0 {
				return true
			}
			if i == 0 && r.ExpectCache != "" && a.Cache[r.ExpectCache] != a.Count {
				return true
			}
		}
	}
	return false
}

func div(x, y float64) float64 {
	if y == 0 {
		return 0
	}
	return x / y
}

// metricDelta is how much one series of -url's /metrics moved during a block.
type metricDelta struct {
	Series string  `json:"series"`
	Delta  float64 `json:"delta"`
}

// scrape reads -metrics-url's series matching -metrics-match; nil, nil
// without -metrics-url.
func (p *floorPlan) scrape(ctx context.Context, hc *http.Client) (map[string]float64, error) {
	if p.metricsURL == "" {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.metricsURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		fmt.Fprintln(p.log, "loadgen: -metrics-url:", err)
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("-metrics-url: HTTP %d", resp.StatusCode)
	}
	return parseMetrics(resp.Body, p.metricsMatch)
}

// parseMetrics reads the Prometheus text format's samples whose series
// (name and labels) matches re.
func parseMetrics(r io.Reader, re *regexp.Regexp) (map[string]float64, error) {
	out := map[string]float64{}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		series, val := line[:i], line[i+1:]
		if j := strings.LastIndexByte(series, ' '); j > 0 && !strings.Contains(series[j:], "}") {
			series, val = series[:j], series[j+1:] // "series value timestamp"
		}
		if re != nil && !re.MatchString(series) {
			continue
		}
		v, err := strconv.ParseFloat(val, 64)
		if err != nil {
			continue
		}
		out[series] = v
	}
	return out, sc.Err()
}

// metricDeltas are the series that moved, sorted.
func metricDeltas(before, after map[string]float64) []metricDelta {
	var out []metricDelta
	for k, v := range after {
		if d := v - before[k]; d != 0 {
			out = append(out, metricDelta{Series: k, Delta: d})
		}
	}
	slices.SortFunc(out, func(a, b metricDelta) int { return strings.Compare(a.Series, b.Series) })
	return out
}

func (r *floorReport) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *floorReport) writeText(w io.Writer) {
	first := r.Measured.Name
	if r.FloorFirst {
		first = r.Floor.Name
	}
	how := "given"
	if r.FloorSpawned {
		how = "spawned"
	}
	fmt.Fprintf(w, "floor run: %s = %s (Authorization header: %v); %s = %s (%s, same bytes and headers)\n",
		r.Measured.Name, r.Measured.URL, r.Measured.Auth, r.Floor.Name, r.Floor.URL, how)
	fmt.Fprintf(w, "hot set: %d values %v, response bytes %v; seed=%d rounds=%d phase=%gs (+%gs unrecorded) warmup=%d first=%s expect %s=%q\n",
		len(r.USCCs), r.USCCs, r.ResponseBytes, r.Seed, r.Rounds, r.Phase, r.PhaseWarmup, r.Warmup, first, cacheHeader, r.ExpectCache)
	for _, b := range r.Blocks {
		fmt.Fprintf(w, "\nc=%d\n", b.Clients)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "arm\tcount\terrors\tnon200\tbadbody\tnon-"+orAny(r.ExpectCache)+"\treq/s\tmean ms\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
		for i, a := range b.Arms {
			notExpected := "-"
			if r.ExpectCache != "" && i == 0 {
				notExpected = strconv.Itoa(a.Count - a.Cache[r.ExpectCache])
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t\n", a.Name, a.Count, a.Errors,
				a.Non200, a.BadBody, notExpected, a.Throughput, a.Mean, a.P50, a.P90, a.P99, a.Max)
		}
		fmt.Fprintf(tw, "%s/%s\t\t\t\t\t\t%.3fx\t\t%.2fx\t\t%.2fx\t\t\n", b.Arms[0].Name, b.Arms[1].Name, b.ThroughputRatio, b.P50Ratio, b.P99Ratio)
		tw.Flush()
		rr := make([]string, len(b.RoundRatios))
		for i, x := range b.RoundRatios {
			rr[i] = fmt.Sprintf("%.3f", x)
		}
		sorted := slices.Sorted(slices.Values(b.RoundRatios))
		fmt.Fprintf(w, "req/s ratio by round: %s (min %.3f, median %.3f, max %.3f)\n", strings.Join(rr, " "),
			sorted[0], sorted[len(sorted)/2], sorted[len(sorted)-1])
		for _, a := range b.Arms {
			fmt.Fprintf(w, "%s %s: %s\n", a.Name, cacheHeader, cacheCounts(a.Cache))
			if a.FirstError != "" {
				fmt.Fprintf(w, "%s first failure: %s\n", a.Name, a.FirstError)
			}
		}
		if b.Arms[0].CPUPerRequest != nil {
			names := []string{}
			for _, wd := range r.Watched {
				names = append(names, wd.Name)
			}
			tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintf(tw, "CPU µs/request, during\t%s\tbusy cores\tof which other\t\n", strings.Join(names, "\t"))
			for _, a := range b.Arms {
				fmt.Fprintf(tw, "%s phases", a.Name)
				for _, n := range names {
					fmt.Fprintf(tw, "\t%.1f", a.CPUPerRequest[n])
				}
				fmt.Fprintf(tw, "\t%.2f\t%.2f\t\n", a.BusyCores, a.OtherCores)
			}
			tw.Flush()
		}
		for _, m := range b.Metrics {
			fmt.Fprintf(w, "metrics: %s +%g\n", m.Series, m.Delta)
		}
		for _, m := range b.Denied {
			fmt.Fprintf(w, "FAILED: %s moved (+%g) and matches -metrics-deny\n", m.Series, m.Delta)
		}
	}
	fmt.Fprintln(w, "\nreq/s: requests ending in the recorded windows / the windows' length (phases alternate, one arm at a time)")
}

func orAny(s string) string {
	if s == "" {
		return "(unchecked)"
	}
	return s
}

func cacheCounts(m map[string]int) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(absent)"
		}
		parts[i] = fmt.Sprintf("%s=%d", name, m[k])
	}
	return strings.Join(parts, " ")
}
