package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/credit/redactiontest"
)

// corpusRecords writes every corpus sentence into every free-text field of
// every record kind, one enterprise per sentence, and returns the NDJSON
// and the sentences by USCC.
func corpusRecords(t *testing.T, cases []redactiontest.Case) (string, map[string]redactiontest.Case) {
	t.Helper()
	var b strings.Builder
	byUSCC := map[string]redactiontest.Case{}
	line := func(m map[string]any) {
		enc, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(enc)
		b.WriteByte('\n')
	}
	for i, c := range cases {
		first17 := fmt.Sprintf("91350102MA%07d", i)
		u := first17 + string(credit.USCCCheckChar(first17))
		byUSCC[u] = c
		s := c.In
		line(map[string]any{"kind": "enterprise", "uscc": u, "name": fmt.Sprintf("语料企业%04d有限公司", i), "status": "operating",
			"region_code": "350102", "address": s, "business_scope": s})
		line(map[string]any{"kind": "license", "uscc": u, "license_number": fmt.Sprintf("CORPUS-L-%04d", i), "name": "食品经营许可证",
			"content": s, "authority": "福州市鼓楼区市场监督管理局", "decided_on": "2026-01-05"})
		line(map[string]any{"kind": "penalty", "uscc": u, "decision_number": fmt.Sprintf("语料罚〔2026〕%d号", i), "violation_type": s,
			"facts": s, "basis": s, "content": s, "penalty_types": []string{"fine"}, "fine_amount": "150000.00",
			"authority": "福州市鼓楼区市场监督管理局", "decided_on": "2026-03-01", "published_on": "2026-03-05", "procedure": "ordinary"})
		line(map[string]any{"kind": "inspection", "inspection_kind": "sampling", "uscc": u, "inspection_id": fmt.Sprintf("CORPUS-I-%04d", i),
			"inspected_on": "2026-02-01", "authority": "福州市鼓楼区市场监督管理局", "result": "non_compliant", "items": s, "product": s})
		line(map[string]any{"kind": "abnormal_listing", "uscc": u, "decision_number": fmt.Sprintf("语料异〔2026〕%d号", i), "reason_code": 4,
			"reason": s, "listed_on": "2026-01-10", "authority": "福州市鼓楼区市场监督管理局"})
		line(map[string]any{"kind": "abnormal_removal", "listing_decision_number": fmt.Sprintf("语料异〔2026〕%d号", i),
			"removed_on": "2026-04-01", "reason": s, "authority": "福州市鼓楼区市场监督管理局"})
		line(map[string]any{"kind": "commitment", "commitment_kind": "voluntary", "uscc": u, "commitment_id": fmt.Sprintf("CORPUS-C-%04d", i),
			"content": s, "made_on": "2026-01-02", "status": "in_force"})
		line(map[string]any{"kind": "typical_case", "case_id": fmt.Sprintf("CORPUS-T-%04d", i), "title": s, "summary": s, "uscc": u,
			"published_on": "2026-05-01", "region_code": "350102"})
	}
	return b.String(), byUSCC
}

// usableCases keeps the sentences an import can carry unchanged in every
// field: no surrounding space (imports trim it), no control character, at
// most 500 characters (single-line fields).
func usableCases(t *testing.T) []redactiontest.Case {
	t.Helper()
	all, err := redactiontest.Cases()
	if err != nil {
		t.Fatal(err)
	}
	var out []redactiontest.Case
	for _, c := range all {
		if strings.TrimSpace(c.In) == c.In && !strings.ContainsFunc(c.In, func(r rune) bool { return r < 0x20 || r == 0x7f }) &&
			utf8.RuneCountInString(c.In) <= 500 {
			out = append(out, c)
		}
	}
	if len(out) < len(all)*9/10 {
		t.Fatalf("only %d of %d corpus cases can be imported as they are", len(out), len(all))
	}
	return out
}

const corpusEnterprisesQuery = `query($after: String) {
  enterprises(filter: {namePrefix: "语料企业"}, first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { uscc address businessScope
      licenses(first: 1) { nodes { content } }
      penalties(first: 1) { nodes { violationType facts basis content } }
      inspections(first: 1) { nodes { items product } }
      abnormalOperations { reason removal { reason } }
      commitments { content } } } }`

const corpusCasesQuery = `query($after: String) {
  typicalCases(filter: {regionCode: "350102"}, first: 50, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { caseId title summary enterprise { uscc } } } }`

// The redaction corpus through GraphQL over HTTP, on both stores: every
// free-text field of every record kind shows PUBLIC and PARTNER the
// redacted text and REGULATOR the original, computed and again from the
// response cache.
func TestRedactionCorpusOverHTTP(t *testing.T) {
	cases := usableCases(t)
	body, byUSCC := corpusRecords(t, cases)
	backends(t, func(t *testing.T, h *harness) {
		r := h.ingest(t, body, bearer(writerKey)...)
		if r.status != http.StatusOK || !strings.Contains(string(r.raw), `"rejected":0`) {
			t.Fatalf("ingest: %d %s", r.status, leakClip(r.raw))
		}
		for _, caller := range []struct {
			name    string
			headers []string
			public  bool
		}{{"PUBLIC", nil, true}, {"PARTNER", bearer(partnerKey), true}, {"REGULATOR", bearer(regulatorKey), false}} {
			t.Run(caller.name, func(t *testing.T) {
				want := func(c redactiontest.Case) string {
					if caller.public {
						return c.Want
					}
					return c.In
				}
				seen := 0
				h.eachCorpusPage(t, corpusEnterprisesQuery, "enterprises", caller.headers, func(n map[string]any) {
					c, ok := byUSCC[n["uscc"].(string)]
					if !ok {
						return
					}
					seen++
					for path, got := range corpusTexts(n) {
						if got != want(c) {
							t.Errorf("%s: %s\n got %q\nwant %q", c.Note, path, got, want(c))
						}
					}
				})
				if seen != len(cases) {
					t.Errorf("%d corpus enterprises read, want %d", seen, len(cases))
				}
				seen = 0
				h.eachCorpusPage(t, corpusCasesQuery, "typicalCases", caller.headers, func(n map[string]any) {
					if !strings.HasPrefix(n["caseId"].(string), "CORPUS-T-") {
						return
					}
					seen++
					c := byUSCC[jsonObj(n["enterprise"])["uscc"].(string)]
					for _, f := range []string{"title", "summary"} {
						if got := n[f]; got != want(c) {
							t.Errorf("%s: typical case %s\n got %q\nwant %q", c.Note, f, got, want(c))
						}
					}
				})
				if seen != len(cases) {
					t.Errorf("%d corpus cases read, want %d", seen, len(cases))
				}
			})
		}
	})
}

// eachCorpusPage walks a connection page by page, each page asked twice so
// that the second answer comes from the response cache (and must equal the
// first), calling f with every node.
func (h *harness) eachCorpusPage(t *testing.T, q, field string, headers []string, f func(map[string]any)) {
	t.Helper()
	var after any
	for page := 0; ; page++ {
		r := h.cached(t, q, map[string]any{"after": after}, headers...)
		var data map[string]any
		if err := json.Unmarshal(r.Data, &data); err != nil || len(r.Errors) > 0 {
			t.Fatalf("page %d: %v %s", page, err, leakClip(r.raw))
		}
		conn := jsonObj(data[field])
		for _, n := range jsonList(conn["nodes"]) {
			f(jsonObj(n))
		}
		pi := jsonObj(conn["pageInfo"])
		if next, _ := pi["hasNextPage"].(bool); !next {
			return
		}
		after = pi["endCursor"]
	}
}

// corpusTexts collects the free-text values of one corpus enterprise, by path.
func corpusTexts(n map[string]any) map[string]string {
	out := map[string]string{}
	add := func(path string, v any) {
		if s, ok := v.(string); ok {
			out[path] = s
		} else {
			out[path] = fmt.Sprintf("<missing: %v>", v)
		}
	}
	add("address", n["address"])
	add("businessScope", n["businessScope"])
	first := func(conn string) map[string]any {
		nodes := jsonList(jsonObj(n[conn])["nodes"])
		if len(nodes) == 0 {
			return map[string]any{}
		}
		return jsonObj(nodes[0])
	}
	add("licenses.content", first("licenses")["content"])
	p := first("penalties")
	for _, f := range []string{"violationType", "facts", "basis", "content"} {
		add("penalties."+f, p[f])
	}
	in := first("inspections")
	add("inspections.items", in["items"])
	add("inspections.product", in["product"])
	if ls := jsonList(n["abnormalOperations"]); len(ls) == 1 {
		add("abnormalOperations.reason", jsonObj(ls[0])["reason"])
		add("abnormalOperations.removal.reason", jsonObj(jsonObj(ls[0])["removal"])["reason"])
	} else {
		add("abnormalOperations", fmt.Sprintf("%d listings", len(ls)))
	}
	if cs := jsonList(n["commitments"]); len(cs) == 1 {
		add("commitments.content", jsonObj(cs[0])["content"])
	}
	return out
}
