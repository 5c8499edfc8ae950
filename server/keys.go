package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/demo"
	"github.com/creditgraph/creditgraph/internal/logging"
	"github.com/creditgraph/creditgraph/internal/store"
)

// keysCommand manages API keys: in PostgreSQL when DATABASE_URL is set,
// else in KEYS_FILE (the embedded store keeps nothing across restarts).
func keysCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: want create, list or revoke")
	}
	ks, err := openKeyStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer ks.close()
	switch args[0] {
	case "create":
		return createKey(ctx, ks, args[1:], stdout)
	case "list":
		return listKeys(ctx, ks, stdout)
	case "revoke":
		if len(args) != 2 {
			return errors.New("keys revoke: name exactly one key")
		}
		if err := ks.RevokeKey(ctx, args[1], time.Now().UTC()); err != nil {
			return fmt.Errorf("keys revoke %s: %w", args[1], err)
		}
		fmt.Fprintf(stdout, "revoked %s\n", args[1])
		return nil
	}
	return fmt.Errorf("keys: unknown subcommand %q (want create, list or revoke)", args[0])
}

// keysFlags are the flags of keys create.
func keysFlags() *flag.FlagSet {
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	fs.String("tier", "", "PUBLIC, PARTNER or REGULATOR (required)")
	fs.String("name", "", "a unique name for the key (required)")
	fs.String("scope", "read", "read, or write (REGULATOR keys that may ingest)")
	return fs
}

func createKey(ctx context.Context, ks store.KeyStore, args []string, stdout io.Writer) error {
	fs := keysFlags()
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	str := func(name string) *string { v := fs.Lookup(name).Value.String(); return &v }
	tierName, name, scopeName := str("tier"), str("name"), str("scope")
	tier, err := credit.ParseTier(*tierName)
	if err != nil {
		return fmt.Errorf("keys create --tier: %w", err)
	}
	if err := auth.ValidateName(*name); err != nil {
		return fmt.Errorf("keys create --name: %w", err)
	}
	scope, err := auth.ParseScope(*scopeName)
	if err != nil {
		return fmt.Errorf("keys create --scope: %w", err)
	}
	secret, err := auth.NewSecret()
	if err != nil {
		return err
	}
	k := store.Key{Name: *name, Tier: tier, Scope: string(scope), Hash: auth.HashSecret(secret), CreatedAt: time.Now().UTC()}
	if err := ks.CreateKey(ctx, k); err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	fmt.Fprintf(stdout, "created key %s (tier %s, scope %s); the secret is shown once, below — only its hash is stored\n", k.Name, k.Tier, k.Scope)
	fmt.Fprintln(stdout, secret)
	return nil
}

func listKeys(ctx context.Context, ks store.KeyStore, stdout io.Writer) error {
	keys, err := ks.Keys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTIER\tSCOPE\tCREATED\tREVOKED")
	for _, k := range keys {
		created, revoked := "-", "-"
		if !k.CreatedAt.IsZero() {
			created = k.CreatedAt.Format(time.RFC3339)
		}
		if k.RevokedAt != nil {
			revoked = k.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Tier, k.Scope, created, revoked)
	}
	return tw.Flush()
}

// closingKeyStore is a KeyStore with something to close.
type closingKeyStore struct {
	store.KeyStore
	close func()
}

func openKeyStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*closingKeyStore, error) {
	if cfg.DatabaseURL != "" {
		st, err := openStore(ctx, cfg, log, false)
		if err != nil {
			return nil, err
		}
		ks, ok := st.(store.KeyStore)
		if !ok {
			st.Close()
			return nil, errors.New("keys: this store keeps no keys")
		}
		return &closingKeyStore{KeyStore: ks, close: st.Close}, nil
	}
	if cfg.KeysFile == "" {
		return nil, errors.New("keys: set DATABASE_URL (keys kept in PostgreSQL) or KEYS_FILE (keys kept in a file for the embedded store)")
	}
	return &closingKeyStore{KeyStore: &fileKeyStore{path: cfg.KeysFile}, close: func() {}}, nil
}

// fileKeyStore keeps keys in KEYS_FILE; a revoked key's line is commented out.
type fileKeyStore struct{ path string }

func (f *fileKeyStore) read() ([]store.Key, error) {
	fh, err := os.Open(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return auth.ParseKeysFile(fh)
}

func (f *fileKeyStore) CreateKey(_ context.Context, k store.Key) error {
	keys, err := f.read()
	if err != nil {
		return err
	}
	for _, o := range keys {
		if o.Name == k.Name {
			return fmt.Errorf("key %q: %w", k.Name, store.ErrAlreadyExists)
		}
	}
	fh, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(fh, auth.KeysFileLine(k)); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

func (f *fileKeyStore) Keys(context.Context) ([]store.Key, error) { return f.read() }

func (f *fileKeyStore) RevokeKey(_ context.Context, name string, at time.Time) error {
	b, err := os.ReadFile(f.path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	found := false
	for i, l := range lines {
		if fields := strings.Split(l, "\t"); len(fields) == 4 && fields[1] == name && !strings.HasPrefix(l, "#") {
			lines[i] = "# revoked " + at.Format(time.RFC3339) + ": " + l
			found = true
		}
	}
	if !found {
		return fmt.Errorf("key %q: %w", name, store.ErrNotFound)
	}
	return os.WriteFile(f.path, []byte(strings.Join(lines, "\n")), 0o600)
}

func (f *fileKeyStore) KeyByHash(_ context.Context, hash string) (store.Key, error) {
	keys, err := f.read()
	if err != nil {
		return store.Key{}, err
	}
	for _, k := range keys {
		if k.Hash == hash {
			return k, nil
		}
	}
	return store.Key{}, store.ErrNotFound
}

// loadKeysFile reads KEYS_FILE for the server, if set.
func loadKeysFile(cfg config.Config) ([]store.Key, error) {
	if cfg.KeysFile == "" {
		return nil, nil
	}
	keys, err := (&fileKeyStore{path: cfg.KeysFile}).read()
	if err != nil {
		return nil, fmt.Errorf("KEYS_FILE %s: %w", cfg.KeysFile, err)
	}
	return keys, nil
}

// demoKeys are the published demo keys (demo.Keys), for the embedded store
// with the demo dataset only: with DATABASE_URL there are none.
func demoKeys(cfg config.Config, log *slog.Logger) ([]store.Key, error) {
	if cfg.DatabaseURL != "" {
		return nil, nil
	}
	var out []store.Key
	for _, k := range demo.Keys {
		tier, err := credit.ParseTier(k.Tier)
		if err != nil {
			return nil, fmt.Errorf("demo key %s: %w", k.Name, err)
		}
		out = append(out, store.Key{Name: k.Name, Tier: tier, Scope: "read", Hash: auth.HashSecret(k.Secret)})
	}
	log.Warn("the demo API keys are accepted (embedded store only, never with DATABASE_URL): anyone may use them",
		"keys", logging.Public("demo-partner (PARTNER), demo-regulator (REGULATOR)"), "secrets", logging.Public("README.md, Tiers and keys"))
	return out, nil
}
