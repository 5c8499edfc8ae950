package httpapi

// The leak suite, bulk export: every dataset in every format, downloaded
// by every tier that may, on both stores, must hold no canary above the
// caller's tier — no private field, no expired, withdrawn, repaired or
// unpublished record, no repair and no serious-list removal reason —
// and the redaction corpus must come out of every free-text field exactly
// as GraphQL shows it.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

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

// riskRefresher is the PostgreSQL store's refresh of its change feed's
// risk categories, which serve runs at start.
type riskRefresher interface {
	RefreshRiskCategories(ctx context.Context, now time.Time, chunk int, progress func(done int)) error
}

// refreshRisk runs what serve runs at start on the store behind h, if it
// has it, and reports whether it did: afterwards a PostgreSQL snapshot
// holds every enterprise's risk schedule from the change feed
// (store.RiskChecker), and a PARTNER export writes those instead of
// deriving them from whole records.
func refreshRisk(t *testing.T, h *harness) bool {
	t.Helper()
	var st store.Store = h.st
	for st != nil {
		if r, ok := st.(riskRefresher); ok {
			if err := r.RefreshRiskCategories(context.Background(), h.clock.Now(), 0, nil); err != nil {
				t.Fatal(err)
			}
			return true
		}
		u, ok := st.(interface{ Unwrap() store.Store })
		if !ok {
			return false
		}
		st = u.Unwrap()
	}
	return false
}

func TestLeakExport(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		// Three passes: on the fixture's day, every check; then on the
		// change feed's own day (the canaries were imported today), where a
		// PostgreSQL snapshot can hold the feed's risk schedules: first as
		// loaded, where a PARTNER export derives each from the whole record,
		// then once the refresh serve runs at start has marked the feed's
		// categories current, where it reads them from the feed. The last
		// two must give the same files. (The canary table is the fixture
		// day's: by today some of its hidden records are public, so on
		// today's passes only the checks that hold on every day run.)
		today := time.Now().UTC().Format(time.DateOnly)
		files := map[string][]byte{} // caller and file → body, on the second pass
		for pass, refreshed := range []bool{false, false, true} {
			if pass == 1 {
				h.clock.Set(today)
			}
			if refreshed && !refreshRisk(t, h) {
				break
			}
			for _, c := range exportCallers {
				name := c.name
				switch {
				case refreshed:
					name += ", today, schedules from the feed"
				case pass == 1:
					name += ", today"
				}
				t.Run(name, func(t *testing.T) {
					var all []byte
					for _, file := range exportFiles(c.tier) {
						e := h.export(t, file, c.key...)
						if e.status != http.StatusOK {
							t.Fatalf("%s: %d %s", file, e.status, e.body)
						}
						if before, ok := files[c.name+" "+file]; refreshed && (!ok || !bytes.Equal(before, e.body)) {
							t.Errorf("%s as %s: the file changed when the risk schedules came from the feed\nbefore %s\nafter  %s",
								file, c.name, leakClip(before), leakClip(e.body))
						} else if pass == 1 {
							files[c.name+" "+file] = e.body
						}
						all = append(all, e.body...)
						checkExportFile(t, c, file, e.body, pass == 0)
					}
					if pass > 0 {
						return
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
		}
		checkLogsForCanaries(t, h)
	})
}

// checkExportFile checks one exported file for what c's tier may not see;
// the canaries, whose table holds on the fixture's day, when onFixtureDay.
func checkExportFile(t *testing.T, c exportCaller, file string, body []byte, onFixtureDay bool) {
	t.Helper()
	for _, p := range canaries {
		if onFixtureDay && p.see > c.tier && bytes.Contains(body, []byte(p.value)) {
			t.Errorf("%s as %s: canary %s (%s, %s) leaked", file, c.name, p.value, p.record, p.who())
		}
	}
	// The risk category is PARTNER's and up (enterprise lines'
	// risk_categories): never in a PUBLIC file.
	if hasRisk := bytes.Contains(body, []byte(`"risk_categories"`)); c.tier == credit.TierPublic && hasRisk {
		t.Errorf("%s as %s holds risk_categories", file, c.name)
	} else if c.tier == credit.TierPartner && strings.HasSuffix(file, ".ndjson") && bytes.Contains(body, []byte(`"kind":"enterprise"`)) && !hasRisk {
		t.Errorf("%s as %s: enterprise lines without risk_categories", file, c.name)
	}
	if c.tier < credit.TierRegulator {
		// The fact of a repair, a withdrawal or a serious-list
		// removal is REGULATOR-only, whatever its text.
		for _, s := range []string{`"credit_repair"`, `"serious_removal"`, `"revoked"`, `"repaired_on"`,
			`"legal_representative_id_number"`, `"phone"`} {
			if bytes.Contains(body, []byte(s)) {
				t.Errorf("%s as %s holds %s", file, c.name, s)
			}
		}
	}
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
