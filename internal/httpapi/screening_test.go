package httpapi

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

const screeningQuery = `query($in: [ScreeningInput!]) { screenCounterparties(inputs: $in) {
  ref status message score riskCategory
  enterprise { uscc name }
  candidates { score enterprise { uscc name } }
  flags { code reason evidence since } } }`

type screened struct {
	Ref, Status  string
	Message      *string
	Score        *float64
	RiskCategory *string
	Enterprise   *struct{ Uscc, Name string }
	Candidates   []struct {
		Score      float64
		Enterprise struct{ Uscc, Name string }
	}
	Flags []struct {
		Code, Reason string
		Evidence     []string
		Since        *string
	}
}

func (s screened) flag(code string) (reason string, evidence []string, ok bool) {
	for _, f := range s.Flags {
		if f.Code == code {
			return f.Reason, f.Evidence, true
		}
	}
	return "", nil, false
}

func (s screened) codes() []string {
	var out []string
	for _, f := range s.Flags {
		out = append(out, f.Code)
	}
	return out
}

// screeningRecords adds what the fixture lacks: two enterprises of one
// name, a revoked one, one with an untrue commitment.
const screeningRecords = `{"kind":"enterprise","uscc":"91350102MA2XYK006W","name":"福州重名贸易有限公司","status":"operating","region_code":"350102","key_areas":[]}
{"kind":"enterprise","uscc":"91350103MA2XYK007E","name":"福州重名贸易有限公司","status":"operating","region_code":"350103","key_areas":[]}
{"kind":"enterprise","uscc":"91350104MA2XYK0080","name":"福州已吊销商贸有限公司","status":"revoked","region_code":"350104","key_areas":[]}
{"kind":"commitment","uscc":"93350600MA2XYK005G","commitment_id":"CN-UNTRUE-1","commitment_kind":"notification","content":"已取得相关许可。","made_on":"2025-01-02","status":"untrue","untrue_found_on":"2025-04-01"}
`

// Done-when: "Screening tested over HTTP with codes, names, invalid codes,
// misses and ambiguous names mixed in one call; flags and reasons checked."
func TestScreenCounterparties(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		if r := h.ingest(t, screeningRecords, bearer(writerKey)...); r.status != 200 || !strings.Contains(string(r.raw), `"rejected":0`) {
			t.Fatalf("ingest: %d %s", r.status, r.raw)
		}
		in := []map[string]any{
			{"ref": "code-food", "uscc": "91350100ma2xyk001g"}, // lower case is accepted
			{"ref": "name-lift", "name": "厦门鹭安电梯工程有限公司"},
			{"ref": "bad-check", "uscc": "91350100MA2XYK001H"},
			{"ref": "code-miss", "uscc": "91350100MA2XYK0099"},
			{"ref": "name-twins", "name": "福州重名贸易有限公司"},
			{"ref": "name-miss", "name": "不存在的某某企业名称"},
			{"ref": "both", "uscc": "91350100MA2XYK001G", "name": "福州闽香食品有限公司"},
			{"ref": "neither"},
			{"ref": "hidden-only", "uscc": "91350500MA2XYK004E"},
			{"ref": "revoked", "uscc": "91350104MA2XYK0080"},
			{"ref": "untrue", "uscc": "93350600MA2XYK005G"},
			{"ref": "removed-abnormal", "uscc": "92350102MA2XYK002D"},
			{"ref": "name-prefix", "name": "厦门 鹭安电梯"}, // normalised, then a prefix of one name
			{"ref": "name-short", "name": "厦"},
		}
		r := h.query(t, screeningQuery, map[string]any{"in": in}, bearer(partnerKey)...)
		var out struct{ ScreenCounterparties []screened }
		r.data(t, &out)
		res := out.ScreenCounterparties
		if len(res) != len(in) {
			t.Fatalf("%d results for %d inputs", len(res), len(in))
		}
		for i, x := range res {
			if x.Ref != in[i]["ref"] {
				t.Errorf("result %d is %q, want %q: results come in input order", i, x.Ref, in[i]["ref"])
			}
		}
		by := map[string]screened{}
		for _, x := range res {
			by[x.Ref] = x
		}
		status := func(ref, want string) screened {
			t.Helper()
			x := by[ref]
			if x.Status != want {
				t.Errorf("%s: status %s (%v), want %s", ref, x.Status, deref(x.Message), want)
			}
			return x
		}

		food := status("code-food", "MATCHED")
		if food.Enterprise == nil || food.Enterprise.Uscc != "91350100MA2XYK001G" || food.Score != nil || food.RiskCategory == nil {
			t.Errorf("code-food: %+v", food)
		}
		if got := food.codes(); !slices.Equal(got, []string{"PENALTY_IN_DISCLOSURE_PERIOD", "NON_COMPLIANT_INSPECTION"}) {
			t.Errorf("code-food flags %v", got)
		}
		reason, ev, _ := food.flag("PENALTY_IN_DISCLOSURE_PERIOD")
		// Expired (2022), withdrawn (2025〕15号) and simple-procedure penalties are
		// not the public's: they neither count nor are cited.
		if !slices.Equal(ev, []string{"榕市监处罚〔2026〕101号", "榕市监处罚〔2023〕88号"}) ||
			!strings.Contains(reason, "2 administrative penalties") || !strings.Contains(reason, "disclosed until 2026-07-31") ||
			!strings.Contains(reason, "Fines total ¥250000.00") || strings.Contains(reason, "〔2022〕30号") {
			t.Errorf("code-food penalty flag: %q %v", reason, ev)
		}
		if reason, ev, _ := food.flag("NON_COMPLIANT_INSPECTION"); !slices.Equal(ev, []string{"CJ2023-0042"}) || !strings.Contains(reason, "2023-11-02") {
			t.Errorf("code-food inspection flag: %q %v", reason, ev)
		}

		lift := status("name-lift", "MATCHED")
		if lift.Enterprise == nil || lift.Enterprise.Uscc != "91350200MA2XYK003U" || lift.Score == nil || *lift.Score < 0.75 {
			t.Errorf("name-lift: %+v", lift)
		}
		if got := lift.codes(); !slices.Equal(got, []string{"SERIOUS_DISHONESTY_LISTED", "ABNORMAL_OPERATION_LISTED", "PENALTY_IN_DISCLOSURE_PERIOD"}) {
			t.Errorf("name-lift flags %v", got)
		}
		if reason, ev, _ := lift.flag("SERIOUS_DISHONESTY_LISTED"); !slices.Equal(ev, []string{"厦市监严失〔2025〕1号"}) ||
			!strings.Contains(reason, "listed 2025-01-10") || !strings.Contains(reason, "严重违法失信名单") {
			t.Errorf("name-lift serious flag: %q %v", reason, ev)
		}
		if lift.RiskCategory == nil || *lift.RiskCategory != "D" {
			t.Errorf("name-lift: a serious listing makes the category D, got %v", lift.RiskCategory)
		}

		if x := status("bad-check", "INVALID"); x.Message == nil || !strings.Contains(*x.Message, "check character check failed") || x.Enterprise != nil {
			t.Errorf("bad-check: %+v", x)
		}
		status("code-miss", "NOT_FOUND")
		twins := status("name-twins", "AMBIGUOUS")
		if len(twins.Candidates) != 2 || twins.Enterprise != nil || len(twins.Flags) != 0 {
			t.Errorf("name-twins: %+v", twins)
		}
		status("name-miss", "NOT_FOUND")
		for _, ref := range []string{"both", "neither"} {
			if x := status(ref, "INVALID"); x.Message == nil || !strings.Contains(*x.Message, "exactly one of uscc and name") {
				t.Errorf("%s: %+v", ref, x)
			}
		}
		// Its listings expired or were repaired, its penalty repaired: the
		// public sees nothing to flag, and neither does a partner.
		if x := status("hidden-only", "MATCHED"); len(x.Flags) != 0 {
			t.Errorf("hidden-only: flags %v from records the tier does not see", x.codes())
		}
		if x := status("revoked", "MATCHED"); !slices.Equal(x.codes(), []string{"NOT_OPERATING"}) {
			t.Errorf("revoked: %v", x.codes())
		}
		if x := status("untrue", "MATCHED"); !slices.Equal(x.codes(), []string{"UNTRUE_COMMITMENT"}) {
			t.Errorf("untrue: %v", x.codes())
		} else if reason, ev, _ := x.flag("UNTRUE_COMMITMENT"); !slices.Equal(ev, []string{"CN-UNTRUE-1"}) || !strings.Contains(reason, "2025-04-01") {
			t.Errorf("untrue: %q %v", reason, ev)
		}
		if x := status("removed-abnormal", "MATCHED"); !slices.Equal(x.codes(), []string{"PENALTY_IN_DISCLOSURE_PERIOD"}) {
			t.Errorf("removed-abnormal: a removed listing is no flag: %v", x.codes())
		}

		if x := status("name-prefix", "MATCHED"); x.Enterprise == nil || x.Enterprise.Uscc != "91350200MA2XYK003U" || x.Score == nil || *x.Score != 0.75 {
			t.Errorf("name-prefix: %+v", x)
		}
		if x := status("name-short", "INVALID"); x.Message == nil || !strings.Contains(*x.Message, "must have 2 to 50") {
			t.Errorf("name-short: %+v", x)
		}

		// A regulator sees every penalty on record; the flag still means
		// those disclosed today.
		var reg struct{ ScreenCounterparties []screened }
		h.query(t, screeningQuery, map[string]any{"in": in[:1]}, bearer(regulatorKey)...).data(t, &reg)
		if _, ev, _ := reg.ScreenCounterparties[0].flag("PENALTY_IN_DISCLOSURE_PERIOD"); !slices.Equal(ev, []string{"榕市监处罚〔2026〕101号", "榕市监处罚〔2023〕88号"}) {
			t.Errorf("REGULATOR code-food penalty evidence %v", ev)
		}

		// Priced per input: 12 inputs cost at least 12 points.
		var ext struct {
			Extensions struct {
				Cost struct{ RequestedQueryCost, ActualQueryCost int }
			}
		}
		_ = json.Unmarshal(r.raw, &ext)
		if c := ext.Extensions.Cost; c.RequestedQueryCost < len(in) || c.ActualQueryCost < len(in) {
			t.Errorf("cost %+v for %d inputs: the per-input price is neither requested nor kept", c, len(in))
		}
	})
}

func TestScreenCounterpartiesRequests(t *testing.T) {
	h := newHarness(t, memoryStore())
	one := []map[string]any{{"ref": "a", "uscc": "91350100MA2XYK001G"}}
	t.Run("contract alias queries", func(t *testing.T) {
		r := h.query(t, `query($q: [ScreeningQuery!]) { screenCounterparties(queries: $q) { ref status } }`, map[string]any{"q": one}, bearer(partnerKey)...)
		var out struct{ ScreenCounterparties []screened }
		r.data(t, &out)
		if len(out.ScreenCounterparties) != 1 || out.ScreenCounterparties[0].Status != "MATCHED" {
			t.Errorf("%s", r.raw)
		}
	})
	for _, c := range []struct {
		name, q string
		vars    map[string]any
		code    string
		msg     string
		key     []string
	}{
		{"both lists", `query($q: [ScreeningQuery!], $in: [ScreeningInput!]) { screenCounterparties(inputs: $in, queries: $q) { ref } }`,
			map[string]any{"q": one, "in": one}, "BAD_USER_INPUT", "not both", bearer(partnerKey)},
		{"no list", `{ screenCounterparties { ref } }`, nil, "BAD_USER_INPUT", "give the counterparties", bearer(partnerKey)},
		{"101 inputs", screeningQuery, map[string]any{"in": manyInputs(101)}, "BAD_USER_INPUT", "at most 100 inputs per call; got 101", bearer(partnerKey)},
		{"PUBLIC", screeningQuery, map[string]any{"in": one}, "GRAPHQL_VALIDATION_FAILED", `Cannot query field \"screenCounterparties\"`, bearer(publicKey)},
		{"anonymous", screeningQuery, map[string]any{"in": one}, "GRAPHQL_VALIDATION_FAILED", `Cannot query field \"screenCounterparties\"`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.query(t, c.q, c.vars, c.key...)
			if r.code() != c.code || !strings.Contains(string(r.raw), c.msg) {
				t.Errorf("%d %s; want %s with %q", r.status, r.raw, c.code, c.msg)
			}
		})
	}
	t.Run("100 inputs", func(t *testing.T) {
		r := h.query(t, screeningQuery, map[string]any{"in": manyInputs(100)}, bearer(partnerKey)...)
		var out struct{ ScreenCounterparties []screened }
		r.data(t, &out)
		if len(out.ScreenCounterparties) != 100 {
			t.Errorf("%d results", len(out.ScreenCounterparties))
		}
	})
}

func manyInputs(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"ref": fmt.Sprint(i), "uscc": "91350100MA2XYK001G"}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
