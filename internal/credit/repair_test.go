package credit

import (
	"errors"
	"strings"
	"testing"
)

// checkRuleErr checks err against a wanted RuleError code ("" = accepted)
// and that its message names each of inMsg.
func checkRuleErr(t *testing.T, err error, code string, inMsg []string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got %v, want accepted", err)
		}
		return
	}
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("got %T %v, want a *RuleError %s", err, err, code)
	}
	if re.Code != code {
		t.Fatalf("code %s (%s), want %s", re.Code, re.Message, code)
	}
	if !strings.HasPrefix(err.Error(), code+": ") {
		t.Errorf("Error() = %q does not start with the code", err.Error())
	}
	for _, s := range inMsg {
		if !strings.Contains(re.Message, s) {
			t.Errorf("message %q does not name %q", re.Message, s)
		}
	}
}

// 信用修复管理办法 for penalties. The default penalty is a ¥200,000 fine
// published 2024-05-01: repair from 2024-11-01 (6 months), or from
// 2025-05-01 (1 year) in food, drug and special equipment.
func TestCheckPenaltyRepair(t *testing.T) {
	const pub = "2024-05-01"
	type tc struct {
		name  string
		pen   Penalty
		on    string
		facts PenaltyRepairFacts
		code  string
		inMsg []string
	}
	tooEarly := func(earliest string) []string { return []string{decision, pub, earliest} }
	tests := []tc{
		{name: "6 months: day before", pen: penalty(pub), on: "2024-10-31", code: CodeRepairTooEarly, inMsg: append(tooEarly("2024-11-01"), "6 months")},
		{name: "6 months: on the day", pen: penalty(pub), on: "2024-11-01"},
		{name: "6 months: day after", pen: penalty(pub), on: "2024-11-02"},
		{name: "6 months: on publication day", pen: penalty(pub), on: pub, code: CodeRepairTooEarly, inMsg: tooEarly("2024-11-01")},
		{name: "6 months: before publication", pen: penalty(pub), on: "2024-01-01", code: CodeRepairTooEarly, inMsg: tooEarly("2024-11-01")},
		{name: "6 months to 29 February: day before", pen: penalty("2023-08-29"), on: "2024-02-28", code: CodeRepairTooEarly, inMsg: []string{decision, "2023-08-29", "2024-02-29"}},
		{name: "6 months to 29 February: on the day", pen: penalty("2023-08-29"), on: "2024-02-29"},
		{name: "1 year from 29 February: day before", pen: penalty("2024-02-29", inArea(AreaDrug)), on: "2025-02-28", code: CodeRepairTooEarly, inMsg: []string{decision, "2024-02-29", "2025-03-01"}},
		{name: "1 year from 29 February: on the day", pen: penalty("2024-02-29", inArea(AreaDrug)), on: "2025-03-01"},

		{name: "repeat violation", pen: penalty(pub), on: "2024-11-01", facts: PenaltyRepairFacts{RepeatViolation: true}, code: CodeRepairRepeatViolation, inMsg: []string{decision, "生产经营不符合食品安全标准的食品"}},
		{name: "while listed", pen: penalty(pub), on: "2024-11-01", facts: PenaltyRepairFacts{Listed: true}, code: CodeRepairWhileListed, inMsg: []string{"2024-11-01"}},
		{name: "too early is reported even when listed", pen: penalty(pub), on: "2024-10-31", facts: PenaltyRepairFacts{Listed: true, RepeatViolation: true}, code: CodeRepairTooEarly, inMsg: tooEarly("2024-11-01")},

		{name: "not applicable: reprimand only", pen: penalty(pub, types(PenaltyPublicReprimand)), on: "2024-06-01", code: CodeRepairNotApplicable, inMsg: []string{decision, "3 months"}},
		{name: "not applicable: lower fine, organisation", pen: penalty(pub, fine(50_000)), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
		{name: "not applicable: lower fine, individual business", pen: penalty(pub, on(indivUSCC), fine(9_999)), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
		{name: "applicable: individual business at the threshold", pen: penalty(pub, on(indivUSCC), fine(10_000)), on: "2024-11-01"},
		{name: "not applicable: warning and lower fine", pen: penalty(pub, types(PenaltyWarning, PenaltyFine), fine(1_000)), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
		{name: "not applicable: warning only", pen: penalty(pub, types(PenaltyWarning)), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
		{name: "not applicable: simple procedure", pen: penalty(pub, simple), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
		{name: "not applicable: revoked", pen: penalty(pub, revoked), on: "2024-11-01", code: CodeRepairNotApplicable, inMsg: []string{decision}},
	}
	for _, a := range KeyAreas {
		if a.IsStrictRepairArea() {
			tests = append(tests,
				tc{name: "1 year, " + string(a) + ": after 6 months", pen: penalty(pub, inArea(a)), on: "2024-11-01", code: CodeRepairTooEarly, inMsg: append(tooEarly("2025-05-01"), "1 year after")},
				tc{name: "1 year, " + string(a) + ": day before", pen: penalty(pub, inArea(a)), on: "2025-04-30", code: CodeRepairTooEarly, inMsg: tooEarly("2025-05-01")},
				tc{name: "1 year, " + string(a) + ": on the day", pen: penalty(pub, inArea(a)), on: "2025-05-01"},
				tc{name: "1 year, " + string(a) + ": day after", pen: penalty(pub, inArea(a)), on: "2025-05-02"},
			)
		} else {
			tests = append(tests,
				tc{name: "6 months, " + string(a) + ": day before", pen: penalty(pub, inArea(a)), on: "2024-10-31", code: CodeRepairTooEarly, inMsg: tooEarly("2024-11-01")},
				tc{name: "6 months, " + string(a) + ": on the day", pen: penalty(pub, inArea(a)), on: "2024-11-01"},
			)
		}
	}
	for _, typ := range unrepairableTypes {
		tests = append(tests,
			tc{name: "never: " + string(typ), pen: penalty(pub, types(typ)), on: "2026-01-01", code: CodeRepairNotAllowed, inMsg: []string{decision, string(typ)}},
			tc{name: "never: fine and " + string(typ), pen: penalty(pub, types(PenaltyFine, typ), fine(1_000)), on: "2026-01-01", code: CodeRepairNotAllowed, inMsg: []string{decision, string(typ)}},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleErr(t, defaultPolicy.CheckPenaltyRepair(tt.pen, d(tt.on), tt.facts), tt.code, tt.inMsg)
		})
	}
}

func TestStrictRepairAreas(t *testing.T) {
	strict := map[KeyArea]bool{AreaFoodProduction: true, AreaSpecialFood: true, AreaDrug: true,
		AreaSpecialEquipment: true, AreaCatering: true, AreaFoodDistribution: true}
	for _, a := range KeyAreas {
		t.Run(string(a), func(t *testing.T) {
			if got := a.IsStrictRepairArea(); got != strict[a] {
				t.Errorf("IsStrictRepairArea = %v, want %v", got, strict[a])
			}
		})
	}
}

// Serious list: early removal by repair after 1 year, without a new heavier
// penalty. Listed 2021-03-01: repair from 2022-03-01.
func TestCheckSeriousRepair(t *testing.T) {
	const listed = "2021-03-01"
	tests := []struct {
		name  string
		l     Listing
		on    string
		facts SeriousRepairFacts
		code  string
		inMsg []string
	}{
		{name: "before listing", l: serious(listed), on: "2021-02-28", code: CodeDateBeforeRecord, inMsg: []string{listingNo, "2021-02-28", listed}},
		{name: "on the listing day", l: serious(listed), on: listed, code: CodeRepairTooEarly, inMsg: []string{listingNo, listed, "2022-03-01", "1 year after"}},
		{name: "1 year: day before", l: serious(listed), on: "2022-02-28", code: CodeRepairTooEarly, inMsg: []string{listingNo, listed, "2022-03-01"}},
		{name: "1 year: on the day", l: serious(listed), on: "2022-03-01"},
		{name: "1 year: day after", l: serious(listed), on: "2022-03-02"},
		{name: "from 29 February: day before", l: serious("2020-02-29"), on: "2021-02-28", code: CodeRepairTooEarly, inMsg: []string{listingNo, "2020-02-29", "2021-03-01"}},
		{name: "from 29 February: on the day", l: serious("2020-02-29"), on: "2021-03-01"},
		{name: "heavier penalty since", l: serious(listed), on: "2022-03-01", facts: SeriousRepairFacts{HeavierPenaltySince: true}, code: CodeRepairHeavierPenalty, inMsg: []string{listingNo}},
		{name: "too early is reported before a heavier penalty", l: serious(listed), on: "2022-02-28", facts: SeriousRepairFacts{HeavierPenaltySince: true}, code: CodeRepairTooEarly, inMsg: []string{listingNo}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleErr(t, defaultPolicy.CheckSeriousRepair(tt.l, d(tt.on), tt.facts), tt.code, tt.inMsg)
		})
	}
}

func TestCheckRemoval(t *testing.T) {
	const listed = "2021-03-01"
	rm := func(on string, reason RemovalReason) Removal {
		return Removal{RemovedOn: d(on), Reason: string(reason), Authority: "福建省市场监督管理局"}
	}
	heavier := SeriousRepairFacts{HeavierPenaltySince: true}
	abnormalNo := abnormal(listed).DecisionNumber
	tests := []struct {
		name  string
		l     Listing
		rm    Removal
		facts SeriousRepairFacts
		code  string
		inMsg []string
	}{
		{name: "expired: day before 3 years", l: serious(listed), rm: rm("2024-02-29", RemovalExpired), code: CodeRemovalBeforeExpiry, inMsg: []string{listingNo, listed, "2024-03-01", "2024-02-29", "3 years"}},
		{name: "expired: on the day", l: serious(listed), rm: rm("2024-03-01", RemovalExpired)},
		{name: "expired: day after", l: serious(listed), rm: rm("2024-03-02", RemovalExpired)},
		{name: "expired: a year in", l: serious(listed), rm: rm("2022-03-01", RemovalExpired), code: CodeRemovalBeforeExpiry, inMsg: []string{listingNo, "2022-03-01"}},
		{name: "expired from 29 February: day before", l: serious("2024-02-29"), rm: rm("2027-02-28", RemovalExpired), code: CodeRemovalBeforeExpiry, inMsg: []string{"2024-02-29", "2027-03-01", "2027-02-28"}},
		{name: "expired from 29 February: on the day", l: serious("2024-02-29"), rm: rm("2027-03-01", RemovalExpired)},
		{name: "credit repair: day before 1 year", l: serious(listed), rm: rm("2022-02-28", RemovalCreditRepair), code: CodeRepairTooEarly, inMsg: []string{listingNo, listed, "2022-03-01"}},
		{name: "credit repair: on the day", l: serious(listed), rm: rm("2022-03-01", RemovalCreditRepair)},
		{name: "credit repair: heavier penalty since", l: serious(listed), rm: rm("2022-03-01", RemovalCreditRepair), facts: heavier, code: CodeRepairHeavierPenalty, inMsg: []string{listingNo}},
		{name: "expired: a heavier penalty does not matter", l: serious(listed), rm: rm("2024-03-01", RemovalExpired), facts: heavier},
		{name: "revoked: on the listing day", l: serious(listed), rm: rm(listed, RemovalRevoked)},
		{name: "revoked: day after listing", l: serious(listed), rm: rm("2021-03-02", RemovalRevoked)},
		{name: "expired: before listing", l: serious(listed), rm: rm("2021-02-28", RemovalExpired), code: CodeDateBeforeRecord, inMsg: []string{listingNo, "2021-02-28", listed}},
		{name: "credit repair: before listing", l: serious(listed), rm: rm("2021-02-28", RemovalCreditRepair), code: CodeDateBeforeRecord, inMsg: []string{listingNo, "2021-02-28", listed}},
		{name: "revoked: before listing", l: serious(listed), rm: rm("2021-02-28", RemovalRevoked), code: CodeDateBeforeRecord, inMsg: []string{listingNo, "2021-02-28", listed}},
		{name: "abnormal: before listing", l: abnormal(listed), rm: Removal{RemovedOn: d("2021-02-28"), Reason: "已补报年度报告"}, code: CodeDateBeforeRecord, inMsg: []string{abnormalNo, "2021-02-28", listed}},
		{name: "abnormal: on the listing day", l: abnormal(listed), rm: Removal{RemovedOn: d(listed), Reason: "已补报年度报告"}},
		{name: "abnormal: no waiting period", l: abnormal(listed), rm: Removal{RemovedOn: d("2021-03-02"), Reason: "已补报年度报告"}},
		{name: "abnormal: a reason spelled expired is free text", l: abnormal(listed), rm: rm("2021-03-02", RemovalExpired)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleErr(t, defaultPolicy.CheckRemoval(tt.l, tt.rm, tt.facts), tt.code, tt.inMsg)
		})
	}
}

// The abnormal list is repaired once the failing is cured: any day from the
// listing on.
func TestCheckAbnormalRepair(t *testing.T) {
	const listed = "2023-05-10"
	no := abnormal(listed).DecisionNumber
	tests := []struct {
		name  string
		on    string
		code  string
		inMsg []string
	}{
		{name: "day before listing", on: "2023-05-09", code: CodeDateBeforeRecord, inMsg: []string{no, "2023-05-09", listed}},
		{name: "listing day", on: listed},
		{name: "day after listing", on: "2023-05-11"},
		{name: "years later", on: "2027-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRuleErr(t, defaultPolicy.CheckAbnormalRepair(abnormal(listed), d(tt.on)), tt.code, tt.inMsg)
		})
	}
}
