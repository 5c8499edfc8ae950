package credit

import (
	"errors"
	"testing"
)

// Repairs and removals on or right before the last day of display: the cases
// that first exposed "before" used where "on or before" was meant.
func TestRepairOnTheLastDay(t *testing.T) {
	tests := []struct {
		name string
		got  Disclosure
		want Disclosure
	}{
		{"penalty repaired on its last day: the day before",
			defaultPolicy.Penalty(penalty("2024-05-01", penaltyRepaired("2027-04-30")), d("2027-04-29")), disc(Disclosed, "2027-04-29", "2027-04-30")},
		{"penalty repaired on its last day: that day",
			defaultPolicy.Penalty(penalty("2024-05-01", penaltyRepaired("2027-04-30")), d("2027-04-30")), disc(Repaired, "2027-04-29", "")},
		{"penalty repaired: EndsOn is the last day shown",
			defaultPolicy.Penalty(penalty("2024-05-01", penaltyRepaired("2025-03-01")), d("2025-03-01")), disc(Repaired, "2025-02-28", "")},
		{"serious listing repaired (RepairedOn)",
			defaultPolicy.SeriousListing(serious("2021-03-01", listingRepaired("2022-06-01")), d("2022-06-01")), disc(Repaired, "2022-05-31", "")},
		{"serious listing repaired (removal)",
			defaultPolicy.SeriousListing(serious("2021-03-01", removed("2022-06-01", string(RemovalCreditRepair))), d("2022-06-01")), disc(Repaired, "2022-05-31", "")},
		{"serious listing repaired on its last day: the day before",
			defaultPolicy.SeriousListing(serious("2021-03-01", listingRepaired("2024-02-29")), d("2024-02-28")), disc(Disclosed, "2024-02-28", "2024-02-29")},
		{"serious listing revoked on its last day: the day before",
			defaultPolicy.SeriousListing(serious("2021-03-01", removed("2024-02-29", string(RemovalRevoked))), d("2024-02-28")), disc(Disclosed, "2024-02-28", "2024-02-29")},
		{"late expiry removal does not move EndsOn",
			defaultPolicy.SeriousListing(serious("2021-03-01", removed("2024-04-01", string(RemovalExpired))), d("2024-04-01")), disc(Expired, "2024-02-29", "")},
		{"repair after expiry keeps EXPIRED",
			defaultPolicy.SeriousListing(serious("2021-03-01", listingRepaired("2024-06-01")), d("2024-06-01")), disc(Expired, "2024-02-29", "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDisclosure(t, tt.got, tt.want, false) })
	}
}

func TestRemovalWithUnknownReason(t *testing.T) {
	err := defaultPolicy.CheckRemoval(serious("2021-03-01"), Removal{RemovedOn: d("2022-01-01"), Reason: "because"}, SeriousRepairFacts{})
	var re *RuleError
	if !errors.As(err, &re) || re.Code != CodeRemovalUnknownReason {
		t.Errorf("got %v, want %s", err, CodeRemovalUnknownReason)
	}
}
