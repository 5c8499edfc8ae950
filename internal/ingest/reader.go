package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLineBytes is the default longest line a Decoder accepts.
const DefaultMaxLineBytes = 1 << 20

// Decoder reads import records from an NDJSON stream, one line at a time, in
// memory bounded by the longest line it accepts.
type Decoder struct {
	// MaxLineBytes is the longest line accepted, without its line ending;
	// longer lines are rejected with LINE_TOO_LONG and skipped. 0 means
	// DefaultMaxLineBytes. Set it before the first call to Next.
	MaxLineBytes int
	// Dates bound the dates of records (DATE_TOO_EARLY always; with Today
	// set, DATE_IN_FUTURE). Set it before the first call to Next.
	Dates DateRules

	r    *bufio.Reader
	p    Parser
	line []byte // the current line when it spans several buffer fills
	n    int    // number of the last line read
	err  error  // sticky read error
}

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next record. Blank lines are skipped. A line that is not
// a valid record yields a *LineError (with its Line set) and decoding may go
// on; at the end of the input Next returns io.EOF; any other error is the
// reader's and is final.
func (d *Decoder) Next() (Record, error) {
	for {
		line, tooLong, err := d.readLine()
		if err != nil {
			return Record{}, err
		}
		if tooLong {
			return Record{}, &LineError{Line: d.n, Code: CodeLineTooLong,
				Message: fmt.Sprintf("line is longer than %d bytes", d.maxLine())}
		}
		if d.n == 1 {
			line = bytes.TrimPrefix(line, []byte("\uFEFF")) // a byte-order mark some editors write
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec, lerr := d.p.Decode(line)
		if lerr == nil {
			lerr = d.Dates.Check(rec)
		}
		if lerr != nil {
			lerr.Line = d.n
			return Record{}, lerr
		}
		rec.Line = d.n
		return rec, nil
	}
}

func (d *Decoder) maxLine() int {
	if d.MaxLineBytes > 0 {
		return d.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

// readLine returns the next line without its line ending. The slice is
// valid until the next call. A line over the limit is consumed to its end
// and reported as tooLong, without keeping it.
func (d *Decoder) readLine() (line []byte, tooLong bool, err error) {
	if d.err != nil {
		return nil, false, d.err
	}
	d.line = d.line[:0]
	max := d.maxLine()
	for {
		chunk, err := d.r.ReadSlice('\n')
		if !tooLong {
			if len(d.line)+len(chunk) > max+2 { // room for "\r\n"
				tooLong, d.line = true, d.line[:0]
			} else if err == bufio.ErrBufferFull || len(d.line) > 0 {
				d.line = append(d.line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(chunk) == 0 && len(d.line) == 0 && !tooLong:
			d.err = io.EOF
			return nil, false, io.EOF
		case err != nil && err != io.EOF:
			d.err = fmt.Errorf("ingest: read line %d: %w", d.n+1, err)
			return nil, false, d.err
		case err == io.EOF:
			d.err = io.EOF // the last line had no line ending
		}
		d.n++
		if tooLong {
			return nil, true, nil
		}
		if len(d.line) > 0 {
			chunk = d.line
		}
		chunk = trimEOL(chunk)
		if len(chunk) > max {
			return nil, true, nil
		}
		return chunk, false, nil
	}
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// IsLineError reports whether err, from Next, rejects one line only.
func IsLineError(err error) bool {
	var le *LineError
	return errors.As(err, &le)
}
