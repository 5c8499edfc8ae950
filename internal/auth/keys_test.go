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
