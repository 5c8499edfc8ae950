package cost

import (
	"encoding/json"
	"math"
	"testing"
)

func TestToInt(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		want int
		ok   bool
	}{
		{"int", 7, 7, true},
		{"int8", int8(7), 7, true},
		{"int16", int16(7), 7, true},
		{"int32", int32(7), 7, true},
		{"int64", int64(7), 7, true},
		{"uint", uint(7), 7, true},
		{"uint8", uint8(7), 7, true},
		{"uint16", uint16(7), 7, true},
		{"uint32", uint32(7), 7, true},
		{"uint64 above MaxInt", uint64(math.MaxUint64), math.MaxInt, true},
		{"float64", 7.0, 7, true},
		{"float64 fraction rounds up", 7.2, 8, true},
		{"float32", float32(7), 7, true},
		{"float64 huge", 1e300, math.MaxInt, true},
		{"float64 -huge", -1e300, math.MinInt, true},
		{"NaN", math.NaN(), 0, false},
		{"json.Number int", json.Number("7"), 7, true},
		{"json.Number float", json.Number("7.5"), 8, true},
		{"json.Number garbage", json.Number("x"), 0, false},
		{"string", "7", 0, false},
		{"bool", true, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := toInt(tc.in)
			if got != tc.want || ok != tc.ok {
				t.Errorf("toInt(%v) = %d, %t; want %d, %t", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestFirstOddities prices what validation would refuse, safely.
func TestFirstOddities(t *testing.T) {
	for _, tc := range []struct {
		name  string
		first string
		vars  map[string]any
		want  int // nodes of enterprises(first: …) { nodes { name } }
	}{
		{"huge literal", `99999999999999999999999`, nil, 100},
		{"negative literal", `-5`, nil, 20},
		{"float literal", `2.5`, nil, 3},
		{"string literal", `"7"`, nil, 100},
		{"null literal", `null`, nil, 20},
		{"string variable", `$n`, map[string]any{"n": "7"}, 100},
		{"undeclared variable", `$zz`, nil, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := `query($n: Int) { enterprises(first: ` + tc.first + `) { nodes { name } } }`
			c, err := price(t, q, tc.vars, true)
			if err != nil {
				t.Fatal(err)
			}
			if c.Nodes != tc.want {
				t.Errorf("nodes = %d, want %d", c.Nodes, tc.want)
			}
		})
	}
}

func TestMergeComparesArgumentValues(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   string
		merged bool
	}{
		{"same object", `{regionCode: "35", keyArea: CATERING}`, `{regionCode: "35", keyArea: CATERING}`, true},
		{"other object value", `{regionCode: "35"}`, `{regionCode: "3502"}`, false},
		{"other object field", `{regionCode: "35"}`, `{namePrefix: "35"}`, false},
		{"other enum", `{keyArea: CATERING}`, `{keyArea: DRUG}`, false},
		{"variable and literal", `$f`, `{regionCode: "35"}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := `query($f: EnterpriseFilter) {
  enterprises(first: 10, filter: ` + tc.a + `) { nodes { name } }
  enterprises(first: 10, filter: ` + tc.b + `) { nodes { uscc } }
}`
			c, err := price(t, q, nil, true)
			if err != nil {
				t.Fatal(err)
			}
			want := 20
			if tc.merged {
				want = 10
			}
			if c.Nodes != want {
				t.Errorf("nodes = %d, want %d", c.Nodes, want)
			}
		})
	}
}
