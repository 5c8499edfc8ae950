package storetest

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

type ruleCase struct {
	name   string
	setup  []any // records the rule is checked against (always accepted)
	record any   // the repair or removal under test
	want   string
}

// The store gathers the facts around a repair or removal and asks the
// policy; these cases check the facts at their boundaries, each with the
// code of the rule it breaks ("" = accepted). Every case runs twice: with the
// setup applied first, and with everything in one batch, the record under
// test first, since order within a batch must not matter.
func testApplyRules(t *testing.T, fresh func(t *testing.T) store.Store) {
	for _, tt := range ruleCases() {
		t.Run(tt.name+"/separate batches", func(t *testing.T) {
			s := fresh(t)
			mustApply(t, s, tt.setup...)
			checkRule(t, apply(t, s, tt.record), tt.want)
		})
		t.Run(tt.name+"/one batch", func(t *testing.T) {
			s := fresh(t)
			checkRule(t, apply(t, s, append([]any{tt.record}, tt.setup...)...), tt.want)
		})
	}
}

func checkRule(t *testing.T, rej []store.Rejection, want string) {
	t.Helper()
	var wantCodes []string
	if want != "" {
		wantCodes = []string{"1 " + want}
	}
	eqKeys(t, "rejections", codes(rej), wantCodes)
}

func ruleCases() []ruleCase {
	var cases []ruleCase
	cases = append(cases, penaltyRepairCases()...)
	cases = append(cases, penaltyRepairFactCases()...)
	cases = append(cases, seriousRemovalCases()...)
	return append(cases, listingRepairCases()...)
}

// penaltyRepairCases: the penalty's own conditions. P1 is a ¥200,000 fine
// published 2024-01-10, so the 6-month wait ends 2024-07-10.
func penaltyRepairCases() []ruleCase {
	base := func(p credit.Penalty) []any { return []any{enterprise(a1), p} }
	p1 := penalty(a1, "P1", "2024-01-10")
	r := func(on string) credit.CreditRepair { return repair(credit.RepairPenalty, "P1", on) }
	set := func(f func(*credit.Penalty)) []any { return base(with(p1, f)) }
	return []ruleCase{
		{"penalty repair after 6 months", base(p1), r("2024-07-10"), ""},
		{"penalty repair a day before 6 months", base(p1), r("2024-07-09"), credit.CodeRepairTooEarly},
		{"food penalty repair after 6 months", set(func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaFoodProduction) }), r("2024-07-10"), credit.CodeRepairTooEarly},
		{"food penalty repair a day before 1 year", set(func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaFoodProduction) }), r("2025-01-09"), credit.CodeRepairTooEarly},
		{"food penalty repair after 1 year", set(func(p *credit.Penalty) { p.KeyArea = ptr(credit.AreaFoodProduction) }), r("2025-01-10"), ""},
		// 31 August + 6 months is 2 March in a leap year (time.AddDate), not 29 February.
		{"6 months from 31 August, too early", []any{enterprise(a1), penalty(a1, "P1", "2023-08-31")}, r("2024-03-01"), credit.CodeRepairTooEarly},
		{"6 months from 31 August", []any{enterprise(a1), penalty(a1, "P1", "2023-08-31")}, r("2024-03-02"), ""},
		{"suspension never repairable", set(func(p *credit.Penalty) {
			p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyFine, credit.PenaltySuspension}
		}), r("2025-01-10"), credit.CodeRepairNotAllowed},
		{"licence revocation never repairable", set(func(p *credit.Penalty) {
			p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyLicenseRevocation}
		}), r("2025-01-10"), credit.CodeRepairNotAllowed},
		{"short-period fine expires by itself", set(func(p *credit.Penalty) { p.FineAmount = yuan(shortFine) }), r("2025-01-10"), credit.CodeRepairNotApplicable},
		{"simple procedure is never public", set(func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }), r("2025-01-10"), credit.CodeRepairNotApplicable},
		{"revoked penalty is withdrawn", set(func(p *credit.Penalty) { p.Revoked = true }), r("2025-01-10"), credit.CodeRepairNotApplicable},
	}
}

// penaltyRepairFactCases: what the store knows around P1 (published
// 2024-01-10), repaired on 2024-08-01.
func penaltyRepairFactCases() []ruleCase {
	p1 := penalty(a1, "P1", "2024-01-10")
	r := repair(credit.RepairPenalty, "P1", "2024-08-01")
	other := func(decided string, f func(*credit.Penalty)) credit.Penalty {
		return with(penalty(a1, "P2", decided), f)
	}
	same := func(*credit.Penalty) {}
	withSetup := func(extra ...any) []any { return append([]any{enterprise(a1), p1}, extra...) }
	return []ruleCase{
		{"repeat violation before the repair", withSetup(other("2024-03-01", same)), r, credit.CodeRepairRepeatViolation},
		{"repeat violation on the repair date", withSetup(other("2024-08-01", same)), r, credit.CodeRepairRepeatViolation},
		{"repeat violation after the repair date", withSetup(other("2024-08-02", same)), r, ""},
		{"same violation before the penalty", withSetup(other("2023-06-01", same)), r, ""},
		{"other violation type", withSetup(other("2024-03-01", func(p *credit.Penalty) { p.ViolationType = "无照经营" })), r, ""},
		{"revoked repeat penalty", withSetup(other("2024-03-01", func(p *credit.Penalty) { p.Revoked = true })), r, ""},
		{"repeat by another enterprise", append(withSetup(enterprise(company(2))),
			with(penalty(company(2), "P2", "2024-03-01"), same)), r, ""},
		{"abnormally listed", withSetup(abnormal(a1, "A1", "2024-05-01")), r, credit.CodeRepairWhileListed},
		{"abnormally listed on the repair date", withSetup(abnormal(a1, "A1", "2024-08-01")), r, credit.CodeRepairWhileListed},
		{"abnormally listed after the repair date", withSetup(abnormal(a1, "A1", "2024-08-02")), r, ""},
		{"abnormal listing removed before", withSetup(abnormal(a1, "A1", "2024-05-01"),
			removal(credit.ListAbnormal, "A1", "2024-07-31", "已补报")), r, ""},
		{"abnormal listing removed on the repair date", withSetup(abnormal(a1, "A1", "2024-05-01"),
			removal(credit.ListAbnormal, "A1", "2024-08-01", "已补报")), r, ""},
		{"abnormal listing removed after the repair date", withSetup(abnormal(a1, "A1", "2024-05-01"),
			removal(credit.ListAbnormal, "A1", "2024-08-02", "已补报")), r, credit.CodeRepairWhileListed},
		{"abnormal listing repaired before", withSetup(abnormal(a1, "A1", "2024-05-01"),
			repair(credit.RepairAbnormalListing, "A1", "2024-07-01")), r, ""},
		{"seriously listed", withSetup(serious(a1, "S1", "2024-02-01")), r, credit.CodeRepairWhileListed},
		{"serious listing expired", withSetup(serious(a1, "S1", "2021-08-01")), r, ""},
		{"serious listing on its last day", withSetup(serious(a1, "S1", "2021-08-02")), r, credit.CodeRepairWhileListed},
		{"serious listing revoked before", withSetup(serious(a1, "S1", "2024-02-01"),
			removal(credit.ListSerious, "S1", "2024-03-01", string(credit.RemovalRevoked))), r, ""},
		{"listing of another enterprise", withSetup(enterprise(company(2)), abnormal(company(2), "A1", "2024-05-01")), r, ""},
	}
}

// seriousRemovalCases: S1 listed 2021-03-01 expires after 2024-02-29; S2
// listed 2024-03-01 may be repaired from 2025-03-01.
func seriousRemovalCases() []ruleCase {
	s1 := []any{enterprise(a1), serious(a1, "S1", "2021-03-01")}
	s2 := func(extra ...any) []any {
		return append([]any{enterprise(a1), serious(a1, "S2", "2024-03-01")}, extra...)
	}
	rm := func(number, on string, reason credit.RemovalReason) store.ListingRemoval {
		return removal(credit.ListSerious, number, on, string(reason))
	}
	heavier := func(decided string, f func(*credit.Penalty)) credit.Penalty {
		return with(penalty(a1, "P9", decided), f)
	}
	keep := func(*credit.Penalty) {}
	repairRm := rm("S2", "2025-03-01", credit.RemovalCreditRepair)
	return []ruleCase{
		{"expired after 3 years", s1, rm("S1", "2024-03-01", credit.RemovalExpired), ""},
		{"expired from a leap day, a day early", []any{enterprise(a1), serious(a1, "S1", "2020-02-29")},
			rm("S1", "2023-02-28", credit.RemovalExpired), credit.CodeRemovalBeforeExpiry},
		{"expired from a leap day", []any{enterprise(a1), serious(a1, "S1", "2020-02-29")},
			rm("S1", "2023-03-01", credit.RemovalExpired), ""},
		{"expired a day early", s1, rm("S1", "2024-02-29", credit.RemovalExpired), credit.CodeRemovalBeforeExpiry},
		{"revoked at any time", s2(), rm("S2", "2024-03-02", credit.RemovalRevoked), ""},
		{"removed before listing", s2(), rm("S2", "2024-02-29", credit.RemovalRevoked), credit.CodeDateBeforeRecord},
		{"abnormal removed before listing", []any{enterprise(a1), abnormal(a1, "A1", "2024-03-01")},
			removal(credit.ListAbnormal, "A1", "2024-02-29", "已补报"), credit.CodeDateBeforeRecord},
		{"abnormal removed on listing day", []any{enterprise(a1), abnormal(a1, "A1", "2024-03-01")},
			removal(credit.ListAbnormal, "A1", "2024-03-01", "已补报"), ""},
		{"repair removal after 1 year", s2(), repairRm, ""},
		{"repair removal a day early", s2(), rm("S2", "2025-02-28", credit.RemovalCreditRepair), credit.CodeRepairTooEarly},
		{"repair removal after heavier penalty", s2(heavier("2024-06-01", keep)), repairRm, credit.CodeRepairHeavierPenalty},
		{"penalty on the listing day is not new", s2(heavier("2024-03-01", keep)), repairRm, ""},
		{"short-period penalty is not heavier", s2(heavier("2024-06-01", func(p *credit.Penalty) { p.FineAmount = yuan(shortFine) })), repairRm, ""},
		{"warning is not heavier", s2(heavier("2024-06-01", func(p *credit.Penalty) {
			p.PenaltyTypes = []credit.PenaltyType{credit.PenaltyWarning}
			p.FineAmount = nil
		})), repairRm, ""},
		{"simple procedure is not heavier", s2(heavier("2024-06-01", func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple })), repairRm, ""},
		{"heavier penalty of another enterprise", s2(enterprise(company(2)), penalty(company(2), "P9", "2024-06-01")), repairRm, ""},
		{"revoked penalty is not heavier", s2(heavier("2024-06-01", func(p *credit.Penalty) { p.Revoked = true })), repairRm, ""},
	}
}

// listingRepairCases: credit_repair records aimed at listings.
func listingRepairCases() []ruleCase {
	s2 := func(extra ...any) []any {
		return append([]any{enterprise(a1), serious(a1, "S2", "2024-03-01")}, extra...)
	}
	r := func(on string) credit.CreditRepair { return repair(credit.RepairSeriousListing, "S2", on) }
	abn := []any{enterprise(a1), abnormal(a1, "A1", "2024-03-01")}
	return []ruleCase{
		{"serious repair after 1 year", s2(), r("2025-03-01"), ""},
		{"serious repair a day early", s2(), r("2025-02-28"), credit.CodeRepairTooEarly},
		{"serious repair before listing", s2(), r("2024-02-01"), credit.CodeDateBeforeRecord},
		{"serious repair after heavier penalty", s2(penalty(a1, "P9", "2024-09-01")), r("2025-03-01"), credit.CodeRepairHeavierPenalty},
		{"heavier penalty on the repair day counts", s2(penalty(a1, "P9", "2025-03-01")), r("2025-03-01"), credit.CodeRepairHeavierPenalty},
		{"heavier penalty after the repair day does not", s2(penalty(a1, "P9", "2025-03-02")), r("2025-03-01"), ""},
		{"abnormal repair on listing day", abn, repair(credit.RepairAbnormalListing, "A1", "2024-03-01"), ""},
		{"abnormal repair before listing", abn, repair(credit.RepairAbnormalListing, "A1", "2024-02-29"), credit.CodeDateBeforeRecord},
	}
}
