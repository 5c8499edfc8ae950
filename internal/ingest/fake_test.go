package ingest

import (
	"context"
	"fmt"
	"sync"

	"github.com/creditgraph/creditgraph/internal/store"
)

// fakeStore is a store.Store that only applies batches: it knows which
// enterprises, listings and penalties exist, rejects references to others
// with UNKNOWN_REFERENCE, and remembers every batch. It tests the
// importer's own logic (batching, deferral, fatal errors), which a real
// store cannot be made to fail at; end-to-end tests use the memory store.
type fakeStore struct {
	store.Reader // nil: reads are not faked

	mu          sync.Mutex
	enterprises map[string]bool
	listings    map[string]bool // list + "/" + decision number
	penalties   map[string]bool
	records     map[string]int    // natural key → times written
	batches     []int             // size of each applied batch
	failAt      int               // Apply number (1-based) that fails; 0: never
	rules       map[string]string // removal or repair key → the rule code to reject it with
	poison      map[string]bool   // licence numbers a batch fails for (ErrInvalidRecord), writing nothing
}

func newFakeStore() *fakeStore {
	return &fakeStore{enterprises: map[string]bool{}, listings: map[string]bool{}, penalties: map[string]bool{},
		records: map[string]int{}}
}

func (s *fakeStore) Ping(context.Context) error { return nil }
func (s *fakeStore) Close()                     {}

func (s *fakeStore) Apply(_ context.Context, b *store.Batch) ([]store.Rejection, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, b.Len())
	if s.failAt == len(s.batches) {
		return nil, fmt.Errorf("fake: %w", store.ErrUnavailable)
	}
	for _, l := range b.Licenses {
		if s.poison[l.V.LicenseNumber] {
			return nil, fmt.Errorf("fake: %w (SQLSTATE 22003)", store.ErrInvalidRecord)
		}
	}
	var rej []store.Rejection
	unknown := func(n int, what string) {
		rej = append(rej, store.Rejection{Line: n, Code: store.CodeUnknownReference, Message: what + " is not known"})
	}
	write := func(key string) { s.records[key]++ }
	for _, e := range b.Enterprises {
		s.enterprises[e.V.USCC] = true
		write("enterprise/" + e.V.USCC)
	}
	check := func(n int, uscc, key string) bool {
		if !s.enterprises[uscc] {
			unknown(n, "enterprise "+uscc)
			return false
		}
		write(key)
		return true
	}
	for _, l := range b.Licenses {
		check(l.N, l.V.USCC, "license/"+l.V.LicenseNumber)
	}
	for _, p := range b.Penalties {
		if check(p.N, p.V.USCC, "penalty/"+p.V.DecisionNumber) {
			s.penalties[p.V.DecisionNumber] = true
		}
	}
	for _, i := range b.Inspections {
		check(i.N, i.V.USCC, "inspection/"+i.V.InspectionID)
	}
	for _, l := range b.Listings {
		if check(l.N, l.V.USCC, string(l.V.List)+"/"+l.V.DecisionNumber) {
			s.listings[string(l.V.List)+"/"+l.V.DecisionNumber] = true
		}
	}
	for _, c := range b.Commitments {
		check(c.N, c.V.USCC, "commitment/"+c.V.CommitmentID)
	}
	for _, c := range b.TypicalCases {
		if c.V.USCC != nil {
			check(c.N, *c.V.USCC, "case/"+c.V.CaseID)
		} else {
			write("case/" + c.V.CaseID)
		}
	}
	for _, r := range b.Removals {
		key := string(r.V.List) + "/" + r.V.ListingDecisionNumber
		if !s.listings[key] {
			unknown(r.N, "listing "+key)
			continue
		}
		if code, ok := s.rules[key]; ok {
			rej = append(rej, store.Rejection{Line: r.N, Code: code, Message: "fake rule"})
			continue
		}
		write("removal/" + key)
	}
	for _, r := range b.Repairs {
		key := string(r.V.Target) + "/" + r.V.TargetDecisionNumber
		known := s.penalties[r.V.TargetDecisionNumber]
		if r.V.Target != "penalty" {
			known = s.listings[key]
		}
		if !known {
			unknown(r.N, string(r.V.Target)+" "+r.V.TargetDecisionNumber)
			continue
		}
		if code, ok := s.rules[key]; ok {
			rej = append(rej, store.Rejection{Line: r.N, Code: code, Message: "fake rule"})
			continue
		}
		write("repair/" + key)
	}
	return rej, nil
}
