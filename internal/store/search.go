package store

import (
	"context"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
)

// CursorSearch is the cursor kind of a name search; its cursor carries the
// hit's search.Hit.SortKey (tier, status rank, USCC).
const CursorSearch = "search"

// Searcher finds enterprises by name (package search ranks them). Both
// methods take a query from search.Parse and the same filter as
// Enterprises, computed for v.
type Searcher interface {
	// SearchEnterprises pages through the enterprises whose current name,
	// former names or code match q, in search.Compare's order.
	SearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f EnterpriseFilter, p Page) (Connection[search.Hit], error)
	// CountSearchEnterprises counts what SearchEnterprises pages through.
	CountSearchEnterprises(ctx context.Context, v credit.Visibility, q search.Query, f EnterpriseFilter) (int, error)
}

// SearchFingerprint is the fingerprint a search's cursors carry: of the
// normalised query and the filter.
func SearchFingerprint(q search.Query, f EnterpriseFilter) string {
	return Fingerprint(struct {
		Q     string
		Floor search.Tier
		F     EnterpriseFilter
	}{q.Norm, q.Floor, f})
}

// FindByName returns the n best-ranked enterprises for name as v may see
// them (n is clamped like Page.First) that score at least minScore, for
// callers that want candidates with scores rather than a page: screening,
// suggestions. The tiers scoring below minScore are not searched at all,
// so a caller that would drop them saves their cost (the one-character-
// wrong tier is by far the dearest). A name that is not a usable query
// returns an error wrapping search.ErrQuery.
func FindByName(ctx context.Context, r Searcher, v credit.Visibility, name string, n int, minScore float64) ([]search.Hit, error) {
	q, err := search.Parse(name)
	if err != nil {
		return nil, err
	}
	q.Floor = search.FloorFor(minScore)
	c, err := r.SearchEnterprises(ctx, v, q, EnterpriseFilter{}, Page{First: n})
	if err != nil {
		return nil, err
	}
	return c.Items, nil
}

// CaseTextMatches reports whether text occurs in the title or the summary
// of c, both normalised by search.Normalize. c must be the case as the
// caller reads it (credit.Policy.ViewCase): below REGULATOR its text is
// redacted, so a search can never find a hidden name, number or illness.
func CaseTextMatches(text string, c credit.TypicalCase) bool {
	t := search.Normalize(text)
	return strings.Contains(search.Normalize(c.Title), t) || strings.Contains(search.Normalize(c.Summary), t)
}
