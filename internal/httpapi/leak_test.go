package httpapi

// The leak suite. testdata/canary.ndjson plants unique values (canaries)
// in every private field, personal data in the free text of every record
// kind the public tiers see, and records in every non-public state, each
// carrying a canary in every text field. The suite derives its queries from
// each tier's own schema, fetched by introspection, so a new field is
// queried without anyone remembering; runs them as PUBLIC (anonymous and
// with a key), PARTNER and REGULATOR on every backend; and fails when a
// canary reaches a response body (data, errors, extensions, cursors) or a
// log line of a tier that may not see it. REGULATOR must see every canary
// at the field the table names, and the public tiers every public one, so
// the suite cannot pass by querying nothing.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/graph"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/vektah/gqlparser/v2/ast"
)

const canaryFixture = "testdata/canary.ndjson"

// The canary enterprises: CA, a company with a public record of every kind
// and penalties in every non-public state; CB, a company with listings in
// every state; CC, an individual business (lower-amount fine below
// ¥10,000); CD, a company whose every listing is non-public, so list
// filters must not name it.
const (
	canaryCA = "91350102MACANARY18"
	canaryCB = "91350203MACANARY2Y"
	canaryCC = "92350102MACANARY3B"
	canaryCD = "91350583MACANARY4G"
)

var canaryEnterprises = []string{canaryCA, canaryCB, canaryCC, canaryCD}

// tierNone marks a value the store keeps but no field of the schema shows,
// to any tier.
const tierNone = credit.TierRegulator + 1

// plant is one canary: a unique value in canary.ndjson.
type plant struct {
	value  string
	field  string      // Type.field where those who may see it must find it
	record string      // the record (and its state) that carries it
	see    credit.Tier // the least tier that may see it
}

func (p *plant) who() string {
	switch p.see {
	case credit.TierPublic:
		return "public"
	case tierNone:
		return "shown to no tier"
	}
	return p.see.String() + " and up only"
}

// canaries is every value planted in canary.ndjson and who may see it.
var canaries = buildCanaries()

// wantStates is the disclosure state REGULATOR must see for each non-public
// penalty and listing, by its decision number: it proves the fixture plants
// the state its record name says (a change of rule that made one public
// would otherwise show up as a puzzling leak).
var wantStates = map[string]string{}

func buildCanaries() []*plant {
	var out []*plant
	add := func(see credit.Tier, record, field string, values ...string) {
		for _, v := range values {
			out = append(out, &plant{value: v, field: field, record: record, see: see})
		}
	}
	pub, reg := credit.TierPublic, credit.TierRegulator

	// Private fields: REGULATOR only, whatever the record's state.
	for _, e := range []struct{ name, idType, idNumber, phone string }{
		{"enterprise CA", "CANARY-CA-ID-TYPE", "11010519491231002X", "13512340101"},
		{"enterprise CB", "CANARY-CB-ID-TYPE", "440301197707077788", "0592-5556666"},
		{"enterprise CC", "CANARY-CC-ID-TYPE", "350102198805056677", "0591-83330202"},
		{"enterprise CD", "CANARY-CD-ID-TYPE", "510104198512120013", "15822220303"},
	} {
		add(reg, e.name, "Enterprise.legalRepresentativeIdType", e.idType)
		add(reg, e.name, "Enterprise.legalRepresentativeIdNumber", e.idNumber)
		add(reg, e.name, "Enterprise.phone", e.phone)
	}

	// Public free text: the PUBTOK marker is public (it proves the public
	// tiers read the field); the personal data beside it is REGULATOR only.
	for _, f := range []struct{ record, field, public, personal string }{
		{"enterprise CA", "Enterprise.address", "PUBTOK-CA-ADDRESS", "13611112222"},
		{"enterprise CA", "Enterprise.businessScope", "PUBTOK-CA-SCOPE", "scope.canary.ca@example.cn"},
		{"licence of CA", "License.content", "PUBTOK-LICENSE-CONTENT", "6228480123456789"},
		{"penalty of CA, disclosed", "Penalty.facts", "PUBTOK-PENALTY-FACTS", "350203199106158812"},
		{"penalty of CA, disclosed", "Penalty.content", "PUBTOK-PENALTY-CONTENT", "4539771234567897"},
		{"penalty of CA, disclosed", "Penalty.violationType", "PUBTOK-PENALTY-VIOLATION", "13700001111"},
		{"penalty of CA, disclosed", "Penalty.basis", "PUBTOK-PENALTY-BASIS", "basis.canary@example.cn"},
		{"inspection of CA", "Inspection.product", "PUBTOK-INSPECTION-PRODUCT", "13800002222"},
		{"typical case on CA", "TypicalCase.title", "PUBTOK-CASE-TITLE", "13600003333"},
		{"inspection of CA", "Inspection.items", "PUBTOK-INSPECTION-ITEMS", "0591-87651234"},
		{"commitment of CA", "Commitment.content", "PUBTOK-COMMITMENT-CONTENT", "promise.canary@example.com"},
		{"typical case on CA", "TypicalCase.summary", "PUBTOK-CASE-SUMMARY", "13922223333"},
		{"enterprise CB", "Enterprise.address", "PUBTOK-CB-ADDRESS", "6217001234567890122"},
		{"enterprise CB", "Enterprise.businessScope", "PUBTOK-CB-SCOPE", "(0592)6543210"},
		{"abnormal listing of CB, removed", "Listing.reason", "PUBTOK-ABNORMAL-REASON", "0592-51234567"},
		{"abnormal listing of CB, removed", "Removal.reason", "PUBTOK-ABNORMAL-REMOVAL-REASON", "removal.canary@example.org"},
		{"serious listing of CB, disclosed", "Listing.reason", "PUBTOK-SERIOUS-GROUND", "350102880505123"},
		{"enterprise CC", "Enterprise.address", "PUBTOK-CC-ADDRESS", "shop.owner.cc@example.net"},
		{"penalty of CC, disclosed", "Penalty.facts", "PUBTOK-INDIVIDUAL-PENALTY-FACTS", "18912345678"},
		{"commitment of CC, untrue", "Commitment.content", "PUBTOK-UNTRUE-COMMITMENT-CONTENT", "350583197203034411"},
	} {
		add(pub, f.record, f.field, f.public)
		add(reg, f.record, f.field, f.personal)
	}
	add(pub, "penalty of CC, disclosed", "Penalty.content", "PUBTOK-INDIVIDUAL-PENALTY-CONTENT")
	add(pub, "abnormal listing of CB, removed", "Removal.authority", "PUBTOK-ABNORMAL-REMOVAL-AUTHORITY")
	add(pub, "abnormal listing of CB, repaired", "Listing.reason", "PUBTOK-ABNORMAL-REPAIRED-REASON")
	// Curing the failing removes an abnormal listing: the removal, made by
	// the repairing authority, is public (without saying it was a repair).
	add(pub, "abnormal listing of CB, repaired", "Removal.authority", "PUBTOK-ABNORMAL-REPAIR-AUTHORITY")
	add(pub, "abnormal listing of CB, removal after today", "Listing.reason", "PUBTOK-ABNORMAL-FUTURE-REMOVAL-REASON")
	add(pub, "serious listing of CB, revocation after today", "Listing.reason", "PUBTOK-SERIOUS-FUTURE-REVOCATION-GROUND")

	// Records in every non-public state: a canary in every text field.
	penalty := func(tag, state, record string) {
		wantStates["CANARY-"+tag+"-PENALTY-DECNO"] = state
		for field, part := range map[string]string{"decisionNumber": "DECNO", "violationType": "VIOLATION",
			"facts": "FACTS", "basis": "BASIS", "content": "CONTENT", "authority": "AUTHORITY"} {
			add(reg, record, "Penalty."+field, "CANARY-"+tag+"-PENALTY-"+part)
		}
	}
	penalty("EXPIRED", "EXPIRED", "penalty of CA, expired (3-year period ended 2025-02-28)")
	penalty("SHORT-EXPIRED", "EXPIRED", "penalty of CA, expired (company's ¥50,000 fine: 3 months, ended 2026-04-04)")
	penalty("WITHDRAWN", "WITHDRAWN", "penalty of CA, withdrawn (revoked decision)")
	penalty("SIMPLE", "NOT_DISCLOSED", "penalty of CA, simple procedure")
	penalty("WARNING", "NOT_DISCLOSED", "penalty of CA, warning only")
	penalty("REPAIRED", "REPAIRED", "penalty of CA, repaired on 2025-08-01")
	penalty("UNPUBLISHED", "NOT_DISCLOSED", "penalty of CA, published after today (2026-06-30)")
	penalty("INDIVIDUAL-EXPIRED", "EXPIRED", "penalty of CC, expired (individual's ¥9,000 fine: 3 months, ended 2026-04-30)")
	serious := func(tag, state, record string) {
		wantStates["CANARY-"+tag+"-SERIOUS-DECNO"] = state
		for field, part := range map[string]string{"decisionNumber": "DECNO", "reason": "GROUND",
			"authority": "AUTHORITY", "penaltyDecisionNumber": "PENALTY-DECNO"} {
			add(reg, record, "Listing."+field, "CANARY-"+tag+"-SERIOUS-"+part)
		}
	}
	serious("EXPIRY-REMOVED", "EXPIRED", "serious listing of CB, removed as expired after 3 years")
	serious("REPAIRED", "REPAIRED", "serious listing of CB, repaired (credit_repair record)")
	serious("REPAIR-REMOVED", "REPAIRED", "serious listing of CB, removed by credit repair")
	serious("REVOKED", "WITHDRAWN", "serious listing of CB, removed as revoked")
	serious("EXPIRED", "EXPIRED", "serious listing of CD, expired (3 years, ended 2025-03-31)")
	serious("UNLISTED", "NOT_DISCLOSED", "serious listing of CD, listed after today (2026-07-01)")
	wantStates["CANARY-UNLISTED-ABNORMAL-DECNO"] = "NOT_DISCLOSED"
	add(reg, "removal of serious listing of CB, expired", "Removal.authority", "CANARY-EXPIRY-REMOVED-SERIOUS-REMOVAL-AUTHORITY")
	add(reg, "removal of serious listing of CB, by credit repair", "Removal.authority", "CANARY-REPAIR-REMOVED-SERIOUS-REMOVAL-AUTHORITY")
	add(reg, "removal of serious listing of CB, revoked", "Removal.authority", "CANARY-REVOKED-SERIOUS-REMOVAL-AUTHORITY")
	add(reg, "removal of serious listing of CB, revocation after today", "Removal.authority", "CANARY-FUTURE-REVOCATION-SERIOUS-REMOVAL-AUTHORITY")
	add(reg, "removal of abnormal listing of CB, after today", "Removal.reason", "CANARY-FUTURE-ABNORMAL-REMOVAL-REASON")
	add(reg, "removal of abnormal listing of CB, after today", "Removal.authority", "CANARY-FUTURE-ABNORMAL-REMOVAL-AUTHORITY")
	add(reg, "abnormal listing of CD, listed after today (2026-08-01)", "Listing.decisionNumber", "CANARY-UNLISTED-ABNORMAL-DECNO")
	add(reg, "abnormal listing of CD, listed after today (2026-08-01)", "Listing.reason", "CANARY-UNLISTED-ABNORMAL-REASON")
	add(reg, "abnormal listing of CD, listed after today (2026-08-01)", "Listing.authority", "CANARY-UNLISTED-ABNORMAL-AUTHORITY")
	add(reg, "typical case on CA, published after today (2026-09-01)", "TypicalCase.caseId", "CANARY-UNPUBLISHED-CASE-ID")
	add(reg, "typical case on CA, published after today (2026-09-01)", "TypicalCase.title", "CANARY-UNPUBLISHED-CASE-TITLE")
	add(reg, "typical case on CA, published after today (2026-09-01)", "TypicalCase.summary", "CANARY-UNPUBLISHED-CASE-SUMMARY")

	// Kept by the store, shown by no field: the authority of a penalty or
	// serious-list repair (that a repair happened is REGULATOR-only, and
	// REGULATOR sees only its date).
	add(tierNone, "credit repair of penalty REPAIRED", "", "CANARY-PENALTY-REPAIR-AUTHORITY")
	add(tierNone, "credit repair of serious listing REPAIRED", "", "CANARY-SERIOUS-REPAIR-AUTHORITY")
	sort.SliceStable(out, func(i, j int) bool { return out[i].record < out[j].record })
	return out
}

// hiddenRecordTypes says which type a non-public record is read as, by the
// start of its record name, and which of that type's text fields it has no
// value for.
var hiddenRecordTypes = map[string]struct {
	typ    string
	exempt []string
}{
	"penalty":          {"Penalty", nil},
	"serious listing":  {"Listing", nil},
	"abnormal listing": {"Listing", []string{"penaltyDecisionNumber"}}, // abnormal listings have none
	"typical case":     {"TypicalCase", []string{"regionCode"}},        // a validated 6-digit code
}

// loadCanaries imports canary.ndjson into the harness's store.
func loadCanaries(t *testing.T, h *harness) {
	t.Helper()
	f, err := os.Open(canaryFixture)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sum, err := (&ingest.Importer{Store: h.st}).Import(context.Background(), f)
	if err != nil || sum.Rejected != 0 {
		t.Fatalf("load %s: %v %+v", canaryFixture, err, sum)
	}
}

// TestLeakCanaryTable keeps the table and canary.ndjson honest: every value
// is planted, unique and caught where the rules say it must be, every
// personal datum in the file is in the table, and every field the schema
// marks @redacted or above PUBLIC, and every text field of a non-public
// record, carries a canary.
func TestLeakCanaryTable(t *testing.T) {
	raw, err := os.ReadFile(canaryFixture)
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/fixture.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]bool{}
	for _, p := range canaries {
		switch {
		case values[p.value]:
			t.Errorf("canary %q is in the table twice", p.value)
		case !bytes.Contains(raw, []byte(p.value)):
			t.Errorf("canary %q (%s) is not in %s", p.value, p.record, canaryFixture)
		case bytes.Contains(fixture, []byte(p.value)):
			t.Errorf("canary %q is also in fixture.ndjson: it would not be unique", p.value)
		}
		values[p.value] = true
		if strings.ContainsFunc(p.value, func(r rune) bool { return r > '~' || r < ' ' || strings.ContainsRune(`"\<>&`, r) }) {
			t.Errorf("canary %q: keep canaries to ASCII that JSON never escapes, so a raw body can be searched", p.value)
		}
		for _, o := range canaries {
			if o != p && strings.Contains(o.value, p.value) {
				t.Errorf("canary %q contains canary %q: a hit could not be told apart", o.value, p.value)
			}
		}
	}
	for _, tok := range regexp.MustCompile(`(CANARY|PUBTOK)-[A-Z0-9-]*[A-Z0-9]`).FindAll(raw, -1) {
		if !values[string(tok)] {
			t.Errorf("%s plants %s, which the canary table does not list", canaryFixture, tok)
		}
	}
	checkPersonalData(t, raw)
	checkSchemaCovered(t)
}

// checkPersonalData: Redact catches every planted personal datum where it
// stands, and the file holds no personal data the table does not list.
func checkPersonalData(t *testing.T, raw []byte) {
	for i, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatalf("%s:%d: %v", canaryFixture, i+1, err)
		}
		for key, v := range rec {
			s, ok := v.(string)
			if !ok {
				continue
			}
			rest := s
			for _, p := range canaries {
				if !strings.Contains(s, p.value) {
					continue
				}
				rest = strings.ReplaceAll(rest, p.value, " ")
				if isCanaryToken(p.value) {
					continue
				}
				if strings.Contains(credit.Redact(s), p.value) {
					t.Errorf("%s:%d %s: credit.Redact does not catch %q in %q: it proves nothing", canaryFixture, i+1, key, p.value, s)
				}
			}
			if credit.Redact(rest) != rest {
				t.Errorf("%s:%d %s: %q holds personal data the canary table does not list", canaryFixture, i+1, key, s)
			}
		}
	}
}

func isCanaryToken(v string) bool {
	return strings.HasPrefix(v, "CANARY-") || strings.HasPrefix(v, "PUBTOK-")
}

// checkSchemaCovered derives from the schema what must carry a canary.
func checkSchemaCovered(t *testing.T) {
	full := graph.NewExecutableSchema(graph.Config{}).Schema()
	has := func(field string, ok func(p *plant) bool) bool {
		return slices.ContainsFunc(canaries, func(p *plant) bool { return p.field == field && ok(p) })
	}
	for _, def := range full.Types {
		for _, f := range def.Fields {
			name := def.Name + "." + f.Name
			if f.Directives.ForName("redacted") != nil {
				if !has(name, func(p *plant) bool { return p.see == credit.TierPublic }) ||
					!has(name, func(p *plant) bool { return p.see == credit.TierRegulator && !isCanaryToken(p.value) }) {
					t.Errorf("%s is @redacted: plant a PUBTOK and a personal datum in it (canary.ndjson and the table)", name)
				}
			}
			if tier := graph.FieldTier(f); tier > credit.TierPublic && isTextType(f.Type) && def.Name != full.Query.Name {
				if !has(name, func(p *plant) bool { return p.see >= tier }) {
					t.Errorf("%s is %s-only text: plant a canary in it (canary.ndjson and the table)", name, tier)
				}
			}
		}
	}
	records := map[string][]*plant{}
	for _, p := range canaries {
		records[p.record] = append(records[p.record], p)
	}
	for record, ps := range records {
		if slices.ContainsFunc(ps, func(p *plant) bool { return p.see < credit.TierRegulator }) {
			continue
		}
		for prefix, rt := range hiddenRecordTypes {
			if !strings.HasPrefix(record, prefix) {
				continue
			}
			for _, f := range full.Types[rt.typ].Fields {
				name := rt.typ + "." + f.Name
				// id is the global ID: base64url of the natural key, which
				// carries a canary that scanCanaries finds decoded.
				if isTextType(f.Type) && f.Name != "id" && !slices.Contains(rt.exempt, f.Name) && !slices.ContainsFunc(ps, func(p *plant) bool { return p.field == name }) {
					t.Errorf("%s: no canary in %s: plant one (canary.ndjson and the table)", record, name)
				}
			}
		}
	}
}

func isTextType(t *ast.Type) bool {
	for t.Elem != nil {
		t = t.Elem
	}
	return t.NamedType == "String" || t.NamedType == "ID"
}

// --- Each tier's schema, by introspection over HTTP.

const leakIntrospection = `query LeakIntrospection { __schema { queryType { name } mutationType { name }
  subscriptionType { name } types { kind name
  fields(includeDeprecated: true) { name args { ...In } type { ...Ty } }
  inputFields { ...In } enumValues(includeDeprecated: true) { name } possibleTypes { name } } } }
fragment In on __InputValue { name defaultValue type { ...Ty } }
fragment Ty on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

// canaryIDs is the global ID of every record in canary.ndjson with a
// natural key of its own, whatever its state: what node(id:) and
// nodes(ids:) are probed with.
func canaryIDs() []string {
	raw, err := os.ReadFile(canaryFixture)
	if err != nil {
		panic(err)
	}
	keys := []struct {
		kind  store.RecordKind
		field string
	}{ // the field that holds each kind's natural key, by the line's shape
		{store.KindLicense, "license_number"}, {store.KindPenalty, "decision_number"},
		{store.KindInspection, "inspection_id"}, {store.KindCommitment, "commitment_id"},
		{store.KindTypicalCase, "case_id"},
	}
	var out []string
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			panic(err)
		}
		kind, _ := rec["kind"].(string)
		switch kind {
		case "enterprise":
			out = append(out, graph.GlobalID(store.KindEnterprise, rec["uscc"].(string)))
			continue
		case "abnormal_listing", "serious_listing":
			out = append(out, graph.GlobalID(store.RecordKind(kind), rec["decision_number"].(string)))
			continue
		}
		for _, k := range keys {
			if v, ok := rec[k.field].(string); ok && (k.kind != store.KindPenalty || kind == "penalty") {
				out = append(out, graph.GlobalID(k.kind, v))
				break
			}
		}
	}
	return out
}

// --- Scanning responses.

// canaryHit is a canary found in a response or log.
type canaryHit struct {
	p       *plant
	at      string // Type.field of the value it was found in, when known
	path    string // JSON path in the response
	excerpt string
}

// scanCanaries finds every canary in a response body, attributing each
// string to the schema field it came from. Strings that decode as base64url
// (cursors) are scanned decoded too; the raw body last, for anything else.
func scanCanaries(s *introSchema, raw []byte) []canaryHit {
	// The canaries are plain ASCII that JSON never escapes (the table test
	// checks), so the raw body names every candidate but those in cursors.
	var candidates []*plant
	for _, p := range canaries {
		if bytes.Contains(raw, []byte(p.value)) {
			candidates = append(candidates, p)
		}
	}
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		body = nil
	}
	var hits []canaryHit
	found := map[*plant]bool{}
	look := func(among []*plant, str, at, path string) {
		for _, p := range among {
			if i := strings.Index(str, p.value); i >= 0 {
				hits = append(hits, canaryHit{p: p, at: at, path: path, excerpt: canaryExcerpt(str, i, len(p.value))})
				found[p] = true
			}
		}
	}
	var walk func(v any, typ, at, path string)
	walk = func(v any, typ, at, path string) {
		switch x := v.(type) {
		case map[string]any:
			if tn, ok := x["__typename"].(string); ok {
				typ = tn // an object of an interface type: its own type
			}
			for k, c := range x {
				look(candidates, k, "", path+"."+k+" (key)")
				ctyp, cat := "", ""
				ftyp, fname := typ, k
				if t, f, ok := strings.Cut(k, "__"); ok && t != "" { // aliased Type__field (see selection)
					ftyp, fname = t, f
				}
				if f := s.field(ftyp, fname); f != nil {
					ctyp, _ = f.Type.named()
					cat = ftyp + "." + fname
				}
				walk(c, ctyp, cat, path+"."+k)
			}
		case []any:
			for i, c := range x {
				walk(c, typ, at, fmt.Sprintf("%s[%d]", path, i))
			}
		case string:
			look(candidates, x, at, path)
			if dec, ok := decodeCursorText(x); ok {
				look(canaries, dec, at+" (decoded base64)", path)
			}
		}
	}
	if m, ok := body.(map[string]any); ok {
		for k, v := range m {
			typ := ""
			if k == "data" {
				typ = s.rootOf(v)
			}
			walk(v, typ, "", k)
		}
	}
	for _, p := range candidates {
		if !found[p] {
			i := bytes.Index(raw, []byte(p.value))
			hits = append(hits, canaryHit{p: p, at: "(raw body)", excerpt: canaryExcerpt(string(raw), i, len(p.value))})
		}
	}
	return hits
}

// decodeCursorText decodes a string that may be an opaque cursor (base64url).
func decodeCursorText(s string) (string, bool) {
	if len(s) < 16 {
		return "", false
	}
	dec, err := base64.RawURLEncoding.DecodeString(s)
	return string(dec), err == nil
}

// canaryExcerpt returns up to 30 characters either side of s[i:i+n].
func canaryExcerpt(s string, i, n int) string {
	before, after := []rune(s[:i]), []rune(s[i+n:])
	pre, post := "", ""
	if len(before) > 30 {
		before, pre = before[len(before)-30:], "…"
	}
	if len(after) > 30 {
		after, post = after[:30], "…"
	}
	return pre + string(before) + "»" + s[i:i+n] + "«" + string(after) + post
}

// --- Running the probes.

type leakCaller struct {
	name    string
	tier    credit.Tier
	headers []string
}

var leakCallers = []leakCaller{
	{"PUBLIC anonymous", credit.TierPublic, nil},
	{"PUBLIC key", credit.TierPublic, bearer(publicKey)},
	{"PARTNER", credit.TierPartner, bearer(partnerKey)},
	{"REGULATOR", credit.TierRegulator, bearer(regulatorKey)},
}

// leakRun runs probes as one caller and keeps what it saw.
type leakRun struct {
	h       *harness
	caller  leakCaller
	s       *introSchema              // the caller's own schema
	probes  []*leakProbe              // derived from it
	seen    map[*plant][]string       // canary → the fields it was found in
	data    map[string]map[string]any // probe label → response data (for cursors)
	leaked  map[string]bool           // queries already printed in full
	paths   map[*plant]seenAt         // one example place per canary
	replays int                       // cursor replays run
}

type seenAt struct{ query, path string }

func newLeakRun(t *testing.T, h *harness, c leakCaller) *leakRun {
	t.Helper()
	r := &leakRun{h: h, caller: c, seen: map[*plant][]string{}, data: map[string]map[string]any{},
		leaked: map[string]bool{}, paths: map[*plant]seenAt{}}
	res := h.query(t, leakIntrospection, nil, c.headers...)
	r.check(t, "introspection", leakIntrospection, res.raw, nil)
	var out struct {
		Schema struct {
			QueryType        struct{ Name string }
			MutationType     *struct{ Name string }
			SubscriptionType *struct{ Name string }
			Types            []*introTypeDef
		} `json:"__schema"`
	}
	res.data(t, &out)
	r.s = &introSchema{query: out.Schema.QueryType.Name, types: map[string]*introTypeDef{}}
	if m := out.Schema.MutationType; m != nil {
		r.s.mutation = m.Name
	}
	if m := out.Schema.SubscriptionType; m != nil {
		r.s.subscription = m.Name
	}
	for _, def := range out.Schema.Types {
		r.s.types[def.Name] = def
	}
	r.probes = deriveProbes(t, r.s)
	return r
}

// check reports every canary in raw the caller may not see, and notes the
// others. s attributes the strings to fields (nil: the caller's schema).
func (r *leakRun) check(t *testing.T, label, query string, raw []byte, s *introSchema) {
	t.Helper()
	if s == nil {
		s = r.s
	}
	if s == nil {
		s = &introSchema{}
	}
	for _, x := range scanCanaries(s, raw) {
		if x.p.see <= r.caller.tier || x.p.see == tierNone && r.caller.tier == credit.TierRegulator {
			r.seen[x.p] = append(r.seen[x.p], x.at)
			if _, ok := r.paths[x.p]; !ok {
				r.paths[x.p] = seenAt{label, x.path}
			}
			continue
		}
		t.Errorf("LEAK of canary %q (%s; planted in %s, %s)\n    caller:  %s\n    query:   %s\n    found:   %s  (%s)\n    excerpt: %s",
			x.p.value, x.p.who(), x.p.record, orDash(x.p.field), r.caller.name, label, x.path, orDash(x.at), x.excerpt)
		if !r.leaked[query] {
			r.leaked[query] = true
			t.Errorf("    the query in full: %s", query)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// run executes one probe as the caller, checks it for leaks, and checks its
// data: no errors, counts that match the rows walked, filters that hold.
func (r *leakRun) run(t *testing.T, p *leakProbe) response {
	t.Helper()
	if p.op == "subscription" {
		r.runStream(t, p)
		return response{}
	}
	res := r.h.query(t, p.query, nil, r.caller.headers...)
	r.check(t, p.label(), p.query, res.raw, nil)
	if len(res.Errors) > 0 {
		t.Errorf("%s %s: errors: %s", r.caller.name, p.label(), leakClip(res.raw))
		return res
	}
	var data map[string]any
	if err := json.Unmarshal(res.Data, &data); err != nil {
		t.Fatalf("%s %s: %v", r.caller.name, p.label(), err)
	}
	r.data[p.label()] = data
	r.checkData(t, p.label(), data)
	if p.boolIn != "" {
		checkBoolFilter(t, r.caller.name, p, data[p.root])
	}
	return res
}

func (r *leakRun) checkData(t *testing.T, label string, data any) {
	t.Helper()
	for _, msg := range countMismatches(data, "data", "", r.caller.tier == credit.TierRegulator) {
		t.Errorf("%s %s: %s", r.caller.name, label, msg)
	}
}

func leakClip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// --- Cursor replays: the cursors REGULATOR was given for rows a lower tier
// may not see (their decoded keys name such a canary), presented by that
// tier as `after`, on the root connections and on the connections of a root
// object (enterprise → penalties …). The row must not come back, in data,
// in a later cursor or in an error message.

func (r *leakRun) replayCursors(t *testing.T, reg *leakRun) {
	t.Helper()
	for _, p := range r.probes {
		rf := r.s.field(r.s.query, p.root)
		data := reg.data[p.label()][p.root]
		if rf == nil || data == nil || p.boolIn == "" && strings.Contains(p.args, "filter:") {
			continue // enum variants: the unfiltered and Boolean ones suffice
		}
		typ, _ := rf.Type.named()
		conn, _ := data.(map[string]any)
		if hasArg(rf, "after") {
			for _, c := range r.hiddenCursors(conn) {
				field := p.root + wrapArgs(strings.TrimPrefix(p.args+", after: "+strconv.Quote(c), ", "))
				r.replay(t, field, "query LeakCursor { "+field+" "+r.selection(typ, 1, typ)+" }", "data."+p.root)
			}
			continue
		}
		for _, f := range r.s.types[typ].Fields {
			sub, _ := conn[f.Name].(map[string]any)
			if !hasArg(&f, "after") || sub == nil {
				continue
			}
			ftyp, _ := f.Type.named()
			for _, c := range r.hiddenCursors(sub) {
				field := p.root + wrapArgs(p.args) + " { " + f.Name + "(first: 100, after: " + strconv.Quote(c) + ")"
				q := "query LeakCursor { " + field + " " + r.selection(ftyp, 2, typ, ftyp) + " } }"
				r.replay(t, field+" }", q, "data."+p.root+"."+f.Name)
			}
		}
	}
}

// hiddenCursors returns the edge cursors of a connection whose keys name a
// canary the caller may not see.
func (r *leakRun) hiddenCursors(conn map[string]any) []string {
	var out []string
	for _, e := range jsonList(conn["edges"]) {
		m, _ := e.(map[string]any)
		c, _ := m["cursor"].(string)
		dec, ok := decodeCursorText(c)
		if ok && slices.ContainsFunc(canaries, func(p *plant) bool { return p.see > r.caller.tier && strings.Contains(dec, p.value) }) {
			out = append(out, c)
		}
	}
	return out
}

func (r *leakRun) selection(typ string, depth int, onPath ...string) string {
	path := map[string]bool{}
	for _, p := range onPath {
		path[p] = true
	}
	d := newProbeDeriver(r.s)
	d.depth = leakVariantDepth // the rows of a later page, and what is on them
	return d.selection(typ, depth, path, map[string]bool{})
}

// replay runs a query with a REGULATOR cursor; the connection given it
// (at path) is not a first page, so its totalCount may exceed its rows.
func (r *leakRun) replay(t *testing.T, label, q, path string) {
	t.Helper()
	r.replays++
	res := r.h.query(t, q, nil, r.caller.headers...)
	r.check(t, label, q, res.raw, nil)
	for _, e := range res.Errors {
		if c, _ := e.Extensions["code"].(string); c != "BAD_USER_INPUT" {
			t.Errorf("%s %s: a REGULATOR cursor gave %s: %s", r.caller.name, label, c, leakClip(res.raw))
		}
	}
	var data any
	_ = json.Unmarshal(res.Data, &data)
	for _, msg := range countMismatches(data, "data", path, r.caller.tier == credit.TierRegulator) {
		t.Errorf("%s %s: %s", r.caller.name, label, msg)
	}
}

func hasArg(f *introField, name string) bool {
	return slices.ContainsFunc(f.Args, func(a introInput) bool { return a.Name == name })
}

// --- The suite.

func TestLeakSuite(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		runs := map[string]*leakRun{}
		for _, c := range leakCallers {
			runs[c.name] = newLeakRun(t, h, c)
		}
		reg := runs["REGULATOR"]
		t.Run("REGULATOR", func(t *testing.T) {
			for _, p := range reg.probes {
				reg.run(t, p)
			}
			checkProbeCoverage(t, reg)
			checkCanariesSeen(t, reg)
			checkPlantedStates(t, reg)
		})
		// Warm the response cache with REGULATOR answers to the very
		// queries the lower tiers will send: an entry keyed without the
		// tier would now hand them every canary.
		for _, c := range leakCallers {
			if c.tier >= credit.TierRegulator {
				continue
			}
			for _, p := range runs[c.name].probes {
				h.query(t, p.query, nil, bearer(regulatorKey)...)
			}
		}
		t.Run("below REGULATOR", func(t *testing.T) {
			for _, c := range leakCallers {
				if c.tier >= credit.TierRegulator {
					continue
				}
				r := runs[c.name]
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					for _, p := range r.probes {
						r.run(t, p)
					}
					// Again, now from the tier's own warm entries.
					hits := 0
					for _, p := range r.probes {
						if r.run(t, p).cacheStatus() == gqlcache.StatusHit {
							hits++
						}
					}
					if hits == 0 {
						t.Errorf("%s: no probe was answered from the cache on the second pass: the suite did not run warm", c.name)
					}
					checkProbeCoverage(t, r)
					checkCanariesSeen(t, r)
					r.runAbove(t, reg)
					r.replayCursors(t, reg)
				})
			}
		})
		h.srv.Close() // waits for every handler: the logs are complete
		checkLogsForCanaries(t, h)
		t.Logf("derived probes: %d PUBLIC, %d PARTNER, %d REGULATOR; cursor replays: %d PUBLIC anonymous, %d PARTNER",
			len(runs["PUBLIC anonymous"].probes), len(runs["PARTNER"].probes), len(reg.probes), runs["PUBLIC anonymous"].replays, runs["PARTNER"].replays)
	})
}

// runAbove runs the REGULATOR-derived probes as a lower tier: a probe naming
// a field the tier's schema lacks must fail validation; none may echo a
// canary.
func (r *leakRun) runAbove(t *testing.T, reg *leakRun) {
	t.Helper()
	for _, p := range reg.probes {
		res := r.h.query(t, p.query, nil, r.caller.headers...)
		r.check(t, "REGULATOR probe "+p.label(), p.query, res.raw, reg.s)
		var missing []string
		for f := range p.fields {
			if !r.s.has(f) {
				missing = append(missing, f)
			}
		}
		sort.Strings(missing)
		switch {
		case len(missing) > 0 && (res.code() != "GRAPHQL_VALIDATION_FAILED" || (len(res.Data) > 0 && string(res.Data) != "null")):
			t.Errorf("%s ran a REGULATOR probe naming %v: want GRAPHQL_VALIDATION_FAILED and no data, got %s", r.caller.name, missing, leakClip(res.raw))
		case len(missing) == 0 && len(res.Errors) > 0:
			t.Errorf("%s REGULATOR probe %s names no REGULATOR field, yet: %s", r.caller.name, p.label(), leakClip(res.raw))
		}
	}
}

// checkProbeCoverage: the probes of a tier select every field of every object
// type its schema holds.
func checkProbeCoverage(t *testing.T, r *leakRun) {
	t.Helper()
	used := map[string]bool{}
	for _, p := range r.probes {
		for f := range p.fields {
			used[f] = true
		}
	}
	for name, def := range r.s.types {
		if def.Kind != "OBJECT" || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if !used[name+"."+f.Name] {
				t.Errorf("%s: no derived query selects %s.%s (raise leakDepth?)", r.caller.name, name, f.Name)
			}
		}
	}
}

// checkCanariesSeen: the caller saw every canary its tier may see, at the
// field the table names: else the suite would pass without looking. A
// canary no field shows must stay unseen, even by REGULATOR, until the
// table says where.
func checkCanariesSeen(t *testing.T, r *leakRun) {
	t.Helper()
	for _, p := range canaries {
		at := r.seen[p]
		switch {
		case p.see == tierNone && len(at) > 0:
			ex := r.paths[p]
			t.Errorf("%s: canary %q (%s) is now shown at %v (%s %s): update the table", r.caller.name, p.value, p.record, sortedUnique(at), ex.query, ex.path)
		case p.see <= r.caller.tier && !slices.Contains(at, p.field):
			t.Errorf("%s never saw canary %q (%s) at %s (seen at: %v): unreachable through the schema, or the query derivation missed it",
				r.caller.name, p.value, p.record, p.field, sortedUnique(at))
		}
	}
}

// checkPlantedStates: REGULATOR sees each non-public record in the state planted.
func checkPlantedStates(t *testing.T, r *leakRun) {
	t.Helper()
	got := map[string]string{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if dn, ok := x["decisionNumber"].(string); ok {
				if st, ok := jsonObj(x["disclosureState"])["state"].(string); ok {
					got[dn] = st
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	for _, d := range r.data {
		walk(d)
	}
	for dn, want := range wantStates {
		if got[dn] != want {
			t.Errorf("REGULATOR sees %s in state %q, want %q: the fixture no longer plants what the table says", dn, got[dn], want)
		}
	}
}

func sortedUnique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// checkLogsForCanaries: no log line holds a canary the public may not see.
func checkLogsForCanaries(t *testing.T, h *harness) {
	t.Helper()
	for i, line := range strings.Split(h.logs.String(), "\n") {
		for _, p := range canaries {
			if j := strings.Index(line, p.value); j >= 0 && p.see > credit.TierPublic {
				t.Errorf("LEAK of canary %q (%s; planted in %s) into log line %d: %s", p.value, p.who(), p.record, i+1, canaryExcerpt(line, j, len(p.value)))
			}
		}
	}
}
