package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/logging"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// TestUnavailableIs503: when the store cannot be reached, an answer with an
// UNAVAILABLE error — raised inside GraphQL execution, by a resolver — is
// HTTP 503 with Retry-After and no partial data, under both media types;
// so is /readyz. The store is PostgreSQL on a port nobody listens on: real
// connection failures, whose details reach no log line.
func TestUnavailableIs503(t *testing.T) {
	dead, err := postgres.New(context.Background(), postgres.Config{
		URL: "postgres://creditgraph_user@127.0.0.1:1/creditgraph_db?connect_timeout=1", Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	c := &clock{}
	c.Set(fixtureToday)
	buf := &lockedWriter{w: &bytes.Buffer{}}
	log := logging.New(buf, logging.Options{Level: slog.LevelDebug, Repeat: time.Minute, Now: c.Now}).Logger
	h := &harness{}
	srv := httptest.NewServer(New(Deps{Store: dead, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}),
		Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: c.Now, Log: log,
		Options: Options{MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second}}))
	defer srv.Close()
	h.srv = srv
	for _, accept := range []string{"application/json", "application/graphql-response+json"} {
		r := h.send(t, "POST", "/graphql", `{"query":"{ enterprise(uscc: \"`+foodCo+`\") { name } viewer { tier } }"}`,
			"Content-Type", jsonCT, "Accept", accept)
		if r.status != 503 || r.code() != "UNAVAILABLE" || r.header.Get("Retry-After") == "" || r.Data != nil {
			t.Errorf("%s: %d Retry-After %q %s", accept, r.status, r.header.Get("Retry-After"), r.raw)
		}
	}
	r := h.send(t, "GET", "/readyz", "")
	if r.status != 503 || r.code() != "UNAVAILABLE" || r.header.Get("Retry-After") == "" {
		t.Errorf("/readyz: %d %s", r.status, r.raw)
	}
	logText := buf.String()
	if !strings.Contains(logText, "unavailable") {
		t.Fatalf("the outage was not logged:\n%s", logText)
	}
	for _, bad := range []string{"creditgraph_user", "creditgraph_db", "127.0.0.1:1", "postgres://"} {
		if strings.Contains(logText, bad) {
			t.Errorf("the logs name %q:\n%s", bad, logText)
		}
	}
}
