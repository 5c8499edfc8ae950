// Command gen regenerates the demo dataset embedded by package demo:
//
//	go run ./internal/demo/gen -o internal/demo/demo.ndjson.gz
//
// (package demo runs it with go generate). With -o - it writes plain NDJSON
// to stdout; a file name ending in .gz is gzipped with no timestamp, so the
// same flags give the same bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/gen"
)

func main() {
	out := flag.String("o", "-", "output file (.gz: gzipped); - for stdout")
	n := flag.Int("n", demo.Enterprises, "number of enterprises")
	seed := flag.Int64("seed", demo.Seed, "random seed")
	flag.Parse()
	if err := run(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(path string, n int, seed int64) error {
	var w io.Writer = os.Stdout
	var f *os.File
	if path != "-" {
		var err error
		if f, err = os.Create(path); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	var zw *gzip.Writer
	dst := io.Writer(bw)
	if strings.HasSuffix(path, ".gz") {
		var err error
		if zw, err = gzip.NewWriterLevel(bw, gzip.BestCompression); err != nil {
			return err
		}
		dst = zw
	}
	if err := gen.Write(dst, gen.Options{Enterprises: n, Seed: seed}); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		return f.Close()
	}
	return nil
}
