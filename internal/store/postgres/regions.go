package postgres

// The reports filter records (penalties, listings, inspections) by the
// region of their enterprise. Joining every enterprise of the region costs
// a hash of all of them (220,000 for a city at 1,000,000 enterprises) per
// statement; instead these read the region from the record's own USCC,
// which for almost every enterprise holds it: characters 3-8 of a USCC are
// the administrative division it was issued in (GB 32100-2015). The
// enterprises whose region is another ("moved") are looked up in
// enterprises_moved_idx (migration 00010), which holds only them. Every
// record's enterprise exists (Apply rejects a record whose enterprise is
// unknown, and enterprises are never deleted), so the result is exactly
// that of the join.

// moved is true of an enterprise m whose region is not its USCC's.
const moved = `m.region_code <> substr(m.uscc, 3, 6)`

// regionOf is the region code of the enterprise of the record aliased a.
func regionOf(a string) string {
	return `coalesce((SELECT m.region_code FROM enterprises m WHERE m.uscc = ` + a + `.uscc AND ` + moved + `), substr(` +
		a + `.uscc, 3, 6))`
}

// inRegion adds to q the condition that the record (or aggregate) aliased
// a belongs to an enterprise whose region starts with prefix: issued there
// and not moved out, or moved in. Each set of moved enterprises is read
// once per statement into an array (ARRAY(...), an init plan). Not NOT IN
// (SELECT ...): the planner, expecting a large set, rescans it per row and
// prices the statement high enough to compile it (JIT), 0.5 s a statement
// at 1,000,000 enterprises.
func inRegion(q *query, a, prefix string) {
	p := q.arg(prefix) + `::text`
	q.add(`((starts_with(substr(` + a + `.uscc, 3, 6), ` + p + `) AND ` + a + `.uscc <> ALL (ARRAY(` + movedOut(p) + `))) OR ` +
		a + `.uscc = ANY (ARRAY(` + movedIn(q, p, len(prefix)) + `)))`)
}

// movedOut selects the moved enterprises whose region does not start with
// p; movedIn those whose region does and whose USCC's does not. left(),
// not starts_with(): the planner must read them from enterprises_moved_idx,
// not walk the region's enterprises in enterprises_region_idx.
func movedOut(p string) string {
	return `SELECT m.uscc FROM enterprises m WHERE ` + moved + ` AND NOT starts_with(m.region_code, ` + p + `)`
}

func movedIn(q *query, p string, n int) string {
	return `SELECT m.uscc FROM enterprises m WHERE ` + moved + ` AND left(m.region_code, ` + q.arg(n) + `::int) = ` + p +
		` AND NOT starts_with(substr(m.uscc, 3, 6), ` + p + `)`
}

// regionRows is a statement selecting cols from table (aliased a) where
// q's conditions hold and the record's enterprise is in a region starting
// with prefix, as two disjoint parts: records issued in the region whose
// enterprise has not moved out of it, read through the index on
// (substr(uscc, 3, 4), date) when the prefix names a city or a county; and
// records of enterprises moved into it from elsewhere. For a table too
// large for a probe per record (inspections).
func regionRows(q *query, table, a, cols, prefix string) string {
	p := q.arg(prefix) + `::text`
	issued := q.whereAnd(`starts_with(substr(` + a + `.uscc, 3, 6), ` + p + `)`)
	if len(prefix) >= 4 {
		issued += ` AND substr(` + a + `.uscc, 3, 4) = ` + q.arg(prefix[:4]) + `::text`
	}
	issued += ` AND ` + a + `.uscc <> ALL (ARRAY(` + movedOut(p) + `))`
	// The second part reads the records of the moved enterprises by their
	// USCCs (an index on uscc leads every record table): they are few, the
	// records of the period many.
	in := q.whereAnd(a + `.uscc = ANY (ARRAY(` + movedIn(q, p, len(prefix)) + `))`)
	return `SELECT ` + cols + ` FROM ` + table + ` ` + a + issued + `
		UNION ALL SELECT ` + cols + ` FROM ` + table + ` ` + a + in
}
