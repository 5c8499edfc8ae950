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

func TestClockDate(t *testing.T) {
	c, err := FromEnv(env(nil))
	if err != nil || c.ClockDate != nil {
		t.Fatalf("default: %v %v", c.ClockDate, err)
	}
	if d := credit.DateOf(c.Clock()()); !d.Equal(credit.DateOf(time.Now())) {
		t.Errorf("without CLOCK_DATE today is %s", d)
	}
	c, err = FromEnv(env(map[string]string{"CLOCK_DATE": "2027-09-02"}))
	if err != nil {
		t.Fatal(err)
	}
	clock := c.Clock()
	a, b := clock(), clock()
	if got := a.Format(time.DateOnly); got != "2027-09-02" {
		t.Errorf("with CLOCK_DATE today is %s", got)
	}
	if b.Before(a) {
		t.Errorf("the clock ran backwards: %s then %s", a, b)
	}
	if c.PublicationLead != (credit.Period{Days: 30}) {
		t.Errorf("MAX_PUBLICATION_LEAD default = %v", c.PublicationLead)
	}
	if _, err := FromEnv(env(map[string]string{"CLOCK_DATE": "2027-02-30"})); err == nil || !strings.Contains(err.Error(), "CLOCK_DATE") {
		t.Errorf("an impossible CLOCK_DATE: %v", err)
	}
}
