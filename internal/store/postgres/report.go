package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// penaltyVisible is the SQL form of "v may see penalty p on v.AsOf"
// (credit.Policy.ViewPenalty), "" when v sees every penalty. Below
// REGULATOR that is the state Disclosed, built from the policy's own
// numbers (credit.PenaltyDisclosureFacts); the conformance suite holds a
// penalty in every state at every boundary against it.
func (s *Store) penaltyVisible(q *query, v credit.Visibility) string {
	if !v.Public() {
		return ""
	}
	f := s.policy.PenaltyDisclosure(v.AsOf)
	asOf := q.arg(dateArg(f.AsOf))
	within := func(from, also string) string {
		return `(p.published_on >= ` + from + ` OR p.published_on = ANY(` + also + `))`
	}
	short := `p.penalty_types <@ ARRAY['warning', 'public_reprimand', 'fine']::text[]
		AND p.penalty_types && ARRAY['public_reprimand', 'fine']::text[]
		AND (NOT 'fine' = ANY(p.penalty_types) OR p.fine_amount <
			CASE WHEN p.uscc LIKE '92%' THEN ` + q.arg(f.LowerFineIndividual) + `::numeric ELSE ` + q.arg(f.LowerFineOrganisation) + `::numeric END)`
	return `NOT p.revoked AND p.procedure = 'ordinary' AND NOT p.penalty_types <@ ARRAY['warning']::text[]
		AND p.published_on <= ` + asOf + ` AND (p.repaired_on IS NULL OR p.repaired_on > ` + asOf + `)
		AND CASE WHEN ` + short + `
			THEN ` + within(q.arg(dateArg(f.ShortFrom)), q.arg(datesArg(f.ShortAlso))+`::date[]`) + `
			ELSE ` + within(q.arg(dateArg(f.LongFrom)), q.arg(datesArg(f.LongAlso))+`::date[]`) + ` OR p.restriction_until >= ` + asOf + ` END`
}

func datesArg(ds []time.Time) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = dateArg(d)
	}
	return out
}

// repeatWhere is the filter of the penalties a repeat offender counts.
func (s *Store) repeatWhere(v credit.Visibility, f store.RepeatOffenderFilter) *query {
	q := &query{}
	if c := s.penaltyVisible(q, v); c != "" {
		q.add(c)
	}
	if f.KeyArea != "" {
		q.add(`p.key_area = ` + q.arg(string(f.KeyArea)))
	}
	if f.ViolationType != "" {
		q.add(`p.violation_type = ` + q.arg(f.ViolationType))
	}
	if f.DecidedFrom != nil {
		q.add(`p.decided_on >= ` + q.arg(dateArg(*f.DecidedFrom)))
	}
	if f.DecidedTo != nil {
		q.add(`p.decided_on <= ` + q.arg(dateArg(*f.DecidedTo)))
	}
	return q
}

// repeatCounts is the per-enterprise aggregate of q's penalties, with at
// least min of them, of enterprises in the region of f (tested once per
// enterprise, not per penalty: they share it).
func repeatCounts(q *query, f store.RepeatOffenderFilter) string {
	sql := `SELECT p.uscc, count(*) AS n, coalesce(sum(p.fine_amount), 0) AS fines, max(p.decided_on) AS latest
		FROM penalties p` + q.where() + ` GROUP BY p.uscc HAVING count(*) >= ` + q.arg(max(f.MinPenalties, 1))
	if f.RegionPrefix == "" {
		return sql
	}
	r := &query{args: q.args}
	inRegion(r, "c", f.RegionPrefix)
	q.args = r.args
	return `SELECT * FROM (` + sql + `) c` + r.where()
}

// repeatSource is a statement giving (uscc, n, fines, latest) of every
// enterprise RepeatOffenders counts for f, and its arguments: for the
// default query the windows holding v's date (windows.go), guarded by
// their settings; otherwise the aggregate of the visible penalties.
func (s *Store) repeatSource(v credit.Visibility, f store.RepeatOffenderFilter, windows bool) (*query, string) {
	if !windows {
		q := s.repeatWhere(v, f)
		return q, repeatCounts(q, f)
	}
	q := &query{}
	d := q.arg(dateArg(v.AsOf))
	q.add(`w.public = ` + q.arg(v.Public()))
	q.add(`w.n >= ` + q.arg(max(f.MinPenalties, 1)))
	q.add(`w.valid_from <= ` + d + ` AND w.valid_until >= ` + d)
	if f.RegionPrefix != "" {
		inRegion(q, "w", f.RegionPrefix)
	}
	q.add(s.windowsGuard(q))
	return q, `SELECT w.uscc, w.n, w.fines, w.latest FROM penalty_windows w` + q.where()
}

// fallBack reports whether a windows statement that found nothing must be
// run again counting penalties: the windows were not computed with this
// store's settings.
func (s *Store) fallBack(ctx context.Context, windows bool, found int) (bool, error) {
	if !windows || found > 0 {
		return false, nil
	}
	current, err := s.RepeatWindowsCurrent(ctx)
	return !current, err
}

// RepeatOffenders pages through the enterprises with at least
// f.MinPenalties penalties v may see: one statement, keyset-paged on the
// per-enterprise figures, read from the windows for the default query
// (rank order, a page's rows) and aggregated from the visible penalties
// otherwise.
func (s *Store) RepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter, p store.Page) (store.Connection[store.RepeatOffender], error) {
	if !store.ViolationTypeFilterUsable(v, f.ViolationType) {
		return store.Connection[store.RepeatOffender]{}, nil
	}
	windows := store.IsDefaultRepeatQuery(v, f)
	c, err := s.repeatOffenders(ctx, v, f, p, windows)
	if again, ferr := s.fallBack(ctx, windows, len(c.Items)); err == nil && again {
		c, err = s.repeatOffenders(ctx, v, f, p, false)
	} else if err == nil {
		err = ferr
	}
	return c, err
}

func (s *Store) repeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter, p store.Page, windows bool) (store.Connection[store.RepeatOffender], error) {
	fp := store.Fingerprint(f)
	var c store.Connection[store.RepeatOffender]
	q, source := s.repeatSource(v, f, windows)
	// The page is chosen from the figures alone; only its rows are joined
	// to enterprises.
	sql := `WITH c AS (` + source + `) SELECT * FROM c`
	if p.After != "" {
		key, err := store.DecodeCursor(p.After, store.CursorRepeatOffenders, fp, 3)
		if err != nil {
			return c, err
		}
		a, err := store.ParseRepeatOffenderKey(key)
		if err != nil {
			return c, err
		}
		n, fines, u := q.arg(a.PenaltyCount), q.arg(numericArg(&a.TotalFines)), q.arg(a.Enterprise.USCC)
		sql += ` WHERE c.n < ` + n + ` OR (c.n = ` + n + ` AND (c.fines < ` + fines + ` OR (c.fines = ` + fines + ` AND c.uscc > ` + u + `)))`
	}
	limit := p.Limit()
	const order = ` ORDER BY c.n DESC, c.fines DESC, c.uscc`
	sql = `SELECT c.n, c.fines, c.latest, ` + enterpriseColumns + ` FROM (` + sql + order + ` LIMIT ` + q.arg(limit+1) + `) c
		JOIN enterprises e ON e.uscc = c.uscc` + order
	rows, err := s.read.Query(ctx, sql, q.args...)
	if err != nil {
		return c, wrap("repeat offenders", err)
	}
	scan := func(row pgx.Row) (store.RepeatOffender, error) {
		var r store.RepeatOffender
		var fines pgtype.Numeric
		e, err := scanEnterprise(leadingScan{row, []any{&r.PenaltyCount, &fines, &r.LatestDecidedOn}})
		r.Enterprise = e
		if d := decimalOf(fines); d != nil {
			r.TotalFines = *d
		}
		return r, err
	}
	view := func(r store.RepeatOffender) (store.RepeatOffender, bool) {
		r.Enterprise = s.policy.ViewEnterprise(v, r.Enterprise)
		return r, true
	}
	c, err = collect(rows, limit, scan, view, func(r store.RepeatOffender) string {
		return store.EncodeCursor(store.CursorRepeatOffenders, fp, store.RepeatOffenderKey(r)...)
	})
	return c, wrap("repeat offenders", err)
}

// CountRepeatOffenders counts what RepeatOffenders pages through.
func (s *Store) CountRepeatOffenders(ctx context.Context, v credit.Visibility, f store.RepeatOffenderFilter) (int, error) {
	if !store.ViolationTypeFilterUsable(v, f.ViolationType) {
		return 0, nil
	}
	count := func(windows bool) (int, error) {
		q, source := s.repeatSource(v, f, windows)
		var n int
		err := s.read.QueryRow(ctx, `SELECT count(*) FROM (`+source+`) c`, q.args...).Scan(&n)
		return n, wrap("count repeat offenders", err)
	}
	windows := store.IsDefaultRepeatQuery(v, f)
	n, err := count(windows)
	if err != nil {
		return 0, err
	}
	if again, err := s.fallBack(ctx, windows, n); err != nil || !again {
		return n, err
	}
	return count(false)
}

// leadingScan scans leading columns into dst, then the rest through row's
// caller.
type leadingScan struct {
	row pgx.Row
	dst []any
}

func (p leadingScan) Scan(dest ...any) error { return p.row.Scan(append(p.dst, dest...)...) }

// Statistics counts what v may see in one round trip: a statement per
// record kind, each one scan with GROUPING SETS.
func (s *Store) Statistics(ctx context.Context, v credit.Visibility, f store.StatisticsFilter) (store.Statistics, error) {
	st := store.Statistics{Penalties: store.PenaltyStatistics{TotalFines: decimal.Zero}}
	b := &pgx.Batch{}

	// Penalties: by month, by violation type (as v reads it: merged after
	// redaction below), by region (the enterprise's: regions.go). A region's
	// penalties are read as regionRows reads them (penalties_region_idx for
	// a city or county): only they need their enterprise's region.
	q := &query{}
	if c := s.penaltyVisible(q, v); c != "" {
		q.add(c)
	}
	s.statisticsDates(q, f, "p.decided_on")
	if f.KeyArea != "" {
		q.add(`p.key_area = ` + q.arg(string(f.KeyArea)))
	}
	const cols = `p.uscc, p.decided_on, p.violation_type, p.fine_amount`
	penalties := `(SELECT ` + cols + ` FROM penalties p` + q.where() + `) p`
	if f.RegionPrefix != "" {
		penalties = `(` + regionRows(q, "penalties", "p", cols, f.RegionPrefix) + `) p`
	}
	types := map[string]*store.Bucket{}
	months, regions := []store.Bucket{}, []store.Bucket{}
	b.Queue(`SELECT GROUPING(to_char(p.decided_on, 'YYYY-MM')), GROUPING(p.violation_type),
			coalesce(to_char(p.decided_on, 'YYYY-MM'), p.violation_type, r.region_code), count(*), coalesce(sum(p.fine_amount), 0)
		FROM `+penalties+` CROSS JOIN LATERAL (SELECT `+regionOf("p")+` AS region_code) r
		GROUP BY GROUPING SETS ((to_char(p.decided_on, 'YYYY-MM')), (p.violation_type), (r.region_code))`, q.args...).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var gm, gt int
				var key string
				var n int
				var fines pgtype.Numeric
				if err := rows.Scan(&gm, &gt, &key, &n, &fines); err != nil {
					return err
				}
				bk := store.Bucket{Key: key, Count: n, TotalFines: *decimalOf(fines)}
				switch {
				case gm == 0:
					months = append(months, bk)
					st.Penalties.Count += n
					st.Penalties.TotalFines = st.Penalties.TotalFines.Add(bk.TotalFines)
				case gt == 0:
					if v.Public() {
						bk.Key = credit.Redact(bk.Key)
					}
					if x := types[bk.Key]; x != nil {
						x.Count += n
						x.TotalFines = x.TotalFines.Add(bk.TotalFines)
					} else {
						types[bk.Key] = &bk
					}
				default:
					regions = append(regions, bk)
				}
			}
			return rows.Err()
		})

	for _, list := range []credit.ListKind{credit.ListSerious, credit.ListAbnormal} {
		ls := &st.Serious
		if list == credit.ListAbnormal {
			ls = &st.Abnormal
		}
		lf := store.ListingFilter{ListedFrom: f.From, ListedTo: f.To, IncludeRemoved: true}
		if list == credit.ListSerious {
			lf.KeyArea = f.KeyArea
		}
		q, shapes, _ := s.listingWhere(v, list, lf)
		if list == credit.ListAbnormal && f.KeyArea != "" {
			q.add(`l.enterprise_key_areas @> ARRAY[` + q.arg(string(f.KeyArea)) + `]::text[]`)
		}
		switch {
		case len(shapes) > 1:
			q.add(`((` + shapes[0] + `) OR (` + shapes[1] + `))`)
		case shapes[0] != "":
			q.add(shapes[0])
		}
		// A region's listings are read as regionRows reads them
		// (listings_region_idx for a city or county, migration 00015); an
		// abnormal listing carries its enterprise's key areas (00016).
		const cols = `l.uscc, l.listed_on, l.key_area, l.reason_code, l.enterprise_key_areas`
		listings := `(SELECT ` + cols + ` FROM listings l` + q.where() + `) l`
		if f.RegionPrefix != "" {
			listings = `(` + regionRows(q, "listings", "l", cols, f.RegionPrefix) + `) l`
		}
		second := `coalesce(l.key_area, '')`
		if list == credit.ListAbnormal {
			second = `l.reason_code::text`
		}
		b.Queue(`SELECT GROUPING(to_char(l.listed_on, 'YYYY-MM')), coalesce(to_char(l.listed_on, 'YYYY-MM'), `+second+`), count(*)
			FROM `+listings+` GROUP BY GROUPING SETS ((to_char(l.listed_on, 'YYYY-MM')), (`+second+`))`, q.args...).
			Query(func(rows pgx.Rows) error {
				for rows.Next() {
					var gm, n int
					var key string
					if err := rows.Scan(&gm, &key, &n); err != nil {
						return err
					}
					bk := store.Bucket{Key: key, Count: n, TotalFines: decimal.Zero}
					switch {
					case gm == 0:
						ls.ByMonth = append(ls.ByMonth, bk)
						ls.Count += n
					case list == credit.ListSerious:
						ls.ByKeyArea = append(ls.ByKeyArea, bk)
					default:
						ls.ByReasonCode = append(ls.ByReasonCode, bk)
					}
				}
				return rows.Err()
			})
		if list == credit.ListAbnormal {
			b.Queue(`SELECT k, count(*) FROM `+listings+`, unnest(l.enterprise_key_areas) k GROUP BY k`, q.args...).Query(func(rows pgx.Rows) error {
				for rows.Next() {
					bk := store.Bucket{TotalFines: decimal.Zero}
					if err := rows.Scan(&bk.Key, &bk.Count); err != nil {
						return err
					}
					ls.ByKeyArea = append(ls.ByKeyArea, bk)
				}
				return rows.Err()
			})
		}
	}

	q = &query{}
	inspections := inspectionCounts(q, f)
	b.Queue(inspections, q.args...).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				bk := store.Bucket{TotalFines: decimal.Zero}
				if err := rows.Scan(&bk.Key, &bk.Count); err != nil {
					return err
				}
				st.Inspections.Count += bk.Count
				if bk.Key == string(credit.ResultNonCompliant) {
					st.Inspections.NonCompliant = bk.Count
				}
				st.Inspections.ByResult = append(st.Inspections.ByResult, bk)
			}
			return rows.Err()
		})

	if err := s.read.SendBatch(ctx, b).Close(); err != nil {
		return store.Statistics{}, wrap("statistics", err)
	}
	for _, bk := range types {
		st.Penalties.ByViolationType = append(st.Penalties.ByViolationType, *bk)
	}
	st.Penalties.ByMonth = store.SortedBuckets(months)
	st.Penalties.ByViolationType = store.TopBuckets(st.Penalties.ByViolationType, store.TopViolationTypes)
	st.Penalties.ByRegion = store.SortedBuckets(regions)
	for _, ls := range []*store.ListingStatistics{&st.Serious, &st.Abnormal} {
		ls.ByMonth, ls.ByKeyArea, ls.ByReasonCode = store.SortedBuckets(ls.ByMonth), store.SortedBuckets(ls.ByKeyArea), store.SortedBuckets(ls.ByReasonCode)
	}
	st.Inspections.ByResult = store.SortedBuckets(st.Inspections.ByResult)
	return st, nil
}

// inspectionCounts is a statement giving (result, count) of the
// inspections f selects. Inspections are public to every tier on every
// date, so whole months are read from inspection_counts (migration 00014),
// which counts them by the division their USCC was issued in; what those
// rows cannot say is read from inspections: the days of a month the
// period holds only in part, and, for a region, the inspections of
// enterprises whose region is not their USCC's and which the prefix
// holds on one side only (regions.go).
func inspectionCounts(q *query, f store.StatisticsFilter) string {
	start, end, whole := wholeMonths(f.From, f.To)
	var parts []string
	raw := func(from, to *time.Time) {
		r := &query{args: q.args}
		if from != nil {
			r.add(`i.inspected_on >= ` + r.arg(dateArg(*from)))
		}
		if to != nil {
			r.add(`i.inspected_on <= ` + r.arg(dateArg(*to)))
		}
		if f.KeyArea != "" {
			r.add(`i.key_area = ` + r.arg(string(f.KeyArea)))
		}
		if f.RegionPrefix == "" {
			parts = append(parts, `SELECT i.result, 1 FROM inspections i`+r.where())
		} else {
			parts = append(parts, regionRows(r, "inspections", "i", "i.result, 1", f.RegionPrefix))
		}
		q.args = r.args
	}
	if !whole {
		raw(f.From, f.To)
	} else {
		c := &query{args: q.args}
		if start != nil {
			c.add(`c.month >= ` + c.arg(dateArg(*start)))
		}
		if end != nil {
			c.add(`c.month < ` + c.arg(dateArg(*end)))
		}
		if f.KeyArea != "" {
			c.add(`c.key_area = ` + c.arg(string(f.KeyArea)))
		}
		var mv *query
		if f.RegionPrefix != "" {
			mv = &query{conds: []string{`i.inspected_on >= c0.start AND i.inspected_on < c0.end`}}
			p := c.arg(f.RegionPrefix) + `::text`
			c.add(`c.region >= ` + p + ` AND c.region < ` + p + ` || '~' AND starts_with(c.region, ` + p + `)`)
			if f.KeyArea != "" {
				mv.add(`i.key_area = ` + c.arg(string(f.KeyArea)))
			}
			// Moved enterprises the prefix holds by one of region and USCC
			// only: issued there (counted above) and moved out, or moved in.
			mv.add(`i.uscc = ANY (ARRAY(SELECT m.uscc FROM enterprises m WHERE ` + moved + ` AND starts_with(m.region_code, ` + p +
				`) <> starts_with(substr(m.uscc, 3, 6), ` + p + `)))`)
			bounds := `SELECT ` + dateOr(c, start, "-infinity") + ` AS start, ` + dateOr(c, end, "infinity") + ` AS end`
			parts = append(parts, `SELECT i.result, CASE WHEN starts_with(substr(i.uscc, 3, 6), `+p+`) THEN -1 ELSE 1 END
				FROM inspections i, (`+bounds+`) c0`+mv.where())
		}
		parts = append(parts, `SELECT c.result, c.n FROM inspection_counts c`+c.where())
		q.args = c.args
		if start != nil && f.From != nil && f.From.Before(*start) {
			last := start.AddDate(0, 0, -1)
			raw(f.From, &last)
		}
		if end != nil && f.To != nil && !f.To.Before(*end) {
			raw(end, f.To)
		}
	}
	return `SELECT x.result, sum(x.n)::bigint FROM (` + strings.Join(parts, ` UNION ALL `) + `) x (result, n)
		GROUP BY x.result HAVING sum(x.n) > 0`
}

// wholeMonths is the span of whole months within [from, to] (nil: open):
// start inclusive and end exclusive, first days of months, nil where the
// period is open; whole is false when the period holds no whole month.
func wholeMonths(from, to *time.Time) (start, end *time.Time, whole bool) {
	if from != nil {
		d := credit.DateOf(*from)
		m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		if !m.Equal(d) {
			m = m.AddDate(0, 1, 0)
		}
		start = &m
	}
	if to != nil {
		d := credit.DateOf(*to).AddDate(0, 0, 1)
		m := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		end = &m
	}
	return start, end, start == nil || end == nil || start.Before(*end)
}

func dateOr(q *query, d *time.Time, otherwise string) string {
	if d == nil {
		return `'` + otherwise + `'::date`
	}
	return q.arg(dateArg(*d)) + `::date`
}

func (s *Store) statisticsDates(q *query, f store.StatisticsFilter, col string) {
	if f.From != nil {
		q.add(col + ` >= ` + q.arg(dateArg(*f.From)))
	}
	if f.To != nil {
		q.add(col + ` <= ` + q.arg(dateArg(*f.To)))
	}
}
