package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// CursorRepeatOffenders is the cursor kind of the repeat-offender list; its
// cursor carries the penalty count, the total fines and the USCC.
const CursorRepeatOffenders = "repeat_offenders"

// Reporter answers the media's questions about the record (屡罚不改,
// statistics). Every count, sum and rank is over exactly the records v may
// see on v.AsOf (credit.Policy.ViewPenalty, ViewListing): a penalty hidden
// from the public changes nothing a public caller is told.
type Reporter interface {
	// RepeatOffenders pages through the enterprises with at least
	// f.MinPenalties penalties v may see, ordered by penalty count, then
	// total fines, both descending, then USCC.
	RepeatOffenders(ctx context.Context, v credit.Visibility, f RepeatOffenderFilter, p Page) (Connection[RepeatOffender], error)
	CountRepeatOffenders(ctx context.Context, v credit.Visibility, f RepeatOffenderFilter) (int, error)
	// Statistics counts the penalties, listings and inspections v may see.
	Statistics(ctx context.Context, v credit.Visibility, f StatisticsFilter) (Statistics, error)
}

// RepeatOffenderFilter narrows the penalties counted. Nil dates are open.
type RepeatOffenderFilter struct {
	RegionPrefix string         // the enterprise's region
	KeyArea      credit.KeyArea // the penalty's own key area
	// ViolationType is the penalty's violation type exactly. Below
	// REGULATOR a type is read redacted: a value redaction would change
	// names personal data no public type shows, and matches nothing.
	ViolationType string
	DecidedFrom   *time.Time // inclusive
	DecidedTo     *time.Time // inclusive
	MinPenalties  int        // at least 1
}

// RepeatOffender is one enterprise and its counted penalties.
type RepeatOffender struct {
	Enterprise      credit.Enterprise
	PenaltyCount    int
	TotalFines      decimal.Decimal
	LatestDecidedOn time.Time
}

// StatisticsFilter narrows Statistics. Zero values do not filter; dates
// bound each record's own date (decided, listed, inspected), inclusive.
type StatisticsFilter struct {
	RegionPrefix string         // the enterprise's region
	KeyArea      credit.KeyArea // each record's own key area; for abnormal listings, which have none, the enterprise's
	From, To     *time.Time
}

// Statistics are counts over what the caller may see.
type Statistics struct {
	Penalties   PenaltyStatistics
	Serious     ListingStatistics
	Abnormal    ListingStatistics
	Inspections InspectionStatistics
}

// Bucket is one group of a breakdown.
type Bucket struct {
	Key        string
	Count      int
	TotalFines decimal.Decimal // penalties only
}

// PenaltyStatistics: ByMonth is by decision month (YYYY-MM) ascending;
// ByViolationType the TopViolationTypes types with most penalties (then by
// type); ByRegion by the enterprise's region code ascending.
type PenaltyStatistics struct {
	Count           int
	TotalFines      decimal.Decimal
	ByMonth         []Bucket
	ByViolationType []Bucket
	ByRegion        []Bucket
}

// TopViolationTypes is how many violation types PenaltyStatistics lists.
const TopViolationTypes = 20

// ListingStatistics: ByMonth by listing month ascending; ByKeyArea by key
// area (serious: the listing's, "" for none; abnormal: each of the
// enterprise's key areas, so an enterprise in two areas counts in both);
// ByReasonCode (abnormal only) by reason code 1–4.
type ListingStatistics struct {
	Count        int
	ByMonth      []Bucket
	ByKeyArea    []Bucket
	ByReasonCode []Bucket
}

// InspectionStatistics: ByResult by result.
type InspectionStatistics struct {
	Count        int
	NonCompliant int
	ByResult     []Bucket
}

// MonthKey is the ByMonth key of a date: YYYY-MM.
func MonthKey(d time.Time) string { return d.Format("2006-01") }

// ViolationTypeFilterUsable reports whether a violation-type filter can
// match anything v reads: below REGULATOR types are read redacted, and a
// value that redaction changes holds personal data no public type shows.
// Backends then match the recorded type exactly, so they agree.
func ViolationTypeFilterUsable(v credit.Visibility, t string) bool {
	return !v.Public() || credit.Redact(t) == t
}

// TopBuckets sorts buckets by count descending, then key, and keeps n (0:
// all).
func TopBuckets(b []Bucket, n int) []Bucket {
	slices.SortFunc(b, func(x, y Bucket) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return strings.Compare(x.Key, y.Key)
	})
	if n > 0 && len(b) > n {
		b = b[:n]
	}
	return b
}

// SortedBuckets sorts buckets by key.
func SortedBuckets(b []Bucket) []Bucket {
	slices.SortFunc(b, func(x, y Bucket) int { return strings.Compare(x.Key, y.Key) })
	return b
}

// CompareRepeatOffenders orders repeat offenders: more penalties first,
// then larger total fines, then USCC.
func CompareRepeatOffenders(a, b RepeatOffender) int {
	if a.PenaltyCount != b.PenaltyCount {
		return b.PenaltyCount - a.PenaltyCount
	}
	if c := b.TotalFines.Cmp(a.TotalFines); c != 0 {
		return c
	}
	return strings.Compare(a.Enterprise.USCC, b.Enterprise.USCC)
}

// RepeatOffenderKey is the cursor key of a repeat offender.
func RepeatOffenderKey(r RepeatOffender) []string {
	return []string{strconv.Itoa(r.PenaltyCount), r.TotalFines.String(), r.Enterprise.USCC}
}

// ParseRepeatOffenderKey reads a cursor key back.
func ParseRepeatOffenderKey(key []string) (RepeatOffender, error) {
	n, err1 := strconv.Atoi(key[0])
	fines, err2 := decimal.NewFromString(key[1])
	if err1 != nil || err2 != nil {
		return RepeatOffender{}, fmt.Errorf("%w: bad repeat-offender position", ErrBadCursor)
	}
	return RepeatOffender{PenaltyCount: n, TotalFines: fines, Enterprise: credit.Enterprise{USCC: key[2]}}, nil
}
