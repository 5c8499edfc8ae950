// Package screening owns batch counterparty screening (交易对手筛查): it
// resolves up to MaxInputs inputs, each a unified social credit code or a
// name, to enterprises (MATCHED, AMBIGUOUS with ranked candidates,
// NOT_FOUND, INVALID with the reason), and explains every red flag of a
// matched enterprise from the records its caller's tier sees on its date.
// It reads through a Source, which the GraphQL layer backs with the
// request's batch loaders (a whole batch costs a handful of statements),
// and it decides no disclosure: the records it is given are already the
// caller's view. Name matching is package search's; the risk category is
// package risk's. It knows nothing of GraphQL, HTTP or stores.
package screening

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// MaxInputs is the most inputs one screening takes.
const MaxInputs = 100

// Status says how an input was resolved.
type Status string

const (
	Matched   Status = "MATCHED"
	Ambiguous Status = "AMBIGUOUS"
	NotFound  Status = "NOT_FOUND"
	Invalid   Status = "INVALID"
)

// Input is one counterparty: exactly one of USCC and Name.
type Input struct {
	Ref  string
	USCC *string
	Name *string
}

// Candidate is an enterprise a name may mean.
type Candidate struct {
	Enterprise *credit.Enterprise
	Score      float64
}

// Result is the screening of one input.
type Result struct {
	Ref        string
	Status     Status
	Message    *string
	Enterprise *credit.Enterprise // MATCHED only
	Score      *float64           // MATCHED by name
	Candidates []Candidate        // AMBIGUOUS
	Flags      []Flag             // MATCHED only
}

// Records are an enterprise's records as the caller sees them today.
type Records struct {
	Penalties   []credit.Penalty
	Inspections []credit.Inspection
	Abnormal    []credit.Listing
	Serious     []credit.Listing
	Commitments []credit.Commitment
}

// Hit is one enterprise a name search found, with its score in [0, 1].
type Hit struct {
	Enterprise *credit.Enterprise
	Score      float64
}

// Source is what screening reads, as the caller sees it. Each method takes
// the whole batch so that a backend can answer it in one statement per
// record kind.
type Source interface {
	// Enterprises returns enterprises in key order, nil where unknown.
	Enterprises(ctx context.Context, usccs []string) ([]*credit.Enterprise, error)
	// Records returns each enterprise's records, in key order.
	Records(ctx context.Context, usccs []string) ([]Records, error)
	// Names returns, per name, the best hits first (at most limit); an
	// error in errs[i] (wrapping ErrBadName) makes that input INVALID.
	// No hit scoring below minScore is wanted: the source need not look for
	// one.
	Names(ctx context.Context, names []string, limit int, minScore float64) (hits [][]Hit, errs []error, err error)
}

// ErrBadName is wrapped by a Source's per-name error for a name that cannot
// be searched (too short, too long): the input is INVALID with its message.
var ErrBadName = errors.New("screening: bad name")

// Settings are the screening's thresholds; see Defaults.
type Settings struct {
	// NameThreshold is the least score a name hit needs to count.
	NameThreshold float64
	// NameMargin is how far the best hit must lead the next counting one
	// to be MATCHED rather than AMBIGUOUS.
	NameMargin float64
	// Candidates is the most candidates an AMBIGUOUS result lists.
	Candidates int
	// InspectionWindow is how far back a non-compliant inspection raises
	// NON_COMPLIANT_INSPECTION.
	InspectionWindow credit.Period
}

// Defaults are the settings' defaults (SCREENING_* in the README).
func Defaults() Settings {
	return Settings{NameThreshold: 0.75, NameMargin: 0.1, Candidates: 5, InspectionWindow: credit.Period{Years: 3}}
}

// ErrTooMany is returned for a batch over MaxInputs.
type ErrTooMany struct{ N int }

func (e ErrTooMany) Error() string {
	return fmt.Sprintf("screening takes at most %d inputs per call; got %d: split the batch", MaxInputs, e.N)
}

// Screener screens batches.
type Screener struct {
	Policy   credit.Policy
	Settings Settings
}

// Screen resolves and flags every input, in input order, as of asOf. An
// error is returned only for the batch as a whole (too many inputs, the
// store unreachable); a bad input is an INVALID result.
func (s Screener) Screen(ctx context.Context, src Source, asOf time.Time, in []Input) ([]Result, error) {
	if len(in) > MaxInputs {
		return nil, ErrTooMany{len(in)}
	}
	out := make([]Result, len(in))
	var codes, names []string
	var byCode, byName []int // input index of each code and name looked up
	for i, x := range in {
		out[i] = Result{Ref: x.Ref, Candidates: []Candidate{}, Flags: []Flag{}}
		switch {
		case (x.USCC == nil) == (x.Name == nil):
			out[i].invalid("give exactly one of uscc and name")
		case x.USCC != nil:
			code, err := credit.ParseUSCC(*x.USCC)
			if err != nil {
				out[i].invalid(err.Error())
				continue
			}
			codes, byCode = append(codes, code), append(byCode, i)
		default:
			if strings.TrimSpace(*x.Name) == "" {
				out[i].invalid("name is empty")
				continue
			}
			names, byName = append(names, *x.Name), append(byName, i)
		}
	}
	if len(codes) > 0 {
		ents, err := src.Enterprises(ctx, codes)
		if err != nil {
			return nil, err
		}
		for k, e := range ents {
			r := &out[byCode[k]]
			if e == nil {
				r.Status = NotFound
				r.Message = ptr("no enterprise has the code " + codes[k])
				continue
			}
			r.Status, r.Enterprise = Matched, e
		}
	}
	if len(names) > 0 {
		hits, errs, err := src.Names(ctx, names, s.Settings.Candidates+1, s.Settings.NameThreshold)
		if err != nil {
			return nil, err
		}
		for k := range names {
			if errs != nil && errs[k] != nil {
				out[byName[k]].invalid(errs[k].Error())
				continue
			}
			s.resolveName(&out[byName[k]], names[k], hits[k])
		}
	}
	return out, s.flag(ctx, src, asOf, out)
}

// resolveName decides a name input from its hits, best first: the hits at
// or above the threshold count; one that leads the next by the margin is
// MATCHED, several close ones AMBIGUOUS.
func (s Screener) resolveName(r *Result, name string, hits []Hit) {
	var counting []Hit
	for _, h := range hits {
		if h.Enterprise != nil && h.Score >= s.Settings.NameThreshold {
			counting = append(counting, h)
		}
	}
	switch {
	case len(counting) == 0:
		r.Status = NotFound
		r.Message = ptr(fmt.Sprintf("no enterprise name matches %q with a score of %.2f or more", name, s.Settings.NameThreshold))
	case len(counting) == 1 || counting[0].Score-counting[1].Score >= s.Settings.NameMargin:
		r.Status, r.Enterprise, r.Score = Matched, counting[0].Enterprise, &counting[0].Score
	default:
		r.Status = Ambiguous
		r.Message = ptr(fmt.Sprintf("%d or more enterprises match %q within %.2f of each other: pick one by its code",
			len(counting), name, s.Settings.NameMargin))
		for _, h := range counting[:min(len(counting), s.Settings.Candidates)] {
			r.Candidates = append(r.Candidates, Candidate{Enterprise: h.Enterprise, Score: h.Score})
		}
	}
}

// flag loads the records of every matched enterprise at once and explains
// its flags.
func (s Screener) flag(ctx context.Context, src Source, asOf time.Time, out []Result) error {
	var usccs []string
	var at []int
	for i := range out {
		if out[i].Status == Matched {
			usccs, at = append(usccs, out[i].Enterprise.USCC), append(at, i)
		}
	}
	if len(usccs) == 0 {
		return nil
	}
	recs, err := src.Records(ctx, usccs)
	if err != nil {
		return err
	}
	for k, i := range at {
		out[i].Flags = Flags(s.Policy, s.Settings, credit.DateOf(asOf), out[i].Enterprise, &recs[k])
	}
	return nil
}

func (r *Result) invalid(msg string) {
	r.Status, r.Message = Invalid, &msg
}

func ptr[T any](v T) *T { return &v }
