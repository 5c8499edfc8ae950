package postgres

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.RecordsReader = (*Store)(nil)

// RecordsByUSCC reads the enterprises and record kinds k names for usccs
// with one SQL statement: a UNION ALL of one branch per kind, each row
// tagged with its kind and laid out in typed slots (recordSlots). Seven
// statements, even pipelined on one connection, cost PostgreSQL seven
// executor runs and pgx seven result sets per profile; one statement is
// one of each. Rows are filtered and viewed for v by the policy, as the
// *ByUSCC loaders do, and their answer is the loaders' (the conformance
// suite compares them).
func (s *Store) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	if len(usccs) == 0 {
		return store.ReadRecordsByKind(ctx, s, v, usccs, k)
	}
	// One enterprise (a profile) is compared as text, not as an array:
	// pgx then encodes no array and PostgreSQL decodes none.
	var arg any = usccs
	if len(usccs) == 1 {
		arg = usccs[0]
	}
	sql := recordsSQL(k, len(usccs) == 1)
	if sql == "" {
		return store.Records{}, nil
	}
	rows, err := s.q.Query(ctx, sql, arg)
	if err != nil {
		return store.Records{}, wrap("records by uscc", err)
	}
	defer rows.Close()
	g := newRecordGroups(usccs)
	var r recordSlots
	dest := r.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return store.Records{}, wrap("records by uscc", err)
		}
		if err := s.addRecord(g, v, &r); err != nil {
			return store.Records{}, wrap("records by uscc", err)
		}
	}
	if err := rows.Err(); err != nil {
		return store.Records{}, wrap("records by uscc", err)
	}
	return g.records(k), nil
}

// The kinds' tags in a records row.
const (
	recEnterprise int16 = iota
	recLicense
	recPenalty
	recInspection
	recListing
	recCommitment
)

// recordSlots is one row of recordsSQL: the kind, the enterprise, the
// record's key and the date it is ordered by (newest first), then typed
// slots each kind fills in its own order (see the branches below); a slot
// a kind does not use is NULL.
type recordSlots struct {
	kind int16
	uscc string
	key  pgtype.Text
	date pgtype.Date
	t    [11]pgtype.Text
	a    [2][]string
	n    [2]pgtype.Numeric
	d    [3]pgtype.Date
	b    pgtype.Bool
	s    pgtype.Int2
	ts   pgtype.Timestamptz
	j    []byte
}

func (r *recordSlots) dest() []any {
	out := []any{&r.kind, &r.uscc, &r.key, &r.date}
	for i := range r.t {
		out = append(out, &r.t[i])
	}
	out = append(out, &r.a[0], &r.a[1], &r.n[0], &r.n[1], &r.d[0], &r.d[1], &r.d[2], &r.b, &r.s, &r.ts, &r.j)
	return out
}

// slotTypes are the SQL types of a records row's columns, in order: kind,
// uscc, key, date, t1…t11, a1 a2, n1 n2, d1…d3, b, s, ts, j. Every NULL is
// typed, so that a statement whose branches all leave a slot empty still
// has the slot's type.
var slotTypes = []string{"int2", "text", `text COLLATE "C"`, "date",
	"text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text",
	"text[]", "text[]", "numeric", "numeric", "date", "date", "date", "boolean", "int2", "timestamptz", "jsonb"}

// branch is one kind's SELECT of recordsSQL: its columns by slot position
// (as slotTypes), NULL where absent.
func branch(from string, cols map[int]string) string {
	out := make([]string, len(slotTypes))
	for i, t := range slotTypes {
		if c, ok := cols[i]; ok {
			out[i] = c
		} else {
			out[i] = "NULL::" + t
		}
	}
	return "SELECT " + strings.Join(out, ", ") + " FROM " + from + " WHERE " + anyUSCC
}

// anyUSCC is how a branch of recordsSQL names its enterprises; a statement
// for one enterprise replaces it with oneUSCC.
const (
	anyUSCC = "uscc = ANY($1)"
	oneUSCC = "uscc = $1"
)

// Slot positions.
const (
	slotT  = 4  // t1
	slotA  = 15 // a1
	slotN  = 17 // n1
	slotD  = 19 // d1
	slotB  = 22
	slotS  = 23
	slotTS = 24
	slotJ  = 25
)

var (
	recordsEnterprise = branch("enterprises", map[int]string{0: "0::int2", 1: "uscc",
		slotT: "name", slotT + 1: "type", slotT + 2: "status", slotT + 3: "legal_representative",
		slotT + 4: "legal_representative_id_type", slotT + 5: "legal_representative_id_number",
		slotT + 6: "registration_authority", slotT + 7: "address", slotT + 8: "business_scope", slotT + 9: "region_code",
		slotT + 10: "phone", slotA: "former_names", slotA + 1: "key_areas", slotN: "registered_capital",
		slotD: "established_on", slotTS: "updated_at", slotJ: "risk_categories"})
	recordsLicenses = branch("licenses", map[int]string{0: "1::int2", 1: "uscc", 2: "license_number", 3: "decided_on",
		slotT: "name", slotT + 1: "content", slotT + 2: "authority", slotT + 3: "key_area",
		slotD: "valid_from", slotD + 1: "valid_to"})
	recordsPenalties = branch("penalties", map[int]string{0: "2::int2", 1: "uscc", 2: "decision_number", 3: "decided_on",
		slotT: "violation_type", slotT + 1: "facts", slotT + 2: "basis", slotT + 3: "content", slotT + 4: "authority",
		slotT + 5: "procedure", slotT + 6: "key_area", slotA: "penalty_types", slotN: "fine_amount",
		slotN + 1: "confiscation_amount", slotD: "published_on", slotD + 1: "restriction_until", slotD + 2: "repaired_on",
		slotB: "revoked"})
	recordsInspections = branch("inspections", map[int]string{0: "3::int2", 1: "uscc", 2: "inspection_id", 3: "inspected_on",
		slotT: "kind", slotT + 1: "authority", slotT + 2: "result", slotT + 3: "items", slotT + 4: "product",
		slotT + 5: "batch", slotT + 6: "key_area"})
	recordsListings = branch("listings", map[int]string{0: "4::int2", 1: "uscc", 2: "decision_number", 3: "listed_on",
		slotT: "list", slotT + 1: "reason", slotT + 2: "authority", slotT + 3: "penalty_decision_number",
		slotT + 4: "key_area", slotT + 5: "removal_reason", slotT + 6: "removal_authority",
		slotD: "removed_on", slotD + 1: "repaired_on", slotS: "reason_code"})
	recordsCommitments = branch("commitments", map[int]string{0: "5::int2", 1: "uscc", 2: "commitment_id", 3: "made_on",
		slotT: "kind", slotT + 1: "content", slotT + 2: "status", slotD: "untrue_found_on"})
)

// recordsSQLs caches recordsSQL's statement per combination of kinds.
var recordsSQLs sync.Map // recordsKey → string

type recordsKey struct {
	k   store.Kinds
	one bool
}

// recordsSQL is the statement reading what k names, for one enterprise
// ($1 text) or several ($1 text[]); "" when nothing. The rows come in no
// particular order: records groups and orders them.
func recordsSQL(k store.Kinds, one bool) string {
	key := recordsKey{k, one}
	if s, ok := recordsSQLs.Load(key); ok {
		return s.(string)
	}
	var parts []string
	add := func(on bool, sql string) {
		if on {
			parts = append(parts, sql)
		}
	}
	add(k.Enterprises, recordsEnterprise)
	add(k.Licenses, recordsLicenses)
	add(k.Penalties, recordsPenalties)
	add(k.Inspections, recordsInspections)
	switch {
	case k.Abnormal && k.Serious:
		add(true, recordsListings)
	case k.Abnormal:
		add(true, recordsListings+` AND list = '`+string(credit.ListAbnormal)+`'`)
	case k.Serious:
		add(true, recordsListings+` AND list = '`+string(credit.ListSerious)+`'`)
	}
	add(k.Commitments, recordsCommitments)
	s := strings.Join(parts, "\nUNION ALL\n")
	if one {
		s = strings.ReplaceAll(s, anyUSCC, oneUSCC)
	}
	recordsSQLs.Store(key, s)
	return s
}

// recordGroups collects a records read per enterprise, for v.
type recordGroups struct {
	usccs       []string
	at          map[string]int // USCC → position of its first occurrence
	enterprises []*credit.Enterprise
	licenses    [][]credit.License
	penalties   [][]credit.Penalty
	inspections [][]credit.Inspection
	abnormal    [][]credit.Listing
	serious     [][]credit.Listing
	commitments [][]credit.Commitment
}

func newRecordGroups(usccs []string) *recordGroups {
	g := &recordGroups{usccs: usccs}
	if len(usccs) > 1 {
		g.at = make(map[string]int, len(usccs))
		for i, u := range usccs {
			if _, ok := g.at[u]; !ok {
				g.at[u] = i
			}
		}
	}
	n := len(usccs)
	g.enterprises = make([]*credit.Enterprise, n)
	g.licenses, g.penalties, g.inspections = make([][]credit.License, n), make([][]credit.Penalty, n), make([][]credit.Inspection, n)
	g.abnormal, g.serious, g.commitments = make([][]credit.Listing, n), make([][]credit.Listing, n), make([][]credit.Commitment, n)
	return g
}

// index is the position of uscc's group, or -1 for a USCC not asked for.
func (g *recordGroups) index(uscc string) int {
	if g.at == nil {
		if uscc == g.usccs[0] {
			return 0
		}
		return -1
	}
	if i, ok := g.at[uscc]; ok {
		return i
	}
	return -1
}

// addRecord files the record in r as v may see it.
func (s *Store) addRecord(g *recordGroups, v credit.Visibility, r *recordSlots) error {
	i := g.index(r.uscc)
	if i < 0 {
		return nil
	}
	switch r.kind {
	case recEnterprise:
		e, err := r.enterprise()
		if err != nil {
			return err
		}
		e = s.policy.ViewEnterprise(v, e)
		g.enterprises[i] = &e
	case recLicense:
		g.licenses[i] = append(g.licenses[i], s.policy.ViewLicense(v, r.license()))
	case recPenalty:
		if p, ok := s.policy.ViewPenalty(v, r.penalty()); ok {
			g.penalties[i] = append(g.penalties[i], p)
		}
	case recInspection:
		g.inspections[i] = append(g.inspections[i], s.policy.ViewInspection(v, r.inspection()))
	case recListing:
		if l, ok := s.policy.ViewListing(v, r.listing()); ok {
			if l.List == credit.ListSerious {
				g.serious[i] = append(g.serious[i], l)
			} else {
				g.abnormal[i] = append(g.abnormal[i], l)
			}
		}
	case recCommitment:
		g.commitments[i] = append(g.commitments[i], s.policy.ViewCommitment(v, r.commitment()))
	}
	return nil
}

// records is what the read found for the kinds k names, each group in the
// loaders' order (newest first, then by key) and each position its own
// slices: callers may modify them.
func (g *recordGroups) records(k store.Kinds) store.Records {
	var out store.Records
	if k.Enterprises {
		out.Enterprises = g.enterprises
		for i, u := range g.usccs {
			if j := g.index(u); j != i && g.enterprises[j] != nil {
				c := *g.enterprises[j]
				out.Enterprises[i] = &c
			}
		}
	}
	if k.Licenses {
		out.Licenses = grouped(g, g.licenses, func(l credit.License) (time.Time, string) { return l.DecidedOn, l.LicenseNumber })
	}
	if k.Penalties {
		out.Penalties = grouped(g, g.penalties, func(p credit.Penalty) (time.Time, string) { return p.DecidedOn, p.DecisionNumber })
	}
	if k.Inspections {
		out.Inspections = grouped(g, g.inspections, func(in credit.Inspection) (time.Time, string) { return in.InspectedOn, in.InspectionID })
	}
	byListing := func(l credit.Listing) (time.Time, string) { return l.ListedOn, l.DecisionNumber }
	if k.Abnormal {
		out.Abnormal = grouped(g, g.abnormal, byListing)
	}
	if k.Serious {
		out.Serious = grouped(g, g.serious, byListing)
	}
	if k.Commitments {
		out.Commitments = grouped(g, g.commitments, func(c credit.Commitment) (time.Time, string) { return c.MadeOn, c.CommitmentID })
	}
	return out
}

// grouped orders each group newest first, then by key (the loaders' ORDER
// BY; keys compare bytewise, as COLLATE "C" does), and gives a repeated
// USCC its own copy of its first occurrence's group, and an empty group
// rather than nil.
func grouped[T any](g *recordGroups, groups [][]T, order func(T) (time.Time, string)) [][]T {
	cmpT := func(a, b T) int {
		da, ka := order(a)
		db, kb := order(b)
		if c := db.Compare(da); c != 0 {
			return c
		}
		return cmp.Compare(ka, kb)
	}
	for i, grp := range groups {
		if grp == nil {
			groups[i] = []T{}
		} else if !slices.IsSortedFunc(grp, cmpT) {
			slices.SortFunc(grp, cmpT)
		}
	}
	for i, u := range g.usccs {
		if j := g.index(u); j != i {
			groups[i] = slices.Clone(groups[j])
		}
	}
	return groups
}

func textPtr(t pgtype.Text) *string {
	if !t.Valid {
		return nil
	}
	s := t.String
	return &s
}

func datePtr(d pgtype.Date) *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.Time
	return &t
}

func (r *recordSlots) enterprise() (credit.Enterprise, error) {
	e := credit.Enterprise{USCC: r.uscc, Name: r.t[0].String, Type: textPtr(r.t[1]),
		Status: credit.EnterpriseStatus(r.t[2].String), LegalRepresentative: textPtr(r.t[3]),
		LegalRepresentativeIDType: textPtr(r.t[4]), LegalRepresentativeIDNumber: textPtr(r.t[5]),
		RegistrationAuthority: textPtr(r.t[6]), Address: textPtr(r.t[7]), BusinessScope: textPtr(r.t[8]),
		RegionCode: r.t[9].String, Phone: textPtr(r.t[10]), FormerNames: r.a[0], KeyAreas: keyAreasOf(r.a[1]),
		RegisteredCapital: decimalOf(r.n[0]), EstablishedOn: datePtr(r.d[0]), UpdatedAt: r.ts.Time}
	var err error
	if r.j != nil {
		e.RiskCategories, err = riskStepsOf(r.j)
	}
	return e, err
}

func (r *recordSlots) license() credit.License {
	return credit.License{USCC: r.uscc, LicenseNumber: r.key.String, DecidedOn: r.date.Time, Name: r.t[0].String,
		Content: textPtr(r.t[1]), Authority: r.t[2].String, KeyArea: keyAreaOf(textPtr(r.t[3])),
		ValidFrom: datePtr(r.d[0]), ValidTo: datePtr(r.d[1])}
}

func (r *recordSlots) penalty() credit.Penalty {
	return credit.Penalty{USCC: r.uscc, DecisionNumber: r.key.String, DecidedOn: r.date.Time,
		ViolationType: r.t[0].String, Facts: textPtr(r.t[1]), Basis: textPtr(r.t[2]), Content: textPtr(r.t[3]),
		Authority: r.t[4].String, Procedure: credit.Procedure(r.t[5].String), KeyArea: keyAreaOf(textPtr(r.t[6])),
		PenaltyTypes: penaltyTypesOf(r.a[0]), FineAmount: decimalOf(r.n[0]), ConfiscationAmount: decimalOf(r.n[1]),
		PublishedOn: r.d[0].Time, RestrictionUntil: datePtr(r.d[1]), RepairedOn: datePtr(r.d[2]), Revoked: r.b.Bool}
}

func (r *recordSlots) inspection() credit.Inspection {
	return credit.Inspection{USCC: r.uscc, InspectionID: r.key.String, InspectedOn: r.date.Time,
		Kind: credit.InspectionKind(r.t[0].String), Authority: r.t[1].String, Result: credit.InspectionResult(r.t[2].String),
		Items: textPtr(r.t[3]), Product: textPtr(r.t[4]), Batch: textPtr(r.t[5]), KeyArea: keyAreaOf(textPtr(r.t[6]))}
}

func (r *recordSlots) listing() credit.Listing {
	l := credit.Listing{USCC: r.uscc, DecisionNumber: r.key.String, ListedOn: r.date.Time,
		List: credit.ListKind(r.t[0].String), Reason: textPtr(r.t[1]), Authority: r.t[2].String,
		PenaltyDecisionNumber: textPtr(r.t[3]), KeyArea: keyAreaOf(textPtr(r.t[4])), RepairedOn: datePtr(r.d[1])}
	if r.s.Valid {
		l.ReasonCode = int(r.s.Int16)
	}
	if r.d[0].Valid {
		l.Removal = &credit.Removal{RemovedOn: r.d[0].Time, Reason: r.t[5].String, Authority: r.t[6].String}
	}
	return l
}

func (r *recordSlots) commitment() credit.Commitment {
	return credit.Commitment{USCC: r.uscc, CommitmentID: r.key.String, MadeOn: r.date.Time,
		Kind: credit.CommitmentKind(r.t[0].String), Content: r.t[1].String, Status: credit.CommitmentStatus(r.t[2].String),
		UntrueFoundOn: datePtr(r.d[0])}
}
