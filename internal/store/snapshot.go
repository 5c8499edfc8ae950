package store

import (
	"context"
	"fmt"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Dataset names one bulk-export dataset: the records of one kind (and, for
// enterprises, the profiles with all their records).
type Dataset string

const (
	DatasetEnterprises  Dataset = "enterprises"
	DatasetSeriousList  Dataset = "serious_list"
	DatasetAbnormalList Dataset = "abnormal_list"
	DatasetPenalties    Dataset = "penalties"
	DatasetTypicalCases Dataset = "typical_cases"
)

// Datasets lists every dataset, in documentation order.
var Datasets = []Dataset{DatasetEnterprises, DatasetSeriousList, DatasetAbnormalList, DatasetPenalties, DatasetTypicalCases}

// Snapshotter is a store that can read from one consistent snapshot: every
// read inside Snapshot's fn sees the store as it was when the snapshot
// began, whatever is written meanwhile (bulk export, which reads a whole
// dataset with many statements).
type Snapshotter interface {
	// Snapshot calls fn with a reader of one consistent snapshot, valid
	// only until fn returns. The snapshot is read-only and used by one
	// goroutine. The change feed is first brought up to day (its
	// date-driven changes for day are in the snapshot), so that
	// Snapshot.FeedCursor is where a reader of an export made as of day
	// follows the feed from.
	Snapshot(ctx context.Context, day time.Time, fn func(ctx context.Context, s Snapshot) error) error
}

// Snapshot reads one consistent state of the store. Every Reader method
// filters by the visibility it is given, as on the store itself.
type Snapshot interface {
	Reader
	// Owners returns, ascending, up to limit USCCs greater than after of
	// the enterprises that own at least one record of d's kind (every
	// enterprise for DatasetEnterprises), whatever their disclosure state:
	// the *ByUSCC loaders decide what a caller sees of them. It is how an
	// export walks a dataset in chunks of bounded size. DatasetTypicalCases
	// is walked with TypicalCases instead.
	Owners(ctx context.Context, d Dataset, after string, limit int) ([]string, error)
	// Candidates counts every stored record of d's kind (enterprises,
	// listings of the list, penalties, typical cases), whatever their
	// disclosure state: an upper bound of what any caller can export.
	Candidates(ctx context.Context, d Dataset) (int, error)
	// FeedCursor is the change-feed position of the snapshot: the feed up
	// to it is what the snapshot holds, changes(after: it) everything
	// committed after.
	FeedCursor() string
}

// VisibleOwners is a Snapshot that can walk only the owners of the records
// of a dataset that a caller sees, where Owners walks every owner: a
// public penalties export would otherwise read, and drop, the enterprises
// whose penalties have all left public view (most of those that own one).
type VisibleOwners interface {
	// VisibleOwners is Owners restricted to enterprises owning at least one
	// record of d's kind that v sees on v.AsOf — every such enterprise, and
	// possibly others (the caller's reads still decide what v sees).
	VisibleOwners(ctx context.Context, v credit.Visibility, d Dataset, after string, limit int) ([]string, error)
}

// RiskChecker is a Snapshot that holds, as its change feed does, each
// enterprise's risk category schedule: the letter and each later day it
// moves with no write (risk.Model.Schedule), as the feed's writers derived
// it from the whole record on the last write to it or the last day it
// moved. An export writes that schedule per enterprise; without it, it
// reads the whole record and derives it again.
type RiskChecker interface {
	// RiskSchedules returns, for those of usccs whose schedule the feed
	// holds as of day, derived with the model named model
	// (risk.Model.ID), the schedule from day on: the letter on day, then
	// each later step. An enterprise left out — every one, when the feed is
	// not at day or derived its categories with another model — is for the
	// caller to derive.
	RiskSchedules(ctx context.Context, model string, day time.Time, usccs []string) (map[string][]credit.RiskStep, error)
}

// ErrUnknownDataset is returned for a dataset a backend does not know.
func ErrUnknownDataset(d Dataset) error {
	return fmt.Errorf("store: unknown dataset %q", d)
}

// SnapshotterOf finds the Snapshotter behind st, looking through decorators
// that name the store they wrap with an Unwrap() Store method (the caches'
// do): a snapshot is read from the store itself.
func SnapshotterOf(st Store) (Snapshotter, bool) {
	for st != nil {
		if s, ok := st.(Snapshotter); ok {
			return s, true
		}
		u, ok := st.(interface{ Unwrap() Store })
		if !ok {
			return nil, false
		}
		st = u.Unwrap()
	}
	return nil, false
}
