package credit

import (
	"fmt"
	"strings"
	"time"
)

// Tier is a caller's disclosure tier. Higher tiers see more.
type Tier int8

const (
	TierPublic    Tier = iota // consumers, media: the legally disclosed record
	TierPartner               // business partners under agreement: public record plus services and risk category
	TierRegulator             // market regulators: everything, with each record's disclosure state
)

// Tiers lists every tier from lowest to highest.
var Tiers = []Tier{TierPublic, TierPartner, TierRegulator}

func (t Tier) String() string {
	switch t {
	case TierPublic:
		return "PUBLIC"
	case TierPartner:
		return "PARTNER"
	case TierRegulator:
		return "REGULATOR"
	}
	return fmt.Sprintf("Tier(%d)", int8(t))
}

// ParseTier parses a tier name, case-insensitively.
func ParseTier(s string) (Tier, error) {
	for _, t := range Tiers {
		if strings.EqualFold(s, t.String()) {
			return t, nil
		}
	}
	return 0, fmt.Errorf("credit: unknown tier %q (want PUBLIC, PARTNER or REGULATOR)", s)
}

// Visibility is what every read carries: who is asking and as of which day.
// AsOf is a civil date (midnight UTC) taken from the one injectable clock.
type Visibility struct {
	Tier Tier
	AsOf time.Time
}

// Public reports whether the caller is below REGULATOR, i.e. sees only the
// legally disclosed record ("the public" includes partners).
func (v Visibility) Public() bool { return v.Tier < TierRegulator }

// Clock returns "now". Production uses time.Now; tests move it.
type Clock func() time.Time

// VisibilityAt builds a Visibility for tier as of the clock's current date.
func VisibilityAt(tier Tier, now time.Time) Visibility {
	return Visibility{Tier: tier, AsOf: DateOf(now)}
}
