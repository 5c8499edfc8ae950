package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ingest"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// On any day, before or after the anchor, the shifted demo imports with no
// line rejected (no date in the future of that day) and shows each record
// as far into its disclosure as it was on the anchor day.
func TestOpenAtKeepsTheAnchorDaysView(t *testing.T) {
	showcase := func(t *testing.T, today time.Time) (endsOn string, days int) {
		t.Helper()
		rc := OpenAt(today)
		defer rc.Close()
		st := memory.New(credit.NewPolicy(credit.DefaultSettings()))
		im := &ingest.Importer{Store: st, Now: func() time.Time { return today }}
		sum, err := im.Import(context.Background(), rc)
		if err != nil || sum.Rejected != 0 || sum.Accepted != len(lines(t)) {
			t.Fatalf("on %s: %v, accepted %d of %d, rejected %d: %+v", today.Format(time.DateOnly), err,
				sum.Accepted, len(lines(t)), sum.Rejected, sum.Errors)
		}
		v := credit.Visibility{Tier: credit.TierPublic, AsOf: today}
		pens, err := st.PenaltiesByUSCC(context.Background(), v, []string{ShowcaseFoodProducer})
		if err != nil || len(pens[0]) != 1 {
			t.Fatalf("showcase penalty on %s: %v %+v", today.Format(time.DateOnly), err, pens)
		}
		p := credit.NewPolicy(credit.DefaultSettings())
		end := p.PenaltyEndsOn(pens[0][0])
		return end.Format(time.DateOnly), int(end.Sub(today).Hours() / 24)
	}
	atAnchor, left := showcase(t, Anchor())
	if atAnchor != "2029-09-03" {
		t.Fatalf("at the anchor the showcase penalty ends on %s, want 2029-09-03 (README)", atAnchor)
	}
	for _, today := range []time.Time{Anchor().AddDate(0, 0, 36), Anchor().AddDate(1, 2, 3), Anchor().AddDate(0, -7, 0)} {
		_, l := showcase(t, today)
		if d := l - left; d < -3 || d > 3 { // month arithmetic may move a period end by a day or so
			t.Errorf("on %s the penalty has %d days left, at the anchor %d", today.Format(time.DateOnly), l, left)
		}
	}
}

// On the anchor day the data is not rewritten at all.
func TestOpenAtAnchorIsTheFile(t *testing.T) {
	rc := OpenAt(Anchor().Add(15 * time.Hour))
	b, _ := io.ReadAll(rc)
	if !bytes.Equal(b, readAll(t)) {
		t.Fatal("OpenAt(anchor) differs from the embedded file")
	}
	rc = OpenAt(Anchor().AddDate(0, 0, 1))
	b, _ = io.ReadAll(rc)
	var rec map[string]any
	if err := json.Unmarshal(b[:bytes.IndexByte(b, '\n')], &rec); err != nil {
		t.Fatalf("shifted data is not NDJSON: %v", err)
	}
}
