package storetest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Backends may return what they store in another but equal form: a decimal
// "200000.00" for 200000, an empty slice for nil, a timestamp they set
// themselves. canon maps a value to one string so such forms compare equal
// and a failure prints both sides readably.
func canon(v any) string {
	b, err := json.Marshal(normalize(v))
	if err != nil {
		return "!" + err.Error()
	}
	return string(b)
}

func normalize(v any) any {
	switch x := v.(type) {
	case credit.Enterprise:
		x.UpdatedAt = time.Time{} // set by the store, not by the import
		x.FormerNames = nilIfEmpty(x.FormerNames)
		x.KeyAreas = nilIfEmpty(x.KeyAreas)
		return x
	case *credit.Enterprise:
		if x == nil {
			return nil
		}
		return normalize(*x)
	case []*credit.Enterprise:
		return mapSlice(x)
	case []credit.Enterprise:
		return mapSlice(x)
	case [][]credit.License:
		return mapSlice(x)
	case [][]credit.Penalty:
		return mapSlice(x)
	case [][]credit.Inspection:
		return mapSlice(x)
	case [][]credit.Listing:
		return mapSlice(x)
	case [][]credit.Commitment:
		return mapSlice(x)
	case []credit.Penalty:
		return mapSlice(x)
	case []credit.Listing:
		return mapSlice(x)
	case credit.Penalty:
		x.PenaltyTypes = nilIfEmpty(x.PenaltyTypes)
		return x
	}
	return v
}

func mapSlice[T any](xs []T) []any {
	if len(xs) == 0 {
		return nil
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = normalize(x)
	}
	return out
}

func nilIfEmpty[T any](xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	return xs
}

// eq fails the test when got and want differ after canon.
func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if g, w := canon(got), canon(want); g != w {
		t.Errorf("%s:\n got: %s\nwant: %s", what, g, w)
	}
}

// keysOf maps items to their keys, for messages that stay short.
func keysOf[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

func eqKeys(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: got [%s], want [%s]", what, strings.Join(got, " "), strings.Join(want, " "))
	}
}

func listingKey(l credit.Listing) string       { return l.DecisionNumber }
func penaltyKey(p credit.Penalty) string       { return p.DecisionNumber }
func enterpriseKey(e credit.Enterprise) string { return e.USCC }
func caseKey(c credit.TypicalCase) string      { return c.CaseID }

// Visibilities used across the suite.
func public(asOf string) credit.Visibility {
	return credit.Visibility{Tier: credit.TierPublic, AsOf: day(asOf)}
}

func partner(asOf string) credit.Visibility {
	return credit.Visibility{Tier: credit.TierPartner, AsOf: day(asOf)}
}

func regulator(asOf string) credit.Visibility {
	return credit.Visibility{Tier: credit.TierRegulator, AsOf: day(asOf)}
}

// everyTier returns the three tiers as of one date.
func everyTier(asOf string) []credit.Visibility {
	return []credit.Visibility{public(asOf), partner(asOf), regulator(asOf)}
}
