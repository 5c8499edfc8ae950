package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/shopspring/decimal"
)

func generate(t testing.TB, n int, seed int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, Options{Enterprises: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fields lists, per kind, the members contract.md allows ("kind" aside);
// inspections and commitments carry their own kind as inspection_kind and
// commitment_kind, as package ingest reads them.
var fields = map[string][]string{
	"enterprise": {"uscc", "name", "former_names", "type", "status", "legal_representative", "legal_representative_id_type",
		"legal_representative_id_number", "registered_capital", "established_on", "registration_authority", "address",
		"business_scope", "region_code", "key_areas", "phone"},
	"license": {"uscc", "license_number", "name", "content", "valid_from", "valid_to", "authority", "decided_on", "key_area"},
	"penalty": {"uscc", "decision_number", "violation_type", "facts", "basis", "penalty_types", "content", "fine_amount",
		"confiscation_amount", "authority", "decided_on", "published_on", "procedure", "restriction_until", "key_area", "revoked"},
	"inspection":       {"uscc", "inspection_id", "inspection_kind", "inspected_on", "authority", "result", "items", "product", "batch", "key_area"},
	"abnormal_listing": {"uscc", "decision_number", "reason_code", "reason", "listed_on", "authority"},
	"abnormal_removal": {"listing_decision_number", "removed_on", "reason", "authority"},
	"serious_listing":  {"uscc", "decision_number", "ground", "listed_on", "authority", "penalty_decision_number", "key_area"},
	"serious_removal":  {"listing_decision_number", "removed_on", "reason", "authority"},
	"commitment":       {"uscc", "commitment_id", "commitment_kind", "content", "made_on", "status", "untrue_found_on"},
	"credit_repair":    {"target", "target_decision_number", "repaired_on", "authority"},
	"typical_case":     {"case_id", "title", "summary", "uscc", "published_on", "key_area", "region_code"},
}

// required lists the members that must be present and not empty.
var required = map[string][]string{
	"enterprise":       {"uscc", "name", "status", "region_code"},
	"license":          {"uscc", "license_number", "name", "authority", "decided_on"},
	"penalty":          {"uscc", "decision_number", "violation_type", "penalty_types", "authority", "decided_on", "published_on", "procedure"},
	"inspection":       {"uscc", "inspection_id", "inspection_kind", "inspected_on", "authority", "result"},
	"abnormal_listing": {"uscc", "decision_number", "reason_code", "listed_on", "authority"},
	"abnormal_removal": {"listing_decision_number", "removed_on", "reason", "authority"},
	"serious_listing":  {"uscc", "decision_number", "ground", "listed_on", "authority"},
	"serious_removal":  {"listing_decision_number", "removed_on", "reason", "authority"},
	"commitment":       {"uscc", "commitment_id", "commitment_kind", "content", "made_on", "status"},
	"credit_repair":    {"target", "target_decision_number", "repaired_on", "authority"},
	"typical_case":     {"case_id", "title", "summary", "published_on"},
}

var naturalKey = map[string]string{
	"enterprise": "uscc", "license": "license_number", "penalty": "decision_number", "inspection": "inspection_id",
	"abnormal_listing": "decision_number", "abnormal_removal": "listing_decision_number", "serious_listing": "decision_number",
	"serious_removal": "listing_decision_number", "commitment": "commitment_id", "credit_repair": "target_decision_number",
	"typical_case": "case_id",
}

// eventDates are the dates that must lie in the six years before the anchor.
var eventDates = []string{"decided_on", "published_on", "valid_from", "inspected_on", "listed_on", "removed_on", "made_on", "untrue_found_on", "repaired_on"}

var enums = map[string][]string{
	"procedure":       {"ordinary", "simple"},
	"inspection_kind": {"random_spot_check", "supervision_check", "sampling"},
	"result":          {"no_issue", "issues_corrected", "non_compliant", "not_found_at_address"},
	"commitment_kind": {"notification", "voluntary"},
	"target":          {"penalty", "abnormal_listing", "serious_listing"},
}

var amountRE = regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)

// rec is one decoded line.
type rec map[string]any

func (r rec) s(k string) string { v, _ := r[k].(string); return v }

func (r rec) date(t testing.TB, k string) time.Time {
	d, err := credit.ParseDate(r.s(k))
	if err != nil {
		t.Fatalf("%s %q: %v", k, r.s(k), err)
	}
	return d
}

func (r rec) strs(k string) []string {
	var out []string
	for _, v := range r[k].([]any) {
		out = append(out, v.(string))
	}
	return out
}

func decodeLines(t testing.TB, data []byte) []rec {
	t.Helper()
	var out []rec
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("line %d is not valid JSON: %s", n, sc.Bytes())
		}
		var r rec
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		if err := d.Decode(&r); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWellFormed(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { testWellFormed(t, seed) })
	}
}

func testWellFormed(t *testing.T, seed int64) {
	data := generate(t, 2000, seed)
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Fatal("output does not end with a newline")
	}
	anchor := DefaultAnchor()
	start := anchor.AddDate(-6, 0, 0)
	keys := map[string]map[string]bool{}
	seen := map[string]bool{} // usccs, decision numbers of penalties and listings seen so far
	counts := map[string]int{}
	for n, r := range decodeLines(t, data) {
		n++
		kind := r.s("kind")
		allowed, ok := fields[kind]
		if !ok {
			t.Fatalf("line %d: unknown kind %q", n, kind)
		}
		counts[kind]++
		for k := range r {
			if k != "kind" && !slices.Contains(allowed, k) {
				t.Errorf("line %d: %s has member %q not in the contract", n, kind, k)
			}
		}
		for _, k := range required[kind] {
			if v, ok := r[k]; !ok || v == "" {
				t.Errorf("line %d: %s lacks %q", n, kind, k)
			}
		}
		for k, vals := range enums {
			if v, ok := r[k]; ok && !slices.Contains(vals, v.(string)) {
				t.Errorf("line %d: %s = %q", n, k, v)
			}
		}
		statuses := map[string][]string{"enterprise": {"operating", "revoked", "cancelled", "moved_out"}, "commitment": {"in_force", "fulfilled", "untrue"}}
		if v, ok := r["status"]; ok && !slices.Contains(statuses[kind], v.(string)) {
			t.Errorf("line %d: %s status %q", n, kind, v)
		}
		if v, ok := r["reason"]; ok && kind == "serious_removal" && !slices.Contains([]string{"expired", "credit_repair", "revoked"}, v.(string)) {
			t.Errorf("line %d: serious removal reason %q", n, v)
		}
		if v, ok := r["reason_code"]; ok {
			if c, err := v.(json.Number).Int64(); err != nil || c < 1 || c > 4 {
				t.Errorf("line %d: reason_code %v", n, v)
			}
		}
		for _, k := range []string{"registered_capital", "fine_amount", "confiscation_amount"} {
			if v, ok := r[k]; ok && !amountRE.MatchString(v.(string)) {
				t.Errorf("line %d: %s = %v, want a decimal string with two places", n, k, v)
			}
		}
		for _, k := range eventDates {
			if _, ok := r[k]; ok {
				if d := r.date(t, k); d.Before(start) || d.After(anchor) {
					t.Errorf("line %d: %s %s is outside the six years before %s", n, k, r.s(k), anchor.Format(time.DateOnly))
				}
			}
		}
		for _, k := range []string{"established_on", "valid_to", "restriction_until"} {
			if _, ok := r[k]; ok {
				r.date(t, k)
			}
		}
		if a, ok := r["key_area"]; ok && !slices.Contains(credit.KeyAreas, credit.KeyArea(a.(string))) {
			t.Errorf("line %d: key_area %q", n, a)
		}
		key := r.s(naturalKey[kind])
		if kind == "credit_repair" {
			key = r.s("target") + " " + key
		}
		if keys[kind] == nil {
			keys[kind] = map[string]bool{}
		}
		if keys[kind][key] {
			t.Errorf("line %d: %s %q is not unique", n, kind, key)
		}
		keys[kind][key] = true

		// references point backwards: an enterprise before its records, a
		// listing or penalty before what refers to it
		if u := r.s("uscc"); u != "" && kind != "enterprise" && !seen["E"+u] {
			t.Errorf("line %d: %s refers to enterprise %s not seen before", n, kind, u)
		}
		for _, ref := range []struct{ kind, field, prefix string }{
			{"abnormal_removal", "listing_decision_number", "A"},
			{"serious_removal", "listing_decision_number", "S"},
			{"serious_listing", "penalty_decision_number", "P"},
		} {
			if kind == ref.kind && r.s(ref.field) != "" && !seen[ref.prefix+r.s(ref.field)] {
				t.Errorf("line %d: %s refers to %s not seen before", n, kind, r.s(ref.field))
			}
		}
		if kind == "credit_repair" {
			prefix := map[string]string{"penalty": "P", "abnormal_listing": "A", "serious_listing": "S"}[r.s("target")]
			if !seen[prefix+r.s("target_decision_number")] {
				t.Errorf("line %d: repair of %s not seen before", n, r.s("target_decision_number"))
			}
		}
		switch kind {
		case "enterprise":
			seen["E"+r.s("uscc")] = true
		case "penalty":
			seen["P"+r.s("decision_number")] = true
		case "abnormal_listing":
			seen["A"+r.s("decision_number")] = true
		case "serious_listing":
			seen["S"+r.s("decision_number")] = true
		}
	}
	for kind := range fields {
		if counts[kind] == 0 {
			t.Errorf("no %s record in 2,000 enterprises", kind)
		}
	}
	t.Logf("lines by kind: %v", counts)
}

func TestEnterprises(t *testing.T) {
	divisions := map[string]bool{}
	for _, c := range cities {
		for _, k := range c.counties {
			divisions[k.code] = true
		}
	}
	var n, individuals, licensed int
	withLicence := map[string]bool{}
	lines := decodeLines(t, generate(t, 2000, 3))
	for _, r := range lines {
		if r.s("kind") == "license" {
			withLicence[r.s("uscc")] = true
		}
	}
	for _, r := range lines {
		if r.s("kind") != "enterprise" {
			continue
		}
		n++
		u := r.s("uscc")
		got, err := credit.ParseUSCC(u)
		if err != nil || got != u {
			t.Fatalf("USCC %q: %v", u, err)
		}
		if u[0] != '9' || !strings.ContainsRune("123", rune(u[1])) {
			t.Errorf("USCC %s: want 9 then 1, 2 or 3", u)
		}
		if !divisions[u[2:8]] || u[2:8] != r.s("region_code") {
			t.Errorf("USCC %s: division %s is not a Fujian county or not the region code %s", u, u[2:8], r.s("region_code"))
		}
		if (r.s("type") == typeIndividual) != credit.IsIndividualBusiness(u) {
			t.Errorf("USCC %s has type %s", u, r.s("type"))
		}
		if credit.IsIndividualBusiness(u) {
			individuals++
		}
		if withLicence[u] {
			licensed++
		}
		id := r.s("legal_representative_id_number")
		if len(id) != 18 || idCheckChar(id[:17]) != id[17] || r.s("legal_representative_id_type") != "居民身份证" {
			t.Errorf("legal representative ID %q (%s) is not a valid resident ID number", id, r.s("legal_representative_id_type"))
		}
		if r.s("name") == "" || r.s("legal_representative") == "" || r.s("address") == "" || r.s("phone") == "" {
			t.Errorf("enterprise %s lacks a name, representative, address or phone", u)
		}
	}
	if share := float64(individuals) / float64(n); share < 0.25 || share > 0.35 {
		t.Errorf("individual businesses are %.0f%%, want about 30%%", 100*share)
	}
	if share := float64(licensed) / float64(n); share < 0.6 {
		t.Errorf("%.0f%% of enterprises hold a licence, want most", 100*share)
	}
}

func TestUSCCsUniqueAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(generate(t, 50_000, 9)))
	sc.Buffer(nil, 1<<20)
	prefix := []byte(`{"kind":"enterprise","uscc":"`)
	for sc.Scan() {
		if l := sc.Bytes(); bytes.HasPrefix(l, prefix) {
			u := string(l[len(prefix) : len(prefix)+18])
			if seen[u] {
				t.Fatalf("USCC %s appears twice", u)
			}
			seen[u] = true
		}
	}
	if len(seen) != 50_000 {
		t.Fatalf("%d enterprises, want 50000", len(seen))
	}
}

func TestDeterministic(t *testing.T) {
	a, b := generate(t, 300, 42), generate(t, 300, 42)
	if !bytes.Equal(a, b) {
		t.Fatal("same options gave different bytes")
	}
	if c := generate(t, 300, 43); bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same bytes")
	}
	var d bytes.Buffer
	if err := Write(&d, Options{Enterprises: 300, Seed: 42, Anchor: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, d.Bytes()) {
		t.Fatal("a different anchor gave the same bytes")
	}
	var e bytes.Buffer
	if err := Write(&e, Options{Enterprises: 300, Seed: 42, Anchor: DefaultAnchor()}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, e.Bytes()) {
		t.Fatal("the zero anchor is not DefaultAnchor")
	}
}

func TestWriteError(t *testing.T) {
	err := Write(failingWriter{}, Options{Enterprises: 1000, Seed: 1})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("got %v, want the writer's error", err)
	}
	if err := Write(io.Discard, Options{Enterprises: -1}); err == nil {
		t.Fatal("negative count accepted")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

// dataset is a generated dataset rebuilt as domain records, as an importer
// would store them.
type dataset struct {
	penalties map[string]*credit.Penalty
	listings  map[string]*credit.Listing // by list and decision number
	byUSCC    map[string][]string        // penalty decision numbers of each enterprise
	listsOf   map[string][]string        // listing keys of each enterprise
	simple    map[string]bool
	repairs   []rec
	cases     map[string]bool // usccs with a typical case
}

func listingKey(list credit.ListKind, number string) string { return string(list) + " " + number }

func load(t testing.TB, lines []rec) *dataset {
	ds := &dataset{penalties: map[string]*credit.Penalty{}, listings: map[string]*credit.Listing{},
		byUSCC: map[string][]string{}, listsOf: map[string][]string{}, simple: map[string]bool{}, cases: map[string]bool{}}
	for _, r := range lines {
		switch r.s("kind") {
		case "penalty":
			p := &credit.Penalty{USCC: r.s("uscc"), DecisionNumber: r.s("decision_number"), ViolationType: r.s("violation_type"),
				DecidedOn: r.date(t, "decided_on"), PublishedOn: r.date(t, "published_on"), Procedure: credit.Procedure(r.s("procedure")),
				Revoked: r["revoked"] == true}
			for _, s := range r.strs("penalty_types") {
				p.PenaltyTypes = append(p.PenaltyTypes, credit.PenaltyType(s))
			}
			if v := r.s("fine_amount"); v != "" {
				d := decimal.RequireFromString(v)
				p.FineAmount = &d
			}
			if r.s("restriction_until") != "" {
				d := r.date(t, "restriction_until")
				p.RestrictionUntil = &d
			}
			if a := r.s("key_area"); a != "" {
				k := credit.KeyArea(a)
				p.KeyArea = &k
			}
			ds.penalties[p.DecisionNumber] = p
			ds.byUSCC[p.USCC] = append(ds.byUSCC[p.USCC], p.DecisionNumber)
		case "abnormal_listing", "serious_listing":
			l := &credit.Listing{List: credit.ListKind(r.s("kind")), USCC: r.s("uscc"), DecisionNumber: r.s("decision_number"),
				ListedOn: r.date(t, "listed_on"), Authority: r.s("authority")}
			k := listingKey(l.List, l.DecisionNumber)
			ds.listings[k] = l
			ds.listsOf[l.USCC] = append(ds.listsOf[l.USCC], k)
		case "abnormal_removal", "serious_removal":
			list := credit.ListAbnormal
			if r.s("kind") == "serious_removal" {
				list = credit.ListSerious
			}
			l := ds.listings[listingKey(list, r.s("listing_decision_number"))]
			l.Removal = &credit.Removal{RemovedOn: r.date(t, "removed_on"), Reason: r.s("reason"), Authority: r.s("authority")}
		case "credit_repair":
			ds.repairs = append(ds.repairs, r)
			on := r.date(t, "repaired_on")
			switch credit.RepairTarget(r.s("target")) {
			case credit.RepairPenalty:
				ds.penalties[r.s("target_decision_number")].RepairedOn = &on
			default:
				ds.listings[listingKey(credit.ListKind(r.s("target")), r.s("target_decision_number"))].RepairedOn = &on
			}
		case "typical_case":
			ds.cases[r.s("uscc")] = true
		}
	}
	return ds
}

// listedOn reports whether uscc is on either list on d, as an importer
// would judge a penalty repair.
func (ds *dataset) listedOn(p credit.Policy, uscc string, d time.Time) bool {
	for _, k := range ds.listsOf[uscc] {
		l := ds.listings[k]
		if l.ListedOn.After(d) {
			continue
		}
		if l.List == credit.ListAbnormal {
			if l.Removal == nil || l.Removal.RemovedOn.After(d) {
				return true
			}
			continue
		}
		if p.SeriousListing(*l, d).State == credit.Disclosed {
			return true
		}
	}
	return false
}

func TestDisclosureStates(t *testing.T) {
	p := credit.NewPolicy(credit.DefaultSettings())
	asOf := DefaultAnchor()
	ds := load(t, decodeLines(t, generate(t, 2000, 1)))

	penalties := map[string]int{}
	for _, pen := range ds.penalties {
		st := string(p.Penalty(*pen, asOf).State)
		switch {
		case pen.Procedure == credit.ProcedureSimple:
			st += " (simple procedure)"
		case credit.IsWarningOnly(*pen):
			st += " (warning only)"
		case p.IsShortPeriod(*pen):
			st += " (short period)"
		case pen.RestrictionUntil != nil:
			st += " (restriction)"
		}
		penalties[st]++
	}
	for _, want := range []string{"DISCLOSED", "EXPIRED", "REPAIRED", "WITHDRAWN", "NOT_DISCLOSED (simple procedure)",
		"NOT_DISCLOSED (warning only)", "DISCLOSED (short period)", "EXPIRED (short period)", "DISCLOSED (restriction)"} {
		if penalties[want] == 0 {
			t.Errorf("no penalty %s; got %v", want, penalties)
		}
	}

	lists := map[string]int{}
	for _, l := range ds.listings {
		st := string(l.List) + " " + string(p.Listing(*l, asOf).State)
		if l.Removal != nil {
			st += " removed"
			if l.List == credit.ListSerious {
				st += " (" + l.Removal.Reason + ")"
			}
		}
		if l.RepairedOn != nil {
			st += " repaired"
		}
		if l.List == credit.ListAbnormal && l.Removal == nil {
			if remind, _ := p.DueForSeriousList(*l, asOf); remind {
				st += " due"
			}
		}
		lists[st]++
	}
	for _, want := range []string{
		"abnormal_listing DISCLOSED", "abnormal_listing DISCLOSED removed", "abnormal_listing DISCLOSED removed repaired",
		"abnormal_listing DISCLOSED due",
		"serious_listing DISCLOSED", "serious_listing EXPIRED removed (expired)", "serious_listing REPAIRED repaired",
		"serious_listing REPAIRED removed (credit_repair)", "serious_listing WITHDRAWN removed (revoked)",
	} {
		if lists[want] == 0 {
			t.Errorf("no %s; got %v", want, lists)
		}
	}
	seriousWithCase := 0
	for _, l := range ds.listings {
		if l.List == credit.ListSerious && ds.cases[l.USCC] {
			seriousWithCase++
		}
	}
	if seriousWithCase == 0 {
		t.Error("no serious listing has a typical case")
	}
	t.Logf("penalties: %v", penalties)
	t.Logf("listings: %v", lists)
}

// TestRulesHold checks every repair and removal against the policy with
// the facts an importer would compute, so the importer accepts them all.
func TestRulesHold(t *testing.T) {
	p := credit.NewPolicy(credit.DefaultSettings())
	for _, seed := range []int64{1, 2, 3} {
		ds := load(t, decodeLines(t, generate(t, 3000, seed)))
		for _, r := range ds.repairs {
			on := r.date(t, "repaired_on")
			var err error
			switch credit.RepairTarget(r.s("target")) {
			case credit.RepairPenalty:
				pen := ds.penalties[r.s("target_decision_number")]
				f := credit.PenaltyRepairFacts{Listed: ds.listedOn(p, pen.USCC, on)}
				for _, other := range ds.byUSCC[pen.USCC] {
					if o := ds.penalties[other]; other != pen.DecisionNumber && o.ViolationType == pen.ViolationType && o.DecidedOn.After(pen.DecidedOn) {
						f.RepeatViolation = true
					}
				}
				err = p.CheckPenaltyRepair(*pen, on, f)
			case credit.RepairSeriousListing:
				l := ds.listings[listingKey(credit.ListSerious, r.s("target_decision_number"))]
				err = p.CheckSeriousRepair(*l, on, ds.heavierSince(p, l))
			case credit.RepairAbnormalListing:
				err = p.CheckAbnormalRepair(*ds.listings[listingKey(credit.ListAbnormal, r.s("target_decision_number"))], on)
			}
			if err != nil {
				t.Errorf("seed %d: repair of %s: %v", seed, r.s("target_decision_number"), err)
			}
		}
		for _, l := range ds.listings {
			if l.Removal != nil {
				if err := p.CheckRemoval(*l, *l.Removal, ds.heavierSince(p, l)); err != nil {
					t.Errorf("seed %d: removal of %s: %v", seed, l.DecisionNumber, err)
				}
			}
		}
	}
}

func (ds *dataset) heavierSince(p credit.Policy, l *credit.Listing) credit.SeriousRepairFacts {
	for _, n := range ds.byUSCC[l.USCC] {
		if o := ds.penalties[n]; o.DecidedOn.After(l.ListedOn) && o.Procedure == credit.ProcedureOrdinary && !p.IsShortPeriod(*o) && !credit.IsWarningOnly(*o) {
			return credit.SeriousRepairFacts{HeavierPenaltySince: true}
		}
	}
	return credit.SeriousRepairFacts{}
}

func TestProportions(t *testing.T) {
	lines := decodeLines(t, generate(t, 2000, 5))
	with := map[string]map[string]bool{}
	for _, r := range lines {
		if u := r.s("uscc"); u != "" {
			if with[r.s("kind")] == nil {
				with[r.s("kind")] = map[string]bool{}
			}
			with[r.s("kind")][u] = true
		}
	}
	n := float64(len(with["enterprise"]))
	for _, c := range []struct {
		kind   string
		lo, hi float64
	}{
		{"license", 0.6, 0.9}, {"inspection", 0.65, 0.95}, {"penalty", 0.10, 0.20},
		{"abnormal_listing", 0.03, 0.08}, {"serious_listing", 0.004, 0.015},
	} {
		if share := float64(len(with[c.kind])) / n; share < c.lo || share > c.hi {
			t.Errorf("%.1f%% of enterprises have a %s, want %.1f–%.1f%%", 100*share, c.kind, 100*c.lo, 100*c.hi)
		}
	}
	areas := map[string]int{}
	for _, r := range lines {
		if r.s("kind") == "enterprise" {
			for _, a := range r.strs("key_areas") {
				areas[a]++
			}
		}
	}
	for _, a := range []credit.KeyArea{credit.AreaFoodProduction, credit.AreaSpecialEquipment} {
		if share := float64(areas[string(a)]) / n; share < 0.08 {
			t.Errorf("%s: %.1f%% of enterprises, want a meaningful share", a, 100*share)
		}
	}
	if areas[string(credit.AreaSpecialFood)] == 0 {
		t.Error("no special_food enterprise")
	}
}

func TestVocabulary(t *testing.T) {
	prefixes := map[string]bool{}
	for _, c := range cities {
		if !strings.HasPrefix(c.code, "35") || len(c.code) != 4 {
			t.Errorf("city %s: code %s", c.name, c.code)
		}
		for _, k := range c.counties {
			if !strings.HasPrefix(k.code, c.code) || len(k.code) != 6 {
				t.Errorf("county %s: code %s not in city %s", k.name, k.code, c.code)
			}
			if p := c.abbr + k.abbr; prefixes[p] {
				t.Errorf("decision-number prefix %s is not unique", p)
			} else {
				prefixes[p] = true
			}
		}
	}
	g := newGenerator(io.Discard, Options{})
	for _, a := range credit.KeyAreas {
		if len(g.byArea[a]) == 0 {
			t.Errorf("no violation for key area %s", a)
		}
	}
	for _, v := range violations {
		if v.heavy && v.ground == "" {
			t.Errorf("heavy violation %q has no serious-list ground", v.name)
		}
	}
}

func TestDates(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2000-02-29", "2024-12-31", "2026-11-01", "1969-12-31"} {
		tm, _ := time.Parse(time.DateOnly, s)
		d := dayOf(tm)
		if got := string(appendISO(nil, d)); got != s {
			t.Errorf("appendISO(%s) = %s", s, got)
		}
		if got := d.weekday(); got != int(tm.Weekday()) {
			t.Errorf("weekday(%s) = %d, want %d", s, got, tm.Weekday())
		}
	}
	fri := dayOf(time.Date(2026, 10, 30, 0, 0, 0, 0, time.UTC))
	if got := string(appendISO(nil, fri.addWorkdays(1))); got != "2026-11-02" {
		t.Errorf("a working day after Friday 2026-10-30 is %s", got)
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "鼓楼区阿明小吃店", `a"b\c`, "tab\there\nnew\x01", "“双随机、一公开”"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil || got != s {
			t.Errorf("round trip of %q: %q, %v", s, got, err)
		}
	}
}

// BenchmarkWrite reports generation speed in lines per second.
func BenchmarkWrite(b *testing.B) {
	const n = 10_000
	var lines int64
	start := time.Now()
	for b.Loop() {
		var c countingWriter
		if err := Write(&c, Options{Enterprises: n, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		lines += c.lines
		b.SetBytes(c.bytes)
	}
	b.ReportMetric(float64(lines)/time.Since(start).Seconds(), "lines/s")
}

type countingWriter struct{ lines, bytes int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.lines += int64(bytes.Count(p, []byte{'\n'}))
	c.bytes += int64(len(p))
	return len(p), nil
}
