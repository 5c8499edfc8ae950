// Package memory is the embedded store: every record in maps guarded by one
// RWMutex, for running without a database (the demo dataset, tests, small
// deployments). It implements store.Store with the semantics the storetest
// conformance suite pins down, asking package credit for every disclosure
// decision. It owns no durability: a restart starts empty. It must not know
// about GraphQL, HTTP or caching.
package memory

import (
	"context"
	"sync"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Store is the in-memory store. It is safe for concurrent use.
type Store struct {
	p    credit.Policy
	risk risk.Model       // the change feed's RISK_CATEGORY entries
	now  func() time.Time // stamps Enterprise.UpdatedAt

	mu          sync.RWMutex
	enterprises map[string]credit.Enterprise
	licenses    table[string, credit.License]
	penalties   table[string, credit.Penalty]
	inspections table[string, credit.Inspection]
	listings    table[listingKey, credit.Listing]
	commitments table[string, credit.Commitment]
	cases       map[string]credit.TypicalCase
	feed        feedLog

	// API keys and the audit log have their own lock: they are written on
	// the request path and must not wait behind an import.
	amu   sync.Mutex
	keys  map[string]store.Key            // by name
	audit []store.AuditEntry              // oldest first; ID = index + 1
	watch map[string]map[string]time.Time // key name → USCC → when added
}

var _ store.Store = (*Store)(nil)

// listingKey is a listing's natural key: a decision number is unique within
// its list, not across the two lists.
type listingKey struct {
	list   credit.ListKind
	number string
}

func keyOf(l credit.Listing) listingKey { return listingKey{l.List, l.DecisionNumber} }

// New returns an empty store that applies policy p.
func New(p credit.Policy) *Store {
	return &Store{
		p:           p,
		risk:        defaultRisk(),
		now:         time.Now,
		enterprises: map[string]credit.Enterprise{},
		licenses:    newTable[string](func(r credit.License) string { return r.USCC }),
		penalties:   newTable[string](func(r credit.Penalty) string { return r.USCC }),
		inspections: newTable[string](func(r credit.Inspection) string { return r.USCC }),
		listings:    newTable[listingKey](func(r credit.Listing) string { return r.USCC }),
		commitments: newTable[string](func(r credit.Commitment) string { return r.USCC }),
		cases:       map[string]credit.TypicalCase{},
		feed:        newFeedLog(),
		keys:        map[string]store.Key{},
		watch:       map[string]map[string]time.Time{},
	}
}

func defaultRisk() risk.Model {
	m, err := risk.NewModel(risk.DefaultSettings())
	if err != nil {
		panic(err) // the defaults are validated by package risk's tests
	}
	return m
}

// SetRiskModel sets the risk model the change feed's RISK_CATEGORY entries
// use; it must be the model the GraphQL layer reads riskCategory with
// (risk.DefaultSettings unless told). Call it before the first write.
func (s *Store) SetRiskModel(m risk.Model) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.risk = m
}

// Ping reports the store reachable: it is in this process.
func (s *Store) Ping(ctx context.Context) error { return ctx.Err() }

// Close does nothing; there is nothing to release.
func (s *Store) Close() {}

// table holds one record kind by natural key, with an index by enterprise so
// the *ByUSCC loaders cost O(records of those enterprises), not O(table).
type table[K comparable, V any] struct {
	rows    map[K]V
	byOwner map[string]map[K]struct{}
	owner   func(V) string
}

func newTable[K comparable, V any](owner func(V) string) table[K, V] {
	return table[K, V]{rows: map[K]V{}, byOwner: map[string]map[K]struct{}{}, owner: owner}
}

func (t *table[K, V]) get(k K) (V, bool) {
	v, ok := t.rows[k]
	return v, ok
}

// put upserts v under k, moving it in the index if its enterprise changed.
func (t *table[K, V]) put(k K, v V) {
	if old, ok := t.rows[k]; ok {
		delete(t.byOwner[t.owner(old)], k)
	}
	t.rows[k] = v
	o := t.owner(v)
	if t.byOwner[o] == nil {
		t.byOwner[o] = map[K]struct{}{}
	}
	t.byOwner[o][k] = struct{}{}
}

// ownerOf returns the enterprise of the record under k, "" for none.
func (t *table[K, V]) ownerOf(k K) string {
	if v, ok := t.rows[k]; ok {
		return t.owner(v)
	}
	return ""
}

// of returns the records of one enterprise, in no particular order.
func (t *table[K, V]) of(uscc string) []V {
	keys := t.byOwner[uscc]
	out := make([]V, 0, len(keys))
	for k := range keys {
		out = append(out, t.rows[k])
	}
	return out
}

// all returns every record, in no particular order.
func (t *table[K, V]) all() []V {
	out := make([]V, 0, len(t.rows))
	for _, v := range t.rows {
		out = append(out, v)
	}
	return out
}
