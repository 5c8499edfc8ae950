package gqlcache

import (
	"context"
	"sync"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// The tag scheme. An answer depends on TagAll, on EnterpriseTag(u) for every
// enterprise whose records it read, and on the collection tag of every list
// it paged or counted. A write bumps the same names for what it touched.
const (
	// TagAll is in every answer; bumping it empties the cache at once
	// (bulk imports, repairs and removals, which name their target by
	// decision number rather than USCC).
	TagAll = "all"
	// TagEnterprises is the enterprise collection (Query.enterprises).
	TagEnterprises = "enterprises"
	// TagCases is the typical-case collection.
	TagCases = "cases"
	// TagRecords is every enterprise's penalties, listings and inspections
	// taken together: what repeat offenders and statistics count.
	TagRecords = "records"
)

// EnterpriseTag is the tag of everything recorded under one USCC.
func EnterpriseTag(uscc string) string { return "e:" + uscc }

// ListTag is the tag of one list (serious dishonesty or abnormal operations).
func ListTag(l credit.ListKind) string { return "list:" + string(l) }

// WriteTags returns the tags a batch could change: those of what it names,
// and, once Apply has set b.Displaced, EnterpriseTag of every enterprise a
// record moved away from (a licence, penalty, inspection, listing,
// commitment or typical case re-imported under another USCC leaves its old
// enterprise, which the batch does not name). Called before Apply, it
// misses those. A batch that touches more than bulk enterprises (0: no
// bound), displaced ones included, or holds a removal or a credit repair,
// returns TagAll alone: every entry is invalidated.
func WriteTags(b *store.Batch, bulk int) []string {
	if len(b.Removals) > 0 || len(b.Repairs) > 0 {
		return []string{TagAll}
	}
	set := map[string]struct{}{}
	add := func(tags ...string) {
		for _, t := range tags {
			set[t] = struct{}{}
		}
	}
	usccs := map[string]struct{}{}
	addE := func(u string) { usccs[u] = struct{}{}; add(EnterpriseTag(u)) }
	for _, l := range b.Enterprises {
		addE(l.V.USCC)
	}
	if len(b.Enterprises) > 0 {
		// Names, regions and status are shown and filtered on in every
		// collection.
		add(TagEnterprises, ListTag(credit.ListSerious), ListTag(credit.ListAbnormal), TagCases)
	}
	for _, l := range b.Licenses {
		addE(l.V.USCC)
	}
	for _, l := range b.Penalties {
		addE(l.V.USCC)
	}
	for _, l := range b.Inspections {
		addE(l.V.USCC)
	}
	for _, l := range b.Commitments {
		addE(l.V.USCC)
	}
	for _, l := range b.Listings {
		addE(l.V.USCC)
		add(ListTag(l.V.List), TagEnterprises) // enterprises filter on list membership
	}
	for _, l := range b.TypicalCases {
		add(TagCases)
		if l.V.USCC != nil {
			addE(*l.V.USCC)
		}
	}
	for _, u := range b.Displaced {
		addE(u)
	}
	if len(b.Enterprises)+len(b.Penalties)+len(b.Listings)+len(b.Inspections) > 0 {
		add(TagRecords) // counts by region, key area and tier
	}
	if bulk > 0 && len(usccs) > bulk {
		return []string{TagAll}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	return out
}

// collector gathers the tags of one answer while it is computed. Safe for
// concurrent use: gqlgen resolves fields in parallel.
type collector struct {
	mu   sync.Mutex
	tags map[string]struct{}
}

type collectorKey struct{}

// collect returns ctx carrying a new collector that starts with TagAll.
func collect(ctx context.Context) (context.Context, *collector) {
	c := &collector{tags: map[string]struct{}{TagAll: {}}}
	return context.WithValue(ctx, collectorKey{}, c), c
}

// note adds tags to ctx's collector, if any.
func note(ctx context.Context, tags ...string) {
	c, _ := ctx.Value(collectorKey{}).(*collector)
	if c == nil {
		return
	}
	c.mu.Lock()
	for _, t := range tags {
		c.tags[t] = struct{}{}
	}
	c.mu.Unlock()
}

func noteEnterprises(ctx context.Context, usccs []string) {
	c, _ := ctx.Value(collectorKey{}).(*collector)
	if c == nil {
		return
	}
	c.mu.Lock()
	for _, u := range usccs {
		c.tags[EnterpriseTag(u)] = struct{}{}
	}
	c.mu.Unlock()
}

func (c *collector) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.tags))
	for t := range c.tags {
		out = append(out, t)
	}
	return out
}
