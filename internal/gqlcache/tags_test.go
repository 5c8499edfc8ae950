package gqlcache

import (
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

func TestWriteTags(t *testing.T) {
	const a, b = "91350100MA2XYK001G", "91350200MA2XYK003U"
	e := func(u string) store.Line[credit.Enterprise] {
		return store.Line[credit.Enterprise]{V: credit.Enterprise{USCC: u}}
	}
	u := b
	for _, tc := range []struct {
		name  string
		batch store.Batch
		bulk  int
		want  []string
	}{
		{"empty", store.Batch{}, 0, []string{}},
		{"a penalty touches its enterprise and the counts over every record",
			store.Batch{Penalties: []store.Line[credit.Penalty]{{V: credit.Penalty{USCC: a}}}}, 0,
			[]string{EnterpriseTag(a), TagRecords}},
		{"an enterprise touches every collection that shows or filters on it",
			store.Batch{Enterprises: []store.Line[credit.Enterprise]{e(a)}}, 0,
			[]string{EnterpriseTag(a), TagCases, TagEnterprises, ListTag(credit.ListAbnormal), ListTag(credit.ListSerious), TagRecords}},
		{"a listing touches its list and the enterprise filters",
			store.Batch{Listings: []store.Line[credit.Listing]{{V: credit.Listing{List: credit.ListSerious, USCC: a}}}}, 0,
			[]string{EnterpriseTag(a), TagEnterprises, ListTag(credit.ListSerious), TagRecords}},
		{"a typical case touches the cases and its enterprise",
			store.Batch{TypicalCases: []store.Line[credit.TypicalCase]{{V: credit.TypicalCase{USCC: &u}}}}, 0,
			[]string{EnterpriseTag(b), TagCases}},
		{"a credit repair names a decision number: everything",
			store.Batch{Repairs: []store.Line[credit.CreditRepair]{{}}, Penalties: []store.Line[credit.Penalty]{{V: credit.Penalty{USCC: a}}}}, 0,
			[]string{TagAll}},
		{"a removal too", store.Batch{Removals: []store.Line[store.ListingRemoval]{{}}}, 0, []string{TagAll}},
		{"more enterprises than bulk: everything",
			store.Batch{Enterprises: []store.Line[credit.Enterprise]{e(a), e(b)}}, 1, []string{TagAll}},
		{"a record moved away touches the enterprise it left",
			store.Batch{Penalties: []store.Line[credit.Penalty]{{V: credit.Penalty{USCC: b}}}, Displaced: []string{a}}, 0,
			[]string{EnterpriseTag(a), EnterpriseTag(b), TagRecords}},
		{"a case that names no enterprise any more",
			store.Batch{TypicalCases: []store.Line[credit.TypicalCase]{{}}, Displaced: []string{a}}, 0,
			[]string{EnterpriseTag(a), TagCases}},
		{"displaced enterprises count towards bulk",
			store.Batch{Penalties: []store.Line[credit.Penalty]{{V: credit.Penalty{USCC: b}}}, Displaced: []string{a}}, 1,
			[]string{TagAll}},
		{"as many as bulk: exact",
			store.Batch{Licenses: []store.Line[credit.License]{{V: credit.License{USCC: a}}, {V: credit.License{USCC: a}}}}, 1,
			[]string{EnterpriseTag(a)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := WriteTags(&tc.batch, tc.bulk)
			slices.Sort(got)
			slices.Sort(tc.want)
			if !slices.Equal(got, tc.want) {
				t.Errorf("WriteTags = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIfNoneMatch(t *testing.T) {
	const tag = `W/"abc"`
	for header, want := range map[string]bool{
		"":                  false,
		`W/"abc"`:           true,
		`"abc"`:             true, // weak comparison
		`W/"x", W/"abc"`:    true,
		`*`:                 true,
		`W/"abcd"`:          false,
		`W/"ab"`:            false,
		`W/"x" , "y"`:       false,
		` W/"abc" `:         true,
		`W/"ABC"`:           false,
		`W/"abc",W/"other"`: true,
	} {
		if got := matches(header, tag); got != want {
			t.Errorf("If-None-Match %q vs %s = %v, want %v", header, tag, got, want)
		}
	}
}
