package ingest

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Codes of a rejected line, decided by this package. A line may also be
// rejected by the store, with store.CodeUnknownReference or one of the
// credit.Code* rule codes.
const (
	CodeInvalidJSON  = "INVALID_JSON"  // not one JSON object, or not UTF-8
	CodeUnknownKind  = "UNKNOWN_KIND"  // "kind" names no record kind
	CodeMissingField = "MISSING_FIELD" // a required field is absent or null
	CodeInvalidType  = "INVALID_TYPE"  // a field has the wrong JSON type
	CodeInvalidDate  = "INVALID_DATE"  // not a real YYYY-MM-DD date
	CodeInvalidEnum  = "INVALID_ENUM"  // not one of the allowed values
	CodeInvalidUSCC  = "INVALID_USCC"  // fails a GB 32100-2015 check
	CodeInvalidValue = "INVALID_VALUE" // right type, wrong value: empty, negative, out of range …
	CodeLineTooLong  = "LINE_TOO_LONG" // longer than the importer's MaxLineBytes
	// CodeControlCharacter: a string holds NUL or another control character
	// (tab, newline and CRLF are allowed in long free text only).
	CodeControlCharacter = "CONTROL_CHARACTER"
	// CodeStoreRejected: the store refused to hold a value of the record
	// (store.ErrInvalidRecord) although every line check passed.
	CodeStoreRejected = "STORE_REJECTED"
)

// LineError is one rejected line. File is set only when an import reads
// several named sources, so that the contract's single-source summary keeps
// exactly its shape.
type LineError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *LineError) Error() string {
	at := "line " + strconv.Itoa(e.Line)
	if e.File != "" {
		at = e.File + ":" + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("ingest: %s: %s: %s", at, e.Code, e.Message)
}

// Longest strings a message carries, in bytes: a value the line gave, and
// a whole message (the store's included).
const (
	maxQuoted  = 256
	maxMessage = 1024
)

// clip cuts s to at most max bytes, on a character boundary, marking the cut.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func lineErr(code, format string, a ...any) *LineError {
	return &LineError{Code: code, Message: fmt.Sprintf(format, a...)}
}
