package httpapi

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// exported is one GET /v1/export/… answer, body decompressed.
type exported struct {
	status  int
	header  http.Header
	trailer http.Header
	body    []byte
}

func (e exported) code() string {
	var r response
	_ = json.Unmarshal(e.body, &r)
	return r.code()
}

// export downloads a dataset file through the real edge.
func (h *harness) export(t *testing.T, file string, headers ...string) exported {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/v1/export/"+file, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("%s: gzip: %v", file, err)
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: read body: %v", file, err)
	}
	return exported{status: res.StatusCode, header: res.Header, trailer: res.Trailer, body: raw}
}

// exportTiers are the callers whose exports must round-trip: the files
// each may download, and its key.
var exportTiers = []struct {
	name  string
	key   []string
	files []string
}{
	{"PUBLIC", nil, []string{"serious_list.ndjson", "abnormal_list.ndjson", "penalties.ndjson", "typical_cases.ndjson"}},
	{"PARTNER", bearer(partnerKey), []string{"enterprises.ndjson", "typical_cases.ndjson"}},
}

// Done-when: "A PUBLIC and a PARTNER export each round-trip through import
// into an empty store, which then gives that tier identical answers." Each
// tier downloads its datasets through the edge, the importer loads them into
// an empty store of the same backend, and every question the datasets
// answer gets byte-identical data from both, as that tier, on that date.
func TestExportRoundTrip(t *testing.T) {
	fresh := map[string]func(t *testing.T) store.Store{
		"memory": func(*testing.T) store.Store {
			st := memory.New(credit.NewPolicy(credit.DefaultSettings()))
			st.SetRetention(testRetention) // the test moves the clock years on
			return st
		},
		"postgres": func(t *testing.T) store.Store {
			return postgres.NewTestStoreConfig(t, postgres.Config{
				Policy: credit.NewPolicy(credit.DefaultSettings()), Retention: testRetention})
		},
	}
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h) // records in every state, personal data in every text
		for _, tier := range exportTiers {
			t.Run(tier.name, func(t *testing.T) {
				backend := "memory"
				if strings.Contains(t.Name(), "/postgres/") {
					backend = "postgres"
				}
				st := fresh[backend](t)
				var named []string    // the enterprises the files carry
				var stepDays []string // the days the files' risk categories move on
				for _, file := range tier.files {
					e := h.export(t, file, append(tier.key, "Accept-Encoding", "gzip")...)
					if e.status != http.StatusOK {
						t.Fatalf("%s: %d %s", file, e.status, e.body)
					}
					if e.header.Get("Content-Encoding") != "gzip" {
						t.Errorf("%s: asked for gzip, got Content-Encoding %q", file, e.header.Get("Content-Encoding"))
					}
					for _, line := range bytes.Split(bytes.TrimSpace(e.body), []byte("\n")) {
						var rec struct {
							Kind, USCC     string
							RiskCategories []struct{ From, Category string } `json:"risk_categories"`
						}
						if err := json.Unmarshal(line, &rec); err != nil {
							t.Fatalf("%s: a line is not JSON: %s", file, line)
						}
						if rec.Kind != "enterprise" {
							continue
						}
						named = append(named, rec.USCC)
						// PARTNER reads the letter, derived from records its
						// file lacks: every enterprise line carries it, from
						// the export's day; PUBLIC's carry none.
						switch {
						case tier.name == "PUBLIC" && rec.RiskCategories != nil:
							t.Errorf("%s: a PUBLIC export carries a risk category: %s", file, line)
						case tier.name == "PARTNER" && (len(rec.RiskCategories) == 0 || rec.RiskCategories[0].From != fixtureToday):
							t.Errorf("%s: want risk_categories from %s: %s", file, fixtureToday, line)
						}
						for _, s := range rec.RiskCategories {
							stepDays = append(stepDays, s.From)
						}
					}
					// Imported on the export's day, as the copy's feed records it.
					sum, err := (&ingest.Importer{Store: st, Now: h.clock.Now}).Import(context.Background(), bytes.NewReader(e.body))
					if err != nil || sum.Rejected != 0 || sum.Accepted == 0 {
						t.Fatalf("import %s: %v %+v", file, err, sum)
					}
				}
				copy := newBareHarness(t, st, func(*Deps) {})
				copy.clock.Set(fixtureToday)
				for _, q := range roundTripQueries(t, h, tier.name, tier.key, named) {
					want, got := h.query(t, q, nil, tier.key...), copy.query(t, q, nil, tier.key...)
					if len(want.Errors) > 0 || len(got.Errors) > 0 {
						t.Fatalf("%s\noriginal: %s\ncopy: %s", q, want.raw, got.raw)
					}
					if !bytes.Equal(want.Data, got.Data) {
						t.Errorf("answers differ for %s\noriginal: %s\ncopy:     %s", q, want.Data, got.Data)
					}
				}
				if tier.name == "PARTNER" {
					checkRiskRoundTrip(t, h, copy, tier.key, named, stepDays)
				}
			})
		}
	})
}

const (
	roundTripListing = `fragment L on Listing { list decisionNumber reasonCode reason listedOn authority penaltyDecisionNumber
		keyArea removal { removedOn reason authority } disclosureEndsOn enterprise { uscc name } }`
	roundTripPenalty = `fragment P on Penalty { decisionNumber violationType facts basis penaltyTypes content fineAmount
		confiscationAmount authority decidedOn publishedOn procedure restrictionUntil keyArea disclosureEndsOn }`
	roundTripCase   = `fragment C on TypicalCase { caseId title summary publishedOn keyArea regionCode enterprise { uscc name } }`
	roundTripBasics = `uscc name formerNames type status legalRepresentative registeredCapital establishedOn
		registrationAuthority address businessScope regionCode keyAreas`
)

// roundTripQueries are the questions a tier's exports answer: the lists
// (as they stand and with removals), the cases, and each enterprise the
// files name — for PUBLIC its penalties and listings, for PARTNER its whole
// profile. riskCategory is checkRiskRoundTrip's: it is derived from the
// whole record, which no export below REGULATOR carries (README, "Bulk
// export").
func roundTripQueries(t *testing.T, h *harness, tier string, key, named []string) []string {
	qs := []string{
		`{ seriousDishonestyList(first: 100) { totalCount nodes { ...L } } } ` + roundTripListing,
		`{ abnormalOperationList(first: 100) { totalCount nodes { ...L } } } ` + roundTripListing,
		`{ abnormalOperationList(first: 100, filter: {includeRemoved: true}) { totalCount nodes { ...L } } } ` + roundTripListing,
		`{ seriousDishonestyList(first: 100, filter: {includeRemoved: true}) { totalCount nodes { ...L } } } ` + roundTripListing,
		`{ typicalCases(first: 100) { totalCount nodes { ...C } } } ` + roundTripCase,
	}
	var usccs []string
	if tier == "PARTNER" {
		qs = append(qs, `{ enterprises(first: 100) { totalCount nodes { uscc name } } }`,
			`{ enterprises(first: 100, filter: {onSeriousDishonestyList: true}) { totalCount nodes { uscc } } }`,
			`{ enterprises(first: 100, filter: {onAbnormalOperationList: true}) { totalCount nodes { uscc } } }`)
		var out struct {
			Enterprises struct{ Nodes []struct{ Uscc string } }
		}
		h.query(t, `{ enterprises(first: 100) { nodes { uscc } } }`, nil, key...).data(t, &out)
		for _, n := range out.Enterprises.Nodes {
			usccs = append(usccs, n.Uscc)
		}
		for _, u := range usccs {
			qs = append(qs, fmt.Sprintf(`{ enterprise(uscc: %q) { %s
				licenses(first: 100) { totalCount nodes { licenseNumber name content validFrom validTo authority decidedOn keyArea } }
				penalties(first: 100) { totalCount nodes { ...P } }
				inspections(first: 100) { totalCount nodes { inspectionId kind inspectedOn authority result items product batch keyArea } }
				abnormalOperations { ...L } seriousDishonesty { ...L }
				commitments { commitmentId kind content madeOn status untrueFoundOn }
				creditSummary { licenseCount validLicenseCount penaltyCount totalFines latestPenaltyOn inspectionCount
					nonCompliantInspectionCount onAbnormalOperationList onSeriousDishonestyList untrueCommitmentCount asOf } } } `,
				u, roundTripBasics)+roundTripListing+roundTripPenalty)
		}
		return qs
	}
	// PUBLIC: the enterprises its files name, with the records of those
	// files; the lists must name no other.
	seen := map[string]bool{}
	for _, u := range named {
		seen[u] = true
	}
	for _, q := range []string{`{ seriousDishonestyList(first: 100, filter: {includeRemoved: true}) { nodes { enterprise { uscc } } } }`,
		`{ abnormalOperationList(first: 100, filter: {includeRemoved: true}) { nodes { enterprise { uscc } } } }`} {
		var out map[string]struct {
			Nodes []struct{ Enterprise struct{ Uscc string } }
		}
		h.query(t, q, nil, key...).data(t, &out)
		for _, c := range out {
			for _, n := range c.Nodes {
				if !seen[n.Enterprise.Uscc] {
					t.Errorf("%s is on a list but in no export file", n.Enterprise.Uscc)
				}
			}
		}
	}
	for u := range seen {
		qs = append(qs, fmt.Sprintf(`{ enterprise(uscc: %q) { %s penalties(first: 100) { totalCount nodes { ...P } }
			abnormalOperations { ...L } seriousDishonesty { ...L } } } `, u, roundTripBasics)+roundTripListing+roundTripPenalty)
	}
	return qs
}

func TestExportErrors(t *testing.T) {
	h := newHarness(t, memoryStore())
	for _, c := range []struct {
		name, file string
		key        []string
		status     int
		code, msg  string
	}{
		{"unknown dataset", "licences.ndjson", nil, 404, "NOT_FOUND", `no dataset "licences"`},
		{"no format", "penalties", nil, 404, "NOT_FOUND", "has no format"},
		{"unknown format", "penalties.xlsx", nil, 404, "NOT_FOUND", `no format "xlsx"`},
		{"enterprises as CSV", "enterprises.csv", bearer(partnerKey), 404, "NOT_FOUND", ".ndjson only"},
		{"enterprises, anonymous", "enterprises.ndjson", nil, 403, "FORBIDDEN", "needs a PARTNER key"},
		{"enterprises, PUBLIC key", "enterprises.ndjson", bearer(publicKey), 403, "FORBIDDEN", `key "media-app" is PUBLIC`},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := h.export(t, c.file, c.key...)
			var r response
			if err := json.Unmarshal(e.body, &r); err != nil || e.status != c.status || r.code() != c.code ||
				!strings.Contains(r.Errors[0].Message, c.msg) {
				t.Errorf("%d %s; want %d %s with %q", e.status, e.body, c.status, c.code, c.msg)
			}
		})
	}
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/export/penalties.ndjson", nil)
	if r := h.do(t, req); r.status != http.StatusMethodNotAllowed || r.code() != "METHOD_NOT_ALLOWED" {
		t.Errorf("POST: %d %s", r.status, r.raw)
	}
}

// An export is charged one point per 1,000 records: up front for what the
// dataset holds, the unused part refunded; a budget that cannot pay is
// refused before anything is read.
func TestExportCharge(t *testing.T) {
	lim := ratelimit.NewShared(nil, ratelimit.Options{})
	h := newHarnessMeter(t, memoryStore(), testMeter(lim, 3))
	e := h.export(t, "penalties.ndjson")
	if e.status != 200 || e.header.Get("X-Export-Points-Charged") != "1" || e.trailer.Get("X-Export-Points") != "1" ||
		e.header.Get("RateLimit-Remaining") != "2" {
		t.Fatalf("%d headers %v trailers %v", e.status, e.header, e.trailer)
	}
	if n := bytes.Count(e.body, []byte(`"kind":"penalty"`)); e.trailer.Get("X-Export-Records") != fmt.Sprint(n) || n == 0 {
		t.Errorf("X-Export-Records %q, %d penalties written", e.trailer.Get("X-Export-Records"), n)
	}
	h.export(t, "serious_list.ndjson")
	h.export(t, "typical_cases.csv")
	e = h.export(t, "abnormal_list.csv")
	if e.status != http.StatusTooManyRequests || e.code() != "THROTTLED" || !strings.Contains(string(e.body), "charged 1 points up front") ||
		e.header.Get("Retry-After") == "" {
		t.Errorf("over budget: %d %v %s", e.status, e.header, e.body)
	}
}

func TestExportCSV(t *testing.T) {
	h := newHarness(t, memoryStore())
	r := h.ingest(t, `{"kind":"penalty","uscc":"93350600MA2XYK005G","decision_number":"=HYPERLINK(\"http://x\")","violation_type":"+SUM(A1)","facts":"@cmd","penalty_types":["fine","confiscation"],"fine_amount":"200000","authority":"-漳州","decided_on":"2026-05-01","published_on":"2026-05-02","procedure":"ordinary"}`+"\n", bearer(writerKey)...)
	if r.status != 200 {
		t.Fatalf("ingest: %d %s", r.status, r.raw)
	}
	e := h.export(t, "penalties.csv")
	if e.status != 200 || e.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(e.header.Get("Content-Disposition"), `filename="penalties-public-2026-06-15.csv"`) {
		t.Fatalf("%d %v", e.status, e.header)
	}
	body := string(e.body)
	if !strings.HasPrefix(body, "\uFEFF统一社会信用代码,企业名称,行政处罚决定书文号,") || !strings.Contains(body, "\r\n") {
		t.Errorf("want a BOM, Chinese headers and CRLF: %q", body[:min(200, len(body))])
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, `'+SUM(A1)`, `'@cmd`, `'-漳州`, "罚款；没收违法所得、没收非法财物", "漳州绿野农民专业合作社"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV lacks %s:\n%s", want, body)
		}
	}
	for _, f := range []string{"serious_list.csv", "abnormal_list.csv", "typical_cases.csv"} {
		if e := h.export(t, f); e.status != 200 || !bytes.HasPrefix(e.body, []byte("\uFEFF")) || bytes.Count(e.body, []byte("\r\n")) < 2 {
			t.Errorf("%s: %d %s", f, e.status, e.body)
		}
	}
}

// An export's X-Feed-Cursor is the feed position of its snapshot: the
// changes after it are exactly the writes the file does not hold.
func TestExportFeedCursor(t *testing.T) {
	for name, st := range map[string]store.Store{
		"memory":   memory.New(credit.NewPolicy(credit.DefaultSettings())),
		"postgres": postgres.NewTestStore(t, credit.NewPolicy(credit.DefaultSettings())),
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, st)
			e := h.export(t, "penalties.ndjson")
			cursor := e.header.Get("X-Feed-Cursor")
			if e.status != 200 || cursor == "" {
				t.Fatalf("%d, X-Feed-Cursor %q", e.status, cursor)
			}
			const late = "93350600MA2XYK005G"
			if bytes.Contains(e.body, []byte("漳芗市监罚〔2026〕77号")) {
				t.Fatal("the penalty is in the file before it was written")
			}
			r := h.ingest(t, `{"kind":"penalty","uscc":"`+late+`","decision_number":"漳芗市监罚〔2026〕77号","violation_type":"无证经营","penalty_types":["fine"],"fine_amount":"200000","authority":"漳州市芗城区市场监督管理局","decided_on":"2026-05-01","published_on":"2026-05-02","procedure":"ordinary"}`+"\n", bearer(writerKey)...)
			if r.status != 200 {
				t.Fatalf("ingest: %d %s", r.status, r.raw)
			}
			page, err := st.(store.Feed).Changes(context.Background(), credit.VisibilityAt(credit.TierPartner, h.clock.Now()),
				store.ChangeFilter{}, store.Page{First: 100, After: cursor})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range page.Changes {
				got = append(got, c.Key.String())
			}
			// The penalty, and the risk category it moved (a heavier
			// penalty with a large fine takes an A to B at least).
			if want := []string{"PENALTY/漳芗市监罚〔2026〕77号", "RISK_CATEGORY/" + late}; !slices.Equal(got, want) {
				t.Errorf("changes after the export's cursor: %q, want %q: the write since and nothing before", got, want)
			}
		})
	}
}

// checkRiskRoundTrip: riskCategory is derived from an enterprise's whole
// record, expired, repaired and never-public records included, which a
// PARTNER export does not carry; the export carries the letter instead, as
// the source's model gives it on the export's day and on each later day it
// moves by itself (risk_categories). So the copy gives the original's
// letter for every enterprise, on the export's day and on every later day
// — each day a letter moves, the days either side, and years on — and its
// RISK_CATEGORY feed brings the same time-driven changes on the same days.
// Without risk_categories the copy derives the letter from the part of the
// record it holds: lower for every enterprise with a hidden adverse record.
func checkRiskRoundTrip(t *testing.T, h, copy *harness, key, named, stepDays []string) {
	t.Helper()
	defer h.clock.Set(fixtureToday)
	const q = `query($u: ID!) { enterprise(uscc: $u) { riskCategory } }`
	letters := func(c *harness) map[string]string {
		out := map[string]string{}
		for _, u := range named {
			var v struct{ Enterprise struct{ RiskCategory string } }
			c.query(t, q, map[string]any{"u": u}, key...).data(t, &v)
			out[u] = v.Enterprise.RiskCategory
		}
		return out
	}
	// Is the check not vacuous? Some enterprise has records PARTNER does
	// not see that raise its letter above what those it sees give.
	const regQ = `query($u: ID!) { enterprise(uscc: $u) { penalties(first: 100) { totalCount } seriousDishonesty { decisionNumber } } }`
	hidden := 0
	for _, u := range named {
		var o, r struct {
			Enterprise struct {
				Penalties         struct{ TotalCount int }
				SeriousDishonesty []struct{ DecisionNumber string }
			}
		}
		h.query(t, regQ, map[string]any{"u": u}, key...).data(t, &o)
		h.query(t, regQ, map[string]any{"u": u}, bearer(regulatorKey)...).data(t, &r)
		if fmt.Sprint(o) != fmt.Sprint(r) {
			hidden++
		}
	}
	if hidden == 0 {
		t.Fatal("no enterprise has a record PARTNER does not see: the fixture must have some")
	}
	days := map[string]bool{fixtureToday: true}
	for _, d := range stepDays {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatalf("risk_categories: %q", d)
		}
		for _, off := range []int{-1, 0, 1} {
			days[day.AddDate(0, 0, off).Format(time.DateOnly)] = true
		}
	}
	start, _ := time.Parse(time.DateOnly, fixtureToday)
	for _, y := range []int{1, 2, 3, 4, 6} {
		days[start.AddDate(y, 0, 1).Format(time.DateOnly)] = true
	}
	var order []string
	for d := range days {
		if d >= fixtureToday {
			order = append(order, d)
		}
	}
	slices.Sort(order)
	moved := 0
	first := letters(h)
	for _, d := range order {
		h.clock.Set(d)
		copy.clock.Set(d)
		want, got := letters(h), letters(copy)
		for _, u := range named {
			if want[u] == "" || got[u] != want[u] {
				t.Errorf("%s on %s: riskCategory original %q, copy %q", u, d, want[u], got[u])
			}
			if want[u] != first[u] {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Error("no letter moves after the export's day: the later days test nothing")
	}
	checkRiskFeedRoundTrip(t, h, copy, key, order)
}

// checkRiskFeedRoundTrip: from a day after both feeds were last written
// (the canaries are written at the real date), the original's and the
// copy's RISK_CATEGORY feeds bring the same time-driven changes, on the
// same days, with the same letters.
func checkRiskFeedRoundTrip(t *testing.T, h, copy *harness, key, days []string) {
	t.Helper()
	const q = `query($after: String) { changes(first: 100, after: $after, filter: {recordTypes: [RISK_CATEGORY]}) {
		pageInfo { hasNextPage endCursor } nodes { at recordId kind record { ... on RiskCategoryRecord { category } } } } }`
	type change struct {
		At, RecordID, Kind string
		Record             *struct{ Category string }
	}
	read := func(c *harness, after string) (changes []string, end string) {
		for {
			var page struct {
				Changes struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []change
				}
			}
			vars := map[string]any{}
			if after != "" {
				vars["after"] = after
			}
			c.query(t, q, vars, key...).data(t, &page)
			for _, n := range page.Changes.Nodes {
				cat := ""
				if n.Record != nil {
					cat = n.Record.Category
				}
				changes = append(changes, n.At+" "+n.RecordID+" "+n.Kind+" "+cat)
			}
			after = page.Changes.PageInfo.EndCursor
			if !page.Changes.PageInfo.HasNextPage {
				return changes, after
			}
		}
	}
	from := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	h.clock.Set(from)
	copy.clock.Set(from)
	_, o := read(h, "")
	_, c := read(copy, "")
	total := 0
	for _, d := range days {
		if d <= from {
			continue
		}
		h.clock.Set(d)
		copy.clock.Set(d)
		want, _ := read(h, o)
		got, _ := read(copy, c)
		if !slices.Equal(want, got) {
			t.Errorf("RISK_CATEGORY changes up to %s differ\noriginal: %q\ncopy:     %q", d, want, got)
		}
		total = len(want)
	}
	if total == 0 {
		t.Error("no RISK_CATEGORY change after the real date: the feed check tests nothing")
	}
}
