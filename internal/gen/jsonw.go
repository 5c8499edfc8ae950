package gen

import (
	"io"
	"strconv"
)

// out writes NDJSON lines by appending to one reused buffer, flushed in
// large writes: no reflection, no allocation per line.
type out struct {
	w     io.Writer
	buf   []byte
	err   error
	lines int64
}

const flushAt = 64 << 10

func (o *out) begin(kind string) {
	o.buf = append(o.buf, `{"kind":"`...)
	o.buf = append(o.buf, kind...)
	o.buf = append(o.buf, '"')
}

func (o *out) end() {
	o.buf = append(o.buf, '}', '\n')
	o.lines++
	if len(o.buf) >= flushAt {
		o.flush()
	}
}

func (o *out) flush() {
	if o.err == nil && len(o.buf) > 0 {
		_, o.err = o.w.Write(o.buf)
	}
	o.buf = o.buf[:0]
}

func (o *out) key(k string) {
	o.buf = append(o.buf, ',', '"')
	o.buf = append(o.buf, k...)
	o.buf = append(o.buf, '"', ':')
}

func (o *out) str(k, v string) {
	o.key(k)
	o.buf = appendJSONString(o.buf, v)
}

// opt writes a string field only when it is not empty.
func (o *out) opt(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *out) date(k string, d day) {
	o.key(k)
	o.buf = append(o.buf, '"')
	o.buf = appendISO(o.buf, d)
	o.buf = append(o.buf, '"')
}

// optDate writes a date field only when it is set (non-zero).
func (o *out) optDate(k string, d day) {
	if d != 0 {
		o.date(k, d)
	}
}

// amount writes fen as a decimal string of yuan: 1250000 → "12500.00".
func (o *out) amount(k string, fen int64) {
	o.key(k)
	o.buf = append(o.buf, '"')
	o.buf = appendAmount(o.buf, fen)
	o.buf = append(o.buf, '"')
}

func (o *out) integer(k string, n int) {
	o.key(k)
	o.buf = strconv.AppendInt(o.buf, int64(n), 10)
}

func (o *out) boolean(k string, v bool) {
	o.key(k)
	o.buf = strconv.AppendBool(o.buf, v)
}

func (o *out) strs(k string, vs []string) {
	o.key(k)
	o.buf = append(o.buf, '[')
	for i, v := range vs {
		if i > 0 {
			o.buf = append(o.buf, ',')
		}
		o.buf = appendJSONString(o.buf, v)
	}
	o.buf = append(o.buf, ']')
}

func appendAmount(b []byte, fen int64) []byte {
	b = strconv.AppendInt(b, fen/100, 10)
	c := fen % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

func amountString(fen int64) string { return string(appendAmount(nil, fen)) }

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. UTF-8 passes through; quotes,
// backslashes and control characters are escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
