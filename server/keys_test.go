package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/config"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/httpapi"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// keysCLI runs the keys command as a user would and returns its stdout.
func keysCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"keys"}, args...), strings.NewReader(""), &out, io.Discard)
	return out.String(), err
}

// lastLine is the secret: keys create prints it alone on the last line.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func viewer(t *testing.T, srv *httptest.Server, secret string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ viewer { tier keyName } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func serveKeys(t *testing.T, st store.Store, ks store.KeyStore, fileKeys []store.Key) *httptest.Server {
	h := httpapi.New(httpapi.Deps{Store: st, Keys: auth.NewKeyring(fileKeys, ks, auth.KeyringOptions{}),
		Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: time.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestKeysLifecyclePostgres: create with the command, use over HTTP,
// revoke with the command, refused over HTTP.
func TestKeysLifecyclePostgres(t *testing.T) {
	url := postgres.NewTestDatabase(t)
	t.Setenv("DATABASE_URL", url)
	t.Setenv("KEYS_FILE", "")
	out, err := keysCLI(t, "create", "--tier", "PARTNER", "--name", "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	secret := lastLine(out)
	if !strings.HasPrefix(secret, "cg_") || strings.Count(out, secret) != 1 {
		t.Fatalf("secret not alone on the last line: %q", out)
	}
	if _, err := keysCLI(t, "create", "--tier", "PARTNER", "--name", "acme-bank"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("duplicate name: err = %v", err)
	}
	if _, err := keysCLI(t, "create", "--tier", "BOSS", "--name", "x"); err == nil || !strings.Contains(err.Error(), "tier") {
		t.Errorf("bad tier: err = %v", err)
	}

	st, err := postgres.New(context.Background(), postgres.Config{URL: url, Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := serveKeys(t, st, st, nil)
	if code, body := viewer(t, srv, secret); code != 200 || !strings.Contains(body, `"tier":"PARTNER"`) || !strings.Contains(body, `"keyName":"acme-bank"`) {
		t.Fatalf("with the new key: %d %s", code, body)
	}
	list, err := keysCLI(t, "list")
	if err != nil || !strings.Contains(list, "acme-bank") || strings.Contains(list, secret) || strings.Contains(list, auth.HashSecret(secret)) {
		t.Errorf("keys list = %q, %v (must name the key and show neither secret nor hash)", list, err)
	}
	if _, err := keysCLI(t, "revoke", "acme-bank"); err != nil {
		t.Fatal(err)
	}
	code, body := viewer(t, srv, secret)
	var e struct {
		Errors []struct {
			Extensions struct{ Code string }
		}
	}
	_ = json.Unmarshal([]byte(body), &e)
	if code != 401 || len(e.Errors) != 1 || e.Errors[0].Extensions.Code != "UNAUTHENTICATED" {
		t.Errorf("revoked key: %d %s", code, body)
	}
	if _, err := keysCLI(t, "revoke", "nobody"); err == nil {
		t.Error("revoking an unknown key must fail")
	}
}

// TestKeysFile: without a database, keys live in KEYS_FILE.
func TestKeysFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.tsv")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("KEYS_FILE", path)
	out, err := keysCLI(t, "create", "--tier", "REGULATOR", "--name", "fj-amr", "--scope", "write")
	if err != nil {
		t.Fatal(err)
	}
	secret := lastLine(out)
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), secret) || !strings.Contains(string(b), auth.HashSecret(secret)) {
		t.Fatalf("keys file must hold the hash, never the secret: %q", b)
	}
	keys, err := loadKeysFile(mustConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := serveKeys(t, memory.New(credit.NewPolicy(credit.DefaultSettings())), nil, keys)
	if code, body := viewer(t, srv, secret); code != 200 || !strings.Contains(body, `"tier":"REGULATOR"`) {
		t.Fatalf("file key: %d %s", code, body)
	}
	if _, err := keysCLI(t, "revoke", "fj-amr"); err != nil {
		t.Fatal(err)
	}
	keys, err = loadKeysFile(mustConfig(t))
	if err != nil || len(keys) != 0 {
		t.Fatalf("after revoke the file still holds %d keys (%v)", len(keys), err)
	}
	srv = serveKeys(t, memory.New(credit.NewPolicy(credit.DefaultSettings())), nil, keys)
	if code, _ := viewer(t, srv, secret); code != 401 {
		t.Errorf("revoked file key: %d", code)
	}
}

func mustConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.FromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
