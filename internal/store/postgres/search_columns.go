package postgres

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/creditgraph/creditgraph/internal/search"
)

// searchColumns are the stored forms name search reads (migrations 00003
// and 00005): the normalised current name, the normalised former names
// and the index tokens of all of them (search.IndexTokens: bigrams and
// start tokens).
func searchColumns(name string, former []string) (string, []string, []string) {
	nameNorm := search.Normalize(name)
	formerNorm := make([]string, len(former))
	for i, f := range former {
		formerNorm[i] = search.Normalize(f)
	}
	return nameNorm, formerNorm, search.IndexTokens(append([]string{nameNorm}, formerNorm...)...)
}

// backfillBatch is how many enterprises one backfill statement updates.
const backfillBatch = 5000

// backfillSearch fills the search columns of the enterprises written before
// migration 00003 (name_norm IS NULL), a batch at a time, so that a database
// upgraded in place finds them. Apply fills them for every row it writes,
// so on a database built by this version it finds nothing to do. Replicas
// starting together may both run it: the updates are idempotent.
func backfillSearch(ctx context.Context, db *sql.DB) error {
	for {
		rows, err := db.QueryContext(ctx, `SELECT uscc, name, to_json(former_names)::text FROM enterprises
			WHERE name_norm IS NULL ORDER BY uscc LIMIT $1`, backfillBatch)
		if err != nil {
			return err
		}
		type row struct {
			USCC    string   `json:"uscc"`
			Norm    string   `json:"n"`
			Former  []string `json:"f"`
			Bigrams []string `json:"b"`
		}
		var batch []row
		for rows.Next() {
			var uscc, name, formerJSON string
			var former []string
			if err := rows.Scan(&uscc, &name, &formerJSON); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(formerJSON), &former); err != nil {
				rows.Close()
				return err
			}
			n, f, b := searchColumns(name, former)
			batch = append(batch, row{uscc, n, f, b})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		doc, err := json.Marshal(batch)
		if err != nil {
			return err
		}
		if _, err := db.ExecContext(ctx, `UPDATE enterprises e SET name_norm = u.n, former_norm = u.f, name_bigrams = u.b
			FROM jsonb_to_recordset($1::jsonb) AS u(uscc text, n text, f text[], b text[])
			WHERE e.uscc = u.uscc`, string(doc)); err != nil {
			return err
		}
	}
}
