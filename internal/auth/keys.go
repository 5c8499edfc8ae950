package auth

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Errors of authentication. Their messages are safe to show.
var (
	ErrMalformedKey = errors.New(`the Authorization header must be "Bearer <key>" with a Creditgraph key (cg_…)`)
	ErrUnknownKey   = errors.New("the API key is unknown or revoked")
)

// secretPrefix marks Creditgraph secrets, so leaked ones are easy to scan for.
const secretPrefix = "cg_"

var secretRE = regexp.MustCompile(`^cg_[a-z2-7]{32}$`)

// NewSecret returns a fresh random API key secret: "cg_" and 160 random bits
// in lower-case base32.
func NewSecret() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("auth: random: %w", err)
	}
	return secretPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])), nil
}

// HashSecret is the hex SHA-256 of a secret: all that is ever stored.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ParseScope validates a key scope.
func ParseScope(s string) (Scope, error) {
	switch Scope(s) {
	case ScopeRead, ScopeWrite:
		return Scope(s), nil
	}
	return "", fmt.Errorf("auth: unknown scope %q (want read or write)", s)
}

var keyNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateName checks a key name: 1–64 letters, digits, '.', '_' or '-'.
func ValidateName(name string) error {
	if !keyNameRE.MatchString(name) {
		return fmt.Errorf("auth: key name %q must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

// ParseKeysFile reads KEYS_FILE lines "tier<TAB>name<TAB>scope<TAB>sha256-hex".
// Blank lines and lines starting with # are skipped.
func ParseKeysFile(r io.Reader) ([]store.Key, error) {
	var keys []store.Key
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("auth: keys file line %d: want 4 tab-separated fields (tier, name, scope, sha256-hex), got %d", n, len(f))
		}
		tier, err := credit.ParseTier(f[0])
		if err != nil {
			return nil, fmt.Errorf("auth: keys file line %d: %w", n, err)
		}
		if err := ValidateName(f[1]); err != nil {
			return nil, fmt.Errorf("keys file line %d: %w", n, err)
		}
		scope, err := ParseScope(f[2])
		if err != nil {
			return nil, fmt.Errorf("keys file line %d: %w", n, err)
		}
		if b, err := hex.DecodeString(f[3]); err != nil || len(b) != sha256.Size {
			return nil, fmt.Errorf("auth: keys file line %d: the hash must be 64 hex digits (SHA-256 of the secret)", n)
		}
		keys = append(keys, store.Key{Tier: tier, Name: f[1], Scope: string(scope), Hash: strings.ToLower(f[3])})
	}
	return keys, sc.Err()
}

// KeysFileLine formats k as a KEYS_FILE line.
func KeysFileLine(k store.Key) string {
	return strings.Join([]string{k.Tier.String(), k.Name, k.Scope, k.Hash}, "\t")
}

// Keyring authenticates secrets against the keys of KEYS_FILE and, when
// there is one, the store's keys. Positive answers from the store are cached
// for TTL, so a revocation reaches every replica within TTL; unknown keys are
// never cached, so a new key works at once.
type Keyring struct {
	file  map[string]store.Key // by hash
	store store.KeyStore       // nil: file keys only
	ttl   time.Duration
	now   func() time.Time

	mu    sync.Mutex
	cache map[string]cachedKey
}

type cachedKey struct {
	key     store.Key
	expires time.Time
}

// NewKeyring returns a keyring over file keys and an optional store.
func NewKeyring(fileKeys []store.Key, ks store.KeyStore, ttl time.Duration, now func() time.Time) *Keyring {
	k := &Keyring{file: map[string]store.Key{}, store: ks, ttl: ttl, now: now, cache: map[string]cachedKey{}}
	for _, fk := range fileKeys {
		k.file[fk.Hash] = fk
	}
	return k
}

// Authenticate returns the caller a secret stands for.
func (k *Keyring) Authenticate(ctx context.Context, secret string) (Caller, error) {
	if !secretRE.MatchString(secret) {
		return Caller{}, ErrMalformedKey
	}
	hash := HashSecret(secret)
	key, err := k.lookup(ctx, hash)
	if err != nil {
		return Caller{}, err
	}
	// The map or index lookup is by hash; compare again in constant time so
	// no code path compares key material byte by byte.
	if subtle.ConstantTimeCompare([]byte(key.Hash), []byte(hash)) != 1 || key.RevokedAt != nil {
		return Caller{}, ErrUnknownKey
	}
	return Caller{Tier: key.Tier, KeyName: key.Name, Scope: Scope(key.Scope)}, nil
}

func (k *Keyring) lookup(ctx context.Context, hash string) (store.Key, error) {
	if key, ok := k.file[hash]; ok {
		return key, nil
	}
	if k.store == nil {
		return store.Key{}, ErrUnknownKey
	}
	now := k.now()
	k.mu.Lock()
	c, ok := k.cache[hash]
	k.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.key, nil
	}
	key, err := k.store.KeyByHash(ctx, hash)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Key{}, ErrUnknownKey
	case err != nil:
		return store.Key{}, fmt.Errorf("auth: look up key: %w", err)
	}
	if k.ttl > 0 {
		k.mu.Lock()
		if len(k.cache) > 10_000 {
			clear(k.cache)
		}
		k.cache[hash] = cachedKey{key: key, expires: now.Add(k.ttl)}
		k.mu.Unlock()
	}
	return key, nil
}
