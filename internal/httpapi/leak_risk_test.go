package httpapi

import (
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestLeakRiskCategoryFeed: the risk category is PARTNER tier and up
// (disclosure-rules.md; @disclosure on riskCategory), and so are its
// change-feed events. PUBLIC, keyed or anonymous, can neither read the
// feed nor name the record type; PARTNER gets one RISK_CATEGORY event per
// enterprise whose record is the letter Enterprise.riskCategory shows and
// nothing else of the assessment (score, model and factors are
// REGULATOR's).
func TestLeakRiskCategoryFeed(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		h.clock.Set(time.Now().UTC().Format(time.DateOnly)) // the canaries are written on the real date
		for _, c := range []struct {
			name    string
			headers []string
		}{{"PUBLIC key", bearer(publicKey)}, {"anonymous", nil}} {
			for _, q := range []string{
				`{ changes { nodes { recordType record { __typename } } } }`,
				`{ changes(filter: {recordTypes: [RISK_CATEGORY]}) { nodes { recordId } } }`,
			} {
				if r := h.query(t, q, nil, c.headers...); len(r.Errors) == 0 || r.Data != nil && string(r.Data) != "null" {
					t.Errorf("%s: %s answered: %s", c.name, q, r.raw)
				}
			}
			var intro struct{ Type *struct{ Name string } }
			h.query(t, `{ type: __type(name: "RiskCategoryRecord") { name } }`, nil, c.headers...).data(t, &intro)
			if intro.Type != nil {
				t.Errorf("%s: the schema holds RiskCategoryRecord", c.name)
			}
		}
		for _, c := range []struct {
			tier credit.Tier
			key  string
		}{{credit.TierPartner, partnerKey}, {credit.TierRegulator, regulatorKey}} {
			var intro struct {
				Type struct{ Fields []struct{ Name string } }
			}
			h.query(t, `{ type: __type(name: "RiskCategoryRecord") { fields { name } } }`, nil, bearer(c.key)...).data(t, &intro)
			var fields []string
			for _, f := range intro.Type.Fields {
				fields = append(fields, f.Name)
			}
			if slices.Sort(fields); !slices.Equal(fields, []string{"asOf", "category", "uscc"}) {
				t.Errorf("%s: RiskCategoryRecord has %v, want the letter only (asOf, category, uscc)", c.tier, fields)
			}
			var feed struct {
				Changes struct {
					Nodes []struct {
						RecordID string
						Kind     string
						Record   *struct{ Uscc, Category string }
					}
				}
			}
			h.query(t, `query($u: [ID!]) { changes(first: 100, filter: {recordTypes: [RISK_CATEGORY], usccs: $u}) { nodes { recordId kind record { ... on RiskCategoryRecord { uscc category } } } } }`,
				map[string]any{"u": canaryEnterprises}, bearer(c.key)...).data(t, &feed)
			seen := map[string]string{}
			for _, n := range feed.Changes.Nodes {
				if n.Record != nil {
					seen[n.RecordID] = n.Record.Category
				}
			}
			for _, u := range canaryEnterprises {
				var e struct{ Enterprise struct{ RiskCategory string } }
				h.query(t, `query($u: ID!) { enterprise(uscc: $u) { riskCategory } }`, map[string]any{"u": u}, bearer(c.key)...).data(t, &e)
				if got, ok := seen[u]; !ok || got != e.Enterprise.RiskCategory {
					t.Errorf("%s: the feed's risk category of %s is %q (present: %v), the profile's %q", c.tier, u, got, ok, e.Enterprise.RiskCategory)
				}
			}
		}
	})
}
