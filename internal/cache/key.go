package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"time"
)

// Key is everything an answer depends on. Two requests share an entry only if
// all five fields are equal, so one tier's answer is never served to another
// and an entry never outlives its disclosure day.
type Key struct {
	Tier      string // the caller's disclosure tier
	Document  string // normalised query text
	Operation string // operation name, "" if none
	Variables []byte // canonical JSON of the variables
	AsOf      string // disclosure day, YYYY-MM-DD in UTC
}

// ID identifies the entry of k (see Cache.GetID).
func (k Key) ID() string { return k.id() }

// id is the hex SHA-256 of the key's fields, each length-prefixed so that no
// two different keys can encode alike.
func (k Key) id() string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(b []byte) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
		h.Write(b)
	}
	field([]byte("creditgraph-rc-v1"))
	field([]byte(k.Tier))
	field([]byte(k.Document))
	field([]byte(k.Operation))
	field(k.Variables)
	field([]byte(k.AsOf))
	return hex.EncodeToString(h.Sum(nil))
}

// endOfDay is the first instant after k.AsOf's day in UTC.
func (k Key) endOfDay() (time.Time, bool) {
	d, err := time.Parse(time.DateOnly, k.AsOf)
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(24 * time.Hour), true
}

// tagVersion is one tag an entry depends on and the version it had before the
// entry was computed.
type tagVersion struct {
	tag     string
	version int64
}

const entryFormat = 1

// encodeEntry lays out an entry as: format byte, tag count, then per tag its
// length, bytes and version (varints), then the value.
func encodeEntry(deps []tagVersion, value []byte) []byte {
	size := 1 + binary.MaxVarintLen64 + len(value)
	for _, d := range deps {
		size += 2*binary.MaxVarintLen64 + len(d.tag)
	}
	b := make([]byte, 0, size)
	b = append(b, entryFormat)
	b = binary.AppendUvarint(b, uint64(len(deps)))
	for _, d := range deps {
		b = binary.AppendUvarint(b, uint64(len(d.tag)))
		b = append(b, d.tag...)
		b = binary.AppendVarint(b, d.version)
	}
	return append(b, value...)
}

var errBadEntry = errors.New("cache: malformed entry")

func decodeEntry(b []byte) ([]tagVersion, []byte, error) {
	if len(b) == 0 || b[0] != entryFormat {
		return nil, nil, errBadEntry
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, nil, errBadEntry
	}
	b = b[k:]
	deps := make([]tagVersion, n)
	for i := range deps {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, nil, errBadEntry
		}
		deps[i].tag = string(b[k : k+int(l)])
		b = b[k+int(l):]
		v, k2 := binary.Varint(b)
		if k2 <= 0 {
			return nil, nil, errBadEntry
		}
		deps[i].version = v
		b = b[k2:]
	}
	return deps, b, nil
}
