package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/creditgraph/creditgraph/internal/gen"
)

// generateFlags are generate's flags.
func generateFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.Int("enterprises", 0, "number of enterprises (required)")
	fs.Int64("seed", 1, "random seed; the same seed gives the same bytes")
	fs.String("anchor", "2026-11-01", "dates are spread over the six years before this day (YYYY-MM-DD)")
	return fs
}

func generate(args []string, stdout io.Writer) error {
	fs := generateFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	n := fs.Lookup("enterprises").Value.(flag.Getter).Get().(int)
	seed := fs.Lookup("seed").Value.(flag.Getter).Get().(int64)
	anchor := fs.Lookup("anchor").Value.String()
	if n <= 0 {
		return fmt.Errorf("generate: --enterprises must be a positive number, got %d", n)
	}
	a, err := time.Parse(time.DateOnly, anchor)
	if err != nil {
		return fmt.Errorf("generate: --anchor %q is not a date YYYY-MM-DD", anchor)
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	if err := gen.Write(w, gen.Options{Enterprises: n, Seed: seed, Anchor: a}); err != nil {
		return err
	}
	return w.Flush()
}
