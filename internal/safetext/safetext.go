// Package safetext decides which characters free text from outside may
// carry. A NUL (U+0000) or another control character in a stored string
// breaks PostgreSQL (text cannot hold NUL), terminals reading logs and the
// CSV and NDJSON files partners export; it is never meaningful in a record.
// So import lines and GraphQL arguments that carry one are refused with a
// message naming the character and where it is. The package is pure: no
// I/O, no knowledge of where the text came from.
package safetext

import (
	"fmt"
	"unicode/utf8"
)

// Control is a forbidden character found in a string.
type Control struct {
	Rune rune
	At   int // 1-based character (not byte) position
}

// Describe says what was found, e.g. "control character U+0000 at character 3".
func (c Control) Describe() string {
	return fmt.Sprintf("control character %U at character %d", c.Rune, c.At)
}

// FindControl returns the first control character of s (Unicode category
// Cc: U+0000–U+001F, U+007F–U+009F). In multiline text tab, newline and a
// carriage return directly before a newline (CRLF) are allowed; in a
// single-line value nothing is. ok is false when s is clean.
func FindControl(s string, multiline bool) (c Control, ok bool) {
	at := 0
	for i := 0; i < len(s); {
		b := s[i]
		at++
		if b < utf8.RuneSelf {
			if b < 0x20 || b == 0x7f {
				allowed := multiline && (b == '\t' || b == '\n' || (b == '\r' && i+1 < len(s) && s[i+1] == '\n'))
				if !allowed {
					return Control{Rune: rune(b), At: at}, true
				}
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r >= 0x80 && r <= 0x9f {
			return Control{Rune: r, At: at}, true
		}
		i += w
	}
	return Control{}, false
}
