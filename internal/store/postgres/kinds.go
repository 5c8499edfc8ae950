package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// kind is how one record kind of a batch is staged and upserted. Its SQL is
// built once from its columns (see newKind); the statements are plain and
// the same for every batch.
type kind struct {
	record string // the import record's kind, for messages
	table  string
	ref    string // the column naming an enterprise; "" for enterprises
	stage  string
	rows   func(b *store.Batch) int
	row    func(b *store.Batch, i int) []any // line, then the columns in order

	copyColumns []string
	copyTypes   []string // the SQL types of copyColumns[1:]
	// keyAt and refAt are where the key columns and the reference are in
	// a row (refAt 0: no reference).
	keyAt       []int
	refAt       int
	createStage string
	// upsert writes the staged rows that name a known enterprise and
	// returns rows (what, line, a, b): what 'u' (unknown) with the line and
	// reference (a) of each staged row that names an unknown enterprise;
	// 'd' (displaced) with each enterprise (a) that lost a row to another,
	// once; 'i' (inserted) with the key (a, and b for a two-column key) of
	// each row the statement inserted, rather than updated: such a row is
	// the staged row as it was COPYed, so the change feed computes its
	// entry from the batch instead of reading it back.
	upsert string
}

// feedTypes are the change feed's record types of the tables with one.
var feedTypes = map[string]feed.RecordType{"enterprises": feed.Enterprise, "licenses": feed.License,
	"penalties": feed.Penalty, "inspections": feed.Inspection, "commitments": feed.Commitment,
	"typical_cases": feed.TypicalCase}

// feedKey is the change feed's key of the row whose natural key an 'i' row
// of upsert returned as (a, b).
func (k *kind) feedKey(a, b string) feed.Key {
	if k.table == "listings" {
		return feed.Key{Type: feed.ListingType(credit.ListKind(a)), ID: b}
	}
	return feed.Key{Type: feedTypes[k.table], ID: a}
}

type column struct{ name, typ string }

// keyText is the type of key columns, as in the migrations: staged keys must
// compare under the same collation as stored ones.
const keyText = `text COLLATE "C"`

// kinds in apply order: enterprises first.
var kinds = []*kind{
	newKind("enterprise", "enterprises", []string{"uscc"}, "", []column{
		{"uscc", keyText}, {"name", "text"}, {"former_names", "text[]"}, {"type", "text"}, {"status", "text"},
		{"legal_representative", "text"}, {"legal_representative_id_type", "text"},
		{"legal_representative_id_number", "text"}, {"registered_capital", "numeric"}, {"established_on", "date"},
		{"registration_authority", "text"}, {"address", "text"}, {"business_scope", "text"},
		{"region_code", "text"}, {"key_areas", "text[]"}, {"phone", "text"},
		{"name_norm", "text"}, {"former_norm", "text[]"}, {"name_bigrams", "text[]"}, // package search
		{"risk_categories", "jsonb"},
	}, func(b *store.Batch) int { return len(b.Enterprises) }, func(b *store.Batch, i int) []any {
		l := b.Enterprises[i]
		e := l.V
		nameNorm, formerNorm, bigrams := searchColumns(e.Name, e.FormerNames)
		return []any{l.N, e.USCC, e.Name, stringsOrEmpty(e.FormerNames), e.Type, string(e.Status),
			e.LegalRepresentative, e.LegalRepresentativeIDType, e.LegalRepresentativeIDNumber,
			numericArg(e.RegisteredCapital), datePtrArg(e.EstablishedOn), e.RegistrationAuthority, e.Address,
			e.BusinessScope, e.RegionCode, keyAreasArg(e.KeyAreas), e.Phone, nameNorm, formerNorm, bigrams,
			riskStepsArg(e.RiskCategories)}
	}),
	newKind("license", "licenses", []string{"license_number"}, "uscc", []column{
		{"license_number", keyText}, {"uscc", keyText}, {"name", "text"}, {"content", "text"},
		{"valid_from", "date"}, {"valid_to", "date"}, {"authority", "text"}, {"decided_on", "date"},
		{"key_area", "text"},
	}, func(b *store.Batch) int { return len(b.Licenses) }, func(b *store.Batch, i int) []any {
		l := b.Licenses[i]
		v := l.V
		return []any{l.N, v.LicenseNumber, v.USCC, v.Name, v.Content, datePtrArg(v.ValidFrom), datePtrArg(v.ValidTo),
			v.Authority, dateArg(v.DecidedOn), keyAreaArg(v.KeyArea)}
	}),
	// A re-imported penalty keeps its repair: repaired_on is not staged.
	newKind("penalty", "penalties", []string{"decision_number"}, "uscc", []column{
		{"decision_number", keyText}, {"uscc", keyText}, {"violation_type", "text"}, {"facts", "text"},
		{"basis", "text"}, {"penalty_types", "text[]"}, {"content", "text"}, {"fine_amount", "numeric"},
		{"confiscation_amount", "numeric"}, {"authority", "text"}, {"decided_on", "date"},
		{"published_on", "date"}, {"procedure", "text"}, {"restriction_until", "date"}, {"key_area", "text"},
		{"revoked", "boolean"},
	}, func(b *store.Batch) int { return len(b.Penalties) }, func(b *store.Batch, i int) []any {
		l := b.Penalties[i]
		p := l.V
		return []any{l.N, p.DecisionNumber, p.USCC, p.ViolationType, p.Facts, p.Basis, penaltyTypesArg(p.PenaltyTypes),
			p.Content, numericArg(p.FineAmount), numericArg(p.ConfiscationAmount), p.Authority, dateArg(p.DecidedOn),
			dateArg(p.PublishedOn), string(p.Procedure), datePtrArg(p.RestrictionUntil), keyAreaArg(p.KeyArea), p.Revoked}
	}),
	newKind("inspection", "inspections", []string{"inspection_id"}, "uscc", []column{
		{"inspection_id", keyText}, {"uscc", keyText}, {"kind", "text"}, {"inspected_on", "date"},
		{"authority", "text"}, {"result", "text"}, {"items", "text"}, {"product", "text"}, {"batch", "text"},
		{"key_area", "text"},
	}, func(b *store.Batch) int { return len(b.Inspections) }, func(b *store.Batch, i int) []any {
		l := b.Inspections[i]
		v := l.V
		return []any{l.N, v.InspectionID, v.USCC, string(v.Kind), dateArg(v.InspectedOn), v.Authority, string(v.Result),
			v.Items, v.Product, v.Batch, keyAreaArg(v.KeyArea)}
	}),
	// A re-imported listing keeps its removal and repair: they are not staged.
	newKind("listing", "listings", []string{"list", "decision_number"}, "uscc", []column{
		{"list", keyText}, {"decision_number", keyText}, {"uscc", keyText}, {"reason_code", "smallint"},
		{"reason", "text"}, {"listed_on", "date"}, {"authority", "text"}, {"penalty_decision_number", "text"},
		{"key_area", "text"},
	}, func(b *store.Batch) int { return len(b.Listings) }, func(b *store.Batch, i int) []any {
		l := b.Listings[i]
		v := l.V
		var code any
		if v.List == credit.ListAbnormal || v.ReasonCode != 0 {
			code = int16(v.ReasonCode)
		}
		return []any{l.N, string(v.List), v.DecisionNumber, v.USCC, code, v.Reason, dateArg(v.ListedOn), v.Authority,
			v.PenaltyDecisionNumber, keyAreaArg(v.KeyArea)}
	}),
	newKind("commitment", "commitments", []string{"commitment_id"}, "uscc", []column{
		{"commitment_id", keyText}, {"uscc", keyText}, {"kind", "text"}, {"content", "text"}, {"made_on", "date"},
		{"status", "text"}, {"untrue_found_on", "date"},
	}, func(b *store.Batch) int { return len(b.Commitments) }, func(b *store.Batch, i int) []any {
		l := b.Commitments[i]
		v := l.V
		return []any{l.N, v.CommitmentID, v.USCC, string(v.Kind), v.Content, dateArg(v.MadeOn), string(v.Status),
			datePtrArg(v.UntrueFoundOn)}
	}),
	// A case may name no enterprise; one it names must exist.
	newKind("typical case", "typical_cases", []string{"case_id"}, "uscc", []column{
		{"case_id", keyText}, {"title", "text"}, {"summary", "text"}, {"uscc", keyText}, {"published_on", "date"},
		{"key_area", "text"}, {"region_code", "text"},
	}, func(b *store.Batch) int { return len(b.TypicalCases) }, func(b *store.Batch, i int) []any {
		l := b.TypicalCases[i]
		v := l.V
		return []any{l.N, v.CaseID, v.Title, v.Summary, v.USCC, dateArg(v.PublishedOn), keyAreaArg(v.KeyArea), v.RegionCode}
	}),
}

// newKind builds a kind's statements. ref names the column that refers to
// an enterprise ("" for none); a NULL reference refers to nothing.
func newKind(record, table string, key []string, ref string, cols []column,
	rows func(*store.Batch) int, row func(*store.Batch, int) []any) *kind {
	k := &kind{record: record, table: table, ref: ref, stage: "stage_" + table, rows: rows, row: row}
	names := make([]string, len(cols))
	defs := make([]string, len(cols))
	for i, c := range cols {
		names[i], defs[i] = c.name, c.name+" "+c.typ
		k.copyTypes = append(k.copyTypes, c.typ)
	}
	k.copyColumns = append([]string{"line"}, names...)
	for i, n := range k.copyColumns {
		if slices.Contains(key, n) {
			k.keyAt = append(k.keyAt, i)
		}
		if n == ref {
			k.refAt = i
		}
	}
	k.createStage = `CREATE TEMP TABLE IF NOT EXISTS ` + k.stage + ` (line int NOT NULL, ` + strings.Join(defs, ", ") +
		`) ON COMMIT DELETE ROWS;`

	var sets, olds, news []string
	for _, n := range names {
		if !slices.Contains(key, n) {
			sets = append(sets, n+" = EXCLUDED."+n)
			olds, news = append(olds, "t."+n), append(news, "EXCLUDED."+n)
		}
	}
	keys := strings.Join(key, ", ")
	// The key as 'i' rows return it: (a, b), b NULL for one column.
	retKey := key[0] + `, NULL::text`
	if len(key) == 2 {
		retKey = keys
	}
	// DISTINCT ON keeps the last line of each key and writes in key order
	// (concurrent batches lock rows in the same order); ON CONFLICT touches
	// a row, and its updated_at, only when something changed. xmax is 0 in
	// the RETURNING of a row the statement inserted, and the updating
	// transaction's ID in one it updated.
	upsert := `INSERT INTO ` + table + ` AS t (` + strings.Join(names, ", ") + `)
		SELECT DISTINCT ON (` + keys + `) ` + strings.Join(names, ", ") + ` FROM %s s%s
		ORDER BY ` + keys + `, s.line DESC
		ON CONFLICT (` + keys + `) DO UPDATE SET ` + strings.Join(sets, ", ") + `, updated_at = now()
		WHERE (` + strings.Join(olds, ", ") + `) IS DISTINCT FROM (` + strings.Join(news, ", ") + `)`
	if ref == "" {
		k.upsert = `WITH upserted AS (` + fmt.Sprintf(upsert, k.stage, "") + `
			RETURNING ` + retKey + `, xmax = 0 AS inserted)
		SELECT 'i', 0, ` + keys + `, NULL::text FROM upserted WHERE inserted`
		return k
	}
	// One statement: look each reference up once, upsert the known, and
	// return the line and reference of the others; then the previous
	// owners of the rows the upsert gave another reference. Every part of
	// a statement reads the snapshot it started with, so the final SELECT
	// reads the table as it was before the INSERT; RETURNING lists only
	// the rows inserted or changed, so an unchanged re-import probes
	// nothing, and a new row finds no previous owner.
	on := make([]string, len(key))
	for i, c := range key {
		on[i] = "p." + c + " = u." + c
	}
	k.upsert = `WITH staged AS MATERIALIZED (
			SELECT s.*, s.` + ref + ` IS NULL OR e.uscc IS NOT NULL AS known
			FROM ` + k.stage + ` s LEFT JOIN enterprises e ON e.uscc = s.` + ref + `),
		upserted AS (` + fmt.Sprintf(upsert, "staged", " WHERE s.known") + `
			RETURNING ` + keys + `, ` + ref + `, xmax = 0 AS inserted)
		SELECT 'u', line, ` + ref + `, NULL::text FROM staged WHERE NOT known
		UNION ALL
		SELECT DISTINCT 'd', 0, p.` + ref + `, NULL::text FROM upserted u JOIN ` + table + ` p ON ` + strings.Join(on, " AND ") + `
		WHERE p.` + ref + ` IS NOT NULL AND p.` + ref + ` IS DISTINCT FROM u.` + ref + `
		UNION ALL
		SELECT 'i', 0, ` + retKey + ` FROM upserted WHERE inserted`
	return k
}
