package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/memory"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

func TestNewSecretAndHash(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSecret()
	if a == b || !secretRE.MatchString(a) || len(HashSecret(a)) != 64 || HashSecret(a) == HashSecret(b) {
		t.Errorf("secrets %q %q", a, b)
	}
}

func TestParseKeysFile(t *testing.T) {
	h := HashSecret("cg_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	tests := []struct {
		name, in, err string
		n             int
	}{
		{"good with comments", "# keys\n\nPARTNER\tacme\tread\t" + h + "\n# revoked x: REGULATOR\tx\twrite\t" + h + "\n", "", 1},
		{"lower-case tier", "regulator\tfj-amr\twrite\t" + h + "\n", "", 1},
		{"three fields", "PARTNER\tacme\t" + h + "\n", "want 4 tab-separated fields", 0},
		{"bad tier", "BOSS\tacme\tread\t" + h + "\n", "unknown tier", 0},
		{"bad scope", "PARTNER\tacme\tadmin\t" + h + "\n", "unknown scope", 0},
		{"bad hash", "PARTNER\tacme\tread\tabc\n", "64 hex digits", 0},
		{"bad name", "PARTNER\tacme bank\tread\t" + h + "\n", "key name", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, err := ParseKeysFile(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "line 1") {
					t.Errorf("err = %v, want one naming line 1 and %q", err, tt.err)
				}
				return
			}
			if err != nil || len(keys) != tt.n {
				t.Errorf("got %d keys, %v; want %d", len(keys), err, tt.n)
			}
		})
	}
}

// TestKeyringCachesOnlyWithinTTL: a revocation takes effect once the cached
// answer expires; unknown keys are never cached.
func TestKeyringCachesOnlyWithinTTL(t *testing.T) {
	ctx := context.Background()
	st := memory.New(credit.NewPolicy(credit.DefaultSettings()))
	secret, _ := NewSecret()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kr := NewKeyring(nil, st, KeyringOptions{TTL: 10 * time.Second, Now: func() time.Time { return now }})
	if _, err := kr.Authenticate(ctx, secret); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("before creation: %v", err)
	}
	if err := st.CreateKey(ctx, store.Key{Name: "acme", Tier: credit.TierPartner, Scope: "read", Hash: HashSecret(secret)}); err != nil {
		t.Fatal(err)
	}
	c, err := kr.Authenticate(ctx, secret)
	if err != nil || c.Tier != credit.TierPartner || c.KeyName != "acme" || c.Scope != ScopeRead {
		t.Fatalf("new key works at once: %+v %v", c, err)
	}
	_ = st.RevokeKey(ctx, "acme", now)
	if _, err := kr.Authenticate(ctx, secret); err != nil {
		t.Errorf("within the TTL the cached answer stands: %v", err)
	}
	now = now.Add(11 * time.Second)
	if _, err := kr.Authenticate(ctx, secret); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("after the TTL a revoked key is refused: %v", err)
	}
	if _, err := kr.Authenticate(ctx, "Bearer nonsense"); !errors.Is(err, ErrMalformedKey) {
		t.Errorf("malformed: %v", err)
	}
}

// outage is a key store that is the memory store while up and, while down,
// a PostgreSQL store on a port nobody listens on: real connection failures.
type outage struct {
	up   store.KeyStore
	down store.KeyStore
	dead bool
}

func (o *outage) KeyByHash(ctx context.Context, hash string) (store.Key, error) {
	if o.dead {
		return o.down.KeyByHash(ctx, hash)
	}
	return o.up.KeyByHash(ctx, hash)
}

func (o *outage) CreateKey(ctx context.Context, k store.Key) error { return o.up.CreateKey(ctx, k) }
func (o *outage) Keys(ctx context.Context) ([]store.Key, error)    { return o.up.Keys(ctx) }
func (o *outage) RevokeKey(ctx context.Context, name string, at time.Time) error {
	return o.up.RevokeKey(ctx, name, at)
}

// TestKeyGrace: while the store is unreachable a key seen valid within
// the grace stays valid, and is looked up again only once per TTL; a key
// never seen, or seen too long ago, gets the store's error; an unknown key
// is remembered for UnknownTTL.
func TestKeyGrace(t *testing.T) {
	ctx := context.Background()
	dead, err := postgres.New(ctx, postgres.Config{URL: "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", Policy: credit.NewPolicy(credit.DefaultSettings())})
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	st := &outage{up: memory.New(credit.NewPolicy(credit.DefaultSettings())), down: dead}
	known, _ := NewSecret()
	other, _ := NewSecret()
	for name, s := range map[string]string{"known": known, "other": other} {
		if err := st.CreateKey(ctx, store.Key{Name: name, Tier: credit.TierPartner, Scope: "read", Hash: HashSecret(s)}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	kr := NewKeyring(nil, st, KeyringOptions{TTL: 10 * time.Second, Grace: 10 * time.Minute, UnknownTTL: 10 * time.Second,
		Now: func() time.Time { return now }})
	if _, err := kr.Authenticate(ctx, known); err != nil {
		t.Fatal(err)
	}
	st.dead = true
	now = now.Add(time.Minute)
	if c, err := kr.Authenticate(ctx, known); err != nil || c.KeyName != "known" {
		t.Errorf("within the grace, store down: %+v %v", c, err)
	}
	if _, _, ok := kr.Remembered(known); !ok {
		t.Error("after a failed lookup in the grace, the key is not looked up again for a TTL")
	}
	if _, err := kr.Authenticate(ctx, other); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("a key never seen, store down: %v, want the store's ErrUnavailable", err)
	}
	now = now.Add(10 * time.Minute)
	if _, err := kr.Authenticate(ctx, known); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("past the grace, store down: %v", err)
	}
	st.dead = false
	unknown, _ := NewSecret()
	if _, err := kr.Authenticate(ctx, unknown); !errors.Is(err, ErrUnknownKey) {
		t.Fatal(err)
	}
	if _, err, ok := kr.Remembered(unknown); !ok || !errors.Is(err, ErrUnknownKey) {
		t.Errorf("an unknown key is remembered: %v %v", ok, err)
	}
	now = now.Add(11 * time.Second)
	if _, _, ok := kr.Remembered(unknown); ok {
		t.Error("an unknown key is forgotten after UnknownTTL")
	}
}
