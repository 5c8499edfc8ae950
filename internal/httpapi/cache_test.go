package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/gqlcache"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
)

func (r response) cacheStatus() string { return r.header.Get(gqlcache.StatusHeader) }

// cached runs q twice as the caller and requires the second answer to be a
// hit equal to the first; it returns the first.
func (h *harness) cached(t *testing.T, q string, vars map[string]any, headers ...string) response {
	t.Helper()
	first := h.query(t, q, vars, headers...)
	second := h.query(t, q, vars, headers...)
	if first.cacheStatus() == gqlcache.StatusHit {
		t.Fatalf("first answer was already a hit: the test's cache is not its own")
	}
	if second.cacheStatus() != gqlcache.StatusHit {
		t.Fatalf("repeated query: %s = %q, want %s: %s", gqlcache.StatusHeader, second.cacheStatus(), gqlcache.StatusHit, second.raw)
	}
	if !bytes.Equal(first.Data, second.Data) {
		t.Fatalf("the hit differs from the computed answer:\n%s\n%s", first.Data, second.Data)
	}
	return first
}

// TestCacheIsolatesTiers: a REGULATOR answer, cached, is never served to a
// lower tier asking the same query — the rows differ (expired and revoked
// penalties), and each tier gets its own.
func TestCacheIsolatesTiers(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		vars := map[string]any{"uscc": foodCo}
		var reg, pub, par profile
		h.cached(t, profileQuery, vars, bearer(regulatorKey)...).data(t, &reg)
		for _, c := range []struct {
			name    string
			headers []string
			out     *profile
		}{
			{"PUBLIC anonymous", nil, &pub},
			{"PARTNER", bearer(partnerKey), &par},
		} {
			r := h.query(t, profileQuery, vars, c.headers...)
			if r.cacheStatus() == gqlcache.StatusHit {
				t.Errorf("%s: first query answered from the cache (the REGULATOR's entry?)", c.name)
			}
			r.data(t, c.out)
		}
		if got := decisions(pub); !slices.Equal(got, []string{"榕市监处罚〔2026〕101号", "榕市监处罚〔2023〕88号"}) {
			t.Errorf("PUBLIC penalties = %q", got)
		}
		if got := decisions(par); !slices.Equal(got, decisions(pub)) {
			t.Errorf("PARTNER penalties = %q, want PUBLIC's %q", got, decisions(pub))
		}
		if len(decisions(reg)) <= len(decisions(pub)) || !slices.Contains(decisions(reg), "榕市监处罚〔2022〕30号") {
			t.Fatalf("REGULATOR penalties = %q: the fixture should show the expired one", decisions(reg))
		}
		// A PUBLIC key is the PUBLIC tier: it shares the anonymous answer.
		if r := h.query(t, profileQuery, vars, bearer(publicKey)...); r.cacheStatus() != gqlcache.StatusHit {
			t.Errorf("PUBLIC key after anonymous PUBLIC: %q, want a hit", r.cacheStatus())
		}
	})
}

// TestCacheFollowsTheDisclosureClock: an answer showing a penalty is not
// served once the penalty's disclosure has ended.
func TestCacheFollowsTheDisclosureClock(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		vars := map[string]any{"uscc": foodCo}
		h.clock.Set("2026-07-31") // the short fine's last day
		var p profile
		h.cached(t, profileQuery, vars).data(t, &p)
		if !slices.Contains(decisions(p), "榕市监处罚〔2026〕101号") {
			t.Fatalf("on its last day the fine must show: %q", decisions(p))
		}
		h.clock.Set("2026-08-01")
		r := h.query(t, profileQuery, vars)
		if r.cacheStatus() == gqlcache.StatusHit {
			t.Errorf("the day after the disclosure ended, the answer came from the cache")
		}
		r.data(t, &p)
		if slices.Contains(decisions(p), "榕市监处罚〔2026〕101号") {
			t.Errorf("penalty shown after its disclosure ended: %q", decisions(p))
		}
	})
}

// TestCacheInvalidatedByWrites: after an ingest, every answer it could
// change is recomputed at once — a profile, a list page and count, and an
// enterprise that was unknown — while an unrelated answer stays cached.
func TestCacheInvalidatedByWrites(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const newCo = "91350600MA2XYK006R"
		if _, err := credit.ParseUSCC(newCo); err != nil {
			t.Fatalf("fixture USCC: %v", err)
		}
		licences := `query($u: ID!) { enterprise(uscc: $u) { licenses { totalCount } } }`
		serious := `{ seriousDishonestyList { totalCount nodes { decisionNumber } } }`
		unknown := `query($u: ID!) { enterprise(uscc: $u) { name } }`
		unrelated := `query($u: ID!) { enterprise(uscc: $u) { name penalties { totalCount } } }`
		count := func(r response) int {
			var out struct {
				Enterprise            *struct{ Licenses struct{ TotalCount int } }
				SeriousDishonestyList *struct{ TotalCount int }
			}
			r.data(t, &out)
			switch {
			case out.Enterprise != nil:
				return out.Enterprise.Licenses.TotalCount
			case out.SeriousDishonestyList != nil:
				return out.SeriousDishonestyList.TotalCount
			}
			return -1
		}
		beforeLic := count(h.cached(t, licences, map[string]any{"u": foodCo}))
		beforeSerious := count(h.cached(t, serious, nil))
		if r := h.cached(t, unknown, map[string]any{"u": newCo}); string(r.Data) != `{"enterprise":null}` {
			t.Fatalf("unknown enterprise: %s", r.Data)
		}
		h.cached(t, unrelated, map[string]any{"u": snackShop})

		body := fmt.Sprintf(`{"kind":"license","uscc":%q,"license_number":"SC10635010200099","name":"食品生产许可证","valid_from":"2026-01-01","valid_to":"2030-12-31","authority":"福州市市场监督管理局","decided_on":"2025-12-20"}
{"kind":"enterprise","uscc":%q,"name":"漳州新成食品有限公司","type":"有限责任公司","status":"operating","legal_representative":"王五","registered_capital":"100","established_on":"2020-01-01","registration_authority":"漳州市市场监督管理局","address":"漳州市芗城区","business_scope":"食品生产","region_code":"350602","key_areas":["food_production"]}
{"kind":"serious_listing","uscc":%q,"decision_number":"漳市监严失〔2026〕9号","ground":"食品领域严重违法","listed_on":"2026-06-01","authority":"漳州市市场监督管理局","key_area":"food_production"}
`, foodCo, newCo, newCo)
		if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK || !bytes.Contains(r.raw, []byte(`"rejected":0`)) {
			t.Fatalf("ingest: %d %s", r.status, r.raw)
		}

		for _, c := range []struct {
			name string
			r    response
			want int
		}{
			{"licences of the written enterprise", h.query(t, licences, map[string]any{"u": foodCo}), beforeLic + 1},
			{"serious list", h.query(t, serious, nil), beforeSerious + 1},
		} {
			if c.r.cacheStatus() == gqlcache.StatusHit {
				t.Errorf("%s: served from the cache after a write", c.name)
			}
			if got := count(c.r); got != c.want {
				t.Errorf("%s: %d, want %d", c.name, got, c.want)
			}
		}
		if r := h.query(t, unknown, map[string]any{"u": newCo}); !bytes.Contains(r.Data, []byte("漳州新成食品有限公司")) {
			t.Errorf("the enterprise written after a cached 'unknown' is still unknown: %s (%s)", r.Data, r.cacheStatus())
		}
		if r := h.query(t, unrelated, map[string]any{"u": snackShop}); r.cacheStatus() != gqlcache.StatusHit {
			t.Errorf("an answer the write could not change was invalidated (%q): invalidation is not exact", r.cacheStatus())
		}
	})
}

// TestCacheBypassesCallerSpecificAnswers: answers about the caller or its
// budget, and audited REGULATOR reads, are computed every time.
func TestCacheBypassesCallerSpecificAnswers(t *testing.T) {
	h := newHarness(t, memoryStore())
	for _, q := range []string{
		`{ viewer { tier } }`,
		`{ rateLimit { remaining } }`,
		fmt.Sprintf(`{ rateLimit { remaining } enterprise(uscc: %q) { name } }`, foodCo),
	} {
		for range 2 {
			if r := h.query(t, q, nil); r.cacheStatus() != gqlcache.StatusBypass {
				t.Errorf("%s: %s = %q, want %s", q, gqlcache.StatusHeader, r.cacheStatus(), gqlcache.StatusBypass)
			}
		}
	}
	// A REGULATOR read of a REGULATOR field is audited each time: never a hit.
	q := fmt.Sprintf(`query Lookup { enterprise(uscc: %q) { name phone } }`, foodCo)
	for range 2 {
		if r := h.query(t, q, nil, bearer(regulatorKey)...); r.cacheStatus() == gqlcache.StatusHit {
			t.Errorf("audited read answered from the cache")
		}
	}
	var out struct {
		AuditLog struct{ Nodes []struct{ Operation string } }
	}
	h.query(t, `{ auditLog { nodes { operation } } }`, nil, bearer(regulatorKey)...).data(t, &out)
	if n := len(out.AuditLog.Nodes); n != 2 {
		t.Errorf("audit entries = %d, want 2 (one per read)", n)
	}
}

// get sends a GraphQL GET with the given query parameters and headers.
func (h *harness) get(t *testing.T, params url.Values, headers ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/graphql?"+params.Encode(), nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	r := response{status: res.StatusCode, header: res.Header, raw: readAll(res)}
	if res.StatusCode != http.StatusNotModified {
		if err := json.Unmarshal(r.raw, &r); err != nil {
			t.Fatalf("GET answer is not JSON (%d): %s", res.StatusCode, r.raw)
		}
	}
	return r
}

// TestETagAndNotModified: PUBLIC GET answers carry a weak ETag and public
// Cache-Control; If-None-Match gives 304 until a write changes the answer.
// Answers for any other tier, and POST answers, are no-store.
func TestETagAndNotModified(t *testing.T) {
	h := newHarness(t, memoryStore())
	q := url.Values{"query": {fmt.Sprintf(`{ enterprise(uscc: %q) { name licenses { totalCount } } }`, foodCo)}}
	first := h.get(t, q)
	tag := first.header.Get("ETag")
	if first.status != http.StatusOK || len(tag) < 5 || tag[:3] != `W/"` {
		t.Fatalf("PUBLIC GET: %d, ETag %q", first.status, tag)
	}
	if cc := first.header.Get("Cache-Control"); cc != "public, max-age=0, must-revalidate" {
		t.Errorf("Cache-Control = %q", cc)
	}
	nm := h.get(t, q, "If-None-Match", tag)
	if nm.status != http.StatusNotModified || len(nm.raw) != 0 || nm.header.Get("ETag") != tag {
		t.Fatalf("If-None-Match with the current ETag: %d, ETag %q, body %q", nm.status, nm.header.Get("ETag"), nm.raw)
	}
	if r := h.get(t, q, "If-None-Match", `W/"something-else"`); r.status != http.StatusOK {
		t.Errorf("If-None-Match with another ETag: %d", r.status)
	}
	for name, headers := range map[string][]string{"PARTNER GET": bearer(partnerKey), "REGULATOR GET": bearer(regulatorKey)} {
		r := h.get(t, q, append(headers, "If-None-Match", tag)...)
		if r.status != http.StatusOK || r.header.Get("ETag") != "" || r.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d, ETag %q, Cache-Control %q; want 200, none, no-store", name, r.status, r.header.Get("ETag"), r.header.Get("Cache-Control"))
		}
	}
	if r := h.query(t, q.Get("query"), nil); r.header.Get("ETag") != "" || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("PUBLIC POST: ETag %q, Cache-Control %q", r.header.Get("ETag"), r.header.Get("Cache-Control"))
	}
	body := fmt.Sprintf(`{"kind":"license","uscc":%q,"license_number":"SC10635010200098","name":"食品生产许可证","valid_from":"2026-01-01","valid_to":"2030-12-31","authority":"福州市市场监督管理局","decided_on":"2025-12-20"}`+"\n", foodCo)
	if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK {
		t.Fatalf("ingest: %d %s", r.status, r.raw)
	}
	after := h.get(t, q, "If-None-Match", tag)
	if after.status != http.StatusOK || after.header.Get("ETag") == tag || bytes.Equal(after.Data, first.Data) {
		t.Errorf("after a write: %d, ETag %q (was %q)", after.status, after.header.Get("ETag"), tag)
	}
}

// TestPersistedQueries: automatic persisted queries over GET, registered
// once, known to every replica sharing the Redis, and cacheable by HTTP.
func TestPersistedQueries(t *testing.T) {
	h := newHarness(t, memoryStore())
	doc := fmt.Sprintf(`{ enterprise(uscc: %q) { name } }`, liftCo)
	sum := sha256.Sum256([]byte(doc))
	ext := fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hex.EncodeToString(sum[:]))

	if r := h.get(t, url.Values{"extensions": {ext}}); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %d %s", r.status, r.raw)
	}
	if r := h.get(t, url.Values{"extensions": {ext}, "query": {doc + " "}}); r.code() != "BAD_USER_INPUT" || !bytes.Contains(r.raw, []byte("sha256Hash")) {
		t.Fatalf("a document that does not match its hash was accepted: %s", r.raw)
	}
	if r := h.get(t, url.Values{"extensions": {ext}, "query": {doc}}); r.status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("registering: %d %s", r.status, r.raw)
	}
	r := h.get(t, url.Values{"extensions": {ext}})
	if r.status != http.StatusOK || len(r.Errors) > 0 || !bytes.Contains(r.Data, []byte("enterprise")) || r.header.Get("ETag") == "" {
		t.Fatalf("by hash: %d ETag %q %s", r.status, r.header.Get("ETag"), r.raw)
	}
	if r := h.get(t, url.Values{"extensions": {ext}}, "If-None-Match", r.header.Get("ETag")); r.status != http.StatusNotModified {
		t.Errorf("by hash with If-None-Match: %d", r.status)
	}

	// A second replica on the same Redis knows the hash without being told.
	if testRedis(t) == nil {
		return // in-process APQ: nothing is shared
	}
	other := New(Deps{Store: h.st, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}), Policy: credit.NewPolicy(credit.DefaultSettings()),
		Clock: h.clock.Now, Log: discardLog(), Cache: h.cache, APQ: testAPQ(t, h.prefix)})
	srv := httptest.NewServer(other)
	defer srv.Close()
	r2 := (&harness{srv: srv}).get(t, url.Values{"extensions": {ext}})
	if r2.status != http.StatusOK || !bytes.Equal(r2.Data, r.Data) {
		t.Errorf("second replica by hash: %d %s", r2.status, r2.raw)
	}
}

// TestCacheInvalidatesPagesByNestedRecords: a list page is tagged with the
// enterprises whose records it nests, so a write that touches only one of
// them (a penalty: no list, no collection) still reaches the cached page.
func TestCacheInvalidatesPagesByNestedRecords(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		q := `{ seriousDishonestyList { nodes { enterprise { uscc penalties { totalCount } } } } }`
		total := func(r response) int {
			var out struct {
				SeriousDishonestyList struct {
					Nodes []struct {
						Enterprise struct {
							USCC      string
							Penalties struct{ TotalCount int }
						}
					}
				}
			}
			r.data(t, &out)
			for _, n := range out.SeriousDishonestyList.Nodes {
				if n.Enterprise.USCC == liftCo {
					return n.Enterprise.Penalties.TotalCount
				}
			}
			t.Fatalf("%s is not on the serious list: %s", liftCo, r.Data)
			return 0
		}
		before := total(h.cached(t, q, nil))
		body := fmt.Sprintf(`{"kind":"penalty","uscc":%q,"decision_number":"厦市监处罚〔2026〕77号","violation_type":"未落实安全主体责任","penalty_types":["fine"],"fine_amount":"200000.00","authority":"厦门市市场监督管理局","decided_on":"2026-06-01","published_on":"2026-06-05","procedure":"ordinary","key_area":"special_equipment"}`+"\n", liftCo)
		if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK || !bytes.Contains(r.raw, []byte(`"rejected":0`)) {
			t.Fatalf("ingest: %d %s", r.status, r.raw)
		}
		r := h.query(t, q, nil)
		if got := total(r); got != before+1 || r.cacheStatus() == gqlcache.StatusHit {
			t.Errorf("after a penalty for %s: %d penalties (%s), want %d", liftCo, got, r.cacheStatus(), before+1)
		}
	})
}

// TestCacheInvalidatedForTheEnterpriseARecordLeaves: a penalty re-imported
// under another USCC (a correction) moves to that enterprise, and the
// cached answers about the enterprise it left are not served again — the
// batch names only the new one; the store reports the old one.
func TestCacheInvalidatedForTheEnterpriseARecordLeaves(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const moved = "榕市监处罚〔2026〕101号"
		var from, to profile
		h.cached(t, profileQuery, map[string]any{"uscc": foodCo}).data(t, &from)
		if !slices.Contains(decisions(from), moved) {
			t.Fatalf("the fixture should show %s under %s: %q", moved, foodCo, decisions(from))
		}
		h.cached(t, profileQuery, map[string]any{"uscc": liftCo}).data(t, &to)
		unrelated := `query($u: ID!) { enterprise(uscc: $u) { name penalties { totalCount } } }`
		h.cached(t, unrelated, map[string]any{"u": snackShop})

		// The fixture's line for the penalty, but for the USCC.
		body := fmt.Sprintf(`{"kind":"penalty","uscc":%q,"decision_number":%q,"violation_type":"标签不符合规定","facts":"当事人生产的糕点标签未标注生产日期。","basis":"《中华人民共和国食品安全法》第一百二十五条","penalty_types":["fine"],"content":"罚款人民币伍万元","fine_amount":"50000.00","authority":"福州市市场监督管理局","decided_on":"2026-04-20","published_on":"2026-05-01","procedure":"ordinary","key_area":"food_production"}`+"\n", liftCo, moved)
		if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK || !bytes.Contains(r.raw, []byte(`"rejected":0`)) {
			t.Fatalf("ingest: %d %s", r.status, r.raw)
		}

		r := h.query(t, profileQuery, map[string]any{"uscc": foodCo})
		if r.cacheStatus() == gqlcache.StatusHit {
			t.Errorf("the enterprise the penalty left: served from the cache after the write")
		}
		r.data(t, &from)
		if slices.Contains(decisions(from), moved) {
			t.Errorf("%s still shows %s after it moved to %s: %q (%s)", foodCo, moved, liftCo, decisions(from), r.cacheStatus())
		}
		r = h.query(t, profileQuery, map[string]any{"uscc": liftCo})
		r.data(t, &to)
		if r.cacheStatus() == gqlcache.StatusHit || !slices.Contains(decisions(to), moved) {
			t.Errorf("%s does not show %s after it moved there: %q (%s)", liftCo, moved, decisions(to), r.cacheStatus())
		}
		if r := h.query(t, unrelated, map[string]any{"u": snackShop}); r.cacheStatus() != gqlcache.StatusHit {
			t.Errorf("an answer the write could not change was invalidated (%q): invalidation is not exact", r.cacheStatus())
		}
	})
}

// TestFastPathAnswersLikeTheOrdinaryPath: a repeated request is answered
// without gqlgen, with the same bytes, headers and charge as a cache hit on
// the ordinary path, and a throttled repeat gets the ordinary THROTTLED.
func TestFastPathAnswersLikeTheOrdinaryPath(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 4))
	q := fmt.Sprintf(`{ enterprise(uscc: %q) { name penalties { totalCount } } }`, foodCo)
	first := h.query(t, q, nil)        // computed; the request is remembered
	fast := h.query(t, q, nil)         // the same bytes again: the fast path
	ordinary := h.query(t, q+" ", nil) // same document, other bytes: a hit through gqlgen
	for name, r := range map[string]response{"fast path": fast, "ordinary hit": ordinary} {
		if r.cacheStatus() != gqlcache.StatusHit || !bytes.Equal(r.Data, first.Data) {
			t.Errorf("%s: %s %s", name, r.cacheStatus(), r.raw)
		}
		if ct := r.header.Get("Content-Type"); ct != first.header.Get("Content-Type") {
			t.Errorf("%s: Content-Type %q, want %q", name, ct, first.header.Get("Content-Type"))
		}
	}
	// Byte for byte the same but for the budget left.
	strip := func(b []byte, remaining string) string {
		return string(bytes.Replace(b, []byte(`"currentlyAvailable":`+remaining), []byte(`"currentlyAvailable":N`), 1))
	}
	if a, b := strip(fast.raw, "2"), strip(ordinary.raw, "1"); a != b {
		t.Errorf("fast path and ordinary hit differ:\n%s\n%s", a, b)
	}
	for i, r := range []response{first, fast, ordinary} {
		if got, want := r.header.Get("RateLimit-Remaining"), fmt.Sprint(3-i); got != want {
			t.Errorf("request %d: RateLimit-Remaining %s, want %s: every answer is charged", i+1, got, want)
		}
	}
	h.query(t, q, nil) // the last point
	r := h.query(t, q, nil)
	if r.status != http.StatusTooManyRequests || r.code() != "THROTTLED" || r.header.Get("Retry-After") == "" {
		t.Errorf("over budget: %d %s %s", r.status, r.header.Get("Retry-After"), r.raw)
	}
}

// TestFastPathMissChargesOnce: a remembered request whose entry went stale
// is charged by the fast path and answered by the ordinary path, which must
// not charge it again.
func TestFastPathMissChargesOnce(t *testing.T) {
	h := newHarnessMeter(t, memoryStore(), testMeter(ratelimit.NewShared(nil, ratelimit.Options{}), 100))
	q := fmt.Sprintf(`{ enterprise(uscc: %q) { licenses { totalCount } } }`, foodCo)
	remaining := func(r response) int {
		var n int
		if _, err := fmt.Sscan(r.header.Get("RateLimit-Remaining"), &n); err != nil {
			t.Fatalf("RateLimit-Remaining %q: %v", r.header.Get("RateLimit-Remaining"), err)
		}
		return n
	}
	h.query(t, q, nil)
	warm := h.query(t, q, nil)
	if warm.cacheStatus() != gqlcache.StatusHit {
		t.Fatalf("repeat: %q", warm.cacheStatus())
	}
	body := fmt.Sprintf(`{"kind":"license","uscc":%q,"license_number":"SC10635010200097","name":"食品生产许可证","valid_from":"2026-01-01","valid_to":"2030-12-31","authority":"福州市市场监督管理局","decided_on":"2025-12-20"}`+"\n", foodCo)
	if r := h.ingest(t, body, bearer(writerKey)...); r.status != http.StatusOK {
		t.Fatalf("ingest: %d %s", r.status, r.raw)
	}
	// The writer's key has a budget of its own: the anonymous budget is
	// still warm's remaining.
	r := h.query(t, q, nil)
	if r.cacheStatus() == gqlcache.StatusHit {
		t.Fatalf("after a write: a hit")
	}
	if got, want := remaining(r), remaining(warm)-1; got != want {
		t.Errorf("RateLimit-Remaining after a stale repeat = %d, want %d: charged %d times", got, want, remaining(warm)-got)
	}
	if !bytes.Contains(r.raw, []byte(`"requestedQueryCost":1`)) {
		t.Errorf("no extensions.cost: %s", r.raw)
	}
}
