// Command creditgraph is the Creditgraph server and its tools: serve,
// migrate, import, generate, keys (see commands.go). It is thin: it parses flags and configuration,
// builds dependencies and runs them; the work lives in internal packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/logging"
)

// exitError carries a process exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		code := 2
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		if ee == nil || ee.err != nil {
			fmt.Fprintln(os.Stderr, "creditgraph:", logging.Scrub(err.Error()))
		}
		os.Exit(code)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	} else if wantsHelp(args) {
		usage(stdout) // creditgraph -h, --help
		return nil
	}
	if name == "help" {
		if len(args) == 0 {
			usage(stdout)
			return nil
		}
		name, args = args[0], []string{"-h"}
	}
	c := findCommand(name)
	if c == nil || c.run == nil {
		names := make([]string, len(commands))
		for i, c := range commands {
			names[i] = c.name
		}
		return fmt.Errorf("unknown command %q: the commands are %s (creditgraph help lists them)", name, strings.Join(names, ", "))
	}
	if wantsHelp(args) || (c.name == "keys" && len(args) > 1 && wantsHelp(args[1:])) {
		commandHelp(stdout, c)
		return nil
	}
	e := env{stdin: stdin, stdout: stdout}
	if c.noConfig {
		return c.run(ctx, e, args)
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	lg := newLogger(cfg, stderr)
	lctx, stopLog := context.WithCancel(ctx)
	go lg.Run(lctx)
	defer func() { stopLog(); lg.Close(context.Background()) }()
	e.cfg, e.log = cfg, lg.Logger
	return c.run(ctx, e, args)
}

// newLogger is the process's logger: scrubbed of secrets, connection
// details and personal data, with repeated errors collapsed.
func newLogger(cfg config.Config, w io.Writer) *logging.Logger {
	return logging.New(w, logging.Options{Level: cfg.LogLevel, JSON: cfg.LogFormat == "json", Repeat: cfg.LogRepeat})
}
