package postgres

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/search"
)

// A tier of a query of 4 or more characters without a filter is read by
// walking search_postings in rank order (migrations 00016 and 00020): the
// holders of one of its tokens (the driver, its rarest trigram) kept if
// they also hold its next rarest ones (the probes), each probe an
// index-only look-up of the same index; only the rows kept are fetched
// from enterprises and tested. A name holding the query holds every
// trigram of it, so the walk passes every hit; a trigram is rare enough
// that the kept rows are nearly all hits, where a pair's holders were
// mostly not (docs/BENCHMARKS.md §21, §27).
//
// The similar tier (one character wrong) walks one arm per position of
// the query: a name holding the query with character i wrong holds every
// trigram that does not touch i (search.Query.Intact), at least 3 of them
// at 8 characters; the arms' rows are merged in rank order.

// gramArm is one rank-ordered walk: the holders of driver in the classes
// cls (nil: every class), kept if they hold each probe. With join, the
// driver's holders are merged with join's (every class), both read in
// rank order from the index (a merge join) rather than probed one by one:
// for a driver held by thousands of names of which few hold the other
// tokens (城区阿?面线糊店 with its middle wrong leaves 城区阿, 面线糊, 线糊店,
// each common, together rare), reading two ranges in order costs less
// than a probe per row.
type gramArm struct {
	driver string
	cls    []int
	join   string
	probes []gramProbe
}

// gramProbe is a token a kept row must hold; start: as a name's start
// (class 0 or 1).
type gramProbe struct {
	token string
	start bool
}

const (
	// maxProbes is how many tokens besides the driver an arm requires.
	maxProbes = 2
	// probeShare: a token held by more names than this is not worth a
	// probe (it keeps nearly every row).
	probeShare = 0.2
	// joinMin and joinMax: an arm whose driver is held by more names than
	// joinMin (by the statistics) merges it with its next rarest token if
	// that one is held by at most joinMax; such an arm reads up to
	// joinWalk times Store.pairWalk holders of its driver.
	// startBias: the prefix tier drives by its start trigram if held by
	// at most startBias times the names the rarest trigram is.
	startBias = 4
	joinMin   = 2000
	joinMax   = 200000
	joinWalk  = 50
)

// arm is the walk of the holders of the rarest of tokens, probing the next
// rarest; start, if not "", must also be held as a name's start.
func arm(tokens []string, start string, ts *tokenSnapshot) gramArm {
	byShare := slices.Clone(tokens)
	slices.SortStableFunc(byShare, func(a, b string) int { return cmp.Compare(ts.gramShare(a), ts.gramShare(b)) })
	// The prefix tier walks the names starting with the query's first
	// trigram (classes 0 and 1 of it) unless another trigram is far
	// rarer: the start range is usually much shorter than the share of
	// the trigram says (人力资源有限公司 walked the 6,142 holders of 力资源
	// probing each for a name starting with 人力资: none), except for a
	// place (厦门市湖里区立福 walks the 72 holders of 里区立).
	if start != "" && ts.gramShare(start) <= startBias*ts.gramShare(byShare[0]) {
		byShare = append([]string{start}, slices.DeleteFunc(byShare, func(t string) bool { return t == start })...)
	}
	a := gramArm{driver: byShare[0]}
	if ts != nil && len(byShare) > 1 && byShare[1] != start &&
		ts.gramShare(a.driver)*ts.rows > joinMin && ts.gramShare(byShare[1])*ts.rows <= joinMax {
		a.join = byShare[1]
	}
	if start != "" {
		if a.driver == start {
			a.cls = []int{0, 1}
		} else {
			a.probes = append(a.probes, gramProbe{token: start, start: true})
		}
	}
	for _, t := range byShare[1:] {
		if len(a.probes) < maxProbes && t != start && t != a.join && ts.gramShare(t) <= probeShare {
			a.probes = append(a.probes, gramProbe{token: t})
		}
	}
	return a
}

// gramArms are the walks that pass every name of tier t of q (a query of
// 4 or more characters): for Prefix and Contained one, over its
// trigrams; for Similar one per position of the query, over the trigrams
// that do not touch it (or the pairs, when every trigram does), duplicates
// removed.
func gramArms(q search.Query, ts *tokenSnapshot, t search.Tier) []gramArm {
	grams := search.Trigrams(q.Norm)
	switch t {
	case search.Prefix:
		return []gramArm{arm(grams, string([]rune(q.Norm)[:3]), ts)}
	case search.Contained:
		return []gramArm{arm(grams, "", ts)}
	}
	var arms []gramArm
	seen := map[string]bool{}
	for i := range q.Runes() {
		tokens := q.Intact(i, 3)
		if len(tokens) == 0 {
			tokens = q.Intact(i, 2)
		}
		a := arm(tokens, "", ts)
		key := a.driver
		for _, p := range a.probes {
			key += "," + p.token
		}
		if !seen[key] {
			seen[key] = true
			arms = append(arms, a)
		}
	}
	return arms
}

// holdersSQL is the rank-ordered holders of token in the classes cls
// (nil: every class) after the cursor, at most lim of them (lim "": all,
// OFFSET 0 keeping the subquery and its order): one ordered range per
// class, merged (the index orders by class first).
func holdersSQL(w *query, token string, cls []int, after, lim string) string {
	if cls == nil {
		cls = []int{0, 1, 2}
	}
	limit := ` OFFSET 0`
	if lim != "" {
		limit = ` LIMIT ` + lim
	}
	tok := w.arg(token)
	var ranges []string
	for _, c := range cls {
		ranges = append(ranges, `(SELECT p.uscc, p.closed FROM search_postings p WHERE p.token = `+tok+` AND p.cls = `+strconv.Itoa(c)+after+
			` ORDER BY p.closed, p.uscc`+limit+`)`)
	}
	return `SELECT * FROM (` + strings.Join(ranges, ` UNION ALL `) + `) d ORDER BY d.closed, d.uscc` + limit
}

// walkLimit is how many holders of its driver an arm reads.
func (s *Store) walkLimit(a gramArm) int {
	if a.join != "" {
		return s.pairWalk * joinWalk
	}
	return s.pairWalk
}

// armSQL is an arm's kept rows in rank order. Each probe is a LATERAL
// look-up with LIMIT, so it stays a nested loop over the driver's rows
// whatever the planner guesses of the token (a semi-join could hash
// every holder of a common one), and one exact index look-up per class:
// with the classes as an IN list the planner may test them as a filter
// over every row of the token.
func armSQL(w *query, a gramArm, after, lim string) string {
	sql := `SELECT d.uscc, d.closed FROM (` + holdersSQL(w, a.driver, a.cls, after, lim) + `) d`
	if a.join != "" {
		// Every holder of join up to the driver's last row: a merge join
		// reads it no further.
		sql += ` JOIN (` + holdersSQL(w, a.join, nil, after, "") + `) j ON j.closed = d.closed AND j.uscc = d.uscc`
	}
	for i, p := range a.probes {
		// The likeliest class first: the look-ups stop at the first row
		// found, and a name holds a trigram of the query mostly inside
		// it (class 2), seldom at its start, almost never as the whole
		// name.
		cls := []string{"2", "1", "0"}
		if p.start {
			cls = cls[1:]
		}
		tok := w.arg(p.token)
		var each []string
		for _, c := range cls {
			each = append(each, `SELECT 1 FROM search_postings b WHERE b.token = `+tok+` AND b.cls = `+c+` AND b.closed = d.closed AND b.uscc = d.uscc`)
		}
		sql += `, LATERAL (` + strings.Join(each, ` UNION ALL `) + ` LIMIT 1) AS p` + strconv.Itoa(i)
	}
	return sql + ` ORDER BY d.closed, d.uscc`
}

// searchGramWalk reads up to need hits of tier t (Prefix, Contained or
// Similar) of a query of 4 or more characters without a filter, after the
// cursor, by walking its arms (gramArms), each reading at most
// Store.pairWalk holders of its driver. complete is true when the hits
// are all the tier has: the page is full, or every arm read every holder
// of its driver.
func (s *Store) searchGramWalk(ctx context.Context, v credit.Visibility, q search.Query, ts *tokenSnapshot, t search.Tier,
	cursor bool, afterRank int, afterUSCC string, need int) (hits []search.Hit, complete bool, err error) {
	arms := gramArms(q, ts, t)
	w := &query{}
	after := walkAfter(w, cursor, afterRank, afterUSCC)
	var walks []string
	for _, a := range arms {
		walks = append(walks, armSQL(w, a, after, w.arg(s.walkLimit(a))))
	}
	walk := walks[0]
	if len(walks) > 1 {
		walk = `SELECT DISTINCT u.uscc, u.closed FROM ((` + strings.Join(walks, `) UNION ALL (`) + `)) u`
	}
	sq := newSearchSQL(w, q, ts)
	sql := `SELECT ` + enterpriseColumns + ` FROM (SELECT * FROM (` + walk + `) k ORDER BY k.closed, k.uscc) h
		JOIN enterprises e ON e.uscc = h.uscc
		WHERE ` + sq.tierFrom(t) + ` = ` + w.arg(int(t)) + ` ORDER BY h.closed, h.uscc LIMIT ` + w.arg(need)
	hits, err = s.scanHits(ctx, q, v, t, sql, w.args)
	if err != nil || len(hits) == need {
		return hits, err == nil, err
	}
	// Short: complete if every arm read every holder of its driver.
	c := &query{}
	after = walkAfter(c, cursor, afterRank, afterUSCC)
	var counts []string
	for _, a := range arms {
		lim := s.walkLimit(a)
		counts = append(counts, `(SELECT count(*) < `+c.arg(lim)+` FROM (`+holdersSQL(c, a.driver, a.cls, after, c.arg(lim))+`) n)`)
	}
	err = s.q.QueryRow(ctx, `SELECT `+strings.Join(counts, ` AND `), c.args...).Scan(&complete)
	return hits, complete, wrap("search enterprises", err)
}

// walkAfter adds a walk's cursor to w: the condition a driver's rows meet
// after it ("" without one).
func walkAfter(w *query, cursor bool, afterRank int, afterUSCC string) string {
	if !cursor {
		return ""
	}
	return ` AND (p.closed, p.uscc) > (` + w.arg(afterRank == 1) + `::boolean, ` + w.arg(afterUSCC) + `)`
}
