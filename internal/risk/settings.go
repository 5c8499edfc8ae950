package risk

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Settings are the model's windows, thresholds and weights. Every number the
// model uses is here, so a change of method is a change of configuration and
// a new Version.
type Settings struct {
	// Version is appended to a weight set's name to form Assessment.Model
	// ("general/v1"). Bump it whenever a weight or threshold changes, so a
	// stored letter can be traced to the method that produced it.
	Version    string
	Thresholds Thresholds
	Windows    Windows
	// RepairedShare is the part of its points a credit-repaired penalty or
	// serious listing still counts for (0.5): repair is a sign of correction,
	// not proof the risk is gone.
	RepairedShare float64
	// FineTiers are ascending fine amounts in yuan (¥10,000, ¥100,000,
	// ¥1,000,000). A fine at or above the k-th tier adds k × LargeFine points.
	FineTiers []decimal.Decimal
	// General is the general model (通用型模型), used when no key-area model
	// applies.
	General Weights
	// KeyAreaModels are the key-area models (专业模型). An enterprise tagged
	// with one or more of their areas is assessed by each that applies and
	// gets the riskiest result; on a tie the earlier model wins.
	KeyAreaModels []AreaModel
}

// Thresholds are the lowest scores of categories B, C and D; below B is A.
type Thresholds struct {
	B, C, D float64
}

// Windows are the look-back periods. A record counts when its date is on or
// after asOf minus the window, and not after asOf.
type Windows struct {
	Penalty         credit.Period // penalties, and repeats among them: 3 years
	PenaltyHalfLife credit.Period // a penalty's points halve every 18 months; zero: no decay
	Inspection      credit.Period // inspections and sampling: 2 years
	SeriousPast     credit.Period // a serious listing that ended within 5 years still counts
	Commitment      credit.Period // commitments found untrue: 3 years
	YoungEnterprise credit.Period // established less than 1 year ago
}

// Weights are one model's points per unit of each factor. All must be
// non-negative: that, and nothing else, makes the score monotone.
type Weights struct {
	Name string // "general", or the key area's name

	SeriousListed       float64 // per serious listing in force; any listing in force also forces D
	SeriousPast         float64 // per serious listing ended within Windows.SeriousPast
	AbnormalListed      float64 // per abnormal listing in force, reasons 1–3
	AbnormalUnreachable float64 // per abnormal listing in force, reason 4 (unreachable)

	PenaltyHeavier    float64 // per heavier penalty (较重行政处罚), decayed
	PenaltyLighter    float64 // per reprimand / lower-amount fine penalty, decayed
	PenaltyMinor      float64 // per simple-procedure or warning-only penalty, decayed
	PenaltySuspension float64 // extra, per penalty suspending or restricting business or downgrading a qualification
	PenaltyRevocation float64 // extra, per penalty revoking a licence or the business licence
	LargeFine         float64 // extra, per fine tier reached
	RepeatViolation   float64 // per repeat of a violation type (n penalties of one type: n−1 repeats)

	SamplingNonCompliant   float64 // per non-compliant sampling (监督抽检不合格)
	InspectionNonCompliant float64 // per non-compliant spot or supervision check
	IssuesCorrected        float64 // per check that found issues, since corrected
	NotFoundAtAddress      float64 // per check that could not find the enterprise at its address

	UntrueCommitment float64 // per commitment found untrue
	LicenseExpired   float64 // per key area operated in with only expired licences
	YoungEnterprise  float64 // established less than Windows.YoungEnterprise ago
	StatusRevoked    float64 // business licence revoked (吊销)
	StatusCancelled  float64 // registration cancelled (注销)
}

// AreaModel is a key-area model: the weights used for enterprises tagged
// with Area.
type AreaModel struct {
	Area    credit.KeyArea
	Weights Weights
}

// DefaultSettings is model version v1. The reasoning behind each number is in
// README.md; in short, a single fresh heavier penalty or an abnormal listing
// makes B, a pattern of them (or a suspension, a revoked licence, an untrue
// commitment with another failing) makes C, and the serious list makes D.
func DefaultSettings() Settings {
	general := Weights{
		Name:                   "general",
		SeriousListed:          60,
		SeriousPast:            25,
		AbnormalListed:         10,
		AbnormalUnreachable:    20,
		PenaltyHeavier:         10,
		PenaltyLighter:         4,
		PenaltyMinor:           1,
		PenaltySuspension:      15,
		PenaltyRevocation:      25,
		LargeFine:              2,
		RepeatViolation:        10,
		SamplingNonCompliant:   6,
		InspectionNonCompliant: 6,
		IssuesCorrected:        1,
		NotFoundAtAddress:      15,
		UntrueCommitment:       15,
		LicenseExpired:         20,
		YoungEnterprise:        3,
		StatusRevoked:          30,
		StatusCancelled:        10,
	}
	// Food producers: a failed sample is the most direct evidence of unsafe
	// food on the market; special foods (infant formula, health food, foods
	// for special medical purposes) reach the most vulnerable consumers.
	food := general
	food.Name = string(credit.AreaFoodProduction)
	food.SamplingNonCompliant = 12
	special := general
	special.Name = string(credit.AreaSpecialFood)
	special.SamplingNonCompliant = 15
	// Special equipment: boilers, pressure vessels and lifts fail through
	// neglected inspection findings, and a suspension means unsafe equipment.
	equip := general
	equip.Name = string(credit.AreaSpecialEquipment)
	equip.InspectionNonCompliant = 12
	equip.IssuesCorrected = 2
	equip.PenaltySuspension = 20
	return Settings{
		Version:    "v1",
		Thresholds: Thresholds{B: 10, C: 30, D: 60},
		Windows: Windows{
			Penalty:         credit.Period{Years: 3},
			PenaltyHalfLife: credit.Period{Months: 18},
			Inspection:      credit.Period{Years: 2},
			SeriousPast:     credit.Period{Years: 5},
			Commitment:      credit.Period{Years: 3},
			YoungEnterprise: credit.Period{Years: 1},
		},
		RepairedShare: 0.5,
		FineTiers:     []decimal.Decimal{decimal.NewFromInt(10_000), decimal.NewFromInt(100_000), decimal.NewFromInt(1_000_000)},
		General:       general,
		KeyAreaModels: []AreaModel{
			{Area: credit.AreaSpecialFood, Weights: special},
			{Area: credit.AreaFoodProduction, Weights: food},
			{Area: credit.AreaSpecialEquipment, Weights: equip},
		},
	}
}

// Validate reports every setting that would make the model wrong: a negative
// weight (the score would no longer be monotone), thresholds out of order, a
// share outside 0–1, fine tiers out of order, a duplicate model.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("risk: "+format, a...)) }
	if s.Version == "" {
		bad("version is empty")
	}
	if t := s.Thresholds; !(0 < t.B && t.B <= t.C && t.C <= t.D && t.D <= 100) {
		bad("thresholds must satisfy 0 < B ≤ C ≤ D ≤ 100, got B=%g C=%g D=%g", t.B, t.C, t.D)
	}
	for _, w := range []struct {
		name string
		p    credit.Period
	}{{"penalty", s.Windows.Penalty}, {"penalty half-life", s.Windows.PenaltyHalfLife},
		{"inspection", s.Windows.Inspection}, {"serious past", s.Windows.SeriousPast},
		{"commitment", s.Windows.Commitment}, {"young enterprise", s.Windows.YoungEnterprise}} {
		if w.p.Years < 0 || w.p.Months < 0 || w.p.Days < 0 {
			bad("%s window %s is negative", w.name, w.p)
		}
	}
	if !(s.RepairedShare >= 0 && s.RepairedShare <= 1) {
		bad("repaired share must be within 0–1, got %g", s.RepairedShare)
	}
	for i, t := range s.FineTiers {
		if !t.IsPositive() || (i > 0 && !t.GreaterThan(s.FineTiers[i-1])) {
			bad("fine tiers must be positive and ascending, got %v", s.FineTiers)
			break
		}
	}
	names := []string{s.General.Name}
	errs = append(errs, s.General.validate())
	var areas []credit.KeyArea
	for _, m := range s.KeyAreaModels {
		if !slices.Contains(credit.KeyAreas, m.Area) || slices.Contains(areas, m.Area) {
			bad("key-area model for %q: unknown or duplicate area", m.Area)
		}
		if slices.Contains(names, m.Weights.Name) {
			bad("model name %q is used twice", m.Weights.Name)
		}
		areas, names = append(areas, m.Area), append(names, m.Weights.Name)
		errs = append(errs, m.Weights.validate())
	}
	return errors.Join(errs...)
}

func (w *Weights) validate() error {
	if w.Name == "" {
		return errors.New("risk: a model has no name")
	}
	for f := factor(0); f < numFactors; f++ {
		if v := w.points(f); !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("risk: model %q: weight of %s must be a non-negative number, got %g", w.Name, f.code(), v)
		}
	}
	return nil
}

// points is the weight of factor f.
func (w *Weights) points(f factor) float64 {
	switch f {
	case fSeriousListed:
		return w.SeriousListed
	case fSeriousPast:
		return w.SeriousPast
	case fAbnormalListed:
		return w.AbnormalListed
	case fAbnormalUnreachable:
		return w.AbnormalUnreachable
	case fPenaltyHeavier:
		return w.PenaltyHeavier
	case fPenaltyLighter:
		return w.PenaltyLighter
	case fPenaltyMinor:
		return w.PenaltyMinor
	case fPenaltySuspension:
		return w.PenaltySuspension
	case fPenaltyRevocation:
		return w.PenaltyRevocation
	case fLargeFine:
		return w.LargeFine
	case fRepeatViolation:
		return w.RepeatViolation
	case fSamplingNonCompliant:
		return w.SamplingNonCompliant
	case fInspectionNonCompliant:
		return w.InspectionNonCompliant
	case fIssuesCorrected:
		return w.IssuesCorrected
	case fNotFoundAtAddress:
		return w.NotFoundAtAddress
	case fUntrueCommitment:
		return w.UntrueCommitment
	case fLicenseExpired:
		return w.LicenseExpired
	case fYoungEnterprise:
		return w.YoungEnterprise
	case fStatusRevoked:
		return w.StatusRevoked
	case fStatusCancelled:
		return w.StatusCancelled
	}
	return 0
}
