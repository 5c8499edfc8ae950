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
	"maps"
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

type introType struct {
	Kind   string
	Name   *string
	OfType *introType
}

// named returns the named type under the list and non-null wrappers.
func (t *introType) named() (name, kind string) {
	for t.OfType != nil {
		t = t.OfType
	}
	if t.Name == nil {
		return "", t.Kind
	}
	return *t.Name, t.Kind
}

type introInput struct {
	Name         string
	DefaultValue *string
	Type         introType
}

func (a introInput) required() bool { return a.Type.Kind == "NON_NULL" && a.DefaultValue == nil }

type introField struct {
	Name string
	Args []introInput
	Type introType
}

type introTypeDef struct {
	Kind          string
	Name          string
	Fields        []introField
	InputFields   []introInput
	EnumValues    []struct{ Name string }
	PossibleTypes []struct{ Name string }
}

type introSchema struct {
	query, mutation, subscription string // root type names; "" when the schema has none
	types                         map[string]*introTypeDef
}

func (s *introSchema) field(typ, name string) *introField {
	if def := s.types[typ]; def != nil {
		for i := range def.Fields {
			if def.Fields[i].Name == name {
				return &def.Fields[i]
			}
		}
	}
	return nil
}

// rootOf guesses the root type of a response's data: the query's, unless
// its fields are the mutation's or the subscription's.
func (s *introSchema) rootOf(data any) string {
	m, _ := data.(map[string]any)
	for _, root := range []string{s.mutation, s.subscription} {
		for k := range m {
			if root != "" && s.field(root, k) != nil && s.field(s.query, k) == nil {
				return root
			}
		}
	}
	if root := s.subscription; root != "" {
		// changes is a root of both Query and Subscription: a subscription
		// event's changes is one Change, not a connection.
		if c, ok := m["changes"].(map[string]any); ok && c["cursor"] != nil {
			return root
		}
	}
	return s.query
}

// has reports whether the schema has field "Type.field".
func (s *introSchema) has(typeField string) bool {
	typ, name, _ := strings.Cut(typeField, ".")
	return s.field(typ, name) != nil
}

// --- Queries derived from a schema.

// leakDepth is how many object levels a derived selection goes down: deep
// enough for Query.seriousDishonestyList → edges → node → enterprise →
// penalties → edges → node → disclosureState. A filter variant reads the
// rows the filter keeps and what is on them, to leakVariantDepth: what lies
// deeper comes from the same loaders the unfiltered probe walks.
const (
	leakDepth        = 8
	leakVariantDepth = 4
)

// leakProbe is one derived operation: a query, a mutation (run first,
// unwatch before watch, so the watchlist probes find the canaries watched)
// or a subscription (read over server-sent events, see runStream).
type leakProbe struct {
	op      string // "query", "mutation" or "subscription"
	root    string
	args    string          // the root field's arguments
	query   string          // the whole document
	fields  map[string]bool // every Type.field it names
	boolIn  string          // a Boolean filter field this variant sets, if any
	boolVal bool
}

func (p *leakProbe) label() string { return p.root + "(" + p.args + ")" }

type probeDeriver struct {
	s         *introSchema
	depth     int
	unfilled  map[string]bool // fields with a required argument the suite cannot fill
	unhandled map[string]bool // fields of a kind the suite cannot select
}

// deriveProbes builds the probes of a schema: every root field, with its
// required arguments filled from the canary data, `first: 50`, and a
// variant for every Boolean (true, false) and enum value of its
// input-object arguments.
func deriveProbes(t *testing.T, s *introSchema) []*leakProbe {
	t.Helper()
	d := newProbeDeriver(s)
	var out []*leakProbe
	type root struct {
		op string
		f  introField
	}
	var roots []root
	if def := s.types[s.mutation]; def != nil {
		fs := slices.Clone(def.Fields)
		slices.SortFunc(fs, func(a, b introField) int { return strings.Compare(a.Name, b.Name) }) // unwatch, then watch
		for _, f := range fs {
			roots = append(roots, root{"mutation", f})
		}
	}
	for _, f := range s.types[s.query].Fields {
		roots = append(roots, root{"query", f})
	}
	if def := s.types[s.subscription]; def != nil {
		for _, f := range def.Fields {
			roots = append(roots, root{"subscription", f})
		}
	}
	for _, rt := range roots {
		f := rt.f
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		sets, ok := d.rootArgs(f)
		if !ok {
			continue
		}
		if rt.op == "subscription" {
			sets = sets[:1] // one stream per root: its filters are the query's
		}
		rootType := map[string]string{"query": s.query, "mutation": s.mutation, "subscription": s.subscription}[rt.op]
		for _, set := range sets {
			d.depth = leakDepth
			if set.variant {
				d.depth = leakVariantDepth
			}
			used := map[string]bool{rootType + "." + f.Name: true}
			sel := ""
			if typ, kind := f.Type.named(); kind == "OBJECT" || kind == "INTERFACE" {
				sel = " " + d.selection(typ, 1, map[string]bool{typ: true}, used)
			}
			p := &leakProbe{op: rt.op, root: f.Name, args: set.args, fields: used, boolIn: set.boolIn, boolVal: set.boolVal}
			p.query = rt.op + " LeakProbe { " + f.Name + wrapArgs(set.args) + sel + " }"
			out = append(out, p)
		}
	}
	for f := range d.unfilled {
		t.Errorf("%s has a required argument the leak suite cannot fill: teach rootArgs or nestedArgs", f)
	}
	for f := range d.unhandled {
		t.Errorf("%s is of a kind the leak suite cannot select (interface or union?): teach selection", f)
	}
	return out
}

func newProbeDeriver(s *introSchema) *probeDeriver {
	return &probeDeriver{s: s, depth: leakDepth, unfilled: map[string]bool{}, unhandled: map[string]bool{}}
}

func wrapArgs(args string) string {
	if args == "" {
		return ""
	}
	return "(" + args + ")"
}

type probeArgs struct {
	args    string
	variant bool // sets a filter field
	boolIn  string
	boolVal bool
}

func (d *probeDeriver) rootArgs(f introField) ([]probeArgs, bool) {
	var fixed, usccs []string
	variants := []probeArgs{{}}
	byID := false // a record by its global ID: read to leakVariantDepth, like a row of a filtered list
	for _, a := range f.Args {
		typ, kind := a.Type.named()
		switch {
		case a.Name == "uscc" && (typ == "ID" || typ == "String") && a.required():
			for _, u := range canaryEnterprises {
				usccs = append(usccs, "uscc: "+strconv.Quote(u))
			}
		case a.Name == "first" && typ == "Int":
			fixed = append(fixed, "first: 50")
		case a.Name == "query" && typ == "String" && a.required():
			// Every canary enterprise's name holds the trade name 哨兵.
			fixed = append(fixed, `query: "哨兵"`)
		case a.Name == "id" && typ == "ID" && a.required():
			// node(id:): every record of the fixture, public or not, one
			// probe each; and one no record has.
			for _, id := range append(canaryIDs(), graph.GlobalID(store.KindPenalty, "LEAKTEST-NO-SUCH-DECISION")) {
				usccs = append(usccs, "id: "+strconv.Quote(id))
			}
			byID = true
		case a.Name == "ids" && typ == "ID" && a.required():
			// nodes(ids:): all of them at once.
			var ids []string
			for _, id := range canaryIDs() {
				ids = append(ids, strconv.Quote(id))
			}
			fixed = append(fixed, "ids: ["+strings.Join(ids, ", ")+"]")
			byID = true
		case a.Name == "usccs" && typ == "ID" && a.required():
			quoted := make([]string, len(canaryEnterprises))
			for i, u := range canaryEnterprises {
				quoted[i] = strconv.Quote(u)
			}
			fixed = append(fixed, "usccs: ["+strings.Join(quoted, ", ")+"]")
		case a.required():
			d.unfilled["Query."+f.Name+"("+a.Name+":)"] = true
			return nil, false
		case kind == "INPUT_OBJECT" && d.s.inputHas(typ, "ref", "uscc", "name"):
			// A screening batch: every canary enterprise by code and by name.
			fixed = append(fixed, a.Name+": "+canaryScreeningInputs())
		case kind == "INPUT_OBJECT":
			variants = append(variants, d.inputVariants(a.Name, typ)...)
		}
	}
	if usccs == nil {
		usccs = []string{""}
	}
	var out []probeArgs
	for _, u := range usccs {
		for _, v := range variants {
			parts := slices.DeleteFunc(append([]string{u}, append(slices.Clone(fixed), v.args)...), func(s string) bool { return s == "" })
			out = append(out, probeArgs{args: strings.Join(parts, ", "), variant: v.variant || byID, boolIn: v.boolIn, boolVal: v.boolVal})
		}
	}
	return out, true
}

// inputHas reports whether input object typ has every field named.
func (s *introSchema) inputHas(typ string, names ...string) bool {
	t, ok := s.types[typ]
	if !ok {
		return false
	}
	for _, n := range names {
		if !slices.ContainsFunc(t.InputFields, func(in introInput) bool { return in.Name == n }) {
			return false
		}
	}
	return true
}

// canaryScreeningInputs screens every canary enterprise by its code and by
// its name, in one batch.
func canaryScreeningInputs() string {
	raw, err := os.ReadFile(canaryFixture)
	if err != nil {
		panic(err)
	}
	var parts []string
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var rec struct{ Kind, USCC, Name string }
		if json.Unmarshal(line, &rec) == nil && rec.Kind == "enterprise" && slices.Contains(canaryEnterprises, rec.USCC) {
			parts = append(parts, fmt.Sprintf("{ref: %q, uscc: %q}", "code "+rec.USCC, rec.USCC),
				fmt.Sprintf("{ref: %q, name: %q}", "name "+rec.USCC, rec.Name))
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// inputVariants sets one field of an input object at a time: each Boolean
// to true and to false, each enum to each of its values.
func (d *probeDeriver) inputVariants(arg, typ string) []probeArgs {
	var out []probeArgs
	for _, in := range d.s.types[typ].InputFields {
		name, kind := in.Type.named()
		switch {
		case name == "Boolean":
			for _, b := range []bool{true, false} {
				out = append(out, probeArgs{args: fmt.Sprintf("%s: {%s: %t}", arg, in.Name, b), variant: true, boolIn: in.Name, boolVal: b})
			}
		case kind == "ENUM":
			for _, v := range d.s.types[name].EnumValues {
				out = append(out, probeArgs{args: fmt.Sprintf("%s: {%s: %s}", arg, in.Name, v.Name), variant: true})
			}
		}
	}
	return out
}

// nestedArgs fills a nested field's arguments: `first: 20` (within the node limit; the fixture has fewer records per enterprise), nothing else.
func (d *probeDeriver) nestedArgs(owner string, f introField) (string, bool) {
	var parts []string
	for _, a := range f.Args {
		typ, _ := a.Type.named()
		switch {
		case a.Name == "first" && typ == "Int":
			parts = append(parts, "first: 20")
		case a.required():
			d.unfilled[owner+"."+f.Name+"("+a.Name+":)"] = true
			return "", false
		}
	}
	return wrapArgs(strings.Join(parts, ", ")), true
}

// selection selects every scalar and enum field of typ and recurses into
// object fields, leakDepth levels down at most and never into a type
// already on the path (Listing.enterprise → Enterprise.seriousDishonesty
// stops there). used collects the Type.field names selected.
func (d *probeDeriver) selection(typ string, depth int, onPath, used map[string]bool) string {
	return d.selectionAliased(typ, depth, onPath, used, nil)
}

// selectionAliased is selection with the fields named in alias (at this
// level only) aliased typ__field.
func (d *probeDeriver) selectionAliased(typ string, depth int, onPath, used, alias map[string]bool) string {
	var parts []string
	for _, f := range d.s.types[typ].Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		args, ok := d.nestedArgs(typ, f)
		if !ok {
			continue
		}
		name := f.Name
		if alias[f.Name] {
			name = typ + "__" + f.Name + ": " + f.Name
		}
		switch ftyp, kind := f.Type.named(); kind {
		case "SCALAR", "ENUM":
			parts = append(parts, name+args)
		case "OBJECT", "INTERFACE", "UNION": // a union: its members as fragments, below
			if depth >= d.depth || onPath[ftyp] {
				continue
			}
			onPath[ftyp] = true
			sub := d.selection(ftyp, depth+1, onPath, used)
			delete(onPath, ftyp)
			if sub == "" {
				continue
			}
			parts = append(parts, name+args+" "+sub)
		default:
			d.unhandled[typ+"."+f.Name] = true
			continue
		}
		used[typ+"."+f.Name] = true
	}
	// An interface (Node): its own fields above, its __typename (which
	// scanCanaries reads to attribute what is below), then everything of each
	// type that implements it, as a fragment at the same level. A field two
	// implementations type differently would not validate side by side: it
	// is aliased Type__field, which scanCanaries reads back.
	if pts := d.s.types[typ].PossibleTypes; len(pts) > 0 {
		parts = append(parts, "__typename")
		conflicts := d.conflictingFields(pts)
		for _, pt := range pts {
			if onPath[pt.Name] {
				continue
			}
			onPath[pt.Name] = true
			sub := d.selectionAliased(pt.Name, depth, onPath, used, conflicts)
			delete(onPath, pt.Name)
			if sub != "" {
				parts = append(parts, "... on "+pt.Name+" "+sub)
			}
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "{ " + strings.Join(parts, " ") + " }"
}

// conflictingFields is the names of the fields that two of types declare
// with different types.
func (d *probeDeriver) conflictingFields(types []struct{ Name string }) map[string]bool {
	seen, out := map[string]string{}, map[string]bool{}
	for _, t := range types {
		for _, f := range d.s.types[t.Name].Fields {
			sig := typeSig(&f.Type)
			if prev, ok := seen[f.Name]; ok && prev != sig {
				out[f.Name] = true
			}
			seen[f.Name] = sig
		}
	}
	return out
}

func typeSig(t *introType) string {
	if t == nil {
		return ""
	}
	name := ""
	if t.Name != nil {
		name = *t.Name
	}
	return t.Kind + " " + name + "(" + typeSig(t.OfType) + ")"
}

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

// countMismatches finds connections whose totalCount is not the number of
// rows walked (with no next page), whose edges and nodes differ, and credit
// summaries that count other rows than the lists beside them: a count that
// includes hidden rows reveals them.
//
// The connection at later (if any) was given `after`: its rows are a later
// page, at most totalCount. all says the caller sees every record
// (REGULATOR).
func countMismatches(v any, path, later string, all bool) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		nodes, hasNodes := x["nodes"].([]any)
		edges, hasEdges := x["edges"].([]any)
		if hasNodes && hasEdges && len(nodes) != len(edges) {
			out = append(out, fmt.Sprintf("%s: %d nodes but %d edges", path, len(nodes), len(edges)))
		}
		if total, ok := x["totalCount"].(float64); ok {
			walked := len(nodes)
			if !hasNodes {
				walked = len(edges)
			}
			next, _ := jsonObj(x["pageInfo"])["hasNextPage"].(bool)
			switch {
			case path == later && walked > int(total):
				out = append(out, fmt.Sprintf("%s: totalCount %d, but %d rows on a later page", path, int(total), walked))
			case path != later && (hasNodes || hasEdges) && !next && int(total) != walked:
				out = append(out, fmt.Sprintf("%s: totalCount %d, but %d rows walked (and no next page)", path, int(total), walked))
			}
		}
		if sum, ok := x["creditSummary"].(map[string]any); ok {
			for count, list := range map[string]string{"inspectionCount": "inspections", "licenseCount": "licenses"} {
				n, ok1 := sum[count].(float64)
				total, ok2 := jsonObj(x[list])["totalCount"].(float64)
				if ok1 && ok2 && n != total {
					out = append(out, fmt.Sprintf("%s: creditSummary.%s %d, but %s.totalCount %d", path, count, int(n), list, int(total)))
				}
			}
			out = append(out, penaltyCountMismatch(sum, jsonObj(x["penalties"]), path, all)...)
		}
		for k, c := range x {
			out = append(out, countMismatches(c, path+"."+k, later, all)...)
		}
	case []any:
		for i, c := range x {
			out = append(out, countMismatches(c, fmt.Sprintf("%s[%d]", path, i), later, all)...)
		}
	}
	return out
}

// penaltyCountMismatch compares a credit summary's penalty counts with the
// penalties beside it. creditSummary.penaltyCount counts the penalties
// disclosed today in every tier: for a public caller every penalty it sees;
// for a regulator, who sees every penalty, those in the state DISCLOSED.
// recorded.penaltyCount (REGULATOR) counts them all.
func penaltyCountMismatch(sum, pens map[string]any, path string, all bool) []string {
	total, hasTotal := pens["totalCount"].(float64)
	if rec := jsonObj(sum["recorded"]); rec != nil && hasTotal {
		if n, ok := rec["penaltyCount"].(float64); ok && n != total {
			return []string{fmt.Sprintf("%s: creditSummary.recorded.penaltyCount %d, but penalties.totalCount %d", path, int(n), int(total))}
		}
	}
	n, ok := sum["penaltyCount"].(float64)
	if !ok || !hasTotal {
		return nil
	}
	nodes := jsonList(pens["nodes"])
	if !all {
		if n != total {
			return []string{fmt.Sprintf("%s: creditSummary.penaltyCount %d, but penalties.totalCount %d", path, int(n), int(total))}
		}
		return nil
	}
	if len(nodes) != int(total) || len(nodes) > 0 && jsonObj(nodes[0])["disclosureState"] == nil {
		return nil // a partial page, or no states asked for: nothing to compare with
	}
	disclosed := 0
	for _, nd := range nodes {
		if jsonObj(jsonObj(nd)["disclosureState"])["state"] == "DISCLOSED" {
			disclosed++
		}
	}
	if int(n) != disclosed {
		return []string{fmt.Sprintf("%s: creditSummary.penaltyCount %d, but %d penalties are DISCLOSED", path, int(n), disclosed)}
	}
	return nil
}

// checkBoolFilter: where a probe set a Boolean filter field F, every row
// returned that shows F (itself or in an object it holds, such as
// creditSummary) shows the same value: a row kept for a hidden record would
// not.
func checkBoolFilter(t *testing.T, caller string, p *leakProbe, conn any) {
	t.Helper()
	rows := map[string]any{}
	for i, n := range jsonList(jsonObj(conn)["nodes"]) {
		rows[fmt.Sprintf("nodes[%d]", i)] = n
	}
	for i, e := range jsonList(jsonObj(conn)["edges"]) {
		rows[fmt.Sprintf("edges[%d].node", i)] = jsonObj(e)["node"]
	}
	for _, at := range slices.Sorted(maps.Keys(rows)) {
		m := jsonObj(rows[at])
		if got, ok := boolField(m, p.boolIn); ok && got != p.boolVal {
			t.Errorf("%s %s: %s (%v) shows %s = %t: the filter and the row disagree (one of them counts a record the other does not)",
				caller, p.label(), at, m["uscc"], p.boolIn, got)
		}
	}
}

func jsonList(v any) []any { l, _ := v.([]any); return l }

func jsonObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func boolField(m map[string]any, name string) (bool, bool) {
	if b, ok := m[name].(bool); ok {
		return b, true
	}
	for _, c := range m {
		if sub, ok := c.(map[string]any); ok {
			if b, ok := sub[name].(bool); ok {
				return b, true
			}
		}
	}
	return false, false
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
