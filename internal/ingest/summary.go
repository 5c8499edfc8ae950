package ingest

import (
	"cmp"
	"encoding/json"
	"slices"
)

// Summary is the outcome of an import, as the import command prints it:
//
//	{"accepted":N,"rejected":M,"errors":[{"line":L,"code":"…","message":"…"}]}
//
// Accepted and Rejected count every record; Errors lists the rejected lines
// in source order, at most the importer's MaxErrors of them, and
// ErrorsTruncated (printed only when true) says some were left out.
type Summary struct {
	Accepted        int         `json:"accepted"`
	Rejected        int         `json:"rejected"`
	Errors          []LineError `json:"errors"`
	ErrorsTruncated bool        `json:"errors_truncated,omitempty"`
	// Fatal, printed only when set, says why the import stopped before the
	// end of its input; the counts then say what was written before it.
	Fatal string `json:"fatal,omitempty"`
}

// MarshalJSON prints no errors as [], never null.
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	if s.Errors == nil {
		s.Errors = []LineError{}
	}
	return json.Marshal(plain(s))
}

// Add merges o into s, o's errors after s's: import sources in order and
// add their summaries in the same order.
func (s *Summary) Add(o Summary) {
	s.Accepted += o.Accepted
	s.Rejected += o.Rejected
	s.Errors = append(s.Errors, o.Errors...)
	s.ErrorsTruncated = s.ErrorsTruncated || o.ErrorsTruncated
}

// ExitCode is the import command's exit status: 0 when every record was
// accepted, 1 when any was rejected, 2 when the import stopped (Fatal).
func (s Summary) ExitCode() int {
	if s.Fatal != "" {
		return 2
	}
	if s.Rejected > 0 {
		return 1
	}
	return 0
}

// errorList keeps the first max line errors in source order, in memory
// bounded by max however many lines are rejected.
type errorList struct {
	max       int // < 0: no limit
	errs      []sourcedError
	truncated bool
}

// sourcedError is a line error with the index of its source, for ordering.
type sourcedError struct {
	src int
	LineError
}

func (l *errorList) add(src int, e LineError) {
	l.errs = append(l.errs, sourcedError{src, e})
	if l.max > 0 && len(l.errs) >= 2*l.max {
		l.trim()
	}
}

// trim sorts and keeps the first max errors.
func (l *errorList) trim() {
	slices.SortStableFunc(l.errs, func(a, b sourcedError) int {
		return cmp.Or(cmp.Compare(a.src, b.src), cmp.Compare(a.Line, b.Line))
	})
	if l.max >= 0 && len(l.errs) > l.max {
		l.errs = l.errs[:l.max]
		l.truncated = true
	}
}

// list returns the kept errors in source order.
func (l *errorList) list() []LineError {
	l.trim()
	out := make([]LineError, len(l.errs))
	for i, e := range l.errs {
		out[i] = e.LineError
	}
	return out
}
