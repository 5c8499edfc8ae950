package ingest

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Decoding reads a line once, token by token (jsontext, the tokenizer of
// the coming encoding/json/v2), keeping the members this package knows and
// skipping the rest; the checks in check.go then build the record. One pass,
// no reflection, and each field's JSON type is judged only for the kinds that
// use the field. jsontext also rejects duplicate member names and invalid
// UTF-8, which encoding/json would silently resolve.

// value is one member as read: its JSON kind and contents.
type value struct {
	kind  jsontext.Kind // 0 when absent; 'n', 't', 'f', '"', '0', '[' or '{'
	s     string        // a string's contents, or a number's literal
	list  []string      // an array's string elements
	bad   jsontext.Kind // kind of an array's first non-string element, or 0
	badAt int           // its index
}

// Parser decodes single lines. The zero value is ready to use; a Parser
// reuses its buffers, so it is not safe for concurrent use.
type Parser struct {
	dec  *jsontext.Decoder
	in   bytes.Buffer // the line, which dec parses in place
	vals [numFields]value
	name []byte
}

// Decode decodes one line into a record, or says why the line is rejected.
// The returned LineError's Line is 0: the caller knows the line number.
func Decode(line []byte) (Record, *LineError) {
	var p Parser
	return p.Decode(line)
}

// Decode decodes one line into a record, or says why the line is rejected.
func (p *Parser) Decode(line []byte) (Record, *LineError) {
	if lerr := p.scan(line); lerr != nil {
		return Record{}, lerr
	}
	c := checker{v: &p.vals}
	rec := c.record()
	if c.err != nil {
		return Record{}, c.err
	}
	return rec, nil
}

// scan reads the line's members into p.vals.
func (p *Parser) scan(line []byte) *LineError {
	clear(p.vals[:])
	// From a *bytes.Buffer the decoder parses in place; copying the line
	// in is cheaper than allocating a reader for it.
	p.in.Reset()
	p.in.Write(line)
	if p.dec == nil {
		p.dec = jsontext.NewDecoder(&p.in)
	} else {
		p.dec.Reset(&p.in)
	}

	tok, err := p.dec.ReadToken()
	if err != nil {
		return jsonError(err)
	}
	if tok.Kind() != '{' {
		return lineErr(CodeInvalidJSON, "line is not a JSON object (it holds %s)", kindName(tok.Kind()))
	}
	for p.dec.PeekKind() != '}' {
		name, err := p.dec.ReadValue()
		if err != nil {
			return jsonError(err)
		}
		f := p.lookup(name)
		switch f {
		case fNone:
			err = p.dec.SkipValue() // unknown members are ignored
		case fRiskCategories: // an array of objects: kept raw, decoded by its check
			var raw jsontext.Value
			raw, err = p.dec.ReadValue()
			p.vals[f] = value{kind: raw.Kind(), s: string(raw)}
		default:
			err = p.readValue(&p.vals[f])
		}
		if err != nil {
			return jsonError(err)
		}
	}
	if _, err := p.dec.ReadToken(); err != nil {
		return jsonError(err)
	}
	switch _, err := p.dec.ReadToken(); {
	case err == io.EOF:
		return nil
	case err == nil:
		return lineErr(CodeInvalidJSON, "line holds more than one JSON value")
	default:
		return jsonError(err)
	}
}

// lookup maps a raw (quoted) member name to its field.
func (p *Parser) lookup(raw jsontext.Value) field {
	name := raw[1 : len(raw)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var err error
		if p.name, err = jsontext.AppendUnquote(p.name[:0], raw); err != nil {
			return fNone
		}
		name = p.name
	}
	return fieldByName[string(name)]
}

func (p *Parser) readValue(v *value) error {
	switch k := p.dec.PeekKind(); k {
	case '[':
		return p.readArray(v)
	case '"', '0':
		s, err := p.readScalar()
		v.kind, v.s = k, s
		return err
	case '{':
		v.kind = k
		return p.dec.SkipValue()
	}
	tok, err := p.dec.ReadToken()
	v.kind = tok.Kind()
	return err
}

func (p *Parser) readArray(v *value) error {
	if _, err := p.dec.ReadToken(); err != nil {
		return err
	}
	v.kind = '['
	for i := 0; p.dec.PeekKind() != ']'; i++ {
		if k := p.dec.PeekKind(); k != '"' {
			if v.bad == 0 {
				v.bad, v.badAt = k, i
			}
			if err := p.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		s, err := p.readScalar()
		if err != nil {
			return err
		}
		v.list = append(v.list, s)
	}
	_, err := p.dec.ReadToken()
	return err
}

// readScalar reads a string's contents or a number's literal. Reading the
// raw value and copying it out is cheaper than a token's unquoting when, as
// nearly always, the string has no escapes.
func (p *Parser) readScalar() (string, error) {
	raw, err := p.dec.ReadValue()
	if err != nil || raw[0] != '"' {
		return string(raw), err
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	b, err := jsontext.AppendUnquote(nil, raw)
	return string(b), err
}

// jsonError turns a tokenizer error into an INVALID_JSON line error.
func jsonError(err error) *LineError {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return lineErr(CodeInvalidJSON, "line is not valid JSON: unexpected end of line")
	}
	msg := strings.TrimPrefix(err.Error(), "jsontext: ")
	var serr *jsontext.SyntacticError
	if errors.As(err, &serr) && serr.Err == jsontext.ErrDuplicateName && serr.JSONPointer == "/kind" {
		msg += ` (an inspection's or commitment's own kind goes in "inspection_kind" or "commitment_kind")`
	}
	return lineErr(CodeInvalidJSON, "line is not valid JSON: %s", msg)
}

// kindName names a JSON kind for messages.
func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "nothing"
}
