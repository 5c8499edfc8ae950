package memory

import (
	"context"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// RecordsByKey reads records by their natural keys, in key order, through
// the same views as every other read; nil where unknown or hidden from v.
func (s *Store) RecordsByKey(ctx context.Context, v credit.Visibility, keys []store.RecordKey) ([]*store.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]*store.Record, len(keys))
	for i, k := range keys {
		out[i] = s.recordByKey(v, k)
	}
	return out, nil
}

func (s *Store) recordByKey(v credit.Visibility, k store.RecordKey) *store.Record {
	switch k.Kind {
	case store.KindEnterprise:
		if e, ok := s.enterprises[k.Key]; ok {
			ve := s.p.ViewEnterprise(v, cloneEnterprise(e))
			return &store.Record{Enterprise: &ve}
		}
	case store.KindLicense:
		if r, ok := s.licenses.get(k.Key); ok {
			vr := s.p.ViewLicense(v, cloneLicense(r))
			return &store.Record{License: &vr}
		}
	case store.KindPenalty:
		if r, ok := s.penalties.get(k.Key); ok {
			if vr, ok := s.p.ViewPenalty(v, clonePenalty(r)); ok {
				return &store.Record{Penalty: &vr}
			}
		}
	case store.KindInspection:
		if r, ok := s.inspections.get(k.Key); ok {
			vr := s.p.ViewInspection(v, cloneInspection(r))
			return &store.Record{Inspection: &vr}
		}
	case store.KindAbnormalListing, store.KindSeriousListing:
		list := credit.ListAbnormal
		if k.Kind == store.KindSeriousListing {
			list = credit.ListSerious
		}
		if r, ok := s.listings.get(listingKey{list, k.Key}); ok {
			if vr, ok := s.p.ViewListing(v, cloneListing(r)); ok {
				return &store.Record{Listing: &vr}
			}
		}
	case store.KindCommitment:
		if r, ok := s.commitments.get(k.Key); ok {
			vr := s.p.ViewCommitment(v, cloneCommitment(r))
			return &store.Record{Commitment: &vr}
		}
	case store.KindTypicalCase:
		if r, ok := s.cases[k.Key]; ok {
			if vr, ok := s.p.ViewCase(v, cloneCase(r)); ok {
				return &store.Record{TypicalCase: &vr}
			}
		}
	}
	return nil
}
