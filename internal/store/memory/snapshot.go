package memory

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.Snapshotter = (*Store)(nil)

// Snapshot copies the store's tables under the read lock and hands fn a
// store of the copies: an export reads one consistent state without holding
// writers back while it streams. Records are values whose pointers the
// store never writes through (every write puts a new value), so copying
// the maps is enough. The copy costs memory in proportion to the store:
// the embedded store is for datasets that fit in memory anyway.
func (s *Store) Snapshot(ctx context.Context, day time.Time, fn func(ctx context.Context, snap store.Snapshot) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.catchUp(day)
	s.mu.RLock()
	c := &Store{
		p:           s.p,
		risk:        s.risk,
		now:         s.now,
		enterprises: maps.Clone(s.enterprises),
		licenses:    s.licenses.clone(),
		penalties:   s.penalties.clone(),
		inspections: s.inspections.clone(),
		listings:    s.listings.clone(),
		commitments: s.commitments.clone(),
		cases:       maps.Clone(s.cases),
	}
	cursor := store.ChangeCursor(s.feed.seq) // the copy holds the feed up to here
	s.mu.RUnlock()
	return fn(ctx, snapshot{Store: c, cursor: cursor, owners: map[store.Dataset][]string{}})
}

func (t *table[K, V]) clone() table[K, V] {
	c := table[K, V]{rows: maps.Clone(t.rows), byOwner: make(map[string]map[K]struct{}, len(t.byOwner)), owner: t.owner}
	for o, ks := range t.byOwner {
		c.byOwner[o] = maps.Clone(ks)
	}
	return c
}

// snapshot is a private copy of the store, read-only by contract.
type snapshot struct {
	*Store
	cursor string
	owners map[store.Dataset][]string // sorted, computed on first use
}

func (s snapshot) FeedCursor() string { return s.cursor }

// Owners returns the next USCCs, ascending, that own a record of d's kind.
func (s snapshot) Owners(ctx context.Context, d store.Dataset, after string, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	owners, ok := s.owners[d]
	if !ok {
		var err error
		if owners, err = s.allOwners(d); err != nil {
			return nil, err
		}
		s.owners[d] = owners
	}
	i, _ := slices.BinarySearch(owners, after)
	for i < len(owners) && owners[i] <= after {
		i++
	}
	owners = owners[i:]
	return slices.Clone(owners[:min(limit, len(owners))]), nil
}

func (s snapshot) allOwners(d store.Dataset) ([]string, error) {
	var owners []string
	switch d {
	case store.DatasetEnterprises:
		owners = slices.Collect(maps.Keys(s.enterprises))
	case store.DatasetPenalties:
		owners = ownersOf(s.penalties.byOwner)
	case store.DatasetSeriousList, store.DatasetAbnormalList:
		list := listOf(d)
		for o, ks := range s.listings.byOwner {
			for k := range ks {
				if k.list == list {
					owners = append(owners, o)
					break
				}
			}
		}
	default:
		return nil, store.ErrUnknownDataset(d)
	}
	slices.Sort(owners)
	return owners, nil
}

func ownersOf[K comparable](byOwner map[string]map[K]struct{}) []string {
	out := make([]string, 0, len(byOwner))
	for o, ks := range byOwner {
		if len(ks) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// Candidates counts every record of d's kind.
func (s snapshot) Candidates(ctx context.Context, d store.Dataset) (int, error) {
	switch d {
	case store.DatasetEnterprises:
		return len(s.enterprises), nil
	case store.DatasetPenalties:
		return len(s.penalties.rows), nil
	case store.DatasetTypicalCases:
		return len(s.cases), nil
	case store.DatasetSeriousList, store.DatasetAbnormalList:
		n, list := 0, listOf(d)
		for k := range s.listings.rows {
			if k.list == list {
				n++
			}
		}
		return n, nil
	}
	return 0, store.ErrUnknownDataset(d)
}

func listOf(d store.Dataset) credit.ListKind {
	if strings.HasPrefix(string(d), "serious") {
		return credit.ListSerious
	}
	return credit.ListAbnormal
}
