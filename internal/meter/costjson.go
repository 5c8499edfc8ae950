package meter

import (
	"math"
	"strconv"
)

// appendCost appends costExtension's map as json.Marshal encodes it: keys
// sorted, integers as integers, restoreRate as encoding/json writes a
// float64. TestAppendCostMatchesMarshal holds the two together.
func (s *State) appendCost(b []byte) []byte {
	s.mu.Lock()
	requested, actual := s.requested, s.actual
	limit, remaining, rate := 0, 0, 0.0
	if r := s.result; r != nil {
		limit, remaining, rate = r.Limit, r.Remaining, restoreRate(s.Budget)
	}
	s.mu.Unlock()
	b = append(b, `{"actualQueryCost":`...)
	b = strconv.AppendInt(b, int64(actual), 10)
	b = append(b, `,"requestedQueryCost":`...)
	b = strconv.AppendInt(b, int64(requested), 10)
	b = append(b, `,"throttleStatus":{"currentlyAvailable":`...)
	b = strconv.AppendInt(b, int64(remaining), 10)
	b = append(b, `,"maximumAvailable":`...)
	b = strconv.AppendInt(b, int64(limit), 10)
	b = append(b, `,"restoreRate":`...)
	b = appendJSONFloat(b, rate)
	return append(b, "}}"...)
}

// appendJSONFloat appends f as encoding/json encodes a finite float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 → e-9, as encoding/json does
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
