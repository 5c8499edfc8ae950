package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/creditgraph/creditgraph/internal/config"
)

// command is one subcommand of creditgraph.
type command struct {
	name     string
	synopsis string // usage line after "creditgraph"
	summary  string // one line for the command list
	// flags builds the command's flag set (nil: it takes none); the same set
	// parses the arguments and prints `-h`.
	flags func() *flag.FlagSet
	// run runs it; config is loaded first unless noConfig.
	run      func(ctx context.Context, e env, args []string) error
	noConfig bool
}

// env is what a command runs with.
type env struct {
	cfg    config.Config
	log    *slog.Logger
	stdin  io.Reader
	stdout io.Writer
}

// commands lists every command, in the order help shows them.
var commands = []command{
	{name: "serve", synopsis: "serve [--load FILE]...", summary: "serve HTTP (the default command); without DATABASE_URL on the bundled demo",
		flags: serveFlags, run: func(ctx context.Context, e env, args []string) error { return serve(ctx, e.cfg, e.log, args) }},
	{name: "migrate", synopsis: "migrate", summary: "apply the database migrations to DATABASE_URL (serve does it too)",
		run: func(ctx context.Context, e env, args []string) error { return migrate(ctx, e.cfg, e.log) }},
	{name: "import", synopsis: "import [--demo] FILE...", summary: "import NDJSON records (\"-\" = stdin, gzip recognised) and print a JSON summary",
		flags: importFlags, run: func(ctx context.Context, e env, args []string) error {
			return importFiles(ctx, e.cfg, e.log, args, e.stdin, e.stdout)
		}},
	{name: "generate", synopsis: "generate --enterprises N [--seed S] [--anchor YYYY-MM-DD]", summary: "write a synthetic NDJSON dataset to stdout",
		flags: generateFlags, noConfig: true, run: func(ctx context.Context, e env, args []string) error { return generate(args, e.stdout) }},
	{name: "keys", synopsis: "keys create --tier TIER --name NAME [--scope read|write] | keys list | keys revoke NAME",
		summary: "manage API keys (PostgreSQL, or KEYS_FILE without a database); a secret is printed once",
		flags:   keysFlags, run: func(ctx context.Context, e env, args []string) error {
			return keysCommand(ctx, e.cfg, e.log, args, e.stdout)
		}},
	{name: "help", synopsis: "help [COMMAND]", summary: "list the commands, or show one command's flags", noConfig: true},
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// usage lists every command with one line each.
func usage(w io.Writer) {
	fmt.Fprint(w, "usage: creditgraph <command> [flags]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\n\"creditgraph help COMMAND\" or \"creditgraph COMMAND -h\" shows a command's flags.\n"+
		"Settings come from environment variables; see README.md (Settings).\n")
}

// commandHelp prints one command's synopsis, summary and flags.
func commandHelp(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: creditgraph %s\n\n%s\n", c.synopsis, c.summary)
	if c.flags == nil {
		return
	}
	fs := c.flags()
	fmt.Fprint(w, "\nflags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// wantsHelp reports whether args ask for help (-h, -help, --help) before
// any positional argument.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch {
		case a == "-h" || a == "-help" || a == "--help":
			return true
		case a == "--" || !strings.HasPrefix(a, "-"):
			return false
		}
	}
	return false
}

// parseFlags parses a command's arguments with its flag set, its errors
// naming the command; the flag set prints nothing itself.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %w (see creditgraph %s -h)", fs.Name(), err, fs.Name())
	}
	return nil
}
