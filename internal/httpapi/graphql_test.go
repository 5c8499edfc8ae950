package httpapi

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
)

const (
	foodCo    = "91350100MA2XYK001G" // penalties in every state, licences, inspections
	snackShop = "92350102MA2XYK002D" // individual business, abnormal listing removed
	liftCo    = "91350200MA2XYK003U" // serious list in force, abnormal list in force, typical case
	dairyCo   = "91350500MA2XYK004E" // serious listing expired, one repaired, penalty repaired
)

const profileQuery = `query($uscc: ID!) { enterprise(uscc: $uscc) {
  uscc name formerNames status regionCode keyAreas registeredCapital establishedOn
  licenses { totalCount nodes { licenseNumber validTo } }
  penalties { totalCount pageInfo { hasNextPage endCursor } nodes { decisionNumber fineAmount confiscationAmount publishedOn disclosureEndsOn penaltyTypes } }
  inspections { totalCount nodes { inspectionId result } }
  abnormalOperations { decisionNumber removal { removedOn reason } }
  seriousDishonesty { decisionNumber disclosureEndsOn }
  commitments { commitmentId status }
  creditSummary { licenseCount validLicenseCount penaltyCount totalFines latestPenaltyOn inspectionCount
    nonCompliantInspectionCount onAbnormalOperationList onSeriousDishonestyList untrueCommitmentCount asOf }
} }`

type profile struct {
	Enterprise *struct {
		USCC              string
		Name              string
		FormerNames       []string
		RegisteredCapital *string
		Licenses          struct {
			TotalCount int
		}
		Penalties struct {
			TotalCount int
			Nodes      []struct {
				DecisionNumber   string
				FineAmount       *string
				DisclosureEndsOn *string
			}
		}
		Inspections        struct{ TotalCount int }
		SeriousDishonesty  []struct{ DecisionNumber string }
		AbnormalOperations []struct {
			DecisionNumber string
			Removal        *struct{ RemovedOn, Reason string }
		}
		CreditSummary struct {
			LicenseCount, ValidLicenseCount, PenaltyCount, InspectionCount, NonCompliantInspectionCount int
			TotalFines                                                                                  string
			OnAbnormalOperationList, OnSeriousDishonestyList                                            bool
			AsOf                                                                                        string
		}
	}
}

func decisions(p profile) []string {
	var out []string
	for _, n := range p.Enterprise.Penalties.Nodes {
		out = append(out, n.DecisionNumber)
	}
	return out
}

func TestProfileFollowsTheDisclosureClock(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		tests := []struct {
			name  string
			today string
			want  []string
			fines string
		}{
			{"short fine in period", "2026-06-15", []string{"榕市监处罚〔2026〕101号", "榕市监处罚〔2023〕88号"}, "250000.00"},
			{"last day of the 3-month period", "2026-07-31", []string{"榕市监处罚〔2026〕101号", "榕市监处罚〔2023〕88号"}, "250000.00"},
			{"day after the 3-month period", "2026-08-01", []string{"榕市监处罚〔2023〕88号"}, "200000.00"},
			{"3-year period over", "2027-01-10", nil, "0.00"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				h.clock.Set(tt.today)
				var p profile
				h.query(t, profileQuery, map[string]any{"uscc": foodCo}).data(t, &p)
				if got := decisions(p); !slices.Equal(got, tt.want) {
					t.Errorf("penalties = %q, want %q", got, tt.want)
				}
				s := p.Enterprise.CreditSummary
				if s.PenaltyCount != len(tt.want) || p.Enterprise.Penalties.TotalCount != len(tt.want) || s.TotalFines != tt.fines || s.AsOf != tt.today {
					t.Errorf("summary %+v, totalCount %d; want %d penalties, fines %s, asOf %s", s, p.Enterprise.Penalties.TotalCount, len(tt.want), tt.fines, tt.today)
				}
			})
		}
	})
}

func TestProfileFields(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		var p profile
		h.query(t, profileQuery, map[string]any{"uscc": strings.ToLower(foodCo)}).data(t, &p)
		e := p.Enterprise
		if e == nil || e.USCC != foodCo || e.Name != "福州闽香食品有限公司" || !slices.Equal(e.FormerNames, []string{"福州闽香食品厂"}) {
			t.Fatalf("enterprise = %+v", e)
		}
		if e.RegisteredCapital == nil || *e.RegisteredCapital != "500.00" {
			t.Errorf("registeredCapital = %v, want 500.00", e.RegisteredCapital)
		}
		if got := e.Penalties.Nodes[0].DisclosureEndsOn; got == nil || *got != "2026-07-31" {
			t.Errorf("disclosureEndsOn = %v, want 2026-07-31", got)
		}
		s := e.CreditSummary
		if s.LicenseCount != 2 || s.ValidLicenseCount != 1 || s.InspectionCount != 2 || s.NonCompliantInspectionCount != 1 {
			t.Errorf("summary = %+v", s)
		}
	})
}

func TestListings(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		var p profile
		h.query(t, profileQuery, map[string]any{"uscc": liftCo}).data(t, &p)
		if s := p.Enterprise.CreditSummary; !s.OnSeriousDishonestyList || !s.OnAbnormalOperationList {
			t.Errorf("liftCo summary = %+v, want on both lists", s)
		}
		p = profile{}
		h.query(t, profileQuery, map[string]any{"uscc": dairyCo}).data(t, &p)
		if len(p.Enterprise.SeriousDishonesty) != 0 || p.Enterprise.CreditSummary.OnSeriousDishonestyList || p.Enterprise.Penalties.TotalCount != 0 {
			t.Errorf("dairyCo: expired and repaired records shown: %+v", p.Enterprise)
		}
		p = profile{}
		h.query(t, profileQuery, map[string]any{"uscc": snackShop}).data(t, &p)
		if a := p.Enterprise.AbnormalOperations; len(a) != 1 || a[0].Removal == nil || a[0].Removal.RemovedOn != "2025-09-01" {
			t.Errorf("snackShop abnormal listings = %+v, want one with its public removal", a)
		}

		const listQ = `query($f: ListingFilter) {
		  seriousDishonestyList(filter: $f) { totalCount nodes { decisionNumber enterprise { uscc } } }
		  abnormalOperationList(filter: $f) { totalCount nodes { decisionNumber removal { removedOn } } } }`
		var lists struct {
			SeriousDishonestyList, AbnormalOperationList struct {
				TotalCount int
				Nodes      []struct{ DecisionNumber string }
			}
		}
		h.query(t, listQ, nil).data(t, &lists)
		if l := lists.SeriousDishonestyList; l.TotalCount != 1 || len(l.Nodes) != 1 || l.Nodes[0].DecisionNumber != "厦市监严失〔2025〕1号" {
			t.Errorf("serious list = %+v", l)
		}
		if l := lists.AbnormalOperationList; l.TotalCount != 1 || l.Nodes[0].DecisionNumber != "厦市监异〔2026〕3号" {
			t.Errorf("abnormal list = %+v", l)
		}
		h.query(t, listQ, map[string]any{"f": map[string]any{"includeRemoved": true}}).data(t, &lists)
		if l := lists.AbnormalOperationList; l.TotalCount != 2 {
			t.Errorf("abnormal list with removed = %+v, want 2", l)
		}
		if l := lists.SeriousDishonestyList; l.TotalCount != 1 {
			t.Errorf("serious list with removed = %+v: expired and repaired listings must stay hidden", l)
		}
	})
}

func TestEnterprisesPaginationAndFilters(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const q = `query($f: EnterpriseFilter, $after: String) { enterprises(filter: $f, first: 2, after: $after) {
		  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { uscc } } } }`
		type page struct {
			Enterprises struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Edges []struct{ Node struct{ USCC string } }
			}
		}
		var seen []string
		var after any
		for i := 0; i < 10; i++ {
			var p page
			h.query(t, q, map[string]any{"after": after}).data(t, &p)
			for _, e := range p.Enterprises.Edges {
				seen = append(seen, e.Node.USCC)
			}
			if p.Enterprises.TotalCount != 5 {
				t.Fatalf("totalCount = %d, want 5", p.Enterprises.TotalCount)
			}
			if !p.Enterprises.PageInfo.HasNextPage {
				break
			}
			after = *p.Enterprises.PageInfo.EndCursor
		}
		if !slices.IsSorted(seen) || len(seen) != 5 || slices.Compact(slices.Clone(seen)) == nil {
			t.Errorf("walked %q, want 5 distinct USCCs in order", seen)
		}
		filters := []struct {
			name string
			f    map[string]any
			want []string
		}{
			{"region Fuzhou", map[string]any{"regionCode": "3501"}, []string{foodCo, snackShop}},
			{"key area", map[string]any{"keyArea": "SPECIAL_EQUIPMENT"}, []string{liftCo}},
			{"on serious list", map[string]any{"onSeriousDishonestyList": true}, []string{liftCo}},
			{"on abnormal list", map[string]any{"onAbnormalOperationList": true}, []string{liftCo}},
			{"name prefix", map[string]any{"namePrefix": "福州"}, []string{foodCo, snackShop}},
			{"exact name", map[string]any{"name": "泉州晋源乳业有限公司"}, []string{dairyCo}},
		}
		for _, tt := range filters {
			t.Run(tt.name, func(t *testing.T) {
				var p page
				h.query(t, q, map[string]any{"f": tt.f}).data(t, &p)
				var got []string
				for _, e := range p.Enterprises.Edges {
					got = append(got, e.Node.USCC)
				}
				if !slices.Equal(got, tt.want) || p.Enterprises.TotalCount != len(tt.want) {
					t.Errorf("got %q (totalCount %d), want %q", got, p.Enterprises.TotalCount, tt.want)
				}
			})
		}
	})
}

func TestTypicalCases(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		var out struct {
			TypicalCases struct {
				TotalCount int
				Nodes      []struct {
					CaseID     string
					Enterprise *struct{ Name string }
				}
			}
		}
		h.query(t, `{ typicalCases(filter: {keyArea: SPECIAL_EQUIPMENT}) { totalCount nodes { caseId enterprise { name } } } }`, nil).data(t, &out)
		if c := out.TypicalCases; c.TotalCount != 1 || c.Nodes[0].Enterprise == nil || c.Nodes[0].Enterprise.Name != "厦门鹭安电梯工程有限公司" {
			t.Errorf("typicalCases = %+v", c)
		}
	})
}

func TestBadInput(t *testing.T) {
	h := newHarness(t, memoryStore())
	tests := []struct {
		name, query string
		vars        map[string]any
		code        string
		msg         string
	}{
		{"short USCC", `{ enterprise(uscc: "9135010") { name } }`, nil, "INVALID_USCC", "length"},
		{"letter O", `{ enterprise(uscc: "91350100MA2XYK00OG") { name } }`, nil, "INVALID_USCC", "alphabet"},
		{"bad check char", `{ enterprise(uscc: "91350100MA2XYK001H") { name } }`, nil, "INVALID_USCC", "check character"},
		{"type 9 under market regulation", `{ enterprise(uscc: "99330102MA0000001K") { name } }`, nil, "INVALID_USCC", "organisation type check failed"},
		{"division 000000", `{ enterprise(uscc: "91000000MA0000001R") { name } }`, nil, "INVALID_USCC", "division check failed"},
		{"first 0", `{ enterprises(first: 0) { totalCount } }`, nil, "BAD_USER_INPUT", "between 1 and 100"},
		{"first 101", `{ enterprises(first: 101) { totalCount } }`, nil, "BAD_USER_INPUT", "got 101"},
		{"nested first", `{ enterprise(uscc: "` + foodCo + `") { penalties(first: 500) { totalCount } } }`, nil, "BAD_USER_INPUT", "between 1 and 100"},
		{"forged cursor", `{ enterprises(after: "not-a-cursor") { totalCount } }`, nil, "BAD_USER_INPUT", "cursor"},
		{"bad region", `{ enterprises(filter: {regionCode: "Fuzhou"}) { totalCount } }`, nil, "BAD_USER_INPUT", "regionCode"},
		{"bad date", `query($d: Date) { seriousDishonestyList(filter: {listedFrom: $d}) { totalCount } }`, map[string]any{"d": "2024-02-30"}, "", "2024-02-30"},
		{"over the parser token limit", "{" + strings.Repeat(" viewer { tier }", 1300) + " }", nil, "GRAPHQL_PARSE_FAILED", "token limit"},
		{"too many aliases", "{" + aliases(31) + " }", nil, "MAX_ALIASES_EXCEEDED", "31"},
		{"too deep", `{ seriousDishonestyList { nodes { enterprise { seriousDishonesty { enterprise { seriousDishonesty { enterprise { seriousDishonesty { enterprise { seriousDishonesty { enterprise { seriousDishonesty { enterprise { name } } } } } } } } } } } } } }`, nil, "MAX_DEPTH_EXCEEDED", "12"},
		{"too many nodes", `{ enterprises(first: 100) { nodes { abnormalOperations { enterprise { penalties(first: 100) { nodes { decisionNumber } } } } } } }`, nil, "MAX_NODES_EXCEEDED", "50000"},
		{"unknown field", `{ enterprise(uscc: "` + foodCo + `") { phone } }`, nil, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "phone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.query(t, tt.query, tt.vars)
			if len(r.Errors) == 0 {
				t.Fatalf("no error: %s", r.raw)
			}
			if tt.code != "" && r.code() != tt.code {
				t.Errorf("code = %q, want %q: %s", r.code(), tt.code, r.raw)
			}
			if r.code() == "" {
				t.Errorf("error without extensions.code: %s", r.raw)
			}
			if !strings.Contains(r.Errors[0].Message, tt.msg) {
				t.Errorf("message %q does not mention %q", r.Errors[0].Message, tt.msg)
			}
		})
	}
	t.Run("unknown valid USCC is null", func(t *testing.T) {
		var p profile
		h.query(t, `{ enterprise(uscc: "91350100MA2XYK0099") { name } }`, nil).data(t, &p)
		if p.Enterprise != nil {
			t.Errorf("enterprise = %+v, want null", p.Enterprise)
		}
	})
	t.Run("cursor from another list", func(t *testing.T) {
		var p struct {
			Enterprises struct{ PageInfo struct{ EndCursor string } }
		}
		h.query(t, `{ enterprises(first: 1) { pageInfo { endCursor } } }`, nil).data(t, &p)
		r := h.query(t, `query($a: String) { typicalCases(after: $a) { totalCount } }`, map[string]any{"a": p.Enterprises.PageInfo.EndCursor})
		if r.code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q: %s", r.code(), r.raw)
		}
	})
}

// A control character in any string argument, literal or variable, at any
// depth, is BAD_USER_INPUT naming the argument, before anything runs; on
// PostgreSQL a NUL used to reach SQL and answer INTERNAL.
func TestControlCharactersInArguments(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		tests := []struct {
			name, query string
			vars        map[string]any
			msg         string
		}{
			{"literal in a filter", `{ enterprises(filter: {namePrefix: "福州\u0000"}) { totalCount } }`, nil,
				`argument "filter.namePrefix" of enterprises contains a control character U+0000 at character 3`},
			{"variable in a filter", `query($f: EnterpriseFilter) { enterprises(filter: $f) { totalCount } }`,
				map[string]any{"f": map[string]any{"name": "泉州\u0000海禾"}}, `argument "filter.name" of enterprises contains a control character U+0000`},
			{"whole variable", `query($u: ID!) { enterprise(uscc: $u) { name } }`, map[string]any{"u": "\u001b[2J"},
				`argument "uscc" of enterprise contains a control character U+001B at character 1`},
			{"inside a fragment", `query { ...F } fragment F on Query { enterprises(filter: {name: "a\u0007"}) { totalCount } }`, nil,
				`argument "filter.name" of enterprises contains a control character U+0007`},
			{"nested field", `{ seriousDishonestyList(first: 1) { nodes { enterprise { penalties(after: "x\u0000") { totalCount } } } } }`, nil,
				`argument "after" of penalties contains a control character U+0000`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := h.query(t, tt.query, tt.vars, bearer(regulatorKey)...)
				if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, tt.msg) {
					t.Fatalf("want BAD_USER_INPUT with %q, got %d %s", tt.msg, r.status, r.raw)
				}
				if strings.Contains(string(r.raw), `"data":{`) {
					t.Errorf("the operation ran: %s", r.raw)
				}
			})
		}
		t.Run("tab and newline are refused in arguments too, other text passes", func(t *testing.T) {
			r := h.query(t, `query($n: String) { enterprises(filter: {namePrefix: $n}) { totalCount } }`, map[string]any{"n": "福\t州"})
			if r.code() != "BAD_USER_INPUT" {
				t.Errorf("tab: %s", r.raw)
			}
			var out struct{ Enterprises struct{ TotalCount int } }
			h.query(t, `{ enterprises(filter: {namePrefix: "福州\u3000"}) { totalCount } }`, nil).data(t, &out)
		})
	})
}

func TestHTTPEdge(t *testing.T) {
	h := newHarness(t, memoryStore())
	t.Run("bad key is 401, never PUBLIC", func(t *testing.T) {
		r := h.query(t, `{ viewer { tier } }`, nil, "Authorization", "Bearer cg_nonsense")
		if r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" || r.Data != nil {
			t.Errorf("status %d: %s", r.status, r.raw)
		}
	})
	t.Run("malformed header is 401", func(t *testing.T) {
		r := h.query(t, `{ viewer { tier } }`, nil, "Authorization", "Basic abc")
		if r.status != http.StatusUnauthorized || !strings.Contains(r.Errors[0].Message, "Bearer") {
			t.Errorf("status %d: %s", r.status, r.raw)
		}
	})
	t.Run("anonymous is PUBLIC", func(t *testing.T) {
		var v struct{ Viewer struct{ Tier, AsOf string } }
		h.query(t, `{ viewer { tier keyName asOf } }`, nil).data(t, &v)
		if v.Viewer.Tier != "PUBLIC" || v.Viewer.AsOf != fixtureToday {
			t.Errorf("viewer = %+v", v.Viewer)
		}
	})
	t.Run("oversized body is 413", func(t *testing.T) {
		body := bytes.Repeat([]byte(" "), 2<<20)
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		r := h.do(t, req)
		if r.status != http.StatusRequestEntityTooLarge || r.code() != "PAYLOAD_TOO_LARGE" || !strings.Contains(r.Errors[0].Message, "limit") {
			t.Errorf("status %d: %s", r.status, r.raw)
		}
	})
	t.Run("GET and graphql-response+json", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+`/graphql?query={viewer{tier}}`, nil)
		req.Header.Set("Accept", "application/graphql-response+json")
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/graphql-response+json" {
			t.Errorf("status %d, content-type %q", res.StatusCode, res.Header.Get("Content-Type"))
		}
	})
	for _, path := range []string{"/healthz", "/readyz", "/"} {
		t.Run(path, func(t *testing.T) {
			res, err := h.srv.Client().Get(h.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("GET %s = %d", path, res.StatusCode)
			}
		})
	}
}

// aliases returns n aliased viewer fields.
func aliases(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " a%d: viewer { tier }", i)
	}
	return b.String()
}

// creditSummary counts what is disclosed today, so every tier gets the same
// numbers for an enterprise with penalties in every state; a regulator gets
// the whole file counted apart, in recorded.
func TestCreditSummaryMeansTheSameInEveryTier(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const q = `query($u: ID!) { enterprise(uscc: $u) { creditSummary {
			licenseCount validLicenseCount penaltyCount totalFines latestPenaltyOn inspectionCount
			nonCompliantInspectionCount onAbnormalOperationList onSeriousDishonestyList untrueCommitmentCount asOf } } }`
		var summaries []string
		for _, key := range []string{"", partnerKey, regulatorKey} {
			var headers []string
			if key != "" {
				headers = bearer(key)
			}
			r := h.query(t, q, map[string]any{"u": foodCo}, headers...)
			if len(r.Errors) > 0 {
				t.Fatalf("%s", r.raw)
			}
			summaries = append(summaries, string(r.Data))
		}
		if summaries[0] != summaries[1] || summaries[0] != summaries[2] {
			t.Fatalf("creditSummary differs by tier:\nPUBLIC    %s\nPARTNER   %s\nREGULATOR %s", summaries[0], summaries[1], summaries[2])
		}
		var out struct {
			Enterprise struct {
				CreditSummary struct {
					PenaltyCount int
					Recorded     struct {
						PenaltyCount     int
						TotalFines       string
						PenaltiesByState []struct {
							State string
							Count int
						}
						AbnormalListingCount, SeriousListingCount int
					}
				}
				Penalties struct {
					TotalCount int
					Nodes      []struct{ DisclosureState struct{ State string } }
				}
			}
		}
		h.query(t, `query($u: ID!) { enterprise(uscc: $u) {
			creditSummary { penaltyCount recorded { penaltyCount totalFines penaltiesByState { state count } abnormalListingCount seriousListingCount } }
			penalties(first: 100) { totalCount nodes { disclosureState { state } } } } }`,
			map[string]any{"u": foodCo}, bearer(regulatorKey)...).data(t, &out)
		e := out.Enterprise
		rec := e.CreditSummary.Recorded
		if rec.PenaltyCount != e.Penalties.TotalCount || rec.PenaltyCount <= e.CreditSummary.PenaltyCount {
			t.Fatalf("recorded.penaltyCount %d, penalties on file %d, disclosed %d: want all on file, more than disclosed",
				rec.PenaltyCount, e.Penalties.TotalCount, e.CreditSummary.PenaltyCount)
		}
		want := map[string]int{}
		for _, n := range e.Penalties.Nodes {
			want[n.DisclosureState.State]++
		}
		got := map[string]int{}
		for _, s := range rec.PenaltiesByState {
			got[s.State] = s.Count
		}
		if !maps.Equal(got, want) || got["DISCLOSED"] != e.CreditSummary.PenaltyCount {
			t.Errorf("penaltiesByState %v, want %v with DISCLOSED = penaltyCount %d", got, want, e.CreditSummary.PenaltyCount)
		}
		if r := h.query(t, `{ enterprise(uscc: "`+foodCo+`") { creditSummary { recorded { penaltyCount } } } }`, nil, bearer(partnerKey)...); r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("PARTNER can ask for recorded: %s", r.raw)
		}
	})
}
