package postgres

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
)

// windowsPopulation: three enterprises with penalties of every length, a
// repair and a short fine, decided 2022–2024.
func windowsPopulation() *store.Batch {
	a, b, c := testUSCC("350102", 31), testUSCC("350203", 32), testUSCC("350102", 33)
	pen := func(uscc, dn, decided string, change func(*credit.Penalty)) store.Line[credit.Penalty] {
		p := heavyPenalty(uscc, dn, decided)
		if change != nil {
			change(&p)
		}
		return store.Line[credit.Penalty]{V: p}
	}
	short := func(p *credit.Penalty) { p.FineAmount = dec("5000.00") }
	return &store.Batch{
		Enterprises: lines(1, enterprise(a, "甲"), enterprise(b, "乙"), enterprise(c, "丙")),
		Penalties: []store.Line[credit.Penalty]{
			pen(a, "W-A1", "2022-02-10", nil), pen(a, "W-A2", "2023-05-10", short), pen(a, "W-A3", "2024-01-10", nil),
			pen(b, "W-B1", "2022-09-10", nil), pen(b, "W-B2", "2024-03-10", nil),
			pen(c, "W-C1", "2023-01-10", short), pen(c, "W-C2", "2023-02-10", short),
			pen(c, "W-C3", "2024-04-10", func(p *credit.Penalty) { p.Procedure = credit.ProcedureSimple }),
		},
	}
}

// repeatAnswers is every tier's default repeat-offender page and count on
// each probe day.
func repeatAnswers(t *testing.T, s store.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for d := date("2022-01-01"); d.Before(date("2028-01-01")); d = d.AddDate(0, 1, 3) {
		for _, tier := range []credit.Tier{credit.TierPublic, credit.TierPartner, credit.TierRegulator} {
			v := credit.Visibility{Tier: tier, AsOf: d}
			from, to := store.DefaultRepeatWindow(d)
			f := store.RepeatOffenderFilter{MinPenalties: 1, DecidedFrom: &from, DecidedTo: &to}
			c, err := s.RepeatOffenders(context.Background(), v, f, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.CountRepeatOffenders(context.Background(), v, f)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range c.Items {
				got = append(got, r.Enterprise.USCC+" "+time.Time.Format(r.LatestDecidedOn, time.DateOnly)+" "+r.TotalFines.String()+" "+string(rune('0'+r.PenaltyCount)))
			}
			got = append(got, string(rune('0'+n)))
			out[d.Format(time.DateOnly)+" "+tier.String()] = got
		}
	}
	return out
}

// windowRows is penalty_windows as text, in key order.
func windowRows(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.write.Query(context.Background(), `SELECT to_jsonb(x)::text FROM penalty_windows x ORDER BY uscc, public, valid_from`)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// The windows follow every write and the settings: a store with other
// disclosure settings counts penalties (and answers as the embedded store
// with those settings does) until it rebuilds them; a write by a store
// whose settings are not the windows' sends every store back to counting.
func TestRepeatWindowsFollowWritesAndSettings(t *testing.T) {
	ctx := context.Background()
	def := credit.NewPolicy(credit.DefaultSettings())
	longer := credit.DefaultSettings()
	longer.PenaltyLongPeriod, longer.PenaltyShortPeriod = credit.Period{Years: 1}, credit.Period{Months: 6}
	other := credit.NewPolicy(longer)

	a := NewTestStore(t, def)
	mustNoRejections(t, a, windowsPopulation())
	if ok, err := a.RepeatWindowsCurrent(ctx); err != nil || !ok {
		t.Fatalf("a new database's first write computes the windows: current %v, %v", ok, err)
	}
	refDef := memory.New(def)
	refOther := memory.New(other)
	for _, m := range []*memory.Store{refDef, refOther} {
		if _, err := m.Apply(ctx, windowsPopulation()); err != nil {
			t.Fatal(err)
		}
	}
	want := repeatAnswers(t, refDef)
	if got := repeatAnswers(t, a); !reflect.DeepEqual(got, want) {
		t.Fatalf("windows answer\n%v\nthe embedded store\n%v", got, want)
	}
	// Incremental windows are those a rebuild computes.
	built := windowRows(t, a)
	if len(built) == 0 {
		t.Fatal("no windows")
	}
	if err := a.RefreshRepeatWindows(ctx); err != nil {
		t.Fatal(err)
	}
	if got := windowRows(t, a); !reflect.DeepEqual(got, built) {
		t.Fatalf("after the writes\n%v\nrebuilt\n%v", built, got)
	}

	// A store with other settings on the same database.
	b, err := New(ctx, Config{URL: a.write.Config().ConnString(), Policy: other})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	wantOther := repeatAnswers(t, refOther)
	if reflect.DeepEqual(wantOther, want) {
		t.Fatal("the settings change nothing: the test cannot tell")
	}
	if ok, _ := b.RepeatWindowsCurrent(ctx); ok {
		t.Fatal("windows of other settings are current")
	}
	if got := repeatAnswers(t, b); !reflect.DeepEqual(got, wantOther) {
		t.Fatalf("before its rebuild the other store answers\n%v\nwant\n%v", got, wantOther)
	}
	if err := b.RefreshRepeatWindows(ctx); err != nil {
		t.Fatal(err)
	}
	if got := repeatAnswers(t, b); !reflect.DeepEqual(got, wantOther) {
		t.Fatalf("after its rebuild the other store answers\n%v\nwant\n%v", got, wantOther)
	}
	if got := repeatAnswers(t, a); !reflect.DeepEqual(got, want) {
		t.Fatalf("with windows of other settings the first store answers\n%v\nwant\n%v", got, want)
	}

	// The first store writes a penalty: it cannot keep b's windows.
	more := &store.Batch{Penalties: []store.Line[credit.Penalty]{{N: 1, V: heavyPenalty(testUSCC("350203", 32), "W-B3", "2024-05-10")}}}
	mustNoRejections(t, a, more)
	for _, m := range []*memory.Store{refDef, refOther} {
		if _, err := m.Apply(ctx, &store.Batch{Penalties: more.Penalties}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := b.RepeatWindowsCurrent(ctx); ok {
		t.Fatal("windows still current after a write with other settings")
	}
	if got, want := repeatAnswers(t, b), repeatAnswers(t, refOther); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the other store's write\n%v\nwant\n%v", got, want)
	}
	if got, want := repeatAnswers(t, a), repeatAnswers(t, refDef); !reflect.DeepEqual(got, want) {
		t.Fatalf("after its write the first store answers\n%v\nwant\n%v", got, want)
	}
}
