package httpapi

// The leak suite's checks of counts and filters: a count, a total or a
// filtered row that includes a hidden record reveals it.

import (
	"fmt"
	"maps"
	"slices"
	"testing"
)

// countMismatches finds connections whose totalCount is not the number of
// rows walked (with no next page), whose edges and nodes differ, and credit
// summaries that count other rows than the lists beside them: a count that
// includes hidden rows reveals them.
//
// The connection at later (if any) was given `after`: its rows are a later
// page, at most totalCount. all says the caller sees every record
// (REGULATOR).
func countMismatches(v any, path, later string, all bool) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		nodes, hasNodes := x["nodes"].([]any)
		edges, hasEdges := x["edges"].([]any)
		if hasNodes && hasEdges && len(nodes) != len(edges) {
			out = append(out, fmt.Sprintf("%s: %d nodes but %d edges", path, len(nodes), len(edges)))
		}
		if total, ok := x["totalCount"].(float64); ok {
			walked := len(nodes)
			if !hasNodes {
				walked = len(edges)
			}
			next, _ := jsonObj(x["pageInfo"])["hasNextPage"].(bool)
			switch {
			case path == later && walked > int(total):
				out = append(out, fmt.Sprintf("%s: totalCount %d, but %d rows on a later page", path, int(total), walked))
			case path != later && (hasNodes || hasEdges) && !next && int(total) != walked:
				out = append(out, fmt.Sprintf("%s: totalCount %d, but %d rows walked (and no next page)", path, int(total), walked))
			}
		}
		if sum, ok := x["creditSummary"].(map[string]any); ok {
			for count, list := range map[string]string{"inspectionCount": "inspections", "licenseCount": "licenses"} {
				n, ok1 := sum[count].(float64)
				total, ok2 := jsonObj(x[list])["totalCount"].(float64)
				if ok1 && ok2 && n != total {
					out = append(out, fmt.Sprintf("%s: creditSummary.%s %d, but %s.totalCount %d", path, count, int(n), list, int(total)))
				}
			}
			out = append(out, penaltyCountMismatch(sum, jsonObj(x["penalties"]), path, all)...)
		}
		for k, c := range x {
			out = append(out, countMismatches(c, path+"."+k, later, all)...)
		}
	case []any:
		for i, c := range x {
			out = append(out, countMismatches(c, fmt.Sprintf("%s[%d]", path, i), later, all)...)
		}
	}
	return out
}

// penaltyCountMismatch compares a credit summary's penalty counts with the
// penalties beside it. creditSummary.penaltyCount counts the penalties
// disclosed today in every tier: for a public caller every penalty it sees;
// for a regulator, who sees every penalty, those in the state DISCLOSED.
// recorded.penaltyCount (REGULATOR) counts them all.
func penaltyCountMismatch(sum, pens map[string]any, path string, all bool) []string {
	total, hasTotal := pens["totalCount"].(float64)
	if rec := jsonObj(sum["recorded"]); rec != nil && hasTotal {
		if n, ok := rec["penaltyCount"].(float64); ok && n != total {
			return []string{fmt.Sprintf("%s: creditSummary.recorded.penaltyCount %d, but penalties.totalCount %d", path, int(n), int(total))}
		}
	}
	n, ok := sum["penaltyCount"].(float64)
	if !ok || !hasTotal {
		return nil
	}
	nodes := jsonList(pens["nodes"])
	if !all {
		if n != total {
			return []string{fmt.Sprintf("%s: creditSummary.penaltyCount %d, but penalties.totalCount %d", path, int(n), int(total))}
		}
		return nil
	}
	if len(nodes) != int(total) || len(nodes) > 0 && jsonObj(nodes[0])["disclosureState"] == nil {
		return nil // a partial page, or no states asked for: nothing to compare with
	}
	disclosed := 0
	for _, nd := range nodes {
		if jsonObj(jsonObj(nd)["disclosureState"])["state"] == "DISCLOSED" {
			disclosed++
		}
	}
	if int(n) != disclosed {
		return []string{fmt.Sprintf("%s: creditSummary.penaltyCount %d, but %d penalties are DISCLOSED", path, int(n), disclosed)}
	}
	return nil
}

// checkBoolFilter: where a probe set a Boolean filter field F, every row
// returned that shows F (itself or in an object it holds, such as
// creditSummary) shows the same value: a row kept for a hidden record would
// not.
func checkBoolFilter(t *testing.T, caller string, p *leakProbe, conn any) {
	t.Helper()
	rows := map[string]any{}
	for i, n := range jsonList(jsonObj(conn)["nodes"]) {
		rows[fmt.Sprintf("nodes[%d]", i)] = n
	}
	for i, e := range jsonList(jsonObj(conn)["edges"]) {
		rows[fmt.Sprintf("edges[%d].node", i)] = jsonObj(e)["node"]
	}
	for _, at := range slices.Sorted(maps.Keys(rows)) {
		m := jsonObj(rows[at])
		if got, ok := boolField(m, p.boolIn); ok && got != p.boolVal {
			t.Errorf("%s %s: %s (%v) shows %s = %t: the filter and the row disagree (one of them counts a record the other does not)",
				caller, p.label(), at, m["uscc"], p.boolIn, got)
		}
	}
}

func jsonList(v any) []any { l, _ := v.([]any); return l }

func jsonObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func boolField(m map[string]any, name string) (bool, bool) {
	if b, ok := m[name].(bool); ok {
		return b, true
	}
	for _, c := range m {
		if sub, ok := c.(map[string]any); ok {
			if b, ok := sub[name].(bool); ok {
				return b, true
			}
		}
	}
	return false, false
}
