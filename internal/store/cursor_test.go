package store

import (
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
)

func TestCursorRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		key  []string
	}{
		{"one key", []string{"91350100MA2XXXXXX1"}},
		{"date and id", []string{"2024-05-01", "闽市监罚〔2024〕12号"}},
		{"empty key part", []string{"", "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := EncodeCursor("k", "fp", tt.key...)
			got, err := DecodeCursor(c, "k", "fp", len(tt.key))
			if err != nil {
				t.Fatalf("DecodeCursor: %v", err)
			}
			if !slices.Equal(got, tt.key) {
				t.Errorf("keys = %q, want %q", got, tt.key)
			}
		})
	}
}

func TestDecodeCursorRejects(t *testing.T) {
	good := EncodeCursor("k", "fp", "a", "b")
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name   string
		cursor string
		kind   string
		fp     string
		nkeys  int
	}{
		{"empty", "", "k", "fp", 2},
		{"not base64", "!!!", "k", "fp", 2},
		{"padded base64 of junk", base64.URLEncoding.EncodeToString([]byte("junk")), "k", "fp", 2},
		{"not json", b64("hello"), "k", "fp", 2},
		{"json but not a cursor", b64(`[1,2]`), "k", "fp", 2},
		{"other version", b64(`{"v":2,"k":"k","f":"fp","x":["a","b"]}`), "k", "fp", 2},
		{"no version", b64(`{"k":"k","f":"fp","x":["a","b"]}`), "k", "fp", 2},
		{"other kind", good, "other", "fp", 2},
		{"other filter", good, "k", "fp2", 2},
		{"too few keys", good, "k", "fp", 3},
		{"too many keys", good, "k", "fp", 1},
		{"truncated", good[:len(good)-3], "k", "fp", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeCursor(tt.cursor, tt.kind, tt.fp, tt.nkeys)
			if !errors.Is(err, ErrBadCursor) {
				t.Errorf("err = %v, want ErrBadCursor", err)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	d1 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d1b := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // equal value, other pointer
	d2 := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a, b any
		same bool
	}{
		{"zero filters", EnterpriseFilter{}, EnterpriseFilter{}, true},
		{"equal pointed-to dates", ListingFilter{ListedFrom: &d1}, ListingFilter{ListedFrom: &d1b}, true},
		{"other date", ListingFilter{ListedFrom: &d1}, ListingFilter{ListedFrom: &d2}, false},
		{"from vs to", ListingFilter{ListedFrom: &d1}, ListingFilter{ListedTo: &d1}, false},
		{"region", EnterpriseFilter{RegionPrefix: "35"}, EnterpriseFilter{RegionPrefix: "3501"}, false},
		{"key area", CaseFilter{KeyArea: credit.AreaDrug}, CaseFilter{}, false},
		{"nil vs false", EnterpriseFilter{}, EnterpriseFilter{OnSeriousList: new(bool)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fa, fb := Fingerprint(tt.a), Fingerprint(tt.b)
			if (fa == fb) != tt.same {
				t.Errorf("Fingerprint(%+v)=%s, Fingerprint(%+v)=%s, want same=%v", tt.a, fa, tt.b, fb, tt.same)
			}
		})
	}
}

func TestPageLimit(t *testing.T) {
	tests := []struct {
		name  string
		first int
		want  int
	}{
		{"zero is the default", 0, DefaultFirst},
		{"negative is the default", -5, DefaultFirst},
		{"in range", 7, 7},
		{"max", MaxFirst, MaxFirst},
		{"above max is clamped", MaxFirst + 1, MaxFirst},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Page{First: tt.first}).Limit(); got != tt.want {
				t.Errorf("Limit() = %d, want %d", got, tt.want)
			}
		})
	}
}
