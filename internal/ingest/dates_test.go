package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// Every date a record carries is checked against 1949-10-01 and, for the
// dates of things that have happened, against today; publication dates may
// lie up to the lead ahead.
func TestDateRules(t *testing.T) {
	rules := DateRules{Today: day("2026-06-15"), PublicationLead: credit.Period{Days: 30}}
	tests := []struct {
		name string
		line string
		code string // "" = accepted
		msg  string
	}{
		{"decided today", line(KindPenalty, "decided_on", "2026-06-15", "published_on", "2026-06-15"), "", ""},
		{"decision tomorrow", line(KindPenalty, "decided_on", "2026-06-16", "published_on", "2026-06-20"), CodeDateInFuture,
			`field "decided_on": 2026-06-16 is after today (2026-06-15): it records something that has happened`},
		{"publication within the lead", line(KindPenalty, "decided_on", "2026-06-10", "published_on", "2026-07-15"), "", ""},
		{"publication past the lead", line(KindPenalty, "decided_on", "2026-06-10", "published_on", "2026-07-16"), CodeDateInFuture,
			`field "published_on": 2026-07-16 is more than 30 days after today (2026-06-15)`},
		{"restriction far ahead is fine", line(KindPenalty, "restriction_until", "2031-01-01"), "", ""},
		{"established in the future", line(KindEnterprise, "established_on", "2026-06-16"), CodeDateInFuture, `field "established_on"`},
		{"established 1949-10-01", line(KindEnterprise, "established_on", "1949-10-01"), "", ""},
		{"established 1949-09-30", line(KindEnterprise, "established_on", "1949-09-30"), CodeDateTooEarly,
			`field "established_on": 1949-09-30 is before 1949-10-01: no market-regulation record is that old (a typing error?)`},
		{"licence decided in the future", line(KindLicense, "decided_on", "2027-01-01"), CodeDateInFuture, `field "decided_on"`},
		{"licence valid to 2099", line(KindLicense, "valid_to", "2099-12-31"), "", ""},
		{"licence valid from 1024", line(KindLicense, "valid_from", "1024-01-01"), CodeDateTooEarly, `field "valid_from"`},
		{"inspection in the future", line(KindInspection, "inspected_on", "2099-01-01"), CodeDateInFuture, `field "inspected_on"`},
		{"abnormal listing in the future", line(KindAbnormalListing, "listed_on", "2026-07-01"), CodeDateInFuture, `field "listed_on"`},
		{"serious listing in 0202", line(KindSeriousListing, "listed_on", "0202-02-01"), CodeDateTooEarly, `field "listed_on"`},
		{"removal in the future", line(KindAbnormalRemoval, "removed_on", "2026-06-16"), CodeDateInFuture, `field "removed_on"`},
		{"serious removal in the future", line(KindSeriousRemoval, "removed_on", "2029-02-01"), CodeDateInFuture, `field "removed_on"`},
		{"commitment made in the future", line(KindCommitment, "made_on", "2026-12-01"), CodeDateInFuture, `field "made_on"`},
		{"untrue found in the future", line(KindCommitment, "status", "untrue", "untrue_found_on", "2026-06-16"), CodeDateInFuture, `field "untrue_found_on"`},
		{"repair in the future", line(KindCreditRepair, "repaired_on", "2026-06-16"), CodeDateInFuture, `field "repaired_on"`},
		{"case published within the lead", line(KindTypicalCase, "published_on", "2026-07-01"), "", ""},
		{"case published past the lead", line(KindTypicalCase, "published_on", "2026-08-01"), CodeDateInFuture, `field "published_on"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, lerr := Decode([]byte(tt.line))
			if lerr != nil {
				t.Fatalf("line does not decode: %v", lerr)
			}
			err := rules.Check(rec)
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.code == "":
				return
			case err == nil:
				t.Fatalf("accepted, want %s", tt.code)
			case err.Code != tt.code || !strings.HasPrefix(err.Message, tt.msg):
				t.Fatalf("%s: %s; want %s: %s…", err.Code, err.Message, tt.code, tt.msg)
			}
		})
	}
	t.Run("without today only the earliest date is checked", func(t *testing.T) {
		rec, _ := Decode([]byte(line(KindInspection, "inspected_on", "2099-01-01")))
		if err := (DateRules{}).Check(rec); err != nil {
			t.Fatalf("rejected without a today: %v", err)
		}
		rec, _ = Decode([]byte(line(KindInspection, "inspected_on", "1900-01-01")))
		if err := (DateRules{}).Check(rec); err == nil || err.Code != CodeDateTooEarly {
			t.Fatalf("1900 accepted: %v", err)
		}
	})
}

// The importer takes today from its clock: a line dated after it is
// rejected with its line number, the others kept.
func TestImportRejectsFutureDates(t *testing.T) {
	s := newFakeStore()
	in := line(KindEnterprise) + "\n" + line(KindInspection, "inspected_on", "2026-06-16") + "\n" +
		line(KindInspection, "inspection_id", "CJ-2", "inspected_on", "2026-06-15") + "\n"
	im := &Importer{Store: s, Now: func() time.Time { return day("2026-06-15").Add(23 * time.Hour) }}
	sum, err := im.Import(t.Context(), strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Accepted != 2 || sum.Rejected != 1 || sum.Errors[0].Line != 2 || sum.Errors[0].Code != CodeDateInFuture {
		t.Fatalf("summary %+v", sum)
	}
}
