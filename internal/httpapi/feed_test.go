package httpapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feedstream"
)

// The change feed over HTTP: replaying it into an empty copy gives what
// fresh queries show, for each tier, after concurrent writes and with the
// clock moved across publication dates, expiries and repairs.

// Fragments read the same fields of a record in the feed and in fresh
// queries. Union members' fields of one name and another type are aliased.
func feedFragments(tier credit.Tier, names ...string) string {
	reg := func(s string) string {
		if tier == credit.TierRegulator {
			return " " + s
		}
		return ""
	}
	all := `
fragment FE on Enterprise { uscc name formerNames type status legalRepresentative registeredCapital establishedOn
  registrationAuthority address businessScope regionCode keyAreas` + reg("phone legalRepresentativeIdNumber") + ` }
fragment FL on License { licenseNumber name content validFrom validTo authority decidedOn keyArea }
fragment FP on Penalty { decisionNumber violationType facts basis penaltyTypes content fineAmount confiscationAmount
  authority decidedOn publishedOn procedure restrictionUntil keyArea disclosureEndsOn` + reg("revoked repairedOn disclosureState { state endsOn }") + ` }
fragment FI on Inspection { inspectionId inspectionKind: kind inspectedOn authority result items product batch keyArea }
fragment FLi on Listing { list decisionNumber reasonCode reason listedOn authority penaltyDecisionNumber keyArea
  removal { removedOn reason authority } disclosureEndsOn` + reg("repairedOn disclosureState { state } seriousListReminder") + ` }
fragment FC on Commitment { commitmentId commitmentKind: kind commitmentContent: content madeOn commitmentStatus: status untrueFoundOn }
fragment FT on TypicalCase { caseId title summary publishedOn keyArea caseRegion: regionCode` + reg("disclosureState { state }") + ` }
fragment FR on RiskCategoryRecord { uscc category }`
	if len(names) == 0 {
		return all
	}
	var out []string
	for _, f := range strings.Split(all, "\nfragment ")[1:] {
		if slices.Contains(names, strings.Fields(f)[0]) {
			out = append(out, "fragment "+f)
		}
	}
	return "\n" + strings.Join(out, "\n")
}

// feedCopy is a tier's records, by "TYPE/id", as JSON.
type feedCopy map[string]string

// replayFeed applies the whole feed, from the start, to an empty copy.
func (h *harness) replayFeed(t *testing.T, tier credit.Tier, key string) feedCopy {
	t.Helper()
	q := `query($after: String) { changes(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  edges { cursor node { recordType recordId kind record { __typename ...FE ...FL ...FP ...FI ...FLi ...FC ...FT ...FR } } } } }` + feedFragments(tier)
	out := feedCopy{}
	after := ""
	for {
		var page struct {
			Changes struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Node struct {
						RecordType, RecordID, Kind string
						Record                     map[string]any
					}
				}
			}
		}
		vars := map[string]any{}
		if after != "" {
			vars["after"] = after
		}
		h.query(t, q, vars, bearer(key)...).data(t, &page)
		for _, e := range page.Changes.Edges {
			n := e.Node
			k := n.RecordType + "/" + n.RecordID
			if n.Kind == "DISAPPEARED" || n.Record == nil {
				delete(out, k) // a record the caller no longer sees: a later change brings it back
				continue
			}
			delete(n.Record, "__typename")
			b, _ := json.Marshal(n.Record)
			out[k] = string(b)
		}
		after = page.Changes.PageInfo.EndCursor
		if !page.Changes.PageInfo.HasNextPage {
			return out
		}
	}
}

// freshCopy reads every record the tier sees with ordinary queries.
func (h *harness) freshCopy(t *testing.T, tier credit.Tier, key string) feedCopy {
	t.Helper()
	out := feedCopy{}
	put := func(typ, id string, rec map[string]any) {
		b, _ := json.Marshal(rec)
		out[typ+"/"+id] = string(b)
	}
	q := `query($after: String) { enterprises(first: 10, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...FE
  licenses(first: 100) { nodes { ...FL } } penalties(first: 100) { nodes { ...FP } } inspections(first: 100) { nodes { ...FI } }
  abnormalOperations { ...FLi } seriousDishonesty { ...FLi } commitments { ...FC } freshRisk: riskCategory } } }` + feedFragments(tier, "FE", "FL", "FP", "FI", "FLi", "FC")
	after := ""
	for {
		var page struct {
			Enterprises struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []map[string]any
			}
		}
		vars := map[string]any{}
		if after != "" {
			vars["after"] = after
		}
		h.query(t, q, vars, bearer(key)...).data(t, &page)
		for _, e := range page.Enterprises.Nodes {
			nested := func(field, sub string) []any {
				v := e[field]
				delete(e, field)
				if sub == "" {
					l, _ := v.([]any)
					return l
				}
				m, _ := v.(map[string]any)
				l, _ := m[sub].([]any)
				return l
			}
			for _, x := range nested("licenses", "nodes") {
				r := x.(map[string]any)
				put("LICENSE", r["licenseNumber"].(string), r)
			}
			for _, x := range nested("penalties", "nodes") {
				r := x.(map[string]any)
				put("PENALTY", r["decisionNumber"].(string), r)
			}
			for _, x := range nested("inspections", "nodes") {
				r := x.(map[string]any)
				put("INSPECTION", r["inspectionId"].(string), r)
			}
			for _, x := range nested("abnormalOperations", "") {
				r := x.(map[string]any)
				put("ABNORMAL_LISTING", r["decisionNumber"].(string), r)
			}
			for _, x := range nested("seriousDishonesty", "") {
				r := x.(map[string]any)
				put("SERIOUS_LISTING", r["decisionNumber"].(string), r)
			}
			for _, x := range nested("commitments", "") {
				r := x.(map[string]any)
				put("COMMITMENT", r["commitmentId"].(string), r)
			}
			risk := e["freshRisk"]
			delete(e, "freshRisk")
			put("RISK_CATEGORY", e["uscc"].(string), map[string]any{"uscc": e["uscc"], "category": risk})
			put("ENTERPRISE", e["uscc"].(string), e)
		}
		after = page.Enterprises.PageInfo.EndCursor
		if !page.Enterprises.PageInfo.HasNextPage {
			break
		}
	}
	q = `query($after: String) { typicalCases(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...FT } } }` + feedFragments(tier, "FT")
	after = ""
	for {
		var page struct {
			TypicalCases struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Nodes []map[string]any
			}
		}
		vars := map[string]any{}
		if after != "" {
			vars["after"] = after
		}
		h.query(t, q, vars, bearer(key)...).data(t, &page)
		for _, c := range page.TypicalCases.Nodes {
			put("TYPICAL_CASE", c["caseId"].(string), c)
		}
		after = page.TypicalCases.PageInfo.EndCursor
		if !page.TypicalCases.PageInfo.HasNextPage {
			return out
		}
	}
}

// compareCopies reports every record the replay and the fresh queries
// disagree on.
func compareCopies(t *testing.T, label string, replay, fresh feedCopy) {
	t.Helper()
	keys := slices.Sorted(maps.Keys(fresh))
	for k := range replay {
		if _, ok := fresh[k]; !ok {
			keys = append(keys, k)
		}
	}
	bad := 0
	for _, k := range keys {
		if replay[k] != fresh[k] {
			if bad++; bad <= 10 {
				t.Errorf("%s: %s\n  replay: %s\n  fresh:  %s", label, k, orDash(replay[k]), orDash(fresh[k]))
			}
		}
	}
	if bad > 10 {
		t.Errorf("%s: %d records differ in all", label, bad)
	}
	if len(fresh) == 0 {
		t.Errorf("%s: fresh queries found nothing", label)
	}
}

// feedUSCC is the valid code of feed test enterprise n.
func feedUSCC(n int) string {
	first := fmt.Sprintf("91350104MAFEED%03d", n)
	return first + string(credit.USCCCheckChar(first))
}

// feedWrites are the NDJSON lines writer w sends on each step of the story.
func feedWrites(w, step int) string {
	u := feedUSCC(w)
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	switch step {
	case 0: // 2026-06-15
		line(`{"kind":"enterprise","uscc":%q,"name":"福州变更测试%d有限公司","status":"operating","region_code":"350104","key_areas":["catering"],"address":"福州市仓山区测试路%d号","phone":"0591-8000000%d","legal_representative":"林测试","legal_representative_id_number":"350104199001010011"}`, u, w, w, w)
		line(`{"kind":"penalty","uscc":%q,"decision_number":"FEED-%d-SHORT","violation_type":"未按规定公示","penalty_types":["public_reprimand"],"authority":"福州市仓山区市场监督管理局","decided_on":"2026-06-10","published_on":"2026-06-10","procedure":"ordinary"}`, u, w)
		line(`{"kind":"penalty","uscc":%q,"decision_number":"FEED-%d-LONG","violation_type":"虚假宣传","penalty_types":["fine"],"fine_amount":"200000","authority":"福州市仓山区市场监督管理局","decided_on":"2026-06-01","published_on":"2026-06-01","procedure":"ordinary","key_area":"cosmetics"}`, u, w)
		line(`{"kind":"penalty","uscc":%q,"decision_number":"FEED-%d-SIMPLE","violation_type":"未亮照经营","penalty_types":["fine"],"fine_amount":"200","authority":"福州市仓山区市场监督管理局","decided_on":"2026-06-12","published_on":"2026-06-12","procedure":"simple"}`, u, w)
		line(`{"kind":"typical_case","case_id":"FEED-CASE-%d","title":"典型案例%d","summary":"某餐饮企业虚假宣传","uscc":%q,"published_on":"2026-07-01","region_code":"350104"}`, w, w, u)
		line(`{"kind":"serious_listing","uscc":%q,"decision_number":"FEED-%d-SERIOUS","ground":"食品安全严重违法","listed_on":"2023-07-01","authority":"福州市市场监督管理局"}`, u, w)
		line(`{"kind":"abnormal_listing","uscc":%q,"decision_number":"FEED-%d-ABNORMAL","reason_code":1,"reason":"未按规定报送年度报告","listed_on":"2026-01-01","authority":"福州市仓山区市场监督管理局"}`, u, w)
		line(`{"kind":"license","uscc":%q,"license_number":"FEED-%d-LIC","name":"食品经营许可证","authority":"福州市仓山区市场监督管理局","decided_on":"2026-01-01","valid_to":"2026-08-01"}`, u, w)
		line(`{"kind":"inspection","uscc":%q,"inspection_id":"FEED-%d-INS","inspection_kind":"random_spot_check","inspected_on":"2026-06-01","authority":"福州市仓山区市场监督管理局","result":"no_issue"}`, u, w)
		line(`{"kind":"commitment","uscc":%q,"commitment_id":"FEED-%d-COM","commitment_kind":"voluntary","content":"诚信经营","made_on":"2026-06-01","status":"in_force"}`, u, w)
	case 1: // 2026-07-05
		line(`{"kind":"abnormal_removal","listing_decision_number":"FEED-%d-ABNORMAL","removed_on":"2026-07-05","reason":"已补报年度报告","authority":"福州市仓山区市场监督管理局"}`, w)
		line(`{"kind":"enterprise","uscc":%q,"name":"福州变更测试%d有限公司","status":"operating","region_code":"350104","key_areas":["catering"],"address":"福州市仓山区测试路%d号","phone":"0591-8100000%d","legal_representative":"林测试","legal_representative_id_number":"350104199001010011"}`, u, w, w, w)
		if w%2 == 0 {
			line(`{"kind":"penalty","uscc":%q,"decision_number":"FEED-%d-SHORT","violation_type":"未按规定公示","penalty_types":["public_reprimand"],"authority":"福州市仓山区市场监督管理局","decided_on":"2026-06-10","published_on":"2026-06-10","procedure":"ordinary","revoked":true}`, u, w)
		}
		line(`{"kind":"commitment","uscc":%q,"commitment_id":"FEED-%d-COM","commitment_kind":"voluntary","content":"诚信经营","made_on":"2026-06-01","status":"untrue","untrue_found_on":"2026-07-04"}`, u, w)
	case 2: // 2027-01-10
		if w%2 == 1 {
			line(`{"kind":"credit_repair","target":"penalty","target_decision_number":"FEED-%d-LONG","repaired_on":"2027-01-05","authority":"福州市仓山区市场监督管理局"}`, w)
		}
		line(`{"kind":"inspection","uscc":%q,"inspection_id":"FEED-%d-INS2","inspection_kind":"sampling","inspected_on":"2027-01-06","authority":"福州市仓山区市场监督管理局","result":"non_compliant","product":"月饼"}`, u, w)
	}
	return b.String()
}

// TestFeedReplaysToFreshQueries is issue 10's test of the feed: writers
// ingest at once; the clock moves across a publication date, a listing's
// expiry, a penalty's end of period and a repair, some days with no write;
// at each step the feed, replayed from its start into an empty copy, holds
// exactly what fresh queries show, for PARTNER and for REGULATOR.
func TestFeedReplaysToFreshQueries(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const writers = 4
		steps := []struct {
			day   string
			write int // feedWrites step, -1: none
		}{
			{"2026-06-15", 0},
			{"2026-07-01", -1}, // the cases are published, the serious listings expire
			{"2026-07-05", 1},
			{"2026-09-20", -1}, // the short penalties' three months are over
			{"2027-01-10", 2},
			{"2029-06-02", -1}, // the long penalties' three years are over
		}
		for _, st := range steps {
			h.clock.Set(st.day)
			if st.write >= 0 {
				var wg sync.WaitGroup
				for w := 1; w <= writers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						r := h.ingest(t, feedWrites(w, st.write), bearer(writerKey)...)
						var sum struct{ Accepted, Rejected int }
						if err := json.Unmarshal(r.raw, &sum); err != nil || r.status != 200 || sum.Rejected != 0 {
							t.Errorf("%s: writer %d: %d %s", st.day, w, r.status, r.raw)
						}
					}()
				}
				wg.Wait()
			}
			for _, c := range []struct {
				tier credit.Tier
				key  string
			}{{credit.TierPartner, partnerKey}, {credit.TierRegulator, regulatorKey}} {
				compareCopies(t, st.day+" "+c.tier.String(), h.replayFeed(t, c.tier, c.key), h.freshCopy(t, c.tier, c.key))
			}
		}
		// The story as each tier's feed tells it: date-driven changes at
		// their day's start, reasons for REGULATOR only, nothing about a
		// record the public never saw.
		story := func(key, fields string, usccs ...string) []string {
			var out struct {
				Changes struct {
					Nodes []map[string]any
				}
			}
			h.query(t, `query($u: [ID!]) { changes(filter: {usccs: $u}) { nodes { `+fields+` } } }`,
				map[string]any{"u": usccs}, bearer(key)...).data(t, &out)
			var lines []string
			for _, n := range out.Changes.Nodes {
				l := fmt.Sprintf("%s %s %s %s", n["recordType"], n["recordId"], n["kind"], n["at"])
				if r, ok := n["reason"].(string); ok {
					l += " " + r
				}
				lines = append(lines, l)
			}
			return lines
		}
		partner := story(partnerKey, "recordType recordId kind at", feedUSCC(1), feedUSCC(2))
		regulator := story(regulatorKey, "recordType recordId kind at reason", feedUSCC(1), feedUSCC(2))
		for _, want := range []string{
			"TYPICAL_CASE FEED-CASE-1 APPEARED 2026-07-01T00:00:00Z",
			"SERIOUS_LISTING FEED-1-SERIOUS DISAPPEARED 2026-07-01T00:00:00Z",
			"PENALTY FEED-2-SHORT DISAPPEARED 2026-07-05T10:00:00Z",
			"PENALTY FEED-1-SHORT DISAPPEARED 2026-09-10T00:00:00Z",
			"PENALTY FEED-1-LONG DISAPPEARED 2027-01-10T10:00:00Z",
			"PENALTY FEED-2-LONG DISAPPEARED 2029-06-01T00:00:00Z",
			"RISK_CATEGORY " + feedUSCC(1) + " APPEARED 2026-06-15T10:00:00Z",
			"RISK_CATEGORY " + feedUSCC(1) + " CHANGED 2026-07-01T00:00:00Z", // the serious listing's three years are over: D no more
		} {
			if !slices.Contains(partner, want) {
				t.Errorf("PARTNER's feed lacks %q:\n%s", want, strings.Join(partner, "\n"))
			}
		}
		for _, want := range []string{
			"PENALTY FEED-1-SIMPLE APPEARED 2026-06-15T10:00:00Z NOT_DISCLOSED",
			"SERIOUS_LISTING FEED-1-SERIOUS CHANGED 2026-07-01T00:00:00Z EXPIRED",
			"PENALTY FEED-2-SHORT CHANGED 2026-07-05T10:00:00Z WITHDRAWN",
			"PENALTY FEED-1-SHORT CHANGED 2026-09-10T00:00:00Z EXPIRED",
			"PENALTY FEED-1-LONG CHANGED 2027-01-10T10:00:00Z REPAIRED",
			"RISK_CATEGORY " + feedUSCC(1) + " CHANGED 2026-07-01T00:00:00Z",
		} {
			if !slices.Contains(regulator, want) {
				t.Errorf("REGULATOR's feed lacks %q:\n%s", want, strings.Join(regulator, "\n"))
			}
		}
		for _, l := range partner {
			if strings.Contains(l, "SIMPLE") || strings.Contains(l, "ENTERPRISE "+feedUSCC(1)+" CHANGED") {
				t.Errorf("PARTNER's feed tells of what it never saw change: %s", l)
			}
		}
	})
}

// TestWatchlistsAndFeedArguments: watchlists per key with invalid codes
// reported per item and a maximum, the feed's arguments and their errors,
// and the per-key limit on streams.
func TestWatchlistsAndFeedArguments(t *testing.T) {
	h := newHarnessWith(t, memoryStore(), func(d *Deps) {
		d.FeedOptions.WatchlistMax = 3
		d.Streams = feedstream.New(feedstream.Options{Poll: 100 * time.Millisecond, PerKey: 1})
	})
	type result struct {
		Watch, Unwatch struct {
			WatchedCount int
			Items        []struct {
				USCC    string `json:"uscc"`
				Status  string
				Message *string
			}
		}
	}
	a, b := feedUSCC(1), feedUSCC(2)
	var r result
	h.query(t, `mutation($u: [ID!]!) { watch(usccs: $u) { watchedCount items { uscc status message } } }`,
		map[string]any{"u": []string{strings.ToLower(a), a, "91350104MAFEED001X", b}}, bearer(partnerKey)...).data(t, &r)
	var got []string
	for _, it := range r.Watch.Items {
		got = append(got, it.USCC+" "+it.Status)
	}
	want := []string{a + " ADDED", a + " ALREADY_WATCHED", "91350104MAFEED001X INVALID", b + " ADDED"}
	if !slices.Equal(got, want) || r.Watch.WatchedCount != 2 || r.Watch.Items[2].Message == nil {
		t.Errorf("watch: %v (count %d), want %v with a message for the invalid code", got, r.Watch.WatchedCount, want)
	}
	// Past WATCHLIST_MAX: refused whole, with the numbers.
	res := h.query(t, `mutation { watch(usccs: ["`+feedUSCC(3)+`", "`+feedUSCC(4)+`"]) { watchedCount } }`, nil, bearer(partnerKey)...)
	if res.code() != "BAD_USER_INPUT" || !strings.Contains(string(res.raw), "WATCHLIST_MAX (3)") {
		t.Errorf("watch past the maximum: %s", res.raw)
	}
	// Another key has its own list; PUBLIC has no watchlists at all.
	var other struct{ Watchlist struct{ TotalCount int } }
	h.query(t, `{ watchlist { totalCount } }`, nil, bearer(regulatorKey)...).data(t, &other)
	if other.Watchlist.TotalCount != 0 {
		t.Errorf("REGULATOR's watchlist holds %d, want 0: lists are per key", other.Watchlist.TotalCount)
	}
	for _, q := range []string{`mutation { watch(usccs: ["` + a + `"]) { watchedCount } }`, `{ watchlist { totalCount } }`, `{ changes { nodes { cursor } } }`} {
		if res := h.query(t, q, nil, bearer(publicKey)...); res.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("PUBLIC %s: %s", q, res.raw)
		}
	}
	h.query(t, `mutation { unwatch(usccs: ["`+a+`", "`+feedUSCC(5)+`"]) { watchedCount items { uscc status } } }`, nil, bearer(partnerKey)...).data(t, &r)
	if r.Unwatch.WatchedCount != 1 || r.Unwatch.Items[0].Status != "REMOVED" || r.Unwatch.Items[1].Status != "NOT_WATCHED" {
		t.Errorf("unwatch: %+v", r.Unwatch)
	}

	// The feed's arguments.
	_, end := h.feedCount(t, "", bearer(partnerKey)...)
	for _, c := range []struct{ q, code string }{
		{`{ changes(first: 0) { nodes { cursor } } }`, "BAD_USER_INPUT"},
		{`{ changes(first: 101) { nodes { cursor } } }`, "BAD_USER_INPUT"},
		{`{ changes(after: "nope") { nodes { cursor } } }`, "BAD_USER_INPUT"},
		{`{ changes(after: "` + end + `", since: "x") { nodes { cursor } } }`, "BAD_USER_INPUT"},
		{`{ changes(filter: {usccs: ["91350104MAFEED001X"]}) { nodes { cursor } } }`, "INVALID_USCC"},
		{`{ changes(filter: {regionCode: "3"}) { nodes { cursor } } }`, "BAD_USER_INPUT"},
	} {
		if res := h.query(t, c.q, nil, bearer(partnerKey)...); res.code() != c.code {
			t.Errorf("%s: %s, want %s", c.q, res.raw, c.code)
		}
	}
	// since is after's deprecated alias.
	var page struct {
		Changes struct{ Nodes []struct{ Cursor string } }
	}
	h.query(t, `query($s: String) { changes(since: $s) { nodes { cursor } } }`, map[string]any{"s": end}, bearer(partnerKey)...).data(t, &page)
	if len(page.Changes.Nodes) != 0 {
		t.Errorf("changes(since: the end) = %d changes, want none", len(page.Changes.Nodes))
	}

	// STREAMS_PER_KEY = 1: a second stream of the same key is refused, one
	// of another key is not.
	sub := `subscription { changes { cursor } }`
	first, status, stop := h.openStream(t, sub, nil, bearer(partnerKey)...)
	if status != 200 {
		t.Fatalf("first stream: %d", status)
	}
	nextEvents(t, first, 1) // open, replaying
	second, _, stop2 := h.openStream(t, sub, nil, bearer(partnerKey)...)
	ev := <-second
	stop2()
	if !strings.Contains(string(ev.data), "TOO_MANY_STREAMS") {
		t.Errorf("a second stream of one key: %s %s", ev.event, ev.data)
	}
	reg, _, stop3 := h.openStream(t, sub, nil, bearer(regulatorKey)...)
	nextEvents(t, reg, 1)
	stop3()
	stop()
	for range first { // drained: the stream has ended
	}
	// Plain POST of a subscription: refused with a code saying how.
	if res := h.query(t, sub, nil, bearer(partnerKey)...); res.code() != "BAD_REQUEST" || !strings.Contains(string(res.raw), "text/event-stream") {
		t.Errorf("a subscription without Accept: text/event-stream: %s", res.raw)
	}
}
