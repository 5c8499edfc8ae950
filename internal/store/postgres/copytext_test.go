package postgres

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/creditgraph/creditgraph/internal/credit"
)

// TestCopyTextAsPgx: rows COPYed by copyText read back exactly as the same
// rows COPYed by pgx's CopyFrom (which every other write path uses), for
// every kind of value the write paths hand it, with the characters COPY's
// text format and array literals escape.
func TestCopyTextAsPgx(t *testing.T) {
	ctx := t.Context()
	s := NewTestStore(t, credit.NewPolicy(credit.DefaultSettings()))
	cols := []string{"id", "s", "k", "sp", "arr", "b", "i2", "i8", "d", "ts", "n", "j", "h"}
	types := []string{"integer", "text", `text COLLATE "C"`, "text", "text[]", "boolean", "smallint", "bigint",
		"date", "timestamptz", "numeric", "jsonb", "bytea"}
	ddl := ""
	for i, c := range cols {
		if i > 0 {
			ddl += ", "
		}
		ddl += c + " " + types[i]
	}
	if _, err := s.write.Exec(ctx, `CREATE TABLE copy_a (`+ddl+`); CREATE TABLE copy_b (`+ddl+`)`); err != nil {
		t.Fatal(err)
	}
	odd := "a\\b\tc\nd\re\"f'g,h{i}j NULL \\N \\. 统一社会信用代码 😀"
	at := time.Date(2026, 12, 8, 1, 2, 3, 123456789, time.FixedZone("CST", 8*3600))
	num := func(s string, exp int32) pgtype.Numeric {
		n, _ := new(big.Int).SetString(s, 10)
		return pgtype.Numeric{Int: n, Exp: exp, Valid: true}
	}
	rows := [][]any{
		{1, odd, "91350582MAE11H479P", &odd, []string{odd, "", "NULL", `"`, `\`, "x y"}, true, int16(-3), int64(1) << 40,
			credit.DateOf(at), at, num("12345", -2), []byte(`{"a": "b\\n\"c\"", "d": [1, 2]}`), []byte{0, 1, 0xab, '\\', '\n'}},
		{2, "", "", (*string)(nil), []string{}, false, int16(0), int64(0),
			time.Date(1999, 1, 2, 0, 0, 0, 0, time.UTC), at.UTC(), num("-7", 3), nil, []byte{}},
		{3, nil, nil, nil, []string(nil), nil, nil, nil, nil, nil, num("5", -4), nil, []byte(nil)},
		{4, "x", "y", nil, []string{"a"}, true, int16(32767), int64(-1), nil, time.Date(2026, 1, 1, 0, 0, 0, 999, time.UTC),
			num("-123", -5), []byte(`[]`), nil},
	}
	tx, err := s.write.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // committed below
	if err := copyText(ctx, tx, "copy_a", cols, types, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"copy_b"}, cols, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	var n, differ int
	if err := s.write.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE x IS DISTINCT FROM y)
		FROM copy_a x FULL JOIN copy_b y USING (id)`).Scan(&n, &differ); err != nil {
		t.Fatal(err)
	}
	if n != len(rows) || differ != 0 {
		t.Fatalf("%d rows, %d differ; want %d rows, none differing", n, differ, len(rows))
	}
	var text string
	if err := s.write.QueryRow(ctx, `SELECT s FROM copy_a WHERE id = 1`).Scan(&text); err != nil || text != odd {
		t.Fatalf("s = %q, %v; want %q", text, err, odd)
	}

	// A value it cannot write fails the COPY, with nothing written.
	tx, err = s.write.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // a no-op after the failure
	bad := [][]any{append(append([]any{}, rows[1][:12]...), 1.5)}
	if err := copyText(ctx, tx, "copy_a", cols, types, bad); !errors.Is(err, errEncode) {
		t.Fatalf("copyText of a float64 = %v; want errEncode", err)
	}
}
