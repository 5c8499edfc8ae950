package config

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultsMatchPolicyDefaults(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	d := credit.DefaultSettings()
	if c.Disclosure.PenaltyShortPeriod != d.PenaltyShortPeriod || c.Disclosure.SeriousListingPeriod != d.SeriousListingPeriod ||
		!c.Disclosure.LowerFineOrganisation.Equal(d.LowerFineOrganisation) || c.Disclosure.AbnormalToSeriousReminder != d.AbnormalToSeriousReminder {
		t.Errorf("env defaults %+v differ from credit.DefaultSettings %+v", c.Disclosure, d)
	}
	if c.ListenAddr != ":8080" || c.MaxBodyBytes != 1<<20 || c.RequestTimeout != 10*time.Second {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestInvalidSettingsAreAllReported(t *testing.T) {
	_, err := FromEnv(env(map[string]string{
		"LOG_FORMAT": "xml", "PENALTY_LONG_PERIOD": "three years", "MAX_BODY_BYTES": "-1", "LOWER_FINE_INDIVIDUAL": "abc",
	}))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"LOG_FORMAT", "PENALTY_LONG_PERIOD", "MAX_BODY_BYTES", "LOWER_FINE_INDIVIDUAL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want credit.Period
		ok   bool
	}{
		{"years", "3y", credit.Period{Years: 3}, true},
		{"months", "6m", credit.Period{Months: 6}, true},
		{"days", "60d", credit.Period{Days: 60}, true},
		{"combined", "1y6m", credit.Period{Years: 1, Months: 6}, true},
		{"zero", "0y", credit.Period{}, false},
		{"empty", "", credit.Period{}, false},
		{"words", "3 years", credit.Period{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("ParsePeriod(%q) = %+v, %v", tt.in, got, err)
			}
		})
	}
}

// TestREADMEDocumentsEverySetting keeps the README's settings table true.
func TestREADMEDocumentsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings {
		row := "| `" + s.Name + "` |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md has no settings row for %s (want a line starting %q)", s.Name, row)
		}
	}
}
