package memory_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T, p credit.Policy) store.Store {
		s := memory.New(p)
		t.Cleanup(s.Close)
		return s
	})
}

func newStore() *memory.Store { return memory.New(credit.NewPolicy(credit.DefaultSettings())) }

func code(n int) string {
	first := fmt.Sprintf("91350102%09d", n)
	return first + string(credit.USCCCheckChar(first))
}

var asOf = credit.Visibility{Tier: credit.TierRegulator, AsOf: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}

func batchOf(n int) *store.Batch {
	on := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fine := credit.Penalty{USCC: code(n), DecisionNumber: fmt.Sprintf("P%d", n), ViolationType: "v",
		PenaltyTypes: []credit.PenaltyType{credit.PenaltyFine}, Authority: "a", DecidedOn: on, PublishedOn: on,
		Procedure: credit.ProcedureOrdinary}
	return &store.Batch{
		Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: credit.Enterprise{USCC: code(n), Name: "n",
			Status: credit.StatusOperating, RegionCode: "350102", FormerNames: []string{"old"}}}},
		Penalties: []store.Line[credit.Penalty]{{N: 2, V: fine}},
	}
}

// The store is shared by every request: writers and readers at once must
// not race (run with -race).
func TestConcurrentUse(t *testing.T) {
	s := newStore()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				if _, err := s.Apply(t.Context(), batchOf(w*100+i)); err != nil {
					t.Errorf("Apply: %v", err)
				}
			}
		})
		wg.Go(func() {
			for range 50 {
				if _, err := s.Enterprises(t.Context(), asOf, store.EnterpriseFilter{}, store.Page{First: 5}); err != nil {
					t.Errorf("Enterprises: %v", err)
				}
				if _, err := s.PenaltiesByUSCC(t.Context(), asOf, []string{code(w * 100)}); err != nil {
					t.Errorf("PenaltiesByUSCC: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if n, err := s.CountEnterprises(t.Context(), asOf, store.EnterpriseFilter{}); err != nil || n != 200 {
		t.Errorf("CountEnterprises = %d, %v; want 200", n, err)
	}
}

// What a caller does to a batch after Apply, or to a result, must not reach
// the store: records are copied in and out.
func TestNoAliasing(t *testing.T) {
	s := newStore()
	b := batchOf(1)
	if _, err := s.Apply(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	b.Enterprises[0].V.FormerNames[0] = "changed in the batch"
	b.Penalties[0].V.PenaltyTypes[0] = credit.PenaltyWarning
	got, err := s.EnterprisesByUSCC(t.Context(), asOf, []string{code(1)})
	if err != nil {
		t.Fatal(err)
	}
	got[0].FormerNames[0] = "changed in a result"
	again, _ := s.Enterprise(t.Context(), asOf, code(1))
	if again.FormerNames[0] != "old" {
		t.Errorf("FormerNames = %q, want the applied value", again.FormerNames)
	}
	pens, _ := s.PenaltiesByUSCC(t.Context(), asOf, []string{code(1)})
	if pens[0][0].PenaltyTypes[0] != credit.PenaltyFine {
		t.Errorf("PenaltyTypes = %q, want the applied value", pens[0][0].PenaltyTypes)
	}
}

// A cancelled context is reported, not ignored.
func TestCancelledContext(t *testing.T) {
	s := newStore()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Apply(ctx, batchOf(1)); err == nil {
		t.Errorf("Apply with a cancelled context: no error")
	}
	if _, err := s.Enterprises(ctx, asOf, store.EnterpriseFilter{}, store.Page{}); err == nil {
		t.Errorf("Enterprises with a cancelled context: no error")
	}
}
