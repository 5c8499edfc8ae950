package risk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestProperties checks, on seeded random records: the score is within 0–100
// and is the capped sum of the factors; the category follows the score;
// the result is deterministic and independent of record order; the inputs
// are not modified; and adding any adverse record (a penalty, a failed
// inspection, a listing, an untrue commitment) never lowers the score or the
// category.
func TestProperties(t *testing.T) {
	m := defaultModel()
	const cases = 2000
	for seed := range uint64(cases) {
		r, day, in := randomCase(seed)
		a := m.Assess(in, day, policy)
		name := fmt.Sprintf("seed %d", seed)

		checkAssessment(t, name, m, a)
		if again := m.Assess(in, day, policy); !reflect.DeepEqual(a, again) {
			t.Fatalf("%s: not deterministic", name)
		}
		if _, _, orig := randomCase(seed); !reflect.DeepEqual(in, orig) {
			t.Fatalf("%s: Assess modified its inputs", name)
		}
		if shuffled := m.Assess(shuffle(r, in), day, policy); !reflect.DeepEqual(a, shuffled) {
			t.Fatalf("%s: depends on record order\n%s\n%s", name, dump(a), dump(shuffled))
		}

		for _, add := range adverse {
			more := add.add(r, clone(in), day)
			b := m.Assess(more, day, policy)
			if b.Score < a.Score || b.Category < a.Category {
				t.Fatalf("%s: adding %s lowered %s %g to %s %g\nbefore:\n%safter:\n%s",
					name, add.name, a.Category, a.Score, b.Category, b.Score, dump(a), dump(b))
			}
		}
	}
}

func checkAssessment(t *testing.T, name string, m Model, a Assessment) {
	t.Helper()
	if a.Score < 0 || a.Score > 100 || math.IsNaN(a.Score) {
		t.Fatalf("%s: score %g out of range", name, a.Score)
	}
	sum, forced := 0.0, false
	for i, f := range a.Factors {
		if f.Points <= 0 {
			t.Fatalf("%s: factor %s with %g points", name, f.Code, f.Points)
		}
		if i > 0 && f.Points > a.Factors[i-1].Points {
			t.Fatalf("%s: factors not sorted by points", name)
		}
		sum += f.Points
		forced = forced || f.Code == CodeSeriousListed
	}
	if want := min(sum, 100); math.Abs(a.Score-want) > 1e-6 {
		t.Fatalf("%s: score %g, factors sum to %g", name, a.Score, sum)
	}
	if want := m.category(a.Score, forced); a.Category != want {
		t.Fatalf("%s: category %s for score %g, want %s", name, a.Category, a.Score, want)
	}
}

// adverse are the records whose addition must never lower the score.
var adverse = []struct {
	name string
	add  func(r *rand.Rand, in Inputs, day time.Time) Inputs
}{
	{"a penalty", func(r *rand.Rand, in Inputs, day time.Time) Inputs {
		in.Penalties = slices.Insert(in.Penalties, r.IntN(len(in.Penalties)+1), randomPenalty(r, day, 99))
		return in
	}},
	{"an inspection", func(r *rand.Rand, in Inputs, day time.Time) Inputs {
		in.Inspections = slices.Insert(in.Inspections, r.IntN(len(in.Inspections)+1), randomInspection(r, day, 99))
		return in
	}},
	{"an abnormal listing", func(r *rand.Rand, in Inputs, day time.Time) Inputs {
		in.Abnormal = append(in.Abnormal, randomListing(r, day, credit.ListAbnormal, 99))
		return in
	}},
	{"a serious listing", func(r *rand.Rand, in Inputs, day time.Time) Inputs {
		in.Serious = append(in.Serious, randomListing(r, day, credit.ListSerious, 99))
		return in
	}},
	{"an untrue commitment", func(r *rand.Rand, in Inputs, day time.Time) Inputs {
		c := randomCommitment(r, day, 99)
		c.Status = credit.CommitmentUntrue
		in.Commitments = append(in.Commitments, c)
		return in
	}},
}

// randomCase is the random record numbered seed, the day to assess it, and
// the generator to continue with.
func randomCase(seed uint64) (*rand.Rand, time.Time, Inputs) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	day := asOf.AddDate(0, 0, r.IntN(1000))
	return r, day, randomInputs(r, day)
}

// randomDate is a day from about 8 years before day to 2 months after.
func randomDate(r *rand.Rand, day time.Time) time.Time {
	return day.AddDate(0, 0, r.IntN(3000)-2940)
}

func randomDatePtr(r *rand.Rand, day time.Time, p float64) *time.Time {
	if r.Float64() >= p {
		return nil
	}
	t := randomDate(r, day)
	return &t
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randomInputs(r *rand.Rand, day time.Time) Inputs {
	var in Inputs
	in.Enterprise = enterprise(func(e *credit.Enterprise) {
		if r.IntN(5) == 0 {
			e.Status = pick(r, credit.EnterpriseStatuses)
		}
		e.EstablishedOn = randomDatePtr(r, day, 0.9)
		for range r.IntN(3) {
			e.KeyAreas = append(e.KeyAreas, pick(r, credit.KeyAreas))
		}
	})
	for i := range r.IntN(4) {
		var a credit.KeyArea = credit.AreaFoodProduction
		if len(in.Enterprise.KeyAreas) > 0 {
			a = pick(r, in.Enterprise.KeyAreas)
		}
		from := randomDate(r, day)
		in.Licenses = append(in.Licenses, license(fmt.Sprintf("L%d", i), a, from.Format(time.DateOnly), from.AddDate(r.IntN(6), 0, 0).Format(time.DateOnly)))
	}
	for i := range r.IntN(6) {
		in.Penalties = append(in.Penalties, randomPenalty(r, day, i))
	}
	for i := range r.IntN(9) {
		in.Inspections = append(in.Inspections, randomInspection(r, day, i))
	}
	for i := range r.IntN(2) {
		in.Abnormal = append(in.Abnormal, randomListing(r, day, credit.ListAbnormal, i))
	}
	for i := range r.IntN(2) * r.IntN(3) {
		in.Serious = append(in.Serious, randomListing(r, day, credit.ListSerious, i))
	}
	for i := range r.IntN(4) {
		in.Commitments = append(in.Commitments, randomCommitment(r, day, i))
	}
	return in
}

func randomPenalty(r *rand.Rand, day time.Time, i int) credit.Penalty {
	p := penalty(fmt.Sprintf("P%d", i), randomDate(r, day).Format(time.DateOnly))
	p.ViolationType = pick(r, []string{"", "虚假宣传", "无证生产", "未按规定检验", "标签不符合规定"})
	p.PenaltyTypes = nil
	// Mostly warnings, reprimands and fines, as in the real record.
	common := []credit.PenaltyType{credit.PenaltyWarning, credit.PenaltyPublicReprimand, credit.PenaltyFine, credit.PenaltyFine, credit.PenaltyConfiscation}
	for range 1 + r.IntN(2) {
		if r.IntN(5) == 0 {
			p.PenaltyTypes = append(p.PenaltyTypes, pick(r, credit.PenaltyTypes))
		} else {
			p.PenaltyTypes = append(p.PenaltyTypes, pick(r, common))
		}
	}
	if r.IntN(2) == 0 {
		v := decimal.NewFromInt(int64(math.Pow(10, 2+5*r.Float64())))
		p.FineAmount = &v
	}
	if r.IntN(4) == 0 {
		p.Procedure = credit.ProcedureSimple
	}
	p.Revoked = r.IntN(10) == 0
	p.RepairedOn = randomDatePtr(r, day, 0.2)
	p.RestrictionUntil = randomDatePtr(r, day.AddDate(2, 0, 0), 0.1)
	return p
}

func randomInspection(r *rand.Rand, day time.Time, i int) credit.Inspection {
	return inspection(fmt.Sprintf("I%d", i), randomDate(r, day).Format(time.DateOnly), pick(r, credit.InspectionKinds), pick(r, credit.InspectionResults))
}

func randomListing(r *rand.Rand, day time.Time, list credit.ListKind, i int) credit.Listing {
	listed := randomDate(r, day)
	l := credit.Listing{List: list, USCC: orgUSCC, DecisionNumber: fmt.Sprintf("%s%d", list, i), ReasonCode: 1 + r.IntN(4), ListedOn: listed}
	if r.IntN(2) == 0 {
		reason := "cured"
		if list == credit.ListSerious {
			reason = string(pick(r, []credit.RemovalReason{credit.RemovalExpired, credit.RemovalCreditRepair, credit.RemovalRevoked}))
		}
		l.Removal = &credit.Removal{RemovedOn: listed.AddDate(0, 0, r.IntN(1500)), Reason: reason}
	}
	if r.IntN(5) == 0 {
		rep := listed.AddDate(0, 0, r.IntN(1500))
		l.RepairedOn = &rep
	}
	return l
}

func randomCommitment(r *rand.Rand, day time.Time, i int) credit.Commitment {
	c := commitment(fmt.Sprintf("C%d", i), randomDate(r, day).Format(time.DateOnly), pick(r, []credit.CommitmentStatus{credit.CommitmentInForce, credit.CommitmentFulfilled, credit.CommitmentUntrue}), "")
	c.UntrueFoundOn = randomDatePtr(r, day, 0.7)
	return c
}

func clone(in Inputs) Inputs {
	in.Licenses = slices.Clone(in.Licenses)
	in.Penalties = slices.Clone(in.Penalties)
	in.Inspections = slices.Clone(in.Inspections)
	in.Abnormal = slices.Clone(in.Abnormal)
	in.Serious = slices.Clone(in.Serious)
	in.Commitments = slices.Clone(in.Commitments)
	return in
}

func shuffle(r *rand.Rand, in Inputs) Inputs {
	in = clone(in)
	shuffleSlice(r, in.Licenses)
	shuffleSlice(r, in.Penalties)
	shuffleSlice(r, in.Inspections)
	shuffleSlice(r, in.Abnormal)
	shuffleSlice(r, in.Serious)
	shuffleSlice(r, in.Commitments)
	return in
}

func shuffleSlice[T any](r *rand.Rand, xs []T) {
	r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
}
