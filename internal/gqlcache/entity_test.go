package gqlcache

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/cache"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/storetest"
	"github.com/creditgraph/creditgraph/internal/testenv"
)

// entityRedis connects to TEST_REDIS_URL (see testenv.Redis).
func entityRedis(t testing.TB) *redis.Client {
	t.Helper()
	return testenv.Redis(t, testenv.ContextTimeouts)
}

var entityPrefixSeq atomic.Int64

// entityPrefix is a Redis key prefix of this test alone; its keys expire on
// their own (entries by TTL, tags within a day), nothing is flushed.
func entityPrefix(t testing.TB) string {
	return fmt.Sprintf("creditgraph:test:entity:%d:%d:%s:", os.Getpid(), entityPrefixSeq.Add(1), t.Name())
}

// entityMetrics counts lookups and stores per source.
type entityMetrics struct {
	mu                 sync.Mutex
	hits, misses, sets int
}

func (m *entityMetrics) Hit(string, int)     { m.mu.Lock(); m.hits++; m.mu.Unlock() }
func (m *entityMetrics) Miss(string)         { m.mu.Lock(); m.misses++; m.mu.Unlock() }
func (m *entityMetrics) Set(string, int)     { m.mu.Lock(); m.sets++; m.mu.Unlock() }
func (m *entityMetrics) Invalidation(int)    {}
func (m *entityMetrics) RedisError(string)   {}
func (m *entityMetrics) BreakerState(string) {}

func (m *entityMetrics) counts() (hits, misses, sets int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits, m.misses, m.sets
}

// suiteNow is the cache's clock in the conformance runs: a day before every
// disclosure day the suite reads (2015 to 2030), so no entry is refused for
// its day being over (Set bounds an entry's life by the end of its AsOf day,
// and with the real clock every past day would be a miss that tests
// nothing). What an entry holds depends only on its key, AsOf included.
var suiteNow = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// entityBackends runs f with a cache on Redis (a prefix of its own) and
// with an in-process one (nil client).
func entityBackends(t *testing.T, f func(t *testing.T, newCache func(t *testing.T, m cache.Metrics, now func() time.Time) *cache.Cache)) {
	t.Run("redis", func(t *testing.T) {
		client := entityRedis(t)
		f(t, func(t *testing.T, m cache.Metrics, now func() time.Time) *cache.Cache {
			// A timeout for -race on a busy machine: a timed-out lookup is a
			// miss, which the hit counts below would read as a bug.
			return cache.New(client, cache.Options{Prefix: entityPrefix(t), Now: now, Metrics: m, Timeout: 2 * time.Second})
		})
	})
	t.Run("local", func(t *testing.T) {
		f(t, func(t *testing.T, m cache.Metrics, now func() time.Time) *cache.Cache {
			return cache.New(nil, cache.Options{Now: now, Metrics: m})
		})
	})
}

var discard = slog.New(slog.DiscardHandler)

// conformanceStore is what the suite is given: the entity cache over the
// invalidating memory store, each read made twice and checked, and the
// memory store's keys, audit log and change feed, which no cache layer
// touches (the decorators embed store.Store only; production hands
// KeyStore, AuditLog and Feed to the edge separately).
type conformanceStore struct {
	store.Store
	store.KeyStore
	store.AuditLog
	store.Feed
}

// Unwrap lets the suite's snapshot test reach the memory store beneath.
func (c conformanceStore) Unwrap() store.Store { return c.Store }

// The conformance suite passes against Entities(Invalidating(memory)), on
// Redis and in process. Every *ByUSCC read is made twice: the second must be
// answered from the cache, key by key, and equal the first exactly; the
// suite then checks the second. So every read the suite makes is also a
// check of what the cache gives back, after every write it makes.
func TestEntitiesConformance(t *testing.T) {
	entityBackends(t, func(t *testing.T, newCache func(*testing.T, cache.Metrics, func() time.Time) *cache.Cache) {
		var total entityMetrics
		var subtests atomic.Int64
		storetest.RunTests(t, func(t *testing.T, p credit.Policy) store.Store {
			subtests.Add(1)
			mem := memory.New(p)
			t.Cleanup(mem.Close)
			m := &summingMetrics{entityMetrics: &entityMetrics{}, total: &total}
			c := newCache(t, m, func() time.Time { return suiteNow })
			st := Entities(Invalidating(mem, c, 1000, discard), c, 0)
			return conformanceStore{Store: readTwice{Store: st, t: t, m: m.entityMetrics}, KeyStore: mem, AuditLog: mem, Feed: mem}
		})
		hits, misses, sets := total.counts()
		t.Logf("%d subtests: %d hits, %d misses, %d entries stored", subtests.Load(), hits, misses, sets)
		if hits == 0 || sets == 0 || misses == 0 {
			t.Errorf("the suite did not exercise the cache: %d hits, %d misses, %d sets", hits, misses, sets)
		}
	})
}

// summingMetrics counts into one subtest's metrics and a total.
type summingMetrics struct {
	*entityMetrics
	total *entityMetrics
}

func (m *summingMetrics) Hit(s string, n int) { m.entityMetrics.Hit(s, n); m.total.Hit(s, n) }
func (m *summingMetrics) Miss(s string)       { m.entityMetrics.Miss(s); m.total.Miss(s) }
func (m *summingMetrics) Set(s string, n int) { m.entityMetrics.Set(s, n); m.total.Set(s, n) }

// readTwice makes every *ByUSCC read twice, and fails the test unless the
// second was all hits and equals the first exactly; it returns the second.
type readTwice struct {
	store.Store
	t *testing.T
	m *entityMetrics
}

func (r readTwice) Unwrap() store.Store { return r.Store }

func twice[T any](r readTwice, what string, v credit.Visibility, usccs []string, read func() ([]T, error)) ([]T, error) {
	r.t.Helper()
	first, err := read()
	if err != nil {
		return first, err
	}
	before, _, _ := r.m.counts()
	second, err := read()
	if err != nil {
		r.t.Errorf("%s %v %s: first read succeeded, second failed: %v", what, usccs, v.Tier, err)
		return second, err
	}
	if after, _, _ := r.m.counts(); after-before != len(usccs) {
		r.t.Errorf("%s %v %s: second read had %d hits for %d keys", what, usccs, v.Tier, after-before, len(usccs))
	}
	if diff := exactDiff(reflect.ValueOf(first), reflect.ValueOf(second), what); diff != "" {
		r.t.Errorf("%s %v %s: the cached answer differs from the store's: %s", what, usccs, v.Tier, diff)
	}
	return second, nil
}

func (r readTwice) EnterprisesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([]*credit.Enterprise, error) {
	return twice(r, "EnterprisesByUSCC", v, usccs, func() ([]*credit.Enterprise, error) { return r.Store.EnterprisesByUSCC(ctx, v, usccs) })
}

func (r readTwice) LicensesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.License, error) {
	return twice(r, "LicensesByUSCC", v, usccs, func() ([][]credit.License, error) { return r.Store.LicensesByUSCC(ctx, v, usccs) })
}

func (r readTwice) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	return twice(r, "PenaltiesByUSCC", v, usccs, func() ([][]credit.Penalty, error) { return r.Store.PenaltiesByUSCC(ctx, v, usccs) })
}

func (r readTwice) InspectionsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Inspection, error) {
	return twice(r, "InspectionsByUSCC", v, usccs, func() ([][]credit.Inspection, error) { return r.Store.InspectionsByUSCC(ctx, v, usccs) })
}

func (r readTwice) ListingsByUSCC(ctx context.Context, v credit.Visibility, list credit.ListKind, usccs []string) ([][]credit.Listing, error) {
	return twice(r, "ListingsByUSCC", v, usccs, func() ([][]credit.Listing, error) { return r.Store.ListingsByUSCC(ctx, v, list, usccs) })
}

func (r readTwice) CommitmentsByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Commitment, error) {
	return twice(r, "CommitmentsByUSCC", v, usccs, func() ([][]credit.Commitment, error) { return r.Store.CommitmentsByUSCC(ctx, v, usccs) })
}

// RecordsByUSCC: the suite's reads of several kinds go to readTwice's.
func (c conformanceStore) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	return store.ReadRecords(ctx, c.Store, v, usccs, k)
}

// RecordsByUSCC reads kind after kind through readTwice's own methods:
// store.ReadRecords would read them concurrently, and the counts of hits
// per read above assume one read at a time.
func (r readTwice) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	return store.ReadRecordsInTurn(ctx, r, v, usccs, k)
}

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	timeType    = reflect.TypeFor[time.Time]()
)

// exactDiff describes the first difference between a and b, or "" if none.
// Stricter than the suite's comparison: nil and empty slices differ, and a
// decimal must keep its exponent ("5.000" is not "5"). A time.Time must be
// the same instant at the same UTC offset (its monotonic reading and
// *Location are not part of its value).
func exactDiff(a, b reflect.Value, path string) string {
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type())
	}
	switch a.Type() {
	case decimalType:
		x, y := a.Interface().(decimal.Decimal), b.Interface().(decimal.Decimal)
		if x.Coefficient().Cmp(y.Coefficient()) != 0 || x.Exponent() != y.Exponent() {
			return fmt.Sprintf("%s: decimal %s (exp %d) vs %s (exp %d)", path, x, x.Exponent(), y, y.Exponent())
		}
		return ""
	case timeType:
		x, y := a.Interface().(time.Time), b.Interface().(time.Time)
		_, xo := x.Zone()
		_, yo := y.Zone()
		if !x.Equal(y) || xo != yo {
			return fmt.Sprintf("%s: time %s vs %s", path, x.Format(time.RFC3339Nano), y.Format(time.RFC3339Nano))
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Slice:
		if a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: nil %v vs %v", path, a.IsNil(), b.IsNil())
		}
		if a.IsNil() {
			return ""
		}
		if a.Kind() == reflect.Pointer {
			return exactDiff(a.Elem(), b.Elem(), "*"+path)
		}
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: len %d vs %d", path, a.Len(), b.Len())
		}
		for i := range a.Len() {
			if d := exactDiff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	case reflect.Struct:
		for i := range a.NumField() {
			if d := exactDiff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !a.Equal(b) {
			return fmt.Sprintf("%s: %v vs %v", path, a, b)
		}
		return ""
	}
	return fmt.Sprintf("%s: cannot compare kind %s", path, a.Kind())
}

// Fixtures of the focused tests.

func usccOf(n int) string {
	first := fmt.Sprintf("91350102%09d", n)
	return first + string(credit.USCCCheckChar(first))
}

func dayOf(s string) time.Time {
	d, err := credit.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptrTo[T any](v T) *T { return &v }

func decimalOf(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

func anEnterprise(uscc string) credit.Enterprise {
	return credit.Enterprise{USCC: uscc, Name: "福州测试" + uscc[8:17] + "有限公司", Status: credit.StatusOperating,
		RegionCode: "350102", LegalRepresentative: ptrTo("张三"), LegalRepresentativeIDNumber: ptrTo("350102199001011234"),
		Phone: ptrTo("0591-87654321"), RegisteredCapital: decimalOf("100.000"), FormerNames: []string{}}
}

// aPenalty is an ordinary-procedure fine, public for three years.
func aPenalty(uscc, number, published string) credit.Penalty {
	return credit.Penalty{USCC: uscc, DecisionNumber: number, ViolationType: "虚假宣传",
		PenaltyTypes: []credit.PenaltyType{credit.PenaltyFine}, FineAmount: decimalOf("200000.00"),
		Authority: "福州市鼓楼区市场监督管理局", DecidedOn: dayOf(published), PublishedOn: dayOf(published),
		Procedure: credit.ProcedureOrdinary}
}

func mustApply(t *testing.T, st store.Store, b *store.Batch) {
	t.Helper()
	rej, err := st.Apply(t.Context(), b)
	if err != nil || len(rej) > 0 {
		t.Fatalf("Apply: %v, rejections %v", err, rej)
	}
}

func penaltyNumbers(ps []credit.Penalty) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.DecisionNumber)
	}
	return out
}

// A PUBLIC and a REGULATOR read of one enterprise never share an entry:
// what only REGULATOR may see stays out of the PUBLIC answer however the
// reads are ordered, and a write through the Invalidating store is seen by
// the next read of every tier.
func TestEntitiesTiersNeverShare(t *testing.T) {
	entityBackends(t, func(t *testing.T, newCache func(*testing.T, cache.Metrics, func() time.Time) *cache.Cache) {
		ctx := t.Context()
		m := &entityMetrics{}
		c := newCache(t, m, func() time.Time { return dayOf("2024-06-01").Add(9 * time.Hour) })
		mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		t.Cleanup(mem.Close)
		st := Entities(Invalidating(mem, c, 1000, discard), c, 0)
		a := usccOf(1)
		simple := aPenalty(a, "P-simple", "2024-03-01")
		simple.Procedure = credit.ProcedureSimple // never public: REGULATOR only
		mustApply(t, st, &store.Batch{
			Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: anEnterprise(a)}},
			Penalties:   []store.Line[credit.Penalty]{{N: 2, V: aPenalty(a, "P-public", "2024-02-01")}, {N: 3, V: simple}},
		})
		public := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
		partner := credit.VisibilityAt(credit.TierPartner, dayOf("2024-06-01"))
		regulator := credit.VisibilityAt(credit.TierRegulator, dayOf("2024-06-01"))
		penalties := func(v credit.Visibility) []string {
			t.Helper()
			got, err := st.PenaltiesByUSCC(ctx, v, []string{a})
			if err != nil || len(got) != 1 {
				t.Fatalf("PenaltiesByUSCC(%s) = %v, %v", v.Tier, got, err)
			}
			return penaltyNumbers(got[0])
		}
		want := func(v credit.Visibility, numbers ...string) {
			t.Helper()
			if got := penalties(v); !slices.Equal(got, numbers) {
				t.Errorf("%s sees %v, want %v", v.Tier, got, numbers)
			}
		}
		// REGULATOR first, twice (the second from the cache), then the others.
		want(regulator, "P-simple", "P-public")
		want(regulator, "P-simple", "P-public")
		want(public, "P-public")
		want(partner, "P-public")
		want(public, "P-public")
		if hits, _, _ := m.counts(); hits != 2 {
			t.Errorf("%d hits, want 2 (the repeated REGULATOR and PUBLIC reads)", hits)
		}
		// The same for the enterprise's personal data.
		for _, tc := range []struct {
			v     credit.Visibility
			phone bool
		}{{regulator, true}, {public, false}, {regulator, true}, {public, false}} {
			got, err := st.EnterprisesByUSCC(ctx, tc.v, []string{a})
			if err != nil || got[0] == nil {
				t.Fatalf("EnterprisesByUSCC(%s) = %v, %v", tc.v.Tier, got, err)
			}
			if (got[0].Phone != nil) != tc.phone || (got[0].LegalRepresentativeIDNumber != nil) != tc.phone {
				t.Errorf("%s: phone %v, ID number %v; want shown = %v", tc.v.Tier, got[0].Phone, got[0].LegalRepresentativeIDNumber, tc.phone)
			}
		}

		// A write through the Invalidating store is on the next read.
		mustApply(t, st, &store.Batch{Penalties: []store.Line[credit.Penalty]{{N: 1, V: aPenalty(a, "P-new", "2024-05-01")}}})
		want(public, "P-new", "P-public")
		want(regulator, "P-new", "P-simple", "P-public")
		// A later day is a key of its own: the fine published in the future
		// of 2024-06-01 is seen from its own day on.
		mustApply(t, st, &store.Batch{Penalties: []store.Line[credit.Penalty]{{N: 1, V: aPenalty(a, "P-later", "2024-06-02")}}})
		want(public, "P-new", "P-public")
		want(credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-02")), "P-later", "P-new", "P-public")
	})
}

// An unknown enterprise is cached as unknown (nil), tagged with its USCC,
// so its arrival shows on the next read; results keep key order, nil and
// empty slices as the store returns them.
func TestEntitiesUnknownThenArriving(t *testing.T) {
	entityBackends(t, func(t *testing.T, newCache func(*testing.T, cache.Metrics, func() time.Time) *cache.Cache) {
		ctx := t.Context()
		m := &entityMetrics{}
		c := newCache(t, m, func() time.Time { return dayOf("2024-06-01") })
		mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		t.Cleanup(mem.Close)
		st := Entities(Invalidating(mem, c, 1000, discard), c, 0)
		a, b := usccOf(1), usccOf(2)
		mustApply(t, st, &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: anEnterprise(a)}}})
		v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
		for range 2 {
			got, err := st.EnterprisesByUSCC(ctx, v, []string{b, a, b})
			if err != nil || len(got) != 3 || got[0] != nil || got[1] == nil || got[1].USCC != a || got[2] != nil {
				t.Fatalf("EnterprisesByUSCC = %v, %v; want [nil, %s, nil]", got, err, a)
			}
			bare, _ := mem.PenaltiesByUSCC(ctx, v, []string{b, a})
			cached, err := st.PenaltiesByUSCC(ctx, v, []string{b, a})
			if err != nil {
				t.Fatal(err)
			}
			if d := exactDiff(reflect.ValueOf(bare), reflect.ValueOf(cached), "penalties"); d != "" {
				t.Fatalf("cached penalties differ from the store's: %s", d)
			}
		}
		if hits, _, _ := m.counts(); hits != 5 {
			t.Errorf("%d hits, want 5 (the second round)", hits)
		}
		mustApply(t, st, &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: anEnterprise(b)}}})
		got, err := st.EnterprisesByUSCC(ctx, v, []string{b, a})
		if err != nil || got[0] == nil || got[0].USCC != b || got[1] == nil {
			t.Fatalf("after %s arrived: %v, %v", b, got, err)
		}
	})
}

// recordingStore records which USCCs each PenaltiesByUSCC call asked for,
// and runs during before answering, if set.
type recordingStore struct {
	store.Store
	mu     sync.Mutex
	asked  [][]string
	during func()
}

func (r *recordingStore) PenaltiesByUSCC(ctx context.Context, v credit.Visibility, usccs []string) ([][]credit.Penalty, error) {
	r.mu.Lock()
	r.asked = append(r.asked, slices.Clone(usccs))
	during := r.during
	r.mu.Unlock()
	out, err := r.Store.PenaltiesByUSCC(ctx, v, usccs)
	if during != nil {
		during()
	}
	return out, err
}

func (r *recordingStore) take() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.asked
	r.asked = nil
	return a
}

// The store is asked for the missing USCCs only, in key order.
func TestEntitiesFetchOnlyMisses(t *testing.T) {
	entityBackends(t, func(t *testing.T, newCache func(*testing.T, cache.Metrics, func() time.Time) *cache.Cache) {
		ctx := t.Context()
		c := newCache(t, nil, func() time.Time { return dayOf("2024-06-01") })
		mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		t.Cleanup(mem.Close)
		rec := &recordingStore{Store: mem}
		st := Entities(Invalidating(rec, c, 1000, discard), c, 0)
		a, b, cc := usccOf(1), usccOf(2), usccOf(3)
		v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
		read := func(usccs ...string) {
			t.Helper()
			got, err := st.PenaltiesByUSCC(ctx, v, usccs)
			if err != nil || len(got) != len(usccs) {
				t.Fatalf("PenaltiesByUSCC(%v) = %v, %v", usccs, got, err)
			}
		}
		read(a, b)
		read(cc, a, b)
		read(b, cc)
		mustApply(t, st, &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: anEnterprise(b)}}})
		read(a, b, cc)
		want := [][]string{{a, b}, {cc}, {b}}
		if got := rec.take(); !reflect.DeepEqual(got, want) {
			t.Errorf("store asked for %v, want %v", got, want)
		}
	})
}

// A write that lands while the store is read leaves the entry born invalid:
// the next read sees the write.
func TestEntitiesWriteDuringFetch(t *testing.T) {
	entityBackends(t, func(t *testing.T, newCache func(*testing.T, cache.Metrics, func() time.Time) *cache.Cache) {
		ctx := t.Context()
		c := newCache(t, nil, func() time.Time { return dayOf("2024-06-01") })
		mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		t.Cleanup(mem.Close)
		rec := &recordingStore{Store: mem}
		st := Entities(Invalidating(rec, c, 1000, discard), c, 0)
		a := usccOf(1)
		mustApply(t, st, &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: anEnterprise(a)}}})
		v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
		var once sync.Once
		rec.during = func() { // the store has read; the write commits before the answer is stored
			once.Do(func() {
				mustApply(t, st, &store.Batch{Penalties: []store.Line[credit.Penalty]{{N: 1, V: aPenalty(a, "P1", "2024-05-01")}}})
			})
		}
		for i, want := range [][]string{{}, {"P1"}, {"P1"}} {
			got, err := st.PenaltiesByUSCC(ctx, v, []string{a})
			if err != nil || !slices.Equal(penaltyNumbers(got[0]), want) {
				t.Fatalf("read %d: %v, %v; want %v", i, got, err, want)
			}
		}
		if n := len(rec.take()); n != 2 {
			t.Errorf("store read %d times, want 2 (the entry stored during the write was born invalid)", n)
		}
	})
}

// A read the key cannot hold (AsOf not a civil date) and an empty read go
// to the store untouched.
func TestEntitiesBypass(t *testing.T) {
	ctx := t.Context()
	m := &entityMetrics{}
	c := cache.New(nil, cache.Options{Metrics: m})
	mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(mem.Close)
	st := Entities(mem, c, 0)
	if Entities(st, c, 0) != st {
		t.Error("Entities twice wraps twice")
	}
	if Entities(mem, nil, 0) != store.Store(mem) {
		t.Error("Entities without a cache wraps")
	}
	noon := credit.Visibility{Tier: credit.TierPublic, AsOf: dayOf("2024-06-01").Add(12 * time.Hour)}
	for range 2 {
		if _, err := st.PenaltiesByUSCC(ctx, noon, []string{usccOf(1)}); err != nil {
			t.Fatal(err)
		}
	}
	v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
	got, err := st.LicensesByUSCC(ctx, v, nil)
	bare, _ := mem.LicensesByUSCC(ctx, v, nil)
	if err != nil || (got == nil) != (bare == nil) || len(got) != 0 {
		t.Errorf("LicensesByUSCC(nil) = %#v, %v; the store gives %#v", got, err, bare)
	}
	if hits, misses, sets := m.counts(); hits+misses+sets != 0 {
		t.Errorf("cache used: %d hits, %d misses, %d sets", hits, misses, sets)
	}
}

// fill sets every field of v, recursively, to a value that a lossy codec
// would not give back: decimals whose exponent String() drops, times at a
// non-UTC offset with nanoseconds, strings with characters encoding/json
// escapes, empty (non-nil) slices at even depths.
func fill(v reflect.Value, depth int) {
	switch v.Type() {
	case decimalType:
		v.Set(reflect.ValueOf(decimal.New(5000, int32(-3-depth)))) // 5.000…, String() says "5"
		return
	case timeType:
		v.Set(reflect.ValueOf(time.Date(2024, 2, 29, 23, 59, 59, 123456789+depth, time.FixedZone("", 8*3600))))
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		if depth%2 == 1 {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth+i+1)
		}
	case reflect.String:
		v.SetString(fmt.Sprintf("<&>\u2028\ufffd\"\\ 值%d", depth))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(-7 - depth))
	default:
		panic("fill: kind " + v.Kind().String())
	}
}

func roundTrip[T any](t *testing.T, name string, cd codec[T], x T) {
	t.Helper()
	b, err := cd.encode(x)
	if err != nil || !exactJSON(b) {
		t.Fatalf("%s: encode: %v (exact %v)", name, err, exactJSON(b))
	}
	y, err := cd.decode(b)
	if err != nil {
		t.Fatalf("%s: decode %s: %v", name, b, err)
	}
	if d := exactDiff(reflect.ValueOf(x), reflect.ValueOf(y), name); d != "" {
		t.Errorf("%s does not round-trip: %s\n%s", name, d, b)
	}
}

// filled returns a T with every field set by fill, at depth.
func filled[T any](depth int) T {
	var x T
	fill(reflect.ValueOf(&x).Elem(), depth)
	return x
}

// Every field of every record the entity cache stores comes back exactly,
// whatever it holds, and nil, empty and unknown stay as they were. Filled by
// reflection, so a field added to a record is checked without touching this
// test (a decimal one fails until the codec shadows it).
func TestEntityCodecsRoundTripExactly(t *testing.T) {
	for depth := range 2 { // empty slices at one depth, full at the other
		roundTrip(t, "enterprise", enterpriseCodec, filled[*credit.Enterprise](depth))
		roundTrip(t, "licenses", jsonCodec[[]credit.License](), filled[[]credit.License](depth))
		roundTrip(t, "penalties", penaltiesCodec, filled[[]credit.Penalty](depth))
		roundTrip(t, "inspections", jsonCodec[[]credit.Inspection](), filled[[]credit.Inspection](depth))
		roundTrip(t, "listings", jsonCodec[[]credit.Listing](), filled[[]credit.Listing](depth))
		roundTrip(t, "commitments", jsonCodec[[]credit.Commitment](), filled[[]credit.Commitment](depth))
	}
	roundTrip(t, "unknown enterprise", enterpriseCodec, nil)
	roundTrip(t, "enterprise of zero values", enterpriseCodec, &credit.Enterprise{})
	roundTrip(t, "no penalties (nil)", penaltiesCodec, nil)
	roundTrip(t, "no penalties (empty)", penaltiesCodec, []credit.Penalty{})
	roundTrip(t, "penalty of zero values", penaltiesCodec, []credit.Penalty{{}})
	roundTrip(t, "no listings (empty)", jsonCodec[[]credit.Listing](), []credit.Listing{})
	for _, s := range []string{"0", "-0.00", "12500.00", "1.2e5", "-123456789012345678901234567890.123456789", "1e-400"} {
		d := decimal.RequireFromString(s)
		roundTrip(t, "penalty fined "+s, penaltiesCodec, []credit.Penalty{{FineAmount: &d, ConfiscationAmount: &d}})
		roundTrip(t, "enterprise capital "+s, enterpriseCodec, &credit.Enterprise{RegisteredCapital: &d})
	}
}

// A string encoding/json cannot keep (invalid UTF-8) is answered, not
// stored: the next read goes to the store again.
func TestEntitiesDoNotStoreWhatJSONAlters(t *testing.T) {
	ctx := t.Context()
	m := &entityMetrics{}
	c := cache.New(nil, cache.Options{Metrics: m, Now: func() time.Time { return dayOf("2024-06-01") }})
	mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(mem.Close)
	st := Entities(mem, c, 0)
	a := usccOf(1)
	e := anEnterprise(a)
	e.Name = "bad \xff name"
	mustApply(t, mem, &store.Batch{Enterprises: []store.Line[credit.Enterprise]{{N: 1, V: e}}})
	v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
	for range 2 {
		got, err := st.EnterprisesByUSCC(ctx, v, []string{a})
		if err != nil || got[0] == nil || got[0].Name != e.Name {
			t.Fatalf("EnterprisesByUSCC = %v, %v", got, err)
		}
	}
	if hits, misses, sets := m.counts(); hits != 0 || misses != 2 || sets != 0 {
		t.Errorf("%d hits, %d misses, %d sets; want 0, 2, 0", hits, misses, sets)
	}
	if exactJSON([]byte(`"\ufffd"`)) || !exactJSON([]byte("\"\uFFFD\"")) {
		t.Error("exactJSON tells the escape from the character wrongly")
	}
}

// A batch over maxBatch goes straight to the store; one within it is cached.
func TestEntitiesMaxBatch(t *testing.T) {
	ctx := t.Context()
	m := &entityMetrics{}
	c := cache.New(nil, cache.Options{Metrics: m, Now: func() time.Time { return dayOf("2024-06-01").Add(time.Hour) }})
	mem := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	t.Cleanup(mem.Close)
	st := Entities(mem, c, 1)
	v := credit.VisibilityAt(credit.TierPublic, dayOf("2024-06-01"))
	if _, err := st.PenaltiesByUSCC(ctx, v, []string{usccOf(1), usccOf(2)}); err != nil {
		t.Fatal(err)
	}
	if hits, misses, sets := m.counts(); hits+misses+sets != 0 {
		t.Errorf("a batch of 2 with maxBatch 1 used the cache: %d hits, %d misses, %d sets", hits, misses, sets)
	}
	if _, err := st.PenaltiesByUSCC(ctx, v, []string{usccOf(1)}); err != nil {
		t.Fatal(err)
	}
	if _, misses, sets := m.counts(); misses != 1 || sets != 1 {
		t.Errorf("a batch of 1: %d misses, %d sets; want 1, 1", misses, sets)
	}
}
