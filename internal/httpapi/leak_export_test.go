package httpapi

// The leak suite, bulk export: every dataset in every format, downloaded
// by every tier that may, on both stores, must hold no canary above the
// caller's tier — no private field, no expired, withdrawn, repaired or
// unpublished record, no repair and no serious-list removal reason —
// and the redaction corpus must come out of every free-text field exactly
// as GraphQL shows it.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/credit/redactiontest"
	"github.com/creditgraph/creditgraph/internal/export"
	"github.com/creditgraph/creditgraph/internal/store"
)

type exportCaller struct {
	name string
	key  []string
	tier credit.Tier
}

var exportCallers = []exportCaller{
	{"anonymous", nil, credit.TierPublic},
	{"PUBLIC key", bearer(publicKey), credit.TierPublic},
	{"PARTNER", bearer(partnerKey), credit.TierPartner},
	{"REGULATOR", bearer(regulatorKey), credit.TierRegulator},
}

// exportFiles lists every file a tier may download.
func exportFiles(tier credit.Tier) []string {
	var out []string
	for _, d := range store.Datasets {
		if tier < export.MinTier(d) {
			continue
		}
		for _, f := range export.Formats(d) {
			out = append(out, string(d)+"."+string(f))
		}
	}
	return out
}

func TestLeakExport(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		for _, c := range exportCallers {
			t.Run(c.name, func(t *testing.T) {
				var all []byte
				for _, file := range exportFiles(c.tier) {
					e := h.export(t, file, c.key...)
					if e.status != http.StatusOK {
						t.Fatalf("%s: %d %s", file, e.status, e.body)
					}
					all = append(all, e.body...)
					for _, p := range canaries {
						if p.see > c.tier && bytes.Contains(e.body, []byte(p.value)) {
							t.Errorf("%s as %s: canary %s (%s, %s) leaked", file, c.name, p.value, p.record, p.who())
						}
					}
					// The risk category is PARTNER's and up (enterprise lines'
					// risk_categories): never in a PUBLIC file.
					if hasRisk := bytes.Contains(e.body, []byte(`"risk_categories"`)); c.tier == credit.TierPublic && hasRisk {
						t.Errorf("%s as %s holds risk_categories", file, c.name)
					} else if c.tier == credit.TierPartner && strings.HasSuffix(file, ".ndjson") && bytes.Contains(e.body, []byte(`"kind":"enterprise"`)) && !hasRisk {
						t.Errorf("%s as %s: enterprise lines without risk_categories", file, c.name)
					}
					if c.tier < credit.TierRegulator {
						// The fact of a repair, a withdrawal or a serious-list
						// removal is REGULATOR-only, whatever its text.
						for _, s := range []string{`"credit_repair"`, `"serious_removal"`, `"revoked"`, `"repaired_on"`,
							`"legal_representative_id_number"`, `"phone"`} {
							if bytes.Contains(e.body, []byte(s)) {
								t.Errorf("%s as %s holds %s", file, c.name, s)
							}
						}
					}
				}
				// Not vacuous: the tier sees what it may see.
				for _, p := range canaries {
					switch {
					case c.tier == credit.TierRegulator && p.see <= credit.TierRegulator,
						c.tier == credit.TierPartner && p.see == credit.TierPublic:
						if !bytes.Contains(all, []byte(p.value)) {
							t.Errorf("%s's exports lack %s (%s, %s)", c.name, p.value, p.record, p.field)
						}
					}
				}
			})
		}
		checkLogsForCanaries(t, h)
	})
}

// The redaction corpus through bulk export, on both stores: every free-text
// field of every record kind in every dataset shows PUBLIC and PARTNER the
// redacted text and REGULATOR the original, as GraphQL does.
func TestRedactionCorpusOverExport(t *testing.T) {
	cases := usableCases(t)
	body, byUSCC := corpusRecords(t, cases)
	texts := map[string][]string{
		"enterprise": {"address", "business_scope"}, "license": {"content"},
		"penalty": {"violation_type", "facts", "basis", "content"}, "inspection": {"items", "product"},
		"abnormal_listing": {"reason"}, "abnormal_removal": {"reason"}, "commitment": {"content"},
		"typical_case": {"title", "summary"},
	}
	backends(t, func(t *testing.T, h *harness) {
		if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK || !strings.Contains(string(r.raw), `"rejected":0`) {
			t.Fatalf("ingest: %d %s", r.status, leakClip(r.raw))
		}
		for _, c := range exportCallers[1:] {
			t.Run(c.name, func(t *testing.T) {
				want := func(k redactiontest.Case) string {
					if c.tier < credit.TierRegulator {
						return k.Want
					}
					return k.In
				}
				seen := map[string]int{}
				for _, file := range exportFiles(c.tier) {
					if !strings.HasSuffix(file, ".ndjson") {
						continue
					}
					e := h.export(t, file, c.key...)
					owner := "" // the enterprise of the lines that follow its own
					for _, line := range bytes.Split(bytes.TrimSpace(e.body), []byte("\n")) {
						var rec map[string]any
						if err := json.Unmarshal(line, &rec); err != nil {
							t.Fatalf("%s: %v", file, err)
						}
						kind, _ := rec["kind"].(string)
						if u, ok := rec["uscc"].(string); ok {
							owner = u
						}
						k, ok := byUSCC[owner]
						if !ok {
							continue
						}
						seen[kind]++
						for _, f := range texts[kind] {
							if got := rec[f]; got != want(k) {
								t.Errorf("%s %s.%s (%s)\n got %q\nwant %q", file, kind, f, k.Note, got, want(k))
							}
						}
					}
				}
				for kind := range texts {
					profileOnly := kind == "license" || kind == "inspection" || kind == "commitment"
					if profileOnly && c.tier < export.MinTier(store.DatasetEnterprises) {
						continue // only in the enterprises' profiles
					}
					if seen[kind] < len(cases) {
						t.Errorf("%d %s lines of the corpus exported, want at least %d", seen[kind], kind, len(cases))
					}
				}
			})
		}
	})
}
