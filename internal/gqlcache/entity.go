package gqlcache

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Entities returns st with the per-enterprise reads that the dataloaders
// batch (EnterprisesByUSCC and the five *ByUSCC record loaders) answered
// from c, one entry per tier, disclosure day, kind and USCC, so that
// different queries about the same enterprise share its records. Every
// other method goes straight to st.
//
// An entry holds exactly what st returned for that USCC (nil for an unknown
// enterprise, an empty or nil slice for one without records), as JSON, and
// depends on TagAll and EnterpriseTag(uscc): the tags Invalidating bumps for
// any write that could change it. Its key holds all of the read's
// credit.Visibility (Tier and AsOf), so one tier's records never reach
// another. A read whose AsOf is not a civil date (midnight UTC) is not
// cached.
//
// Each call costs one cache.GetMany; for the USCCs it missed, one
// cache.Versions, read before st is asked for just those USCCs (a write that
// lands meanwhile leaves their entries born invalid), and one cache.SetMany.
//
// A batch of more than maxBatch USCCs (maxBatch ≥ 1) goes straight to st:
// a page of enterprises is one indexed statement per kind, which decoding a
// hundred entries does not beat (docs/BENCHMARKS.md); single profiles are
// what different queries share.
//
// Wrap it in Tagging, not the other way round: an answer must note its
// enterprises' tags even when their records came from this cache.
func Entities(st store.Store, c *cache.Cache, maxBatch int) store.Store {
	if c == nil {
		return st
	}
	if e, ok := st.(entities); ok && e.c == c {
		return st // already
	}
	return entities{Store: st, c: c, maxBatch: maxBatch}
}

type entities struct {
	store.Store
	c        *cache.Cache
	maxBatch int
}

// Unwrap returns the decorated store (store.SnapshotterOf).
func (e entities) Unwrap() store.Store { return e.Store }

// cached reports whether a batch of n USCCs goes through the cache.
func (e entities) cached(n int) bool { return e.maxBatch < 1 || n <= e.maxBatch }

// Kinds of entity entries, the Document of their keys after "entity:".
const (
	entityEnterprise  = "enterprise"
	entityLicenses    = "licenses"
	entityPenalties   = "penalties"
	entityInspections = "inspections"
	entityCommitments = "commitments"
	entityListings    = "listings:" // + the list kind
)

func (e entities) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	return loadEntities(ctx, e, v, entityEnterprise, usccs, enterpriseCodec,
		func(ctx context.Context, usccs []string) ([]*credit.Enterprise, error) {
			return e.Store.EnterprisesByUSCC(ctx, v, usccs)
		})
}

func (e entities) LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error) {
	return loadEntities(ctx, e, v, entityLicenses, usccs, jsonCodec[[]credit.License](),
		func(ctx context.Context, usccs []string) ([][]credit.License, error) {
			return e.Store.LicensesByUSCC(ctx, v, usccs)
		})
}

func (e entities) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	return loadEntities(ctx, e, v, entityPenalties, usccs, penaltiesCodec,
		func(ctx context.Context, usccs []string) ([][]credit.Penalty, error) {
			return e.Store.PenaltiesByUSCC(ctx, v, usccs)
		})
}

func (e entities) InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error) {
	return loadEntities(ctx, e, v, entityInspections, usccs, jsonCodec[[]credit.Inspection](),
		func(ctx context.Context, usccs []string) ([][]credit.Inspection, error) {
			return e.Store.InspectionsByUSCC(ctx, v, usccs)
		})
}

func (e entities) ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error) {
	return loadEntities(ctx, e, v, entityListings+string(list), usccs, jsonCodec[[]credit.Listing](),
		func(ctx context.Context, usccs []string) ([][]credit.Listing, error) {
			return e.Store.ListingsByUSCC(ctx, v, list, usccs)
		})
}

func (e entities) CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error) {
	return loadEntities(ctx, e, v, entityCommitments, usccs, jsonCodec[[]credit.Commitment](),
		func(ctx context.Context, usccs []string) ([][]credit.Commitment, error) {
			return e.Store.CommitmentsByUSCC(ctx, v, usccs)
		})
}

// entityKey is the key of one enterprise's records of one kind, as v sees
// them. ok is false when v.AsOf is not a civil date: the key could not hold
// it, so the read must not be cached.
func entityKey(v credit.Visibility, kind, uscc string) (cache.Key, bool) {
	if !v.AsOf.Equal(credit.DateOf(v.AsOf)) {
		return cache.Key{}, false
	}
	return cache.Key{
		Tier:      v.Tier.String(),
		Document:  "entity:" + kind,
		Variables: []byte(uscc),
		AsOf:      v.AsOf.UTC().Format(time.DateOnly),
	}, true
}

// entityTags are what an enterprise's records depend on: exactly what a
// write of any of them bumps (WriteTags).
func entityTags(uscc string) []string { return []string{TagAll, EnterpriseTag(uscc)} }

// loadEntities answers a *ByUSCC read from the cache where it can and from
// fetch, for the USCCs it missed, where it cannot; see Entities.
func loadEntities[T any](ctx context.Context, e entities, v credit.Visibility, kind string, usccs []string,
	cd codec[T], fetch func(context.Context, []string) ([]T, error)) ([]T, error) {
	if len(usccs) == 0 || !e.cached(len(usccs)) {
		return fetch(ctx, usccs)
	}
	c := e.c
	keys := make([]cache.Key, len(usccs))
	for i, u := range usccs {
		k, ok := entityKey(v, kind, u)
		if !ok {
			return fetch(ctx, usccs)
		}
		keys[i] = k
	}
	values, found := c.GetMany(ctx, keys)
	out := make([]T, len(usccs))
	var missed []int
	for i := range usccs {
		if found[i] {
			if x, err := cd.decode(values[i]); err == nil {
				out[i] = x
				continue
			}
			// Not ours to read (a foreign format): fetch it again.
		}
		missed = append(missed, i)
	}
	if len(missed) == 0 {
		return out, nil
	}
	missing := make([]string, len(missed))
	tags := make([]string, 0, len(missed)+1)
	tags = append(tags, TagAll)
	for j, i := range missed {
		missing[j] = usccs[i]
		tags = append(tags, EnterpriseTag(usccs[i]))
	}
	versions := c.Versions(ctx, tags) // before fetch: see cache.Versions
	got, err := fetch(ctx, missing)
	if err != nil {
		return nil, err
	}
	if len(got) != len(missing) {
		return nil, fmt.Errorf("gqlcache: %s: store returned %d results for %d keys", kind, len(got), len(missing))
	}
	items := make([]cache.Item, 0, len(missed))
	for j, i := range missed {
		out[i] = got[j]
		b, err := cd.encode(got[j])
		if err != nil || !exactJSON(b) {
			continue // returned, not stored
		}
		items = append(items, cache.Item{Key: keys[i], Value: b, Tags: entityTags(usccs[i]), Versions: versions})
	}
	c.SetMany(ctx, items)
	return out, nil
}

// codec turns one USCC's result into an entry's bytes and back, exactly:
// nil stays nil, an empty slice empty, a decimal keeps its exponent.
type codec[T any] struct {
	encode func(T) ([]byte, error)
	decode func([]byte) (T, error)
}

// jsonCodec is encoding/json as it is: exact for records without decimals
// (time.Time keeps its instant and UTC offset, nil and empty slices and
// pointers are told apart).
func jsonCodec[T any]() codec[T] {
	return codec[T]{
		encode: func(x T) ([]byte, error) { return json.Marshal(x) },
		decode: func(b []byte) (T, error) {
			var x T
			err := json.Unmarshal(b, &x)
			return x, err
		},
	}
}

// exactJSON reports whether encoding/json wrote every string as it was: it
// replaces invalid UTF-8 with the escape \ufffd (a real U+FFFD it writes as
// is), and such a value would not read back the same.
func exactJSON(b []byte) bool { return !bytes.Contains(b, []byte(`\ufffd`)) }

// exactDecimal is a decimal that JSON keeps exactly, exponent included:
// decimal.Decimal's own MarshalJSON trims trailing zeros ("5.000" → "5"),
// which the Decimal scalar would then print differently ("5.00").
type exactDecimal decimal.Decimal

// MarshalJSON writes coefficient and exponent: "5000e-3".
func (d exactDecimal) MarshalJSON() ([]byte, error) {
	x := decimal.Decimal(d)
	return strconv.AppendQuote(nil, x.Coefficient().String()+"e"+strconv.Itoa(int(x.Exponent()))), nil
}

// UnmarshalJSON reads what MarshalJSON wrote (digits, a sign and an "e":
// nothing JSON escapes, so the quotes are all there is to strip).
func (d *exactDecimal) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("gqlcache: bad decimal %s", b)
	}
	s := string(b[1 : len(b)-1])
	i := strings.LastIndexByte(s, 'e')
	if i < 0 {
		return fmt.Errorf("gqlcache: bad decimal %q", s)
	}
	coef, ok := new(big.Int).SetString(s[:i], 10)
	exp, err := strconv.ParseInt(s[i+1:], 10, 32)
	if !ok || err != nil {
		return fmt.Errorf("gqlcache: bad decimal %q", s)
	}
	*d = exactDecimal(decimal.NewFromBigInt(coef, int32(exp)))
	return nil
}

// enterpriseJSON and penaltyJSON are the records with their decimal fields
// shadowed by exact ones; every other field is the embedded record's, so a
// field added to the record is cached with it. (A decimal field added to a
// record must be shadowed here too: TestEntityCodecsRoundTripExactly fails
// until it is.)
type enterpriseJSON struct {
	credit.Enterprise
	RegisteredCapital *exactDecimal
}

type penaltyJSON struct {
	credit.Penalty
	FineAmount         *exactDecimal
	ConfiscationAmount *exactDecimal
}

var enterpriseCodec = codec[*credit.Enterprise]{
	encode: func(e *credit.Enterprise) ([]byte, error) {
		if e == nil {
			return []byte("null"), nil
		}
		return json.Marshal(enterpriseJSON{Enterprise: *e, RegisteredCapital: (*exactDecimal)(e.RegisteredCapital)})
	},
	decode: func(b []byte) (*credit.Enterprise, error) {
		var w *enterpriseJSON
		if err := json.Unmarshal(b, &w); err != nil || w == nil {
			return nil, err
		}
		e := w.Enterprise
		e.RegisteredCapital = (*decimal.Decimal)(w.RegisteredCapital)
		return &e, nil
	},
}

var penaltiesCodec = codec[[]credit.Penalty]{
	encode: func(ps []credit.Penalty) ([]byte, error) {
		var w []penaltyJSON
		if ps != nil {
			w = make([]penaltyJSON, len(ps))
		}
		for i, p := range ps {
			w[i] = penaltyJSON{Penalty: p, FineAmount: (*exactDecimal)(p.FineAmount),
				ConfiscationAmount: (*exactDecimal)(p.ConfiscationAmount)}
		}
		return json.Marshal(w)
	},
	decode: func(b []byte) ([]credit.Penalty, error) {
		var w []penaltyJSON
		if err := json.Unmarshal(b, &w); err != nil || w == nil {
			return nil, err
		}
		ps := make([]credit.Penalty, len(w))
		for i, x := range w {
			ps[i] = x.Penalty
			ps[i].FineAmount = (*decimal.Decimal)(x.FineAmount)
			ps[i].ConfiscationAmount = (*decimal.Decimal)(x.ConfiscationAmount)
		}
		return ps, nil
	},
}
