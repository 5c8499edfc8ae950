package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// A snapshot reads the store as it was when the snapshot began: a write
// made meanwhile (a new enterprise, a record moved, a listing removed)
// changes neither its reads, nor its owners, nor its counts. Owners walks
// the owners of each dataset's records in USCC order, in chunks.
func testSnapshot(t *testing.T, s store.Store) {
	sn, ok := store.SnapshotterOf(s)
	if !ok {
		t.Fatal("the store is no store.Snapshotter: it cannot export")
	}
	a, b, c, late := company(1), company(2), company(3), company(4)
	mustApply(t, s, enterprise(a), enterprise(b), enterprise(c), penalty(a, "PA", "2024-02-01"), penalty(c, "PC", "2024-02-01"),
		serious(b, "SB", "2024-03-01"), abnormal(c, "AC", "2024-03-01"))
	v := regulator("2024-12-31")
	err := sn.Snapshot(t.Context(), v.AsOf, func(ctx context.Context, snap store.Snapshot) error {
		mustApply(t, s, enterprise(late), penalty(late, "PL", "2024-02-01"), penalty(b, "PA", "2024-02-01"),
			removal(credit.ListAbnormal, "AC", "2024-06-01", "已补报"))
		for _, w := range []struct {
			d    store.Dataset
			want []string
			n    int
		}{
			{store.DatasetEnterprises, []string{a, b, c}, 3},
			{store.DatasetPenalties, []string{a, c}, 2},
			{store.DatasetSeriousList, []string{b}, 1},
			{store.DatasetAbnormalList, []string{c}, 1},
		} {
			var got []string
			for after := ""; ; {
				chunk, err := snap.Owners(ctx, w.d, after, 2)
				if err != nil {
					t.Fatalf("Owners(%s): %v", w.d, err)
				}
				if len(chunk) > 2 {
					t.Errorf("Owners(%s, limit 2) = %v", w.d, chunk)
				}
				if len(chunk) == 0 {
					break
				}
				got, after = append(got, chunk...), chunk[len(chunk)-1]
			}
			if !slices.Equal(got, w.want) {
				t.Errorf("Owners(%s) = %v, want %v (as of the snapshot)", w.d, got, w.want)
			}
			if n, err := snap.Candidates(ctx, w.d); err != nil || n != w.n {
				t.Errorf("Candidates(%s) = %d, %v; want %d", w.d, n, err, w.n)
			}
		}
		ents, err := snap.EnterprisesByUSCC(ctx, v, []string{a, late})
		if err != nil || ents[0] == nil || ents[1] != nil {
			t.Errorf("EnterprisesByUSCC in the snapshot = %v, %v: want the enterprise written after it unseen", ents, err)
		}
		pens, err := snap.PenaltiesByUSCC(ctx, v, []string{a, b})
		if err != nil || len(pens[0]) != 1 || len(pens[1]) != 0 {
			t.Errorf("PenaltiesByUSCC in the snapshot = %v, %v: want PA still A's", pens, err)
		}
		ls, err := snap.ListingsByUSCC(ctx, v, credit.ListAbnormal, []string{c})
		if err != nil || len(ls[0]) != 1 || ls[0][0].Removal != nil {
			t.Errorf("ListingsByUSCC in the snapshot = %v, %v: want AC not removed", ls, err)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	pens, err := s.PenaltiesByUSCC(t.Context(), v, []string{b})
	if err != nil || len(pens[0]) != 1 {
		t.Errorf("after the snapshot the store shows the writes: %v, %v", pens, err)
	}
}
