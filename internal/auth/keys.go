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
// there is one, the store's keys.
//
// It remembers what the store said. A key found valid is trusted for TTL
// without asking again, so a revocation reaches every replica within TTL;
// after TTL it is looked up again, and if the store cannot be reached, a key
// seen valid within Grace stays valid (cached answers keep serving keyed
// callers through a store outage) and is looked up again only after another
// TTL. A key the store does not know, or knows revoked, is remembered as
// unknown for UnknownTTL, so repeating it costs no lookup.
type Keyring struct {
	file  map[string]store.Key // by hash
	store store.KeyStore       // nil: file keys only
	opts  KeyringOptions

	mu      sync.Mutex
	known   map[string]cachedKey // by hash
	unknown map[string]time.Time // by hash: remembered until
}

// KeyringOptions are how long a Keyring trusts what the store said.
type KeyringOptions struct {
	TTL        time.Duration // a valid key is looked up again after this; 0 → every time
	Grace      time.Duration // a key seen valid this recently survives a store outage; 0 → none
	UnknownTTL time.Duration // an unknown key is not looked up again for this long; 0 → always
	Now        func() time.Time
}

// Bounds of what a Keyring remembers; past them it forgets everything of
// that kind (a flood of unknown keys can only empty the unknown list).
const (
	maxKnownKeys   = 10_000
	maxUnknownKeys = 100_000
)

type cachedKey struct {
	key      store.Key
	recheck  time.Time // look the key up again from then on
	verified time.Time // the store last said it is valid
}

// NewKeyring returns a keyring over file keys and an optional store.
func NewKeyring(fileKeys []store.Key, ks store.KeyStore, o KeyringOptions) *Keyring {
	if o.Now == nil {
		o.Now = time.Now
	}
	k := &Keyring{file: map[string]store.Key{}, store: ks, opts: o,
		known: map[string]cachedKey{}, unknown: map[string]time.Time{}}
	for _, fk := range fileKeys {
		k.file[fk.Hash] = fk
	}
	return k
}

// Remembered answers for secret from memory alone: file keys and what the
// store said recently. ok is false when only a store lookup can tell.
func (k *Keyring) Remembered(secret string) (c Caller, err error, ok bool) {
	if !secretRE.MatchString(secret) {
		return Caller{}, ErrMalformedKey, true
	}
	hash := HashSecret(secret)
	if key, found := k.file[hash]; found {
		c, err := check(key, hash)
		return c, err, true
	}
	now := k.opts.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, found := k.known[hash]; found && now.Before(e.recheck) {
		c, err := check(e.key, hash)
		return c, err, true
	}
	if until, found := k.unknown[hash]; found && now.Before(until) {
		return Caller{}, ErrUnknownKey, true
	}
	return Caller{}, nil, false
}

// Authenticate returns the caller a secret stands for, looking it up in the
// store when memory cannot tell.
func (k *Keyring) Authenticate(ctx context.Context, secret string) (Caller, error) {
	if c, err, ok := k.Remembered(secret); ok {
		return c, err
	}
	hash := HashSecret(secret)
	key, err := k.lookup(ctx, hash)
	if err != nil {
		return Caller{}, err
	}
	return check(key, hash)
}

// check compares again in constant time (the map or index lookup is by
// hash, so no code path compares key material byte by byte) and refuses a
// revoked key.
func check(key store.Key, hash string) (Caller, error) {
	if subtle.ConstantTimeCompare([]byte(key.Hash), []byte(hash)) != 1 || key.RevokedAt != nil {
		return Caller{}, ErrUnknownKey
	}
	return Caller{Tier: key.Tier, KeyName: key.Name, Scope: Scope(key.Scope)}, nil
}

func (k *Keyring) lookup(ctx context.Context, hash string) (store.Key, error) {
	if k.store == nil {
		k.forget(hash)
		return store.Key{}, ErrUnknownKey
	}
	key, err := k.store.KeyByHash(ctx, hash)
	now := k.opts.Now()
	switch {
	case errors.Is(err, store.ErrNotFound):
		k.forget(hash)
		return store.Key{}, ErrUnknownKey
	case err != nil:
		if key, ok := k.graced(hash, now); ok {
			return key, nil
		}
		return store.Key{}, fmt.Errorf("auth: look up key: %w", err)
	case key.RevokedAt != nil:
		k.forget(hash)
		return store.Key{}, ErrUnknownKey
	}
	k.mu.Lock()
	if len(k.known) >= maxKnownKeys {
		clear(k.known)
	}
	k.known[hash] = cachedKey{key: key, recheck: now.Add(k.opts.TTL), verified: now}
	k.mu.Unlock()
	return key, nil
}

// graced returns a key seen valid within Grace while the store cannot say,
// and waits a TTL before asking the store about it again.
func (k *Keyring) graced(hash string, now time.Time) (store.Key, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.known[hash]
	if !ok || !now.Before(e.verified.Add(k.opts.Grace)) {
		return store.Key{}, false
	}
	e.recheck = now.Add(k.opts.TTL)
	k.known[hash] = e
	return e.key, true
}

// forget remembers hash as unknown.
func (k *Keyring) forget(hash string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.known, hash)
	if k.opts.UnknownTTL <= 0 {
		return
	}
	if len(k.unknown) >= maxUnknownKeys {
		clear(k.unknown)
	}
	k.unknown[hash] = k.opts.Now().Add(k.opts.UnknownTTL)
}
