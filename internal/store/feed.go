package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feed"
)

// ErrCursorExpired: a feed cursor older than the feed's retention
// (CHANGES_RETENTION). The changes after it are gone; the caller must export
// again and follow the feed from the export's cursor.
var ErrCursorExpired = errors.New("store: feed cursor expired")

// ErrWatchlistFull: a watch would take a key's watchlist past its maximum.
var ErrWatchlistFull = errors.New("store: watchlist full")

// Feed is the change feed and the watchlists (package feed says what a
// change is). Both backends implement it and pass the storetest suite.
//
// The feed is gap-free: every write appends its changes under one lock held
// to its commit, so sequence numbers are committed in order and a reader
// never sees a later change without every earlier one. Changes a date
// causes (a disclosure period ends, a publication date arrives) are
// appended, under the same lock, the first time anything reads or writes
// the feed on or after that day, before anything else of that day, stamped
// with the day's start: the feed is a function of the records and the
// dates, not of when a replica happened to look.
type Feed interface {
	// Changes returns, in commit order, up to p.Limit() changes after the
	// cursor p.After ("" = from the oldest change kept) that v's audience
	// sees and f selects, of days up to v.AsOf (a caller whose clock is
	// behind the feed's sees later days' changes once it reaches them). It
	// first brings the feed up to v.AsOf. A cursor older than
	// the retention fails with ErrCursorExpired, a malformed one with
	// ErrBadCursor.
	Changes(ctx context.Context, v credit.Visibility, f ChangeFilter, p Page) (ChangePage, error)
	// FeedCursor returns the cursor of the newest change as of day (the
	// feed brought up to day first): changes(after: it) gives exactly what
	// was committed after. See the postgres store's FeedCursorTx for a
	// cursor matching an export's snapshot.
	FeedCursor(ctx context.Context, day time.Time) (string, error)

	// Watch adds usccs (valid codes, upper case) to keyName's watchlist,
	// allowing at most max entries: it reports, per code, whether it was
	// added (false: already there). When the list cannot take every new
	// code, nothing is added and the error wraps ErrWatchlistFull.
	Watch(ctx context.Context, keyName string, usccs []string, max int) ([]bool, error)
	// Unwatch removes usccs, reporting per code whether it was there.
	Unwatch(ctx context.Context, keyName string, usccs []string) ([]bool, error)
	// Watchlist pages through keyName's watchlist, by USCC.
	Watchlist(ctx context.Context, keyName string, p Page) (Connection[WatchEntry], error)
	// WatchlistCount is how many codes keyName watches.
	WatchlistCount(ctx context.Context, keyName string) (int, error)

	// TypicalCasesByID returns the typical cases v may see among ids, by
	// case ID (a change names its record by natural key).
	TypicalCasesByID(ctx context.Context, v credit.Visibility, ids []string) (map[string]credit.TypicalCase, error)
}

// WatchEntry is one watched code.
type WatchEntry struct {
	USCC      string
	CreatedAt time.Time
}

// ChangeFilter narrows Changes; zero values do not filter.
type ChangeFilter struct {
	// Watchlist: only enterprises on this API key's watchlist.
	Watchlist    string
	USCCs        []string
	Types        []feed.RecordType
	RegionPrefix string
	KeyArea      credit.KeyArea
}

// ChangePage is one page of the feed. EndCursor is the cursor to resume
// from: the last change's, or p.After when the page is empty (a follower
// polls with it). Changes[i].Seq orders them.
type ChangePage struct {
	Changes   []feed.Change
	HasNext   bool
	EndCursor string
}

// CursorChanges is the cursor kind of the feed. A feed cursor carries no
// filter: the cursor an export gives serves any filter.
const CursorChanges = "changes"

// CursorWatchlist is the cursor kind of a watchlist.
const CursorWatchlist = "watchlist"

// ChangeCursor is the opaque cursor after change seq (0: the start).
func ChangeCursor(seq int64) string {
	return EncodeCursor(CursorChanges, "", strconv.FormatInt(seq, 10))
}

// ParseChangeCursor returns the sequence number c names; "" is 0.
func ParseChangeCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	k, err := DecodeCursor(c, CursorChanges, "", 1)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(k[0], 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: not a feed position", ErrBadCursor)
	}
	return n, nil
}

// CheckRetention refuses a cursor c (at sequence number after) when
// changes up to pruned were deleted: the changes right after it are gone.
// No cursor at all means "from the oldest change kept" and is never
// refused: a client that needs every change exports first.
func CheckRetention(c string, after, pruned int64) error {
	if c != "" && pruned > 0 && after < pruned {
		return fmt.Errorf("%w: the changes after this cursor are older than the feed keeps; export again and follow the feed from the export's cursor", ErrCursorExpired)
	}
	return nil
}

// ChangeMatches reports whether c passes f (the watchlist, if any, given as
// the set of watched codes).
func ChangeMatches(f ChangeFilter, watched map[string]bool, c feed.Change) bool {
	if f.Watchlist != "" && !watched[c.USCC] {
		return false
	}
	if len(f.USCCs) > 0 && !contains(f.USCCs, c.USCC) {
		return false
	}
	if len(f.Types) > 0 && !contains(f.Types, c.Key.Type) {
		return false
	}
	if f.RegionPrefix != "" && (len(c.Region) < len(f.RegionPrefix) || c.Region[:len(f.RegionPrefix)] != f.RegionPrefix) {
		return false
	}
	return f.KeyArea == "" || contains(c.KeyAreas, f.KeyArea)
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Touched lists, in key order, the records a batch may have changed,
// whatever it rejected: the feed recomputes exactly these after a write.
func Touched(b *Batch) []feed.Key {
	var ks []feed.Key
	add := func(t feed.RecordType, id string) { ks = append(ks, feed.Key{Type: t, ID: id}) }
	for _, l := range b.Enterprises {
		add(feed.Enterprise, l.V.USCC)
	}
	for _, l := range b.Licenses {
		add(feed.License, l.V.LicenseNumber)
	}
	for _, l := range b.Penalties {
		add(feed.Penalty, l.V.DecisionNumber)
	}
	for _, l := range b.Inspections {
		add(feed.Inspection, l.V.InspectionID)
	}
	for _, l := range b.Listings {
		add(feed.ListingType(l.V.List), l.V.DecisionNumber)
	}
	for _, l := range b.Removals {
		add(feed.ListingType(l.V.List), l.V.ListingDecisionNumber)
	}
	for _, l := range b.Commitments {
		add(feed.Commitment, l.V.CommitmentID)
	}
	for _, l := range b.Repairs {
		add(feed.RepairType(l.V.Target), l.V.TargetDecisionNumber)
	}
	for _, l := range b.TypicalCases {
		add(feed.TypicalCase, l.V.CaseID)
	}
	// The order of Key.String (Type + "/" + ID), without building the
	// strings: no type name is a prefix of another.
	slices.SortFunc(ks, func(a, b feed.Key) int {
		if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return slices.Compact(ks)
}
