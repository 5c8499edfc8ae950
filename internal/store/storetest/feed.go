package storetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

// The change feed (store.Feed): every backend records the same changes for
// the same writes and dates.

func init() {
	storeTests = append(storeTests,
		storeTest{"FeedWrites", testFeedWrites},
		storeTest{"FeedDates", testFeedDates},
		storeTest{"FeedReasons", testFeedReasons},
		storeTest{"FeedFilters", testFeedFilters},
		storeTest{"FeedOwnersPaged", testFeedOwnersPaged},
		storeTest{"FeedCursors", testFeedCursors},
		storeTest{"FeedConcurrentWriters", testFeedConcurrentWriters},
		storeTest{"FeedRiskCategory", testFeedRiskCategory},
		storeTest{"Watchlists", testWatchlists},
	)
}

func feedOf(t *testing.T, s store.Store) store.Feed {
	t.Helper()
	f, ok := s.(store.Feed)
	if !ok {
		t.Fatalf("%T does not implement store.Feed", s)
	}
	return f
}

// applyOn applies records as one batch written on day, failing on a rejection.
func applyOn(t *testing.T, s store.Store, on string, records ...any) {
	t.Helper()
	b := batch(records...)
	b.Now = day(on).Add(10 * time.Hour)
	rej, err := s.Apply(t.Context(), b)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if len(rej) > 0 {
		t.Fatalf("Apply rejected %+v", rej)
	}
}

// feedLine is a change as a test compares it: "TYPE/ID KIND[ reason]@day".
func feedLine(c feed.Change, v credit.Visibility) string {
	k := c.Public
	if !v.Public() {
		k = c.Regulator
	}
	s := fmt.Sprintf("%s %s", c.Key, k)
	if c.Reason != "" {
		s += " " + string(c.Reason)
	}
	return s + "@" + c.Day.Format(time.DateOnly)
}

// follow reads the whole feed after cursor as v sees it under f, but for
// the risk category's changes (testFeedRiskCategory follows those).
func follow(t *testing.T, s store.Store, v credit.Visibility, f store.ChangeFilter, after string) ([]string, string) {
	t.Helper()
	return followTypes(t, s, v, f, after, func(rt feed.RecordType) bool { return rt != feed.RiskCategory })
}

// followTypes reads the whole feed after cursor as v sees it under f, the
// changes of the record types keep accepts.
func followTypes(t *testing.T, s store.Store, v credit.Visibility, f store.ChangeFilter, after string, keep func(feed.RecordType) bool) ([]string, string) {
	t.Helper()
	var out []string
	for {
		p, err := feedOf(t, s).Changes(t.Context(), v, f, store.Page{First: 3, After: after})
		if err != nil {
			t.Fatalf("Changes: %v", err)
		}
		for _, c := range p.Changes {
			if keep(c.Key.Type) {
				out = append(out, feedLine(c, v))
			}
		}
		after = p.EndCursor
		if !p.HasNext {
			return out, after
		}
	}
}

func partnerOn(d string) credit.Visibility {
	return credit.Visibility{Tier: credit.TierPartner, AsOf: day(d)}
}

func regulatorOn(d string) credit.Visibility {
	return credit.Visibility{Tier: credit.TierRegulator, AsOf: day(d)}
}

func wantFeed(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func testFeedWrites(t *testing.T, s store.Store) {
	applyOn(t, s, "2025-03-01", enterprise(a1), penalty(a1, "P-1", "2025-03-01"))
	got, cur := follow(t, s, partnerOn("2025-03-01"), store.ChangeFilter{}, "")
	wantFeed(t, "partner after the first write", got, []string{
		"ENTERPRISE/" + a1 + " APPEARED@2025-03-01", "PENALTY/P-1 APPEARED@2025-03-01"})
	// The same records again: nobody's view moved.
	applyOn(t, s, "2025-03-02", enterprise(a1), penalty(a1, "P-1", "2025-03-01"))
	got, _ = follow(t, s, regulatorOn("2025-03-02"), store.ChangeFilter{}, cur)
	wantFeed(t, "regulator after a repeated write", got, nil)
	// A field only REGULATOR reads: the public sees nothing happen.
	applyOn(t, s, "2025-03-03", with(enterprise(a1), func(e *credit.Enterprise) { e.Phone = ptr("0591-11111111") }))
	got, _ = follow(t, s, partnerOn("2025-03-03"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner after a phone change", got, nil)
	got, _ = follow(t, s, regulatorOn("2025-03-03"), store.ChangeFilter{}, cur)
	wantFeed(t, "regulator after a phone change", got, []string{"ENTERPRISE/" + a1 + " CHANGED@2025-03-03"})
	// A simple-procedure penalty is never public: no event for the public.
	simple := with(penalty(a1, "P-S", "2025-03-04"), func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple })
	applyOn(t, s, "2025-03-04", simple)
	got, _ = follow(t, s, partnerOn("2025-03-04"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner after a simple-procedure penalty", got, nil)
	got, _ = follow(t, s, regulatorOn("2025-03-04"), store.ChangeFilter{}, cur)
	wantFeed(t, "regulator after a simple-procedure penalty", got, []string{
		"ENTERPRISE/" + a1 + " CHANGED@2025-03-03", "PENALTY/P-S APPEARED NOT_DISCLOSED@2025-03-04"})
}

// testFeedDates: periods ending and publication dates arriving put changes
// on their own day, in date order, before that day's writes, however late
// the feed is read.
func testFeedDates(t *testing.T, s store.Store) {
	short := with(penalty(a1, "P-SHORT", "2025-01-10"), func(p *credit.Penalty) { p.FineAmount = yuan(shortFine); p.Content = ptr("罚款5000元") })
	applyOn(t, s, "2025-01-10", enterprise(a1), short, typicalCase("C-1", "2025-02-01"))
	got, cur := follow(t, s, partnerOn("2025-01-10"), store.ChangeFilter{}, "")
	wantFeed(t, "partner on day one", got, []string{
		"ENTERPRISE/" + a1 + " APPEARED@2025-01-10", "PENALTY/P-SHORT APPEARED@2025-01-10"})
	// Nothing written; read 90 days later: the case appeared on its
	// publication date, the penalty left public view after 3 months.
	got, cur = follow(t, s, partnerOn("2025-04-10"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner 90 days later", got, []string{
		"TYPICAL_CASE/C-1 APPEARED@2025-02-01", "PENALTY/P-SHORT DISAPPEARED@2025-04-10"})
	got, _ = follow(t, s, regulatorOn("2025-04-10"), store.ChangeFilter{}, "")
	wantFeed(t, "regulator from the start", got, []string{
		"ENTERPRISE/" + a1 + " APPEARED@2025-01-10", "PENALTY/P-SHORT APPEARED@2025-01-10",
		"TYPICAL_CASE/C-1 APPEARED NOT_DISCLOSED@2025-01-10",
		"TYPICAL_CASE/C-1 CHANGED@2025-02-01", "PENALTY/P-SHORT CHANGED EXPIRED@2025-04-10"})
	// Years later, a write on a day whose date-driven changes were not yet
	// read comes after them. The cursor handed out in April still holds:
	// nothing after it is gone. The start of the feed is (CHANGES_RETENTION).
	applyOn(t, s, "2028-01-10", penalty(a1, "P-2", "2025-01-11"))
	got, _ = follow(t, s, partnerOn("2028-01-10"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner after a late write", got, []string{"PENALTY/P-2 APPEARED@2028-01-10"})
	got, _ = follow(t, s, partnerOn("2028-01-11"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner the day P-2's three years end", got, []string{
		"PENALTY/P-2 APPEARED@2028-01-10", "PENALTY/P-2 DISAPPEARED@2028-01-11"})
	if _, err := feedOf(t, s).Changes(t.Context(), partnerOn("2028-01-11"), store.ChangeFilter{}, store.Page{After: store.ChangeCursor(0)}); !errors.Is(err, store.ErrCursorExpired) {
		t.Errorf("the start cursor after the retention: %v, want ErrCursorExpired", err)
	}
	// No cursor: from the oldest change kept.
	got, _ = follow(t, s, partnerOn("2028-01-11"), store.ChangeFilter{}, "")
	wantFeed(t, "partner with no cursor after the retention", got, []string{
		"PENALTY/P-2 APPEARED@2028-01-10", "PENALTY/P-2 DISAPPEARED@2028-01-11"})
}

// testFeedReasons: why a record left public view is the regulator's to know.
func testFeedReasons(t *testing.T, s store.Store) {
	a2, a3 := company(2), company(3)
	applyOn(t, s, "2025-01-01", enterprise(a1), enterprise(a2), enterprise(a3), penalty(a1, "P-R", "2024-01-01"),
		penalty(a3, "P-W", "2024-06-01"), serious(a2, "S-1", "2023-01-01"), abnormal(a3, "A-1", "2024-01-01"))
	_, cur := follow(t, s, partnerOn("2025-01-01"), store.ChangeFilter{}, "")
	_, rcur := follow(t, s, regulatorOn("2025-01-01"), store.ChangeFilter{}, "")
	applyOn(t, s, "2025-02-01", repair(credit.RepairPenalty, "P-R", "2025-02-01"),
		with(penalty(a3, "P-W", "2024-06-01"), func(p *credit.Penalty) { p.Revoked = true }),
		repair(credit.RepairSeriousListing, "S-1", "2025-02-01"),
		removal(credit.ListAbnormal, "A-1", "2025-02-01", "已补报年度报告"))
	got, _ := follow(t, s, partnerOn("2025-02-01"), store.ChangeFilter{}, cur)
	wantFeed(t, "partner", got, []string{
		"ABNORMAL_LISTING/A-1 CHANGED@2025-02-01", "PENALTY/P-R DISAPPEARED@2025-02-01",
		"PENALTY/P-W DISAPPEARED@2025-02-01", "SERIOUS_LISTING/S-1 DISAPPEARED@2025-02-01"})
	got, _ = follow(t, s, regulatorOn("2025-02-01"), store.ChangeFilter{}, rcur)
	wantFeed(t, "regulator", got, []string{
		"ABNORMAL_LISTING/A-1 CHANGED@2025-02-01", "PENALTY/P-R CHANGED REPAIRED@2025-02-01",
		"PENALTY/P-W CHANGED WITHDRAWN@2025-02-01", "SERIOUS_LISTING/S-1 CHANGED REPAIRED@2025-02-01"})
}

func testFeedFilters(t *testing.T, s store.Store) {
	b2 := usccOf('1', "350203", 2) // Xiamen
	applyOn(t, s, "2025-01-01", enterprise(a1), enterprise(b2), penalty(a1, "P-A", "2024-12-01"),
		with(penalty(b2, "P-B", "2024-12-01"), func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaDrug) }),
		license(b2, "L-B", "2024-01-01"))
	if _, err := feedOf(t, s).Watch(t.Context(), "k1", []string{b2}, 10); err != nil {
		t.Fatal(err)
	}
	v := partnerOn("2025-01-01")
	for _, tc := range []struct {
		name string
		f    store.ChangeFilter
		want []string
	}{
		{"watchlist", store.ChangeFilter{Watchlist: "k1"}, []string{"ENTERPRISE/" + b2, "LICENSE/L-B", "PENALTY/P-B", "RISK_CATEGORY/" + b2}},
		{"empty watchlist", store.ChangeFilter{Watchlist: "k2"}, nil},
		{"usccs", store.ChangeFilter{USCCs: []string{a1}}, []string{"ENTERPRISE/" + a1, "PENALTY/P-A", "RISK_CATEGORY/" + a1}},
		{"types", store.ChangeFilter{Types: []feed.RecordType{feed.Penalty}}, []string{"PENALTY/P-A", "PENALTY/P-B"}},
		{"risk categories", store.ChangeFilter{Types: []feed.RecordType{feed.RiskCategory}}, []string{"RISK_CATEGORY/" + a1, "RISK_CATEGORY/" + b2}},
		{"region", store.ChangeFilter{RegionPrefix: "3502"}, []string{"ENTERPRISE/" + b2, "LICENSE/L-B", "PENALTY/P-B", "RISK_CATEGORY/" + b2}},
		{"key area of the record", store.ChangeFilter{KeyArea: credit.AreaDrug}, []string{"PENALTY/P-B"}},
		{"all at once", store.ChangeFilter{Watchlist: "k1", Types: []feed.RecordType{feed.License}, RegionPrefix: "35"}, []string{"LICENSE/L-B"}},
	} {
		got, _ := followTypes(t, s, v, tc.f, "", func(feed.RecordType) bool { return true })
		var keys []string
		for _, g := range got {
			keys = append(keys, g[:len(g)-len(" APPEARED@2025-01-01")])
		}
		slices.Sort(keys)
		wantFeed(t, tc.name, keys, tc.want)
	}
}

func testFeedCursors(t *testing.T, s store.Store) {
	f := feedOf(t, s)
	start, err := f.FeedCursor(t.Context(), day("2025-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	applyOn(t, s, "2025-01-01", enterprise(a1))
	mid, err := f.FeedCursor(t.Context(), day("2025-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	applyOn(t, s, "2025-01-02", penalty(a1, "P-1", "2025-01-02"))
	got, _ := follow(t, s, partnerOn("2025-01-02"), store.ChangeFilter{}, start)
	wantFeed(t, "from the start cursor", got, []string{"ENTERPRISE/" + a1 + " APPEARED@2025-01-01", "PENALTY/P-1 APPEARED@2025-01-02"})
	got, end := follow(t, s, partnerOn("2025-01-02"), store.ChangeFilter{}, mid)
	wantFeed(t, "from the cursor after the first write", got, []string{"PENALTY/P-1 APPEARED@2025-01-02"})
	// An empty page keeps the cursor: a follower polls with it.
	p, err := f.Changes(t.Context(), partnerOn("2025-01-02"), store.ChangeFilter{}, store.Page{After: end})
	if err != nil || len(p.Changes) != 0 || p.EndCursor != end {
		t.Errorf("page after the end = %+v, %v; want empty with the same cursor", p, err)
	}
	for _, bad := range []string{"nope", store.EncodeCursor(store.CursorEnterprises, "", a1), store.ChangeCursor(1 << 40)} {
		if _, err := f.Changes(t.Context(), partnerOn("2025-01-02"), store.ChangeFilter{}, store.Page{After: bad}); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("cursor %q: err = %v, want ErrBadCursor", bad, err)
		}
	}
}

// testFeedConcurrentWriters: a follower reading while many batches commit
// at once sees every change exactly once.
func testFeedConcurrentWriters(t *testing.T, s store.Store) {
	applyOn(t, s, "2025-01-01", enterprise(a1))
	const writers, batches = 6, 8
	var wg sync.WaitGroup
	done := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range batches {
				b := batch(penalty(a1, fmt.Sprintf("P-%d-%d", w, i), "2024-12-01"), inspection(a1, fmt.Sprintf("I-%d-%d", w, i), "2024-12-01"))
				b.Now = day("2025-01-01").Add(time.Hour)
				if _, err := s.Apply(t.Context(), b); err != nil {
					t.Errorf("Apply: %v", err)
				}
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	v := partnerOn("2025-01-01")
	var got []string
	after := ""
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true // one more pass after the last commit
		default:
		}
		for {
			p, err := feedOf(t, s).Changes(t.Context(), v, store.ChangeFilter{}, store.Page{First: 7, After: after})
			if err != nil {
				t.Fatalf("Changes: %v", err)
			}
			for _, c := range p.Changes {
				if c.Key.Type != feed.RiskCategory { // how often a1's category moves is testFeedRiskCategory's
					got = append(got, c.Key.String())
				}
			}
			after = p.EndCursor
			if !p.HasNext {
				break
			}
		}
	}
	var want []string
	want = append(want, "ENTERPRISE/"+a1)
	for w := range writers {
		for i := range batches {
			want = append(want, fmt.Sprintf("PENALTY/P-%d-%d", w, i), fmt.Sprintf("INSPECTION/I-%d-%d", w, i))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	wantFeed(t, "changes followed during concurrent writes", got, want)
}

func testWatchlists(t *testing.T, s store.Store) {
	f := feedOf(t, s)
	ctx := t.Context()
	c1, c2, c3 := company(1), company(2), company(3)
	added, err := f.Watch(ctx, "k", []string{c2, c1, c2}, 3)
	if err != nil || !slices.Equal(added, []bool{true, true, false}) {
		t.Fatalf("Watch = %v, %v; want [true true false]", added, err)
	}
	added, err = f.Watch(ctx, "k", []string{c1, c3}, 3)
	if err != nil || !slices.Equal(added, []bool{false, true}) {
		t.Fatalf("Watch again = %v, %v; want [false true]", added, err)
	}
	if _, err := f.Watch(ctx, "k", []string{company(4), company(5)}, 3); !errors.Is(err, store.ErrWatchlistFull) {
		t.Fatalf("Watch past the maximum: %v, want ErrWatchlistFull", err)
	}
	if n, err := f.WatchlistCount(ctx, "k"); err != nil || n != 3 {
		t.Fatalf("WatchlistCount = %d, %v; want 3 (a refused watch adds nothing)", n, err)
	}
	if n, _ := f.WatchlistCount(ctx, "other"); n != 0 {
		t.Errorf("another key's count = %d, want 0", n)
	}
	page, err := f.Watchlist(ctx, "k", store.Page{First: 2})
	if err != nil || len(page.Items) != 2 || !page.HasNext || page.Items[0].USCC != c1 || page.Items[1].USCC != c2 {
		t.Fatalf("Watchlist page 1 = %+v, %v", page, err)
	}
	page, err = f.Watchlist(ctx, "k", store.Page{First: 2, After: page.Cursors[1]})
	if err != nil || len(page.Items) != 1 || page.HasNext || page.Items[0].USCC != c3 {
		t.Fatalf("Watchlist page 2 = %+v, %v", page, err)
	}
	if _, err := f.Watchlist(ctx, "other", store.Page{After: page.Cursors[0]}); !errors.Is(err, store.ErrBadCursor) {
		t.Errorf("another key's cursor: %v, want ErrBadCursor", err)
	}
	gone, err := f.Unwatch(ctx, "k", []string{c2, c2, company(9)})
	if err != nil || !slices.Equal(gone, []bool{true, false, false}) {
		t.Fatalf("Unwatch = %v, %v; want [true false false]", gone, err)
	}
	if n, _ := f.WatchlistCount(ctx, "k"); n != 2 {
		t.Errorf("count after unwatch = %d, want 2", n)
	}
}

// testFeedOwnersPaged: a feed filtered to some enterprises (codes or a
// watchlist), read in small pages, is the whole feed's changes of those
// enterprises, in order, for each audience — also where many of their
// changes are ones the audience does not see (never-public penalties),
// which a page must read past.
func testFeedOwnersPaged(t *testing.T, s store.Store) {
	a2, a3 := company(2), company(3)
	recs := []credit.Penalty{}
	for i := range 9 {
		for _, u := range []string{a1, a2, a3} {
			p := penalty(u, fmt.Sprintf("P-%s-%d", u[len(u)-3:], i), "2024-12-01")
			if i%3 != 0 { // two in three never public: simple procedure
				p.Procedure = credit.ProcedureSimple
			}
			recs = append(recs, p)
		}
	}
	batch := []any{enterprise(a1), enterprise(a2), enterprise(a3)}
	for _, p := range recs {
		batch = append(batch, p)
	}
	applyOn(t, s, "2025-01-01", batch...)
	applyOn(t, s, "2025-01-02", license(a2, "L-2", "2025-01-02"), license(a1, "L-1", "2025-01-02"))
	if _, err := feedOf(t, s).Watch(t.Context(), "k1", []string{a1, a3}, 10); err != nil {
		t.Fatal(err)
	}
	all := func(feed.RecordType) bool { return true }
	for _, v := range []credit.Visibility{partnerOn("2025-01-02"), regulatorOn("2025-01-02")} {
		var whole []feed.Change
		after := ""
		for {
			p, err := feedOf(t, s).Changes(t.Context(), v, store.ChangeFilter{}, store.Page{First: 100, After: after})
			if err != nil {
				t.Fatal(err)
			}
			whole, after = append(whole, p.Changes...), p.EndCursor
			if !p.HasNext {
				break
			}
		}
		of := func(owners ...string) []string {
			var out []string
			for _, c := range whole {
				if slices.Contains(owners, c.USCC) {
					out = append(out, feedLine(c, v))
				}
			}
			return out
		}
		got, _ := followTypes(t, s, v, store.ChangeFilter{USCCs: []string{a1}}, "", all)
		wantFeed(t, fmt.Sprintf("%s, usccs", v.Tier), got, of(a1))
		got, _ = followTypes(t, s, v, store.ChangeFilter{Watchlist: "k1"}, "", all)
		wantFeed(t, fmt.Sprintf("%s, watchlist", v.Tier), got, of(a1, a3))
		if len(of(a1)) < 4 {
			t.Fatalf("%s: %d changes of %s: the test pages nothing", v.Tier, len(of(a1)), a1)
		}
	}
}
