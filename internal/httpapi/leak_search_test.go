package httpapi

import (
	"fmt"
	"strings"
	"testing"
)

// The leak suite's cases for the paths that search, count and rank
// (issue 9): a hidden value must not be findable, countable or rankable by
// a tier that may not read it, and must be by REGULATOR, so the cases cannot
// pass by finding nothing. REGULATOR asks first, so that a response cache
// keyed without the tier would hand its answers down.

type leakSearchCase struct {
	name, query string
	// hidden: found by REGULATOR only; public: found by every tier.
	hidden, public bool
	// canaries that must not appear in a public tier's answer.
	secrets []string
}

func leakSearchCases() []leakSearchCase {
	cases := func(text string) string {
		return fmt.Sprintf(`{ typicalCases(filter: {text: %q}) { totalCount nodes { caseId title summary } } }`, text)
	}
	return []leakSearchCase{
		{name: "case title phone", query: cases("13600003333"), hidden: true, secrets: []string{"13600003333"}},
		{name: "case summary phone", query: cases("13922223333"), hidden: true, secrets: []string{"13922223333"}},
		{name: "unpublished case", query: cases("CANARY-UNPUBLISHED"), hidden: true, secrets: []string{"CANARY-UNPUBLISHED"}},
		{name: "public case text", query: cases("PUBTOK-CASE-TITLE"), public: true, secrets: []string{"13600003333", "13922223333"}},
	}
}

// totalCount of the answer's only root field.
func leakTotal(t *testing.T, r response) int {
	t.Helper()
	var d map[string]struct{ TotalCount int }
	r.data(t, &d)
	for _, v := range d {
		return v.TotalCount
	}
	t.Fatalf("no root field: %s", r.raw)
	return 0
}

func TestLeakSearchPaths(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		loadCanaries(t, h)
		for _, tc := range leakSearchCases() {
			t.Run(tc.name, func(t *testing.T) {
				reg := h.query(t, tc.query, nil, bearer(regulatorKey)...)
				if n := leakTotal(t, reg); n == 0 {
					t.Fatalf("REGULATOR finds nothing: the case proves nothing: %s", reg.raw)
				}
				for _, who := range []struct {
					name string
					hdr  []string
				}{{"PUBLIC anonymous", nil}, {"PUBLIC key", bearer(publicKey)}, {"PARTNER", bearer(partnerKey)}} {
					r := h.query(t, tc.query, nil, who.hdr...)
					n := leakTotal(t, r)
					if tc.hidden && n != 0 {
						t.Errorf("%s finds %d by hidden text: %s", who.name, n, r.raw)
					}
					if tc.public && n == 0 {
						t.Errorf("%s finds nothing by public text: %s", who.name, r.raw)
					}
					for _, s := range tc.secrets {
						if strings.Contains(string(r.raw), s) {
							t.Errorf("%s: answer holds %q: %s", who.name, s, r.raw)
						}
					}
				}
			})
		}
	})
}
