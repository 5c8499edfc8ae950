// Command creditgraph is the Creditgraph server and its tools: serve,
// migrate, import, generate. It is thin: it parses flags and configuration,
// builds dependencies and runs them; the work lives in internal packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/logging"
)

const usage = `usage: creditgraph <command> [flags]

commands:
  serve [--load FILE]...          serve HTTP (the default command)
  migrate                         apply database migrations to DATABASE_URL
  import FILE...                  import NDJSON records ("-" = stdin); prints a JSON summary
  generate --enterprises N [--seed S] [--anchor YYYY-MM-DD]
                                  write a synthetic NDJSON dataset to stdout
  keys create --tier TIER --name NAME [--scope read|write]
                                  create an API key; its secret is printed once, on the last line
  keys list | keys revoke NAME    list or revoke API keys

Settings come from environment variables; see README.md.
`

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
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || cmd == "-h" || cmd == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	if cmd == "generate" {
		return generate(args, stdout)
	}
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	lg := newLogger(cfg, stderr)
	lctx, stopLog := context.WithCancel(ctx)
	go lg.Run(lctx)
	defer func() { stopLog(); lg.Close(context.Background()) }()
	log := lg.Logger
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, args)
	case "migrate":
		return migrate(ctx, cfg, log)
	case "import":
		return importFiles(ctx, cfg, log, args, stdin, stdout)
	case "keys":
		return keysCommand(ctx, cfg, log, args, stdout)
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// newLogger is the process's logger: scrubbed of secrets, connection
// details and personal data, with repeated errors collapsed.
func newLogger(cfg config.Config, w io.Writer) *logging.Logger {
	return logging.New(w, logging.Options{Level: cfg.LogLevel, JSON: cfg.LogFormat == "json", Repeat: cfg.LogRepeat})
}
