package credit

import (
	"strings"
	"testing"
	"time"
)

func vis(tier Tier, asOf string) Visibility { return Visibility{Tier: tier, AsOf: d(asOf)} }

// That a repair happened is REGULATOR-only; PARTNER is the public.
func TestViewPenalty(t *testing.T) {
	future := penalty("2024-05-01", penaltyRepaired("2026-01-01"))
	tests := []struct {
		name         string
		pen          Penalty
		v            Visibility
		wantOK       bool
		wantRepaired string // "" = RepairedOn nil in the view
	}{
		{name: "public, disclosed, repair ahead: hidden", pen: future, v: vis(TierPublic, "2025-06-01"), wantOK: true},
		{name: "partner, disclosed, repair ahead: hidden", pen: future, v: vis(TierPartner, "2025-06-01"), wantOK: true},
		{name: "regulator, disclosed, repair ahead: shown", pen: future, v: vis(TierRegulator, "2025-06-01"), wantOK: true, wantRepaired: "2026-01-01"},
		{name: "public, repaired", pen: future, v: vis(TierPublic, "2026-01-01"), wantOK: false},
		{name: "partner, repaired", pen: future, v: vis(TierPartner, "2026-01-01"), wantOK: false},
		{name: "regulator, repaired", pen: future, v: vis(TierRegulator, "2026-01-01"), wantOK: true, wantRepaired: "2026-01-01"},
		{name: "public, day before repair", pen: future, v: vis(TierPublic, "2025-12-31"), wantOK: true},
		{name: "public, not yet published", pen: penalty("2024-05-01"), v: vis(TierPublic, "2024-04-30"), wantOK: false},
		{name: "partner, not yet published", pen: penalty("2024-05-01"), v: vis(TierPartner, "2024-04-30"), wantOK: false},
		{name: "regulator, not yet published", pen: penalty("2024-05-01"), v: vis(TierRegulator, "2024-04-30"), wantOK: true},
		{name: "public, expired", pen: penalty("2024-05-01"), v: vis(TierPublic, "2027-05-01"), wantOK: false},
		{name: "public, last day", pen: penalty("2024-05-01"), v: vis(TierPublic, "2027-04-30"), wantOK: true},
		{name: "regulator, expired", pen: penalty("2024-05-01"), v: vis(TierRegulator, "2027-05-01"), wantOK: true},
		{name: "public, simple procedure", pen: penalty("2024-05-01", simple), v: vis(TierPublic, "2024-06-01"), wantOK: false},
		{name: "regulator, simple procedure", pen: penalty("2024-05-01", simple), v: vis(TierRegulator, "2024-06-01"), wantOK: true},
		{name: "partner, warning only", pen: penalty("2024-05-01", types(PenaltyWarning)), v: vis(TierPartner, "2024-06-01"), wantOK: false},
		{name: "public, revoked", pen: penalty("2024-05-01", revoked), v: vis(TierPublic, "2024-06-01"), wantOK: false},
		{name: "regulator, revoked", pen: penalty("2024-05-01", revoked), v: vis(TierRegulator, "2024-06-01"), wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fmtDate(tt.pen.RepairedOn)
			got, ok := defaultPolicy.ViewPenalty(tt.v, tt.pen)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if fmtDate(tt.pen.RepairedOn) != before {
				t.Errorf("the input was changed")
			}
			if !ok {
				if got.DecisionNumber != "" {
					t.Errorf("not visible, but the view carries %q", got.DecisionNumber)
				}
				return
			}
			if !sameDate(got.RepairedOn, dp(tt.wantRepaired)) {
				t.Errorf("RepairedOn = %s, want %s", fmtDate(got.RepairedOn), fmtDate(dp(tt.wantRepaired)))
			}
			if got.DecisionNumber != tt.pen.DecisionNumber || !got.PublishedOn.Equal(tt.pen.PublishedOn) {
				t.Errorf("the view lost the record: %+v", got)
			}
		})
	}
}

func TestViewListing(t *testing.T) {
	seriousAhead := serious("2021-03-01", listingRepaired("2022-06-01"))
	abnormalDone := abnormal("2023-05-10", listingRepaired("2024-01-15"), removed("2024-01-15", "已补报年度报告"))
	abnormalAhead := abnormal("2023-05-10", removed("2024-01-15", "已补报年度报告"))
	tests := []struct {
		name         string
		l            Listing
		v            Visibility
		wantOK       bool
		wantRepaired string // "" = nil
		wantRemoval  bool
	}{
		{name: "public, serious, repair ahead: hidden", l: seriousAhead, v: vis(TierPublic, "2022-05-31"), wantOK: true},
		{name: "partner, serious, repair ahead: hidden", l: seriousAhead, v: vis(TierPartner, "2022-05-31"), wantOK: true},
		{name: "regulator, serious, repair ahead: shown", l: seriousAhead, v: vis(TierRegulator, "2022-05-31"), wantOK: true, wantRepaired: "2022-06-01"},
		{name: "public, serious, repaired: neither listing nor removal", l: seriousAhead, v: vis(TierPublic, "2022-06-01"), wantOK: false},
		{name: "partner, serious, repaired", l: seriousAhead, v: vis(TierPartner, "2022-06-01"), wantOK: false},
		{name: "regulator, serious, repaired", l: seriousAhead, v: vis(TierRegulator, "2022-06-01"), wantOK: true, wantRepaired: "2022-06-01"},
		{name: "public, serious, removed by repair", l: serious("2021-03-01", removed("2022-06-01", string(RemovalCreditRepair))), v: vis(TierPublic, "2022-06-01"), wantOK: false},
		{name: "public, serious, expired", l: serious("2021-03-01"), v: vis(TierPublic, "2024-03-01"), wantOK: false},
		{name: "public, serious, last day", l: serious("2021-03-01"), v: vis(TierPublic, "2024-02-29"), wantOK: true},
		{name: "regulator, serious, expired", l: serious("2021-03-01"), v: vis(TierRegulator, "2024-03-01"), wantOK: true},
		{name: "public, serious, revoked", l: serious("2021-03-01", removed("2022-06-01", string(RemovalRevoked))), v: vis(TierPublic, "2022-06-01"), wantOK: false},
		{name: "regulator, serious, revoked", l: serious("2021-03-01", removed("2022-06-01", string(RemovalRevoked))), v: vis(TierRegulator, "2022-06-01"), wantOK: true, wantRemoval: true},
		{name: "public, serious, future removal hidden", l: serious("2021-03-01", removed("2024-03-01", string(RemovalExpired))), v: vis(TierPublic, "2024-02-29"), wantOK: true},
		{name: "regulator, serious, future removal shown", l: serious("2021-03-01", removed("2024-03-01", string(RemovalExpired))), v: vis(TierRegulator, "2024-02-29"), wantOK: true, wantRemoval: true},
		{name: "public, abnormal, removal public but not the repair", l: abnormalDone, v: vis(TierPublic, "2024-01-15"), wantOK: true, wantRemoval: true},
		{name: "partner, abnormal, removal public but not the repair", l: abnormalDone, v: vis(TierPartner, "2024-02-01"), wantOK: true, wantRemoval: true},
		{name: "regulator, abnormal, removal and repair", l: abnormalDone, v: vis(TierRegulator, "2024-01-15"), wantOK: true, wantRepaired: "2024-01-15", wantRemoval: true},
		{name: "public, abnormal, day before removal: not yet", l: abnormalAhead, v: vis(TierPublic, "2024-01-14"), wantOK: true},
		{name: "partner, abnormal, day before removal: not yet", l: abnormalAhead, v: vis(TierPartner, "2024-01-14"), wantOK: true},
		{name: "regulator, abnormal, day before removal: shown", l: abnormalAhead, v: vis(TierRegulator, "2024-01-14"), wantOK: true, wantRemoval: true},
		{name: "public, abnormal, removal date", l: abnormalAhead, v: vis(TierPublic, "2024-01-15"), wantOK: true, wantRemoval: true},
		{name: "public, abnormal, before listing", l: abnormalAhead, v: vis(TierPublic, "2023-05-09"), wantOK: false},
		{name: "regulator, abnormal, before listing", l: abnormalAhead, v: vis(TierRegulator, "2023-05-09"), wantOK: true, wantRemoval: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hadRemoval, hadRepair := tt.l.Removal != nil, tt.l.RepairedOn != nil
			got, ok := defaultPolicy.ViewListing(tt.v, tt.l)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if (tt.l.Removal != nil) != hadRemoval || (tt.l.RepairedOn != nil) != hadRepair {
				t.Errorf("the input was changed")
			}
			if !ok {
				if got.DecisionNumber != "" {
					t.Errorf("not visible, but the view carries %q", got.DecisionNumber)
				}
				return
			}
			if !sameDate(got.RepairedOn, dp(tt.wantRepaired)) {
				t.Errorf("RepairedOn = %s, want %s", fmtDate(got.RepairedOn), fmtDate(dp(tt.wantRepaired)))
			}
			if (got.Removal != nil) != tt.wantRemoval {
				t.Errorf("Removal shown = %v, want %v", got.Removal != nil, tt.wantRemoval)
			}
			if got.DecisionNumber != tt.l.DecisionNumber || !got.ListedOn.Equal(tt.l.ListedOn) {
				t.Errorf("the view lost the record: %+v", got)
			}
		})
	}
}

func TestViewEnterprise(t *testing.T) {
	str := func(s string) *string { return &s }
	e := Enterprise{
		USCC:                        orgUSCC,
		Name:                        "福州某某食品有限公司",
		Status:                      StatusOperating,
		LegalRepresentative:         str("张三"),
		LegalRepresentativeIDType:   str("居民身份证"),
		LegalRepresentativeIDNumber: str("350102199001011234"),
		Address:                     str("福建省福州市鼓楼区某某路1号"),
		Phone:                       str("0591-88888888"),
		RegionCode:                  "350102",
		EstablishedOn:               dp("2015-06-01"),
	}
	tests := []struct {
		name        string
		tier        Tier
		wantPrivate bool
	}{
		{name: "public", tier: TierPublic, wantPrivate: false},
		{name: "partner", tier: TierPartner, wantPrivate: false},
		{name: "regulator", tier: TierRegulator, wantPrivate: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := defaultPolicy.ViewEnterprise(vis(tt.tier, "2024-05-01"), e)
			private := map[string]*string{
				"LegalRepresentativeIDType":   got.LegalRepresentativeIDType,
				"LegalRepresentativeIDNumber": got.LegalRepresentativeIDNumber,
				"Phone":                       got.Phone,
			}
			for field, v := range private {
				if (v != nil) != tt.wantPrivate {
					t.Errorf("%s shown = %v, want %v", field, v != nil, tt.wantPrivate)
				}
			}
			if got.LegalRepresentative == nil || *got.LegalRepresentative != "张三" {
				t.Errorf("the legal representative's name is public, got %v", got.LegalRepresentative)
			}
			if got.USCC != e.USCC || got.Name != e.Name || got.Address == nil || got.EstablishedOn == nil {
				t.Errorf("public fields lost: %+v", got)
			}
			if e.Phone == nil || e.LegalRepresentativeIDNumber == nil {
				t.Errorf("the input was changed")
			}
		})
	}
}

func TestVisiblePenaltiesAndListings(t *testing.T) {
	number := func(n string) func(*Penalty) { return func(p *Penalty) { p.DecisionNumber = n } }
	pens := []Penalty{
		penalty("2024-05-01", number("A")),
		penalty("2024-05-01", number("B"), simple),
		penalty("2024-05-01", number("C"), penaltyRepaired("2026-01-01")),
		penalty("2024-05-01", number("D"), revoked),
		penalty("2023-01-01", number("E"), types(PenaltyPublicReprimand)),
	}
	lnum := func(n string) func(*Listing) { return func(l *Listing) { l.DecisionNumber = n } }
	ls := []Listing{
		serious("2021-03-01", lnum("S1")),
		abnormal("2023-05-10", lnum("A1"), removed("2024-01-15", "已补报")),
		serious("2021-03-01", lnum("S2"), listingRepaired("2022-06-01")),
		serious("2024-01-01", lnum("S3")),
	}
	tests := []struct {
		name          string
		v             Visibility
		wantPenalties string
		wantListings  string
	}{
		{name: "public", v: vis(TierPublic, "2024-02-01"), wantPenalties: "", wantListings: "S1 A1 S3"},
		{name: "public, later", v: vis(TierPublic, "2025-06-01"), wantPenalties: "A C", wantListings: "A1 S3"},
		{name: "partner, later", v: vis(TierPartner, "2025-06-01"), wantPenalties: "A C", wantListings: "A1 S3"},
		{name: "regulator", v: vis(TierRegulator, "2025-06-01"), wantPenalties: "A B C D E", wantListings: "S1 A1 S2 S3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotP, gotL string
			for _, p := range defaultPolicy.VisiblePenalties(tt.v, pens) {
				gotP += " " + p.DecisionNumber
				if tt.v.Public() && p.RepairedOn != nil {
					t.Errorf("%s: RepairedOn shown to %s", p.DecisionNumber, tt.v.Tier)
				}
			}
			for _, l := range defaultPolicy.VisibleListings(tt.v, ls) {
				gotL += " " + l.DecisionNumber
			}
			if gotP != prefixSpace(tt.wantPenalties) {
				t.Errorf("penalties %q, want %q", gotP, tt.wantPenalties)
			}
			if gotL != prefixSpace(tt.wantListings) {
				t.Errorf("listings %q, want %q", gotL, tt.wantListings)
			}
		})
	}
}

func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func TestTiers(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		want       Tier
		wantPublic bool
	}{
		{name: "PUBLIC", in: "PUBLIC", want: TierPublic, wantPublic: true},
		{name: "partner, lower case", in: "partner", want: TierPartner, wantPublic: true},
		{name: "Regulator, mixed case", in: "Regulator", want: TierRegulator, wantPublic: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTier(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseTier(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			if p := (Visibility{Tier: got}).Public(); p != tt.wantPublic {
				t.Errorf("Public() = %v, want %v", p, tt.wantPublic)
			}
			if got.String() != strings.ToUpper(tt.in) {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
	if _, err := ParseTier("ADMIN"); err == nil {
		t.Errorf("ParseTier(ADMIN) accepted")
	}
	t.Run("VisibilityAt takes the UTC date at midnight", func(t *testing.T) {
		shanghai := time.FixedZone("CST", 8*3600)
		v := VisibilityAt(TierPartner, time.Date(2024, 5, 2, 7, 30, 0, 0, shanghai))
		if v.Tier != TierPartner || !v.AsOf.Equal(d("2024-05-01")) || v.AsOf.Location() != time.UTC {
			t.Errorf("VisibilityAt = %+v, want PARTNER as of 2024-05-01 UTC", v)
		}
	})
}
