package storetest

import (
	"slices"
	"testing"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// filterEnterprises is a small population covering every EnterpriseFilter
// field, as of 2024-06-01: e1 on the serious list, e2 on the abnormal list,
// e3 removed from the abnormal list, e4 with an expired serious listing.
type filterEnterprises struct{ e1, e2, e3, e4, e5 string }

func applyFilterEnterprises(t *testing.T, s store.Store) filterEnterprises {
	t.Helper()
	f := filterEnterprises{
		e1: company(1),               // Fuzhou Gulou
		e2: usccOf('1', "350103", 2), // Fuzhou Taijiang
		e3: usccOf('1', "350102", 3), // registered in Gulou, moved to Xiamen Siming: see below
		e4: usccOf('2', "350102", 4), // individual business, Fuzhou Gulou
		e5: usccOf('1', "360102", 5), // Nanchang, outside Fujian
	}
	ent := func(code, name string, st credit.EnterpriseStatus, areas ...credit.KeyArea) credit.Enterprise {
		return with(enterprise(code), func(e *credit.Enterprise) { e.Name, e.Status, e.KeyAreas = name, st, areas })
	}
	mustApply(t, s,
		ent(f.e1, "福州甲食品有限公司", credit.StatusOperating, credit.AreaFoodDistribution),
		ent(f.e2, "福州乙设备有限公司", credit.StatusRevoked, credit.AreaSpecialEquipment, credit.AreaCatering),
		// The region is the enterprise's RegionCode, not characters 3–8 of its
		// code, which keep the division it was first registered in.
		with(ent(f.e3, "厦门丙贸易有限公司", credit.StatusCancelled), func(e *credit.Enterprise) { e.RegionCode = "350203" }),
		ent(f.e4, "福州甲食品有限公司分店", credit.StatusOperating, credit.AreaCatering),
		ent(f.e5, "南昌丁有限公司", credit.StatusMovedOut),
		serious(f.e1, "S1", "2024-03-01"),
		abnormal(f.e2, "A2", "2024-01-01"),
		abnormal(f.e3, "A3", "2024-01-01"), removal(credit.ListAbnormal, "A3", "2024-02-01", "已补报"),
		serious(f.e4, "S4", "2020-01-01"),
	)
	return f
}

func testEnterpriseFilters(t *testing.T, s store.Store) {
	f := applyFilterEnterprises(t, s)
	yes, no := ptr(true), ptr(false)
	tests := []struct {
		name   string
		filter store.EnterpriseFilter
		want   []string
	}{
		{"none", store.EnterpriseFilter{}, []string{f.e1, f.e2, f.e3, f.e4, f.e5}},
		{"province", store.EnterpriseFilter{RegionPrefix: "35"}, []string{f.e1, f.e2, f.e3, f.e4}},
		{"city", store.EnterpriseFilter{RegionPrefix: "3501"}, []string{f.e1, f.e2, f.e4}},
		{"district", store.EnterpriseFilter{RegionPrefix: "350102"}, []string{f.e1, f.e4}},
		{"other province", store.EnterpriseFilter{RegionPrefix: "36"}, []string{f.e5}},
		{"key area among several", store.EnterpriseFilter{KeyArea: credit.AreaCatering}, []string{f.e2, f.e4}},
		{"key area", store.EnterpriseFilter{KeyArea: credit.AreaFoodDistribution}, []string{f.e1}},
		{"key area nobody has", store.EnterpriseFilter{KeyArea: credit.AreaDrug}, nil},
		{"status", store.EnterpriseFilter{Status: credit.StatusOperating}, []string{f.e1, f.e4}},
		{"name is exact", store.EnterpriseFilter{Name: "福州甲食品有限公司"}, []string{f.e1}},
		{"former name is not the name", store.EnterpriseFilter{Name: "福州旧名000000001有限公司"}, nil},
		{"name prefix", store.EnterpriseFilter{NamePrefix: "福州甲"}, []string{f.e1, f.e4}},
		{"wider name prefix", store.EnterpriseFilter{NamePrefix: "福州"}, []string{f.e1, f.e2, f.e4}},
		{"on serious list", store.EnterpriseFilter{OnSeriousList: yes}, []string{f.e1}},
		{"not on serious list", store.EnterpriseFilter{OnSeriousList: no}, []string{f.e2, f.e3, f.e4, f.e5}},
		{"on abnormal list", store.EnterpriseFilter{OnAbnormalList: yes}, []string{f.e2}},
		{"not on abnormal list", store.EnterpriseFilter{OnAbnormalList: no}, []string{f.e1, f.e3, f.e4, f.e5}},
		{"city and off the abnormal list", store.EnterpriseFilter{RegionPrefix: "3501", OnAbnormalList: no}, []string{f.e1, f.e4}},
		{"on both lists", store.EnterpriseFilter{OnSeriousList: yes, OnAbnormalList: yes}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Clone(tt.want)
			slices.Sort(want)
			for _, v := range everyTier("2024-06-01") {
				eqKeys(t, v.Tier.String(), walkEnterprises(t, s, v, tt.filter), want)
			}
		})
	}
}

func testListingFilters(t *testing.T, s store.Store) {
	e1, e2, e3 := company(1), usccOf('1', "350103", 2), usccOf('1', "350102", 3)
	area := func(l credit.Listing, a *credit.KeyArea) credit.Listing { l.KeyArea = a; return l }
	food, equip := ptr(credit.AreaFoodProduction), ptr(credit.AreaSpecialEquipment)
	moved := with(enterprise(e3), func(e *credit.Enterprise) { e.RegionCode = "350203" }) // region is RegionCode, not the code
	mustApply(t, s, enterprise(e1), enterprise(e2), moved,
		area(serious(e1, "S1", "2024-01-01"), food),
		area(serious(e2, "S2", "2024-02-01"), equip),
		area(serious(e3, "S3", "2024-02-01"), food),
		area(serious(e1, "S4", "2024-03-01"), nil),
		abnormal(e1, "A1", "2024-01-01"),
		abnormal(e2, "A2", "2024-02-01"), removal(credit.ListAbnormal, "A2", "2024-03-01", "已补报"),
		abnormal(e3, "A3", "2024-02-01"),
	)
	feb1, feb2 := dayPtr("2024-02-01"), dayPtr("2024-02-02")
	tests := []struct {
		name   string
		list   credit.ListKind
		filter store.ListingFilter
		want   []string
	}{
		{"serious, none", credit.ListSerious, store.ListingFilter{}, []string{"S4", "S2", "S3", "S1"}},
		{"serious, city", credit.ListSerious, store.ListingFilter{RegionPrefix: "3501"}, []string{"S4", "S2", "S1"}},
		{"serious, district", credit.ListSerious, store.ListingFilter{RegionPrefix: "350203"}, []string{"S3"}},
		{"serious, key area of the listing", credit.ListSerious, store.ListingFilter{KeyArea: credit.AreaFoodProduction}, []string{"S3", "S1"}},
		{"serious, listed from (inclusive)", credit.ListSerious, store.ListingFilter{ListedFrom: feb1}, []string{"S4", "S2", "S3"}},
		{"serious, listed to (inclusive)", credit.ListSerious, store.ListingFilter{ListedTo: feb1}, []string{"S2", "S3", "S1"}},
		{"serious, one day", credit.ListSerious, store.ListingFilter{ListedFrom: feb1, ListedTo: feb1}, []string{"S2", "S3"}},
		{"serious, from the day after", credit.ListSerious, store.ListingFilter{ListedFrom: feb2}, []string{"S4"}},
		{"serious, empty range", credit.ListSerious, store.ListingFilter{ListedFrom: feb2, ListedTo: feb1}, nil},
		{"abnormal, in force", credit.ListAbnormal, store.ListingFilter{}, []string{"A3", "A1"}},
		{"abnormal, including removed", credit.ListAbnormal, store.ListingFilter{IncludeRemoved: true}, []string{"A2", "A3", "A1"}},
		{"abnormal, removed only in region", credit.ListAbnormal, store.ListingFilter{RegionPrefix: "350103"}, nil},
		{"abnormal, region including removed", credit.ListAbnormal, store.ListingFilter{RegionPrefix: "350103", IncludeRemoved: true}, []string{"A2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range everyTier("2024-06-01") {
				eqKeys(t, v.Tier.String(), keysOf(walkListings(t, s, v, tt.list, tt.filter), listingKey), tt.want)
			}
		})
	}
}

func testCaseFilters(t *testing.T, s store.Store) {
	set := func(c credit.TypicalCase, region *string, a *credit.KeyArea) credit.TypicalCase {
		c.RegionCode, c.KeyArea = region, a
		return c
	}
	food, drug := ptr(credit.AreaFoodDistribution), ptr(credit.AreaDrug)
	mustApply(t, s,
		set(typicalCase("T1", "2024-01-01"), ptr("350102"), food),
		set(typicalCase("T2", "2024-02-01"), ptr("350203"), drug),
		set(typicalCase("T3", "2024-02-01"), nil, nil),
		set(typicalCase("T4", "2024-03-01"), ptr("350103"), food),
	)
	feb1 := dayPtr("2024-02-01")
	tests := []struct {
		name   string
		filter store.CaseFilter
		want   []string
	}{
		{"none", store.CaseFilter{}, []string{"T4", "T2", "T3", "T1"}},
		{"city", store.CaseFilter{RegionPrefix: "3501"}, []string{"T4", "T1"}},
		{"province leaves out cases without a region", store.CaseFilter{RegionPrefix: "35"}, []string{"T4", "T2", "T1"}},
		{"key area", store.CaseFilter{KeyArea: credit.AreaFoodDistribution}, []string{"T4", "T1"}},
		{"published from (inclusive)", store.CaseFilter{PublishedFrom: feb1}, []string{"T4", "T2", "T3"}},
		{"published to (inclusive)", store.CaseFilter{PublishedTo: feb1}, []string{"T2", "T3", "T1"}},
		{"region and dates", store.CaseFilter{RegionPrefix: "35", PublishedFrom: feb1, PublishedTo: feb1}, []string{"T2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, v := range everyTier("2024-06-01") {
				eqKeys(t, v.Tier.String(), walkCases(t, s, v, tt.filter), tt.want)
			}
		})
	}
}
