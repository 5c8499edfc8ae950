package ingest

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
)

// Gunzip returns r itself, or, when r starts with the gzip magic bytes
// (1f 8b), a reader of its decompressed contents, so that import files and
// stdin may be gzipped (the demo dataset is) without saying so. Close the
// returned closer when done; it does not close r.
func Gunzip(r io.Reader) (io.Reader, io.Closer, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, nil, err
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, io.NopCloser(nil), nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("ingest: the input looks gzipped but is not: %w", err)
	}
	zr.Multistream(true)
	return zr, zr, nil
}
