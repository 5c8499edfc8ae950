package memory

import (
	"container/heap"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.Feed = (*Store)(nil)

// DefaultRetention is how long the feed keeps changes unless told.
var DefaultRetention = credit.Period{Days: 90}

// feedLog is the change feed, guarded by Store.mu: appended to by Apply and
// by the first read of a new day, both under the write lock, so sequence
// numbers follow the order batches became visible.
type feedLog struct {
	state     map[feed.Key]feed.State
	due       dueHeap // every key with a Next; stale items are skipped
	changes   []feed.Change
	seq       int64
	pruned    int64     // changes up to this sequence number were deleted
	day       time.Time // date-driven changes are appended through this day
	retention credit.Period
}

func newFeedLog() feedLog {
	return feedLog{state: map[feed.Key]feed.State{}, retention: DefaultRetention}
}

// SetRetention sets how long changes are kept (CHANGES_RETENTION); the
// zero Period keeps DefaultRetention.
func (s *Store) SetRetention(p credit.Period) {
	if p == (credit.Period{}) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feed.retention = p
}

type dueItem struct {
	next time.Time
	key  feed.Key
}

type dueHeap []dueItem

func (h dueHeap) Len() int { return len(h) }
func (h dueHeap) Less(i, j int) bool {
	if !h[i].next.Equal(h[j].next) {
		return h[i].next.Before(h[j].next)
	}
	return h[i].key.String() < h[j].key.String()
}
func (h dueHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *dueHeap) Push(x any)   { *h = append(*h, x.(dueItem)) }
func (h *dueHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// feedDay is the day a write at now is recorded for: never before a day the
// feed already reached (a clock moved back does not rewrite history).
func (s *Store) feedDay(now time.Time) time.Time {
	d := credit.DateOf(now)
	if d.Before(s.feed.day) {
		return s.feed.day
	}
	return d
}

// advance appends the changes dates cause through day, one day at a time in
// date order, each stamped with its day's start, and prunes what is older
// than the retention. Callers hold s.mu for writing.
func (s *Store) advance(day time.Time) {
	f := &s.feed
	if !day.After(f.day) {
		return
	}
	for len(f.due) > 0 && !f.due[0].next.After(day) {
		d := f.due[0].next
		var keys []feed.Key
		for len(f.due) > 0 && f.due[0].next.Equal(d) {
			it := heap.Pop(&f.due).(dueItem)
			if st, ok := f.state[it.key]; ok && st.Next.Equal(d) {
				keys = append(keys, it.key)
			}
		}
		slices.SortFunc(keys, func(a, b feed.Key) int { return strings.Compare(a.String(), b.String()) })
		s.record(keys, d, d, day)
	}
	f.day = day
	cut := f.retention.Before(day)
	n := sort.Search(len(f.changes), func(i int) bool { return !f.changes[i].Recorded.Before(cut) })
	if n > 0 {
		f.pruned = f.changes[n-1].Seq
		f.changes = slices.Delete(f.changes, 0, n)
	}
}

// record recomputes keys as of day and appends a change for each whose
// view moved, stamped at and recorded on the feed's day recorded. Callers
// hold s.mu for writing.
func (s *Store) record(keys []feed.Key, day, at, recorded time.Time) {
	f := &s.feed
	for _, k := range keys {
		e := s.entryOf(k, day)
		old := f.state[k]
		if c, ok := feed.Diff(old, e, day, at); ok {
			f.seq++
			c.Seq = f.seq
			c.Recorded = recorded
			f.changes = append(f.changes, c)
		}
		if !e.Public.Seen() && !e.Regulator.Seen() {
			delete(f.state, k)
			continue
		}
		f.state[k] = e.State
		if !e.Next.IsZero() && !e.Next.Equal(old.Next) {
			heap.Push(&f.due, dueItem{e.Next, k})
		}
	}
}

// touched is what a batch may have changed: store.Touched, and the risk
// category of every enterprise whose records it wrote or moved away.
// Callers hold s.mu.
func (s *Store) touched(b *store.Batch) []feed.Key {
	keys := store.Touched(b)
	for _, u := range b.Displaced {
		keys = append(keys, feed.Key{Type: feed.RiskCategory, ID: u})
	}
	return feed.WithRisk(keys, s.ownerOf)
}

// ownerOf is the enterprise of the record under k, "" for none.
func (s *Store) ownerOf(k feed.Key) string {
	switch k.Type {
	case feed.Enterprise:
		if _, ok := s.enterprises[k.ID]; ok {
			return k.ID
		}
	case feed.License:
		return s.licenses.ownerOf(k.ID)
	case feed.Penalty:
		return s.penalties.ownerOf(k.ID)
	case feed.Inspection:
		return s.inspections.ownerOf(k.ID)
	case feed.AbnormalListing:
		return s.listings.ownerOf(listingKey{credit.ListAbnormal, k.ID})
	case feed.SeriousListing:
		return s.listings.ownerOf(listingKey{credit.ListSerious, k.ID})
	case feed.Commitment:
		return s.commitments.ownerOf(k.ID)
	}
	return ""
}

// riskEntry is the entry of the risk category of the enterprise uscc as of
// day, from its whole record; the zero entry when it is not stored.
// Callers hold s.mu.
func (s *Store) riskEntry(uscc string, day time.Time) feed.Entry {
	e, ok := s.enterprises[uscc]
	if !ok {
		return feed.Entry{Key: feed.Key{Type: feed.RiskCategory, ID: uscc}}
	}
	r := feed.Records{Enterprise: e, Licenses: s.licenses.of(uscc), Penalties: s.penalties.of(uscc),
		Inspections: s.inspections.of(uscc), Listings: s.listings.of(uscc), Commitments: s.commitments.of(uscc)}
	return feed.RiskEntry(s.risk, s.p, &r, day)
}

// entryOf is the entry of the record under k as of day; a record that is
// not stored has the zero entry (seen by nobody).
func (s *Store) entryOf(k feed.Key, day time.Time) feed.Entry {
	owner := func(uscc string) *credit.Enterprise {
		e := s.enterprises[uscc]
		return &e
	}
	switch k.Type {
	case feed.Enterprise:
		if e, ok := s.enterprises[k.ID]; ok {
			return feed.EnterpriseEntry(s.p, &e, day)
		}
	case feed.License:
		if r, ok := s.licenses.get(k.ID); ok {
			return feed.LicenseEntry(s.p, owner(r.USCC), r, day)
		}
	case feed.Penalty:
		if r, ok := s.penalties.get(k.ID); ok {
			return feed.PenaltyEntry(s.p, owner(r.USCC), r, day)
		}
	case feed.Inspection:
		if r, ok := s.inspections.get(k.ID); ok {
			return feed.InspectionEntry(s.p, owner(r.USCC), r, day)
		}
	case feed.AbnormalListing, feed.SeriousListing:
		list := credit.ListAbnormal
		if k.Type == feed.SeriousListing {
			list = credit.ListSerious
		}
		if r, ok := s.listings.get(listingKey{list, k.ID}); ok {
			return feed.ListingEntry(s.p, owner(r.USCC), r, day)
		}
	case feed.Commitment:
		if r, ok := s.commitments.get(k.ID); ok {
			return feed.CommitmentEntry(s.p, owner(r.USCC), r, day)
		}
	case feed.TypicalCase:
		if c, ok := s.cases[k.ID]; ok {
			return feed.CaseEntry(s.p, c, day)
		}
	case feed.RiskCategory:
		return s.riskEntry(k.ID, day)
	}
	return feed.Entry{Key: k}
}

// Changes returns a page of the feed as v's audience sees it.
func (s *Store) Changes(ctx context.Context, v credit.Visibility, f store.ChangeFilter, p store.Page) (store.ChangePage, error) {
	after, err := store.ParseChangeCursor(p.After)
	if err != nil {
		return store.ChangePage{}, err
	}
	watched, err := s.watchedSet(f.Watchlist)
	if err != nil {
		return store.ChangePage{}, err
	}
	s.catchUp(v.AsOf)
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := store.CheckRetention(p.After, after, s.feed.pruned); err != nil {
		return store.ChangePage{}, err
	}
	if after > s.feed.seq {
		return store.ChangePage{}, fmt.Errorf("%w: the feed has no change %d (was it restored from a backup? export again and follow the feed from the export's cursor)", store.ErrBadCursor, after)
	}
	limit := p.Limit()
	out := store.ChangePage{EndCursor: store.ChangeCursor(after)}
	cs := s.feed.changes
	i := sort.Search(len(cs), func(i int) bool { return cs[i].Seq > after })
	for ; i < len(cs); i++ {
		c := cs[i]
		if c.Day.After(v.AsOf) {
			break // days only grow along the feed: a caller behind them sees none yet
		}
		if kindFor(v, c) == feed.None || !feed.Visible(c.Key.Type, v.Tier) || !store.ChangeMatches(f, watched, c) {
			continue
		}
		if len(out.Changes) == limit {
			out.HasNext = true
			break
		}
		if v.Public() {
			c.Reason = "" // REGULATOR only
		}
		out.Changes = append(out.Changes, c)
		out.EndCursor = store.ChangeCursor(c.Seq)
	}
	return out, ctx.Err()
}

func kindFor(v credit.Visibility, c feed.Change) feed.Kind {
	if v.Public() {
		return c.Public
	}
	return c.Regulator
}

// catchUp brings the feed up to day.
func (s *Store) catchUp(day time.Time) {
	s.mu.RLock()
	behind := day.After(s.feed.day)
	s.mu.RUnlock()
	if behind {
		s.mu.Lock()
		s.advance(day)
		s.mu.Unlock()
	}
}

// FeedCursor returns the cursor of the newest change as of day. Reads of
// this store see whole batches only, so any cursor it returns is a cut of
// the feed that matches what a read made right after sees.
func (s *Store) FeedCursor(ctx context.Context, day time.Time) (string, error) {
	s.catchUp(day)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return store.ChangeCursor(s.feed.seq), ctx.Err()
}

// TypicalCasesByID returns the cases v may see among ids.
func (s *Store) TypicalCasesByID(ctx context.Context, v credit.Visibility, ids []string) (map[string]credit.TypicalCase, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]credit.TypicalCase, len(ids))
	for _, id := range ids {
		if c, ok := s.cases[id]; ok {
			if cv, ok := s.p.ViewCase(v, cloneCase(c)); ok {
				out[id] = cv
			}
		}
	}
	return out, ctx.Err()
}
