package memory

import (
	"slices"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Records hold pointers and slices. The store copies them on the way in and
// on the way out, so neither a caller mutating a batch after Apply nor one
// mutating a result can change what other readers see (or race with them).
// decimal.Decimal is immutable by API and is shared.

func cp[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneEnterprise(e credit.Enterprise) credit.Enterprise {
	e.FormerNames = slices.Clone(e.FormerNames)
	e.Type, e.LegalRepresentative = cp(e.Type), cp(e.LegalRepresentative)
	e.LegalRepresentativeIDType, e.LegalRepresentativeIDNumber = cp(e.LegalRepresentativeIDType), cp(e.LegalRepresentativeIDNumber)
	e.RegisteredCapital, e.EstablishedOn = cp(e.RegisteredCapital), cp(e.EstablishedOn)
	e.RegistrationAuthority, e.Address, e.BusinessScope = cp(e.RegistrationAuthority), cp(e.Address), cp(e.BusinessScope)
	e.KeyAreas, e.Phone = slices.Clone(e.KeyAreas), cp(e.Phone)
	e.RiskCategories = slices.Clone(e.RiskCategories)
	return e
}

func cloneLicense(l credit.License) credit.License {
	l.Content, l.ValidFrom, l.ValidTo, l.KeyArea = cp(l.Content), cp(l.ValidFrom), cp(l.ValidTo), cp(l.KeyArea)
	return l
}

func clonePenalty(p credit.Penalty) credit.Penalty {
	p.Facts, p.Basis, p.Content = cp(p.Facts), cp(p.Basis), cp(p.Content)
	p.PenaltyTypes = slices.Clone(p.PenaltyTypes)
	p.FineAmount, p.ConfiscationAmount = cp(p.FineAmount), cp(p.ConfiscationAmount)
	p.RestrictionUntil, p.KeyArea, p.RepairedOn = cp(p.RestrictionUntil), cp(p.KeyArea), cp(p.RepairedOn)
	return p
}

func cloneInspection(i credit.Inspection) credit.Inspection {
	i.Items, i.Product, i.Batch, i.KeyArea = cp(i.Items), cp(i.Product), cp(i.Batch), cp(i.KeyArea)
	return i
}

func cloneListing(l credit.Listing) credit.Listing {
	l.Reason, l.PenaltyDecisionNumber, l.KeyArea = cp(l.Reason), cp(l.PenaltyDecisionNumber), cp(l.KeyArea)
	l.Removal, l.RepairedOn = cp(l.Removal), cp(l.RepairedOn)
	return l
}

func cloneCommitment(c credit.Commitment) credit.Commitment {
	c.UntrueFoundOn = cp(c.UntrueFoundOn)
	return c
}

func cloneCase(c credit.TypicalCase) credit.TypicalCase {
	c.USCC, c.KeyArea, c.RegionCode = cp(c.USCC), cp(c.KeyArea), cp(c.RegionCode)
	return c
}
