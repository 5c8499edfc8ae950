package postgres

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// copyText COPYs rows into table's columns in PostgreSQL's text format,
// encoded here and streamed to the server while it parses: pgx's CopyFrom
// encodes every value through its type map (a plan looked up per value,
// reflection, binary buffers), 10–14 % of an import's CPU
// (docs/BENCHMARKS.md sections 24, 32 and 36). types are the columns'
// SQL types, which decide what a []byte is (bytea: hex; jsonb: the text).
// The values are those the write paths hand pgx: nil, string, *string,
// []string, bool, int, int16, int32, int64, time.Time (a date or a
// timestamptz, written with its offset), pgtype.Numeric and []byte; any
// other is an error, so a new kind of value fails the tests rather than
// being written wrong.
func copyText(ctx context.Context, tx pgx.Tx, table string, columns, types []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if len(columns) != len(types) {
		return fmt.Errorf("copy %s: %d columns, %d types", table, len(columns), len(types))
	}
	cols := make([]string, len(columns))
	for i, c := range columns {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	sql := `COPY ` + pgx.Identifier{table}.Sanitize() + ` (` + strings.Join(cols, ", ") + `) FROM STDIN`
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := encodeText(w, types, rows)
		w.CloseWithError(err) // nil: the reader sees EOF
		done <- err
	}()
	_, err := tx.Conn().PgConn().CopyFrom(ctx, r, sql)
	r.CloseWithError(errors.New("copy: COPY FROM ended")) // an encoder still blocked returns
	if errEnc := <-done; errEnc != nil {                  // the server's error then only says the COPY was cancelled
		err = errEnc
	}
	if err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

var errEncode = errors.New("copy: a value text COPY cannot take")

// encodeText writes rows to w in COPY's text format, 64 KiB at a time.
func encodeText(w io.Writer, types []string, rows [][]any) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf []byte
	for _, row := range rows {
		if len(row) != len(types) {
			return fmt.Errorf("%w: a row of %d values for %d columns", errEncode, len(row), len(types))
		}
		buf = buf[:0]
		for i, v := range row {
			if i > 0 {
				buf = append(buf, '\t')
			}
			var err error
			if buf, err = appendText(buf, types[i], v); err != nil {
				return err
			}
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// appendText appends v as a field of COPY's text format.
func appendText(buf []byte, typ string, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, `\N`...), nil
	case string:
		return appendEscaped(buf, v), nil
	case *string:
		if v == nil {
			return append(buf, `\N`...), nil
		}
		return appendEscaped(buf, *v), nil
	case []string:
		if v == nil { // as pgx writes a nil slice
			return append(buf, `\N`...), nil
		}
		return appendArray(buf, v), nil
	case bool:
		if v {
			return append(buf, 't'), nil
		}
		return append(buf, 'f'), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int16:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int32:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case time.Time:
		// Microseconds truncated as pgx's binary encoding truncates them
		// (text input would round); the offset makes a timestamptz exact,
		// and a date takes the day as written, as pgx takes t's own day.
		return v.Truncate(time.Microsecond).AppendFormat(buf, "2006-01-02 15:04:05.999999-07:00"), nil
	case pgtype.Numeric:
		if !v.Valid {
			return append(buf, `\N`...), nil
		}
		if v.NaN || v.InfinityModifier != pgtype.Finite || v.Int == nil {
			return buf, fmt.Errorf("%w: numeric %v", errEncode, v)
		}
		return appendNumeric(buf, v), nil
	case []byte:
		if v == nil {
			return append(buf, `\N`...), nil
		}
		switch typ {
		case "bytea":
			buf = append(buf, `\\x`...)
			const hex = "0123456789abcdef"
			for _, c := range v {
				buf = append(buf, hex[c>>4], hex[c&15])
			}
			return buf, nil
		case "jsonb", "json", "text":
			return appendEscaped(buf, string(v)), nil
		}
	}
	return buf, fmt.Errorf("%w: %T for a %s column", errEncode, v, typ)
}

// appendNumeric writes Int × 10^Exp in plain decimal notation.
func appendNumeric(buf []byte, n pgtype.Numeric) []byte {
	digits := n.Int.String()
	neg := strings.HasPrefix(digits, "-")
	if neg {
		buf = append(buf, '-')
		digits = digits[1:]
	}
	switch {
	case n.Exp >= 0:
		buf = append(buf, digits...)
		for range n.Exp {
			buf = append(buf, '0')
		}
	case -int(n.Exp) < len(digits):
		at := len(digits) + int(n.Exp)
		buf = append(buf, digits[:at]...)
		buf = append(buf, '.')
		buf = append(buf, digits[at:]...)
	default:
		buf = append(buf, "0."...)
		for range -int(n.Exp) - len(digits) {
			buf = append(buf, '0')
		}
		buf = append(buf, digits...)
	}
	return buf
}

// appendEscaped appends s with COPY's text escapes: backslash, newline,
// carriage return and tab (the delimiter). Most values have none, and are
// appended whole.
func appendEscaped(buf []byte, s string) []byte {
	for {
		i := 0
		for i < len(s) && !copyEscaped[s[i]] {
			i++
		}
		buf = append(buf, s[:i]...)
		if i == len(s) {
			return buf
		}
		switch s[i] {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		}
		s = s[i+1:]
	}
}

// copyEscaped are the bytes appendEscaped escapes.
var copyEscaped = [256]bool{'\\': true, '\n': true, '\r': true, '\t': true}

// appendArray appends a text[] literal, every element quoted (so that
// NULL, empty strings, commas and braces read back as themselves), then
// escaped for COPY.
func appendArray(buf []byte, ss []string) []byte {
	buf = append(buf, '{')
	for i, s := range ss {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		for j := 0; j < len(s); j++ {
			switch c := s[j]; c {
			case '"':
				buf = append(buf, '\\', '\\', '"') // \" in the literal, its backslash escaped for COPY
			case '\\':
				buf = append(buf, '\\', '\\', '\\', '\\')
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, c)
			}
		}
		buf = append(buf, '"')
	}
	return append(buf, '}')
}
