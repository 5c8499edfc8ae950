// Package search owns how an enterprise is found by name (企业名称检索): the
// normalisation both sides of a comparison go through, the validation of a
// query, and the ranking of a name against it. It is pure Go with no I/O and
// knows nothing of stores, GraphQL or tiers: both backends (internal/store/
// memory and internal/store/postgres) ask it, so they rank alike. Names are
// public in every tier (credit.Policy never redacts them), so a name search
// reveals nothing a tier may not read; what a store adds (filters such as
// "on the serious list") it computes for the caller's visibility.
//
// Normalisation (Normalize): Unicode NFKC (full-width letters, digits and
// brackets （）become ASCII), then every space, punctuation mark, symbol and
// format character is dropped (so 泉州海禾食品（厦门）有限公司 and
// "泉州 海禾食品(厦门)有限公司" are the same name), and letters are lower-cased.
//
// A query (Parse) has 2 to 50 characters once normalised, else ErrQuery. A
// query of 8 to 18 characters from the USCC alphabet also matches the codes
// that start with it.
//
// Ranking (Query.Match): a name equal to the query ranks Exact, one starting
// with it Prefix, one containing it Contained, and one containing the query
// with one character wrong Similar (queries of SimilarMin characters or more;
// shorter ones would match nearly everything). An enterprise ranks by the
// best of its current name, its former names (曾用名) and its code, the
// current name winning a tie; Compare orders hits by tier, then operating
// enterprises first, then USCC. Score is the tier as a number in (0, 1].
//
// Reusing it (e.g. screening counterparties by name): given a store.Reader r
// and the caller's visibility v,
//
//	q, err := search.Parse(name)             // err wraps ErrQuery: a bad name
//	conn, err := r.SearchEnterprises(ctx, v, q, store.EnterpriseFilter{}, store.Page{First: 5})
//	for _, h := range conn.Items { h.Enterprise.USCC, h.Score, h.MatchedName, h.MatchedFormerName }
//
// or store.FindByName(ctx, r, v, name, n), which does both. To score one
// known name without a store, q.Match(uscc, name, formerNames).
package search
