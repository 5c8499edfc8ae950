package memory

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Apply writes a batch in dependency order (enterprises; the records that
// name them; removals; repairs of listings; repairs of penalties), so the
// order of lines within the batch does not matter. It holds the write lock
// for the whole batch: readers see a batch whole or not at all. b.Displaced
// compares the owner each written key had before the batch with the one it
// has after it (see store.Batch).
func (s *Store) Apply(ctx context.Context, b *store.Batch) ([]store.Rejection, error) {
	if b == nil {
		return nil, ctx.Err()
	}
	b.Displaced = nil
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var rej rejections
	now := s.now().UTC()
	at := b.Now
	if at.IsZero() {
		at = now
	}
	day := s.feedDay(at)
	s.advance(day) // the day's date-driven changes come before its writes
	for _, l := range b.Enterprises {
		e := cloneEnterprise(l.V)
		e.UpdatedAt = now
		s.enterprises[e.USCC] = e
	}
	b.Displaced = s.applyRecords(b, &rej)
	for _, l := range b.Removals {
		rej.add(l.N, s.applyRemoval(l.V))
	}
	for _, l := range repairsInOrder(b.Repairs) {
		rej.add(l.N, s.applyRepair(l.V))
	}
	s.record(s.touched(b), day, at.UTC(), day)
	slices.SortStableFunc(rej, func(a, b store.Rejection) int { return cmp.Compare(a.Line, b.Line) })
	return rej, nil
}

// applyRecords upserts the records that name an enterprise and returns the
// enterprises that lost one (store.Batch.Displaced).
func (s *Store) applyRecords(b *store.Batch, rej *rejections) []string {
	var d displacement
	licenses, penalties, inspections := owners[string]{}, owners[string]{}, owners[string]{}
	listings, commitments, cases := owners[listingKey]{}, owners[string]{}, owners[string]{}
	for _, l := range b.Licenses {
		if rej.add(l.N, s.known(l.V.USCC)) {
			licenses.note(&s.licenses, l.V.LicenseNumber)
			s.licenses.put(l.V.LicenseNumber, cloneLicense(l.V))
		}
	}
	for _, l := range b.Penalties {
		if rej.add(l.N, s.known(l.V.USCC)) {
			penalties.note(&s.penalties, l.V.DecisionNumber)
			s.putPenalty(clonePenalty(l.V))
		}
	}
	for _, l := range b.Inspections {
		if rej.add(l.N, s.known(l.V.USCC)) {
			inspections.note(&s.inspections, l.V.InspectionID)
			s.inspections.put(l.V.InspectionID, cloneInspection(l.V))
		}
	}
	for _, l := range b.Listings {
		if rej.add(l.N, s.known(l.V.USCC)) {
			listings.note(&s.listings, keyOf(l.V))
			s.putListing(cloneListing(l.V))
		}
	}
	for _, l := range b.Commitments {
		if rej.add(l.N, s.known(l.V.USCC)) {
			commitments.note(&s.commitments, l.V.CommitmentID)
			s.commitments.put(l.V.CommitmentID, cloneCommitment(l.V))
		}
	}
	for _, l := range b.TypicalCases {
		if l.V.USCC == nil || rej.add(l.N, s.known(*l.V.USCC)) {
			if _, seen := cases[l.V.CaseID]; !seen {
				cases[l.V.CaseID] = caseOwner(s.cases[l.V.CaseID])
			}
			s.cases[l.V.CaseID] = cloneCase(l.V)
		}
	}
	licenses.compare(&s.licenses, &d)
	penalties.compare(&s.penalties, &d)
	inspections.compare(&s.inspections, &d)
	listings.compare(&s.listings, &d)
	commitments.compare(&s.commitments, &d)
	for id, before := range cases {
		d.add(before, caseOwner(s.cases[id]))
	}
	return d.list()
}

// owners holds, for every key a batch writes, the enterprise its record
// belonged to before the batch ("" for none): noted before the key's first
// write, so that a key written twice compares the batch's end with its start.
type owners[K comparable] map[K]string

func (o owners[K]) note(t ownedTable[K], k K) {
	if _, seen := o[k]; !seen {
		o[k] = t.ownerOf(k)
	}
}

// compare adds to d the previous owner of each key whose owner changed.
func (o owners[K]) compare(t ownedTable[K], d *displacement) {
	for k, before := range o {
		d.add(before, t.ownerOf(k))
	}
}

// ownedTable is a table seen only through its keys' owners.
type ownedTable[K comparable] interface{ ownerOf(k K) string }

// caseOwner is a typical case's enterprise, "" for none (or no case).
func caseOwner(c credit.TypicalCase) string {
	if c.USCC == nil {
		return ""
	}
	return *c.USCC
}

// displacement collects the enterprises that lost a record in a batch.
type displacement map[string]struct{}

// add records before as displaced if a record went from it to after.
func (d *displacement) add(before, after string) {
	if before == "" || before == after {
		return
	}
	if *d == nil {
		*d = displacement{}
	}
	(*d)[before] = struct{}{}
}

// list returns the displaced enterprises sorted, nil for none.
func (d displacement) list() []string {
	if len(d) == 0 {
		return nil
	}
	out := make([]string, 0, len(d))
	for u := range d {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// putPenalty upserts a penalty, keeping a repair already applied: repairs
// are records of their own, and re-importing the decision must not undo one.
func (s *Store) putPenalty(p credit.Penalty) {
	p.RepairedOn = nil
	if old, ok := s.penalties.get(p.DecisionNumber); ok {
		p.RepairedOn = old.RepairedOn
	}
	s.penalties.put(p.DecisionNumber, p)
}

// putListing upserts a listing, keeping its removal and repair.
func (s *Store) putListing(l credit.Listing) {
	l.Removal, l.RepairedOn = nil, nil
	if old, ok := s.listings.get(keyOf(l)); ok {
		l.Removal, l.RepairedOn = old.Removal, old.RepairedOn
	}
	s.listings.put(keyOf(l), l)
}

func (s *Store) known(uscc string) error {
	if _, ok := s.enterprises[uscc]; !ok {
		return unknownRef("enterprise %s is not known", uscc)
	}
	return nil
}

func (s *Store) applyRemoval(rm store.ListingRemoval) error {
	l, ok := s.listings.get(listingKey{rm.List, rm.ListingDecisionNumber})
	if !ok {
		return unknownRef("%s %s is not known", rm.List, rm.ListingDecisionNumber)
	}
	if err := s.p.CheckRemoval(l, rm.Removal, s.seriousRepairFacts(l, rm.Removal.RemovedOn)); err != nil {
		return err
	}
	l.Removal = cp(&rm.Removal)
	s.listings.put(keyOf(l), l)
	return nil
}

// repairsInOrder puts repairs of listings before repairs of penalties: a
// penalty may only be repaired off the lists, and a listing repaired in the
// same batch must count as off them.
func repairsInOrder(rs []store.Line[credit.CreditRepair]) []store.Line[credit.CreditRepair] {
	out := slices.Clone(rs)
	rank := func(r credit.CreditRepair) int {
		if r.Target == credit.RepairPenalty {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(out, func(a, b store.Line[credit.CreditRepair]) int { return cmp.Compare(rank(a.V), rank(b.V)) })
	return out
}

func (s *Store) applyRepair(r credit.CreditRepair) error {
	switch r.Target {
	case credit.RepairPenalty:
		return s.repairPenalty(r)
	case credit.RepairSeriousListing:
		return s.repairListing(credit.ListSerious, r)
	case credit.RepairAbnormalListing:
		return s.repairListing(credit.ListAbnormal, r)
	}
	return unknownRef("repair target %q is not a penalty or a list", r.Target)
}

func (s *Store) repairPenalty(r credit.CreditRepair) error {
	pen, ok := s.penalties.get(r.TargetDecisionNumber)
	if !ok {
		return unknownRef("penalty %s is not known", r.TargetDecisionNumber)
	}
	facts := credit.PenaltyRepairFacts{
		Listed:          s.listedOn(pen.USCC, r.RepairedOn),
		RepeatViolation: s.repeatViolation(pen, r.RepairedOn),
	}
	if err := s.p.CheckPenaltyRepair(pen, r.RepairedOn, facts); err != nil {
		return err
	}
	pen.RepairedOn = cp(&r.RepairedOn)
	s.penalties.put(pen.DecisionNumber, pen)
	return nil
}

func (s *Store) repairListing(list credit.ListKind, r credit.CreditRepair) error {
	l, ok := s.listings.get(listingKey{list, r.TargetDecisionNumber})
	if !ok {
		return unknownRef("%s %s is not known", list, r.TargetDecisionNumber)
	}
	var err error
	if list == credit.ListSerious {
		err = s.p.CheckSeriousRepair(l, r.RepairedOn, s.seriousRepairFacts(l, r.RepairedOn))
	} else {
		err = s.p.CheckAbnormalRepair(l, r.RepairedOn)
	}
	if err != nil {
		return err
	}
	l.RepairedOn = cp(&r.RepairedOn)
	// Curing the failing removes an abnormal listing; an earlier removal
	// stays the public record of when it ended.
	if list == credit.ListAbnormal && l.Removal == nil {
		l.Removal = &credit.Removal{RemovedOn: r.RepairedOn, Reason: store.AbnormalRepairReason, Authority: r.Authority}
	}
	s.listings.put(keyOf(l), l)
	return nil
}

// rejections collects the records Apply would not write.
type rejections []store.Rejection

// add records err against line n, if there is one, and reports whether the
// record may be written (err == nil).
func (r *rejections) add(n int, err error) bool {
	if err == nil {
		return true
	}
	code, msg := store.CodeUnknownReference, err.Error()
	if re := (*credit.RuleError)(nil); errors.As(err, &re) {
		code, msg = re.Code, re.Message
	}
	*r = append(*r, store.Rejection{Line: n, Code: code, Message: msg})
	return false
}

func unknownRef(format string, a ...any) error {
	return &credit.RuleError{Code: store.CodeUnknownReference, Message: fmt.Sprintf(format, a...)}
}

// dateKey is a civil date as a sortable string, the form cursors carry.
func dateKey(t time.Time) string { return t.Format(time.DateOnly) }
