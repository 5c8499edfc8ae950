// Package storetest is the conformance suite every store.Store backend must
// pass, in the style of Dex's storage/conformance: a backend's own test
// calls RunTests with a constructor, and each subtest gets a fresh, empty
// store. The suite is the executable form of the store semantics both
// backends share (upserts, rejections, ordering, keyset paging, filters and
// every disclosure rule at its boundaries), so a behaviour the backends must
// agree on belongs here, not in one backend's tests. It must not import a
// backend.
//
// Semantics the suite pins down beyond store.go's comments:
//   - A listing is "in force" on a day when it was listed on or before it, has
//     no removal and no credit repair dated on or before it and, for the
//     serious list, is within its period. OnSeriousList/OnAbnormalList, the
//     default (IncludeRemoved=false) list and a penalty repair's Listed fact
//     all use it, for every tier.
//   - Within a batch, removals apply after all records, and repairs of
//     listings before repairs of penalties, so a penalty repair sees the
//     lists as the same batch leaves them.
//   - A repeat violation is a non-revoked penalty of the same enterprise and
//     violation type decided after the repaired one and on or before the
//     repair date.
//   - A typical case naming an unknown enterprise is an UNKNOWN_REFERENCE.
//   - Re-importing a penalty or listing keeps the repair and removal already
//     applied to it; an enterprise re-import replaces every field.
//   - A record re-imported under another USCC moves to it, and Apply names
//     the enterprise it left in Batch.Displaced: the owner of each key the
//     batch wrote, before the batch, if it differs from the owner after it.
//   - Every period ends where credit.Policy says, to the day (time.AddDate
//     arithmetic, not SQL intervals: 29 February + 3 years = 1 March).
//   - Page.First is clamped by Page.Limit (0 = 20, at most 100).
package storetest

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// RunTests runs the conformance suite. newStore must return a fresh, empty
// store using policy p, and arrange its Close with t.Cleanup.
func RunTests(t *testing.T, newStore func(t *testing.T, p credit.Policy) store.Store) {
	p := credit.NewPolicy(credit.DefaultSettings())
	fresh := func(t *testing.T) store.Store {
		t.Helper()
		return newStore(t, p)
	}
	for _, tc := range storeTests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, fresh(t)) })
	}
	// Table tests whose rows each need their own empty store.
	for _, tc := range tableTests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, fresh) })
	}
}

type storeTest struct {
	name string
	run  func(t *testing.T, s store.Store)
}

type tableTest struct {
	name string
	run  func(t *testing.T, fresh func(t *testing.T) store.Store)
}

var storeTests = []storeTest{
	{"ApplyIdempotent", testApplyIdempotent},
	{"ApplyOrderIndependent", testApplyOrderIndependent},
	{"ApplyRetryAfterUnknownReference", testApplyRetryAfterUnknownReference},
	{"ApplyKeepsRepairsAndRemovals", testApplyKeepsRepairsAndRemovals},
	{"ApplyEnterpriseReplaces", testApplyEnterpriseReplaces},
	{"ApplyRecordMovesEnterprise", testApplyRecordMovesEnterprise},
	{"ApplyReportsDisplaced", testApplyReportsDisplaced},
	{"ApplyAbnormalRepair", testApplyAbnormalRepair},
	{"ApplyRejectedLeavesNoTrace", testApplyRejectedLeavesNoTrace},
	{"ApplyEmptyBatch", testApplyEmptyBatch},
	{"Ping", testPing},
	{"Snapshot", testSnapshot},
	{"Enterprise", testEnterprise},
	{"EnterprisesByUSCC", testEnterprisesByUSCC},
	{"LoadersKeyOrder", testLoadersKeyOrder},
	{"LoadersNewestFirst", testLoadersNewestFirst},
	{"RecordsInOneRead", testRecordsInOneRead},
	{"ListingsByUSCCOneList", testListingsByUSCCOneList},
	{"PublicRecordsEveryTier", testPublicRecordsEveryTier},
	{"PersonalData", testPersonalData},
	{"PaginateEnterprises", testPaginateEnterprises},
	{"PaginateListings", testPaginateListings},
	{"PaginateTypicalCases", testPaginateTypicalCases},
	{"PaginateFromAnyCursor", testPaginateFromAnyCursor},
	{"PaginateAcrossWrites", testPaginateAcrossWrites},
	{"DefaultPageSize", testDefaultPageSize},
	{"BadCursors", testBadCursors},
	{"EnterpriseFilters", testEnterpriseFilters},
	{"ListingFilters", testListingFilters},
	{"CaseFilters", testCaseFilters},
	{"RepairedPenaltyHidesRepair", testRepairedPenaltyHidesRepair},
	{"AbnormalRemovalPublic", testAbnormalRemovalPublic},
	{"RegulatorSeesEverything", testRegulatorSeesEverything},
	{"TypicalCaseNotYetPublished", testTypicalCaseNotYetPublished},
	{"RecordsByKey", testRecordsByKey},
	{"Keys", testKeys},
	{"Audit", testAudit},
	{"SearchRelevance", testSearchRelevance},
	{"SearchPaging", testSearchPaging},
	{"CaseTextSearch", testCaseTextSearch},
	{"RepeatOffenders", testRepeatOffenders},
	{"Statistics", testStatistics},
	{"ReportRegions", testReportRegions},
}

var tableTests = []tableTest{
	{"ApplyUnknownReference", testApplyUnknownReference},
	{"ApplyRules", testApplyRules},
	{"PenaltyDisclosure", testPenaltyDisclosure},
	{"ListingDisclosure", testListingDisclosure},
}
