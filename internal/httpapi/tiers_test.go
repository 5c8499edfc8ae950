package httpapi

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/credit"
)

var update = flag.Bool("update", false, "rewrite golden files")

const introspectionQuery = `{ __schema { types { name kind
  fields(includeDeprecated: true) { name args(includeDeprecated: true) { name } }
  inputFields(includeDeprecated: true) { name } enumValues(includeDeprecated: true) { name } } } }`

// schemaLines reduces an introspection answer to sorted "Type.field" lines.
func schemaLines(t *testing.T, r response) []string {
	var out struct {
		Schema struct {
			Types []struct {
				Name, Kind  string
				Fields      []struct{ Name string }
				InputFields []struct{ Name string }
				EnumValues  []struct{ Name string }
			}
		} `json:"__schema"`
	}
	r.data(t, &out)
	var lines []string
	for _, ty := range out.Schema.Types {
		if strings.HasPrefix(ty.Name, "__") {
			continue
		}
		lines = append(lines, ty.Kind+" "+ty.Name)
		for _, f := range ty.Fields {
			lines = append(lines, ty.Name+"."+f.Name)
		}
		for _, f := range ty.InputFields {
			lines = append(lines, ty.Name+"."+f.Name)
		}
		for _, v := range ty.EnumValues {
			lines = append(lines, ty.Name+"::"+v.Name)
		}
	}
	slices.Sort(lines)
	return lines
}

func golden(t *testing.T, name string, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/httpapi -run %s -update)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; if intended, rerun with -update.\ngot:\n%s", path, got)
	}
}

// TestIntrospectionPerTier: each tier's introspection is its golden file,
// and the tiers differ exactly by the fields marked @disclosure above them.
func TestIntrospectionPerTier(t *testing.T) {
	h := newHarness(t, memoryStore())
	keys := map[credit.Tier][]string{credit.TierPublic: nil, credit.TierPartner: bearer(partnerKey), credit.TierRegulator: bearer(regulatorKey)}
	seen := map[credit.Tier][]string{}
	for _, tier := range credit.Tiers {
		lines := schemaLines(t, h.query(t, introspectionQuery, nil, keys[tier]...))
		seen[tier] = lines
		golden(t, "introspection."+tier.String()+".golden", strings.Join(lines, "\n")+"\n")
	}
	full := graph.NewExecutableSchema(graph.Config{}).Schema()
	for _, tier := range credit.Tiers {
		for _, def := range full.Types {
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue // meta fields are never listed by introspection
				}
				line := def.Name + "." + f.Name
				has := slices.Contains(seen[tier], line)
				typeShown := slices.Contains(seen[tier], string(def.Kind)+" "+def.Name)
				if want := graph.FieldTier(f) <= tier && typeShown; has != want {
					t.Errorf("%s introspection: %s present=%v, want %v (field tier %s)", tier, line, has, want, graph.FieldTier(f))
				}
			}
		}
	}
	if slices.Equal(seen[credit.TierPublic], seen[credit.TierRegulator]) {
		t.Fatal("PUBLIC and REGULATOR schemas are identical: tiering is off")
	}
}

func TestFieldAboveTierIsUnknown(t *testing.T) {
	h := newHarness(t, memoryStore())
	q := fmt.Sprintf(`{ enterprise(uscc: %q) { phone legalRepresentativeIdNumber } }`, foodCo)
	for name, key := range map[string][]string{"anonymous": nil, "public key": bearer(publicKey), "partner": bearer(partnerKey)} {
		t.Run(name, func(t *testing.T) {
			r := h.query(t, q, nil, key...)
			if r.code() != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(r.Errors[0].Message, `Cannot query field "phone" on type "Enterprise"`) {
				t.Errorf("got %s", r.raw)
			}
			if strings.Contains(string(r.raw), "13800000001") {
				t.Errorf("phone leaked: %s", r.raw)
			}
		})
	}
	t.Run("regulator", func(t *testing.T) {
		var out struct {
			Enterprise struct{ Phone, LegalRepresentativeIdNumber string }
		}
		h.query(t, q, nil, bearer(regulatorKey)...).data(t, &out)
		if out.Enterprise.Phone != "13800000001" || out.Enterprise.LegalRepresentativeIdNumber != "350102198001011234" {
			t.Errorf("regulator got %+v", out.Enterprise)
		}
	})
}

// TestExecutionIsTheSecondWall runs the REGULATOR schema for a PUBLIC caller:
// even if validation were bypassed, execution refuses tiered fields.
func TestExecutionIsTheSecondWall(t *testing.T) {
	h := newHarness(t, memoryStore())
	d := Deps{Store: h.st, Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: h.clock.Now, Log: discardLog()}
	srv := gqlServer(d, graph.TierSchemas()[credit.TierRegulator])
	r := serveDirect(t, srv, fmt.Sprintf(`{ enterprise(uscc: %q) { name phone } }`, foodCo), d)
	if len(r.Errors) == 0 || r.code() != "FORBIDDEN" || strings.Contains(string(r.raw), "13800000001") {
		t.Errorf("got %s", r.raw)
	}
}

func TestRegulatorSeesEveryStateAndOriginals(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		q := fmt.Sprintf(`{ enterprise(uscc: %q) { penalties { totalCount nodes { decisionNumber facts revoked repairedOn disclosureState { state endsOn changesOn } } } } }`, foodCo)
		var out struct {
			Enterprise struct {
				Penalties struct {
					TotalCount int
					Nodes      []struct {
						DecisionNumber  string
						Facts           *string
						DisclosureState struct{ State string }
					}
				}
			}
		}
		h.query(t, q, nil, bearer(regulatorKey)...).data(t, &out)
		states := map[string]string{}
		for _, n := range out.Enterprise.Penalties.Nodes {
			states[n.DecisionNumber] = n.DisclosureState.State
		}
		want := map[string]string{
			"榕市监处罚〔2026〕101号": "DISCLOSED", "榕市监处罚〔2023〕88号": "DISCLOSED", "榕市监简罚〔2025〕7号": "NOT_DISCLOSED",
			"榕市监处罚〔2025〕15号": "WITHDRAWN", "榕市监处罚〔2022〕30号": "EXPIRED",
		}
		if fmt.Sprint(states) != fmt.Sprint(want) {
			t.Errorf("states = %v, want %v", states, want)
		}
		if !strings.Contains(string(h.query(t, q, nil, bearer(regulatorKey)...).raw), "13912345678") {
			t.Error("REGULATOR must see free text unredacted")
		}
		pub := h.query(t, fmt.Sprintf(`{ enterprise(uscc: %q) { penalties { nodes { facts } } } }`, foodCo), nil)
		if strings.Contains(string(pub.raw), "13912345678") || !strings.Contains(string(pub.raw), "[已脱敏]") {
			t.Errorf("PUBLIC facts not redacted: %s", pub.raw)
		}
	})
}

func TestViewerAndKeys(t *testing.T) {
	h := newHarness(t, memoryStore())
	tests := []struct {
		name, key, tier, keyName string
	}{
		{"anonymous", "", "PUBLIC", ""},
		{"public key", publicKey, "PUBLIC", "media-app"},
		{"partner", partnerKey, "PARTNER", "acme-bank"},
		{"regulator", regulatorKey, "REGULATOR", "fj-amr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.key != "" {
				hdr = bearer(tt.key)
			}
			var v struct {
				Viewer struct {
					Tier    string
					KeyName *string
				}
			}
			h.query(t, `{ viewer { tier keyName } }`, nil, hdr...).data(t, &v)
			got := ""
			if v.Viewer.KeyName != nil {
				got = *v.Viewer.KeyName
			}
			if v.Viewer.Tier != tt.tier || got != tt.keyName {
				t.Errorf("viewer = %s/%q, want %s/%q", v.Viewer.Tier, got, tt.tier, tt.keyName)
			}
		})
	}
	for name, hdr := range map[string]string{
		"unknown key":   "Bearer cg_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"malformed key": "Bearer hunter2",
		"basic auth":    "Basic dXNlcjpwYXNz",
		"empty bearer":  "Bearer ",
	} {
		t.Run(name, func(t *testing.T) {
			r := h.query(t, `{ viewer { tier } }`, nil, "Authorization", hdr)
			if r.status != 401 || r.code() != "UNAUTHENTICATED" || r.Data != nil {
				t.Errorf("got %d %s", r.status, r.raw)
			}
		})
	}
}

func TestAuditLog(t *testing.T) {
	h := newHarness(t, memoryStore())
	h.query(t, fmt.Sprintf(`query Lookup { enterprise(uscc: %q) { name phone } }`, foodCo), nil, bearer(regulatorKey)...).data(t, &json.RawMessage{})
	h.query(t, fmt.Sprintf(`{ enterprise(uscc: %q) { name } }`, liftCo), nil, bearer(regulatorKey)...).data(t, &json.RawMessage{})
	var out struct {
		AuditLog struct {
			Nodes []struct {
				KeyName, Operation  string
				Fields, Enterprises []string
			}
		}
	}
	h.query(t, `{ auditLog(first: 10) { nodes { at keyName operation fields enterprises } } }`, nil, bearer(regulatorKey)...).data(t, &out)
	n := out.AuditLog.Nodes
	if len(n) != 1 || n[0].KeyName != "fj-amr" || n[0].Operation != "query Lookup" ||
		!slices.Equal(n[0].Fields, []string{"Enterprise.phone"}) || !slices.Equal(n[0].Enterprises, []string{foodCo}) {
		t.Errorf("audit log = %+v, want one entry for the phone read only", n)
	}
	if r := h.query(t, `{ auditLog { nodes { keyName } } }`, nil, bearer(partnerKey)...); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("partner reading the audit log: %s", r.raw)
	}
}

func TestRiskCategoryTiers(t *testing.T) {
	h := newHarness(t, memoryStore())
	q := fmt.Sprintf(`{ enterprise(uscc: %q) { riskCategory } }`, liftCo)
	if r := h.query(t, q, nil); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("PUBLIC asked for riskCategory: %s", r.raw)
	}
	var out struct{ Enterprise struct{ RiskCategory string } }
	h.query(t, q, nil, bearer(partnerKey)...).data(t, &out)
	if out.Enterprise.RiskCategory != "D" {
		t.Errorf("an enterprise on the serious list is category %q, want D", out.Enterprise.RiskCategory)
	}
	if r := h.query(t, fmt.Sprintf(`{ enterprise(uscc: %q) { riskAssessment { score } } }`, liftCo), nil, bearer(partnerKey)...); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("PARTNER asked for riskAssessment: %s", r.raw)
	}
	var full struct {
		Enterprise struct {
			RiskAssessment struct {
				Category, Model string
				Score           float64
				Factors         []struct{ Code string }
			}
		}
	}
	h.query(t, fmt.Sprintf(`{ enterprise(uscc: %q) { riskAssessment { category model score factors { code evidence } } } }`, liftCo), nil, bearer(regulatorKey)...).data(t, &full)
	if a := full.Enterprise.RiskAssessment; a.Category != "D" || len(a.Factors) == 0 || a.Model == "" {
		t.Errorf("assessment = %+v", a)
	}
}
