package cost

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	ok := Cost{Requested: 1, Nodes: 67, Depth: 5}
	for _, tc := range []struct {
		name     string
		limits   Limits
		cost     Cost
		code     string // "" = no error
		limit    int
		measured int
	}{
		{name: "within the defaults", limits: DefaultLimits(), cost: ok},
		{name: "zero limits are the defaults", limits: Limits{}, cost: ok},
		{name: "at every limit", limits: DefaultLimits(), cost: Cost{Requested: 1000, Nodes: 50_000, Depth: 12, Aliases: 30}},
		{name: "cost", limits: DefaultLimits(), cost: Cost{Requested: 1203, Nodes: 10}, code: CodeMaxCost, limit: 1000, measured: 1203},
		{name: "nodes", limits: DefaultLimits(), cost: Cost{Requested: 21, Nodes: 102_100, Depth: 7}, code: CodeMaxNodes, limit: 50_000, measured: 102_100},
		{name: "depth", limits: DefaultLimits(), cost: Cost{Requested: 1, Nodes: 10, Depth: 13}, code: CodeMaxDepth, limit: 12, measured: 13},
		{name: "aliases", limits: DefaultLimits(), cost: Cost{Requested: 1, Nodes: 31, Depth: 2, Aliases: 31}, code: CodeMaxAliases, limit: 30, measured: 31},
		{name: "zero falls back to the default", limits: Limits{MaxCost: 0}, cost: Cost{Requested: 1001}, code: CodeMaxCost, limit: 1000, measured: 1001},
		{name: "a lower setting", limits: Limits{MaxNodes: 500}, cost: Cost{Nodes: 501}, code: CodeMaxNodes, limit: 500, measured: 501},
		{name: "negative is no limit", limits: Limits{MaxCost: -1, MaxNodes: -1, MaxDepth: -1, MaxAliases: -1}, cost: Cost{Requested: 1 << 40, Nodes: 1 << 40, Depth: 99, Aliases: 99}},
		{name: "shape before size", limits: DefaultLimits(), cost: Cost{Requested: 5000, Nodes: 1 << 20, Depth: 40, Aliases: 99}, code: CodeMaxDepth, limit: 12, measured: 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.limits.Check(tc.cost)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var le *LimitError
			if !errors.As(err, &le) {
				t.Fatalf("Check = %v, want a *LimitError", err)
			}
			if le.Code != tc.code || le.Limit != tc.limit || le.Measured != tc.measured {
				t.Errorf("got %s limit %d measured %d, want %s limit %d measured %d", le.Code, le.Limit, le.Measured, tc.code, tc.limit, tc.measured)
			}
			for _, n := range []int{tc.limit, tc.measured} {
				if !strings.Contains(le.Error(), strconv.Itoa(n)) {
					t.Errorf("message %q does not say %d", le.Error(), n)
				}
			}
			ext := le.Extensions()
			if ext["code"] != tc.code || ext["limit"] != tc.limit || ext["measured"] != tc.measured {
				t.Errorf("extensions = %v", ext)
			}
		})
	}
}

// TestDefaultLimitsOnGolden pins which golden queries the defaults refuse.
func TestDefaultLimitsOnGolden(t *testing.T) {
	refused := map[string]string{
		"fan-out through listings to their enterprises' penalties": CodeMaxNodes,
		"aliases ×5 of the 100×100 page":                           CodeMaxNodes,
		"aliases ×31 of one lookup":                                CodeMaxAliases,
	}
	for _, tc := range golden {
		t.Run(tc.name, func(t *testing.T) {
			err := DefaultLimits().Check(tc.want)
			var le *LimitError
			switch want := refused[tc.name]; {
			case want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case want != "" && (!errors.As(err, &le) || le.Code != want):
				t.Errorf("Check = %v, want %s", err, want)
			}
		})
	}
}

func TestWalkErrorsSayTheirBound(t *testing.T) {
	for _, le := range []*LimitError{walkDepthError(), walkFieldsError()} {
		if !strings.Contains(le.Message, strconv.Itoa(le.Limit)) {
			t.Errorf("%s: message %q does not say %d", le.Code, le.Message, le.Limit)
		}
	}
}
