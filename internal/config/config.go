// Package config reads every setting from the environment once, at start-up,
// validates them together and reports every problem in one error. It owns
// the list of settings (name, default, meaning) that the README documents;
// it must not be read from anywhere but the command's main.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/ratelimit"
	"github.com/creditgraph/creditgraph/internal/screening"
	"github.com/shopspring/decimal"
)

// Config is the validated configuration of one process.
type Config struct {
	ListenAddr      string
	DatabaseURL     string
	DatabaseReadURL string
	RedisURL        string
	KeysFile        string
	LogLevel        slog.Level
	LogFormat       string // "text" or "json"
	// ClockDate, when set (CLOCK_DATE), is "today" for the whole process.
	ClockDate   *time.Time
	LogRepeat   time.Duration
	MetricsAddr string // "" when off
	// MetricsAddrSet says METRICS_ADDR was given: a replica that cannot
	// listen on the default (another one on the host has it) runs on
	// without its metrics listener, but one told an address must have it.
	MetricsAddrSet bool

	Disclosure      credit.Settings
	PublicationLead credit.Period

	MaxBodyBytes     int64
	MaxQueryCost     int
	MaxQueryNodes    int
	MaxQueryDepth    int
	MaxQueryAliases  int
	ParserTokenLimit int
	QueryCacheSize   int
	RequestTimeout   time.Duration
	KeyCacheTTL      time.Duration
	KeyGrace         time.Duration
	KeyUnknownTTL    time.Duration
	AuthFailures     int // per minute and client address; 0 = no limit
	CORSOrigins      []string
	CORSMaxAge       time.Duration
	ShutdownTimeout  time.Duration
	ImportBatchSize  int
	ImportMaxErrors  int
	IngestMaxBytes   int64
	IngestTimeout    time.Duration
	ExportTimeout    time.Duration
	Screening        screening.Settings
	MaxLineBytes     int
	DBMaxConns       int

	RateBudgets    map[credit.Tier]ratelimit.Budget
	KeyBudgets     map[string]ratelimit.Budget
	MaxConcurrent  int
	TrustedProxies []netip.Prefix
	RateReplicas   int
	RateLease      int
	RateLeaseWin   time.Duration
	RedisTimeout   time.Duration
	RedisKeyPrefix string

	CacheTTL           time.Duration
	CacheTimeout       time.Duration
	CacheLocalMaxBytes int64
	CacheHotMaxBytes   int64
	CacheHotLease      time.Duration
	CacheHTTPMaxAge    time.Duration
	CacheBulkTags      int
	EntityMaxBatch     int
	APQTTL             time.Duration

	ChangesRetention credit.Period
	WatchlistMax     int
	StreamsPerKey    int
	StreamHeartbeat  time.Duration
	FeedPollInterval time.Duration
}

// Setting describes one environment variable.
type Setting struct {
	Name    string
	Default string
	Meaning string
	set     func(c *Config, v string) error
}

// Settings lists every environment variable, in README order.
var Settings = []Setting{
	{"LISTEN_ADDR", ":8080", "HTTP listen address", str(func(c *Config) *string { return &c.ListenAddr })},
	{"DATABASE_URL", "", "PostgreSQL URL (pgx); unset → embedded in-memory store with the demo dataset", str(func(c *Config) *string { return &c.DatabaseURL })},
	{"DATABASE_READ_URL", "", "optional read replica for queries; unset → DATABASE_URL", str(func(c *Config) *string { return &c.DatabaseReadURL })},
	{"REDIS_URL", "", "Redis URL; with ?master_name=NAME the addresses of Redis Sentinels (more with &addr=host:port); comma-separated addresses for Redis Cluster; unset → in-process", str(func(c *Config) *string { return &c.RedisURL })},
	{"KEYS_FILE", "", "optional file of API keys (tier<TAB>name<TAB>scope<TAB>sha256-hex)", str(func(c *Config) *string { return &c.KeysFile })},
	{"LOG_LEVEL", "info", "debug, info, warn or error", logLevel},
	{"LOG_FORMAT", "text", "text or json", logFormat},
	{"CLOCK_DATE", "", "YYYY-MM-DD: use this date as today for the disclosure rules, imports and exports (staging, demos, reproducible checks); unset → the real date", clockDate},
	{"LOG_REPEAT_INTERVAL", "10s", "an error or warning repeated within this interval is logged once, then once more with its count; 0 logs every one", durationOrZero(func(c *Config) *time.Duration { return &c.LogRepeat })},
	{"METRICS_ADDR", "127.0.0.1:9090", "private listen address of /metrics and /debug/pprof/ (never on LISTEN_ADDR); off → none", metricsAddr},
	{"PENALTY_SHORT_PERIOD", "3m", "disclosure period of a penalty that is only a public reprimand and/or a lower-amount fine", period(func(s *credit.Settings) *credit.Period { return &s.PenaltyShortPeriod })},
	{"PENALTY_LONG_PERIOD", "3y", "disclosure period of any other disclosed penalty (longer if a restriction lasts longer)", period(func(s *credit.Settings) *credit.Period { return &s.PenaltyLongPeriod })},
	{"LOWER_FINE_INDIVIDUAL", "10000", "a fine below this many yuan on an individual business or natural person is a lower-amount fine", money(func(s *credit.Settings) *decimal.Decimal { return &s.LowerFineIndividual })},
	{"LOWER_FINE_ORGANISATION", "100000", "a fine below this many yuan on any other organisation is a lower-amount fine", money(func(s *credit.Settings) *decimal.Decimal { return &s.LowerFineOrganisation })},
	{"PENALTY_REPAIR_WAIT", "6m", "a penalty may be repaired this long after publication", period(func(s *credit.Settings) *credit.Period { return &s.PenaltyRepairWait })},
	{"PENALTY_REPAIR_WAIT_STRICT", "1y", "the same for food, drug and special-equipment penalties", period(func(s *credit.Settings) *credit.Period { return &s.PenaltyRepairWaitStrict })},
	{"SERIOUS_LISTING_PERIOD", "3y", "how long a serious-list entry lasts before automatic removal", period(func(s *credit.Settings) *credit.Period { return &s.SeriousListingPeriod })},
	{"SERIOUS_REPAIR_WAIT", "1y", "early removal from the serious list by credit repair is possible after this", period(func(s *credit.Settings) *credit.Period { return &s.SeriousRepairWait })},
	{"ABNORMAL_TO_SERIOUS_AFTER", "3y", "an abnormal listing this old and not removed is due for the serious list", period(func(s *credit.Settings) *credit.Period { return &s.AbnormalToSeriousAfter })},
	{"ABNORMAL_TO_SERIOUS_REMINDER", "60d", "regulators are reminded this long before that date", period(func(s *credit.Settings) *credit.Period { return &s.AbnormalToSeriousReminder })},
	{"MAX_PUBLICATION_LEAD", "30d", "an imported publication date may lie this far after today (later: DATE_IN_FUTURE)", func(c *Config, v string) error {
		p, err := ParsePeriod(v)
		c.PublicationLead = p
		return err
	}},
	{"MAX_BODY_BYTES", "1048576", "largest request body accepted", int64Set(func(c *Config) *int64 { return &c.MaxBodyBytes })},
	{"MAX_QUERY_COST", "1000", "most points a single query may cost (MAX_COST_EXCEEDED)", intSet(func(c *Config) *int { return &c.MaxQueryCost })},
	{"MAX_QUERY_NODES", "50000", "most nodes a single query may ask for (MAX_NODES_EXCEEDED)", intSet(func(c *Config) *int { return &c.MaxQueryNodes })},
	{"MAX_QUERY_DEPTH", "12", "deepest field nesting a query may have (MAX_DEPTH_EXCEEDED)", intSet(func(c *Config) *int { return &c.MaxQueryDepth })},
	{"MAX_QUERY_ALIASES", "30", "most aliases a query may use (MAX_ALIASES_EXCEEDED)", intSet(func(c *Config) *int { return &c.MaxQueryAliases })},
	{"PARSER_TOKEN_LIMIT", "5000", "most tokens a GraphQL document may have", intSet(func(c *Config) *int { return &c.ParserTokenLimit })},
	{"QUERY_CACHE_SIZE", "1000", "parsed GraphQL documents kept in memory", intSet(func(c *Config) *int { return &c.QueryCacheSize })},
	{"REQUEST_TIMEOUT", "10s", "longest a request may run", duration(func(c *Config) *time.Duration { return &c.RequestTimeout })},
	{"KEY_CACHE_TTL", "10s", "how long a replica trusts a looked-up API key; a revocation reaches every replica within this", duration(func(c *Config) *time.Duration { return &c.KeyCacheTTL })},
	{"KEY_GRACE", "10m", "while the key store is unreachable, a key seen valid this recently stays valid (cached answers keep serving keyed callers); 0 → none", durationOrZero(func(c *Config) *time.Duration { return &c.KeyGrace })},
	{"KEY_UNKNOWN_TTL", "10s", "how long a replica remembers that a presented key is unknown or revoked, asking the store nothing; 0 → never", durationOrZero(func(c *Config) *time.Duration { return &c.KeyUnknownTTL })},
	{"AUTH_FAILURES_PER_MINUTE", "60", "failed authentications allowed per client address and minute, shared in Redis; past it 429 THROTTLED before any key lookup (0 = no limit)", intSet(func(c *Config) *int { return &c.AuthFailures })},
	{"CORS_ALLOWED_ORIGINS", "*", "comma-separated origins whose web pages may call the API (https://app.example.com, https://*.example.com); * → any. Never with credentials", corsOrigins},
	{"CORS_MAX_AGE", "2h", "how long a browser may reuse a CORS preflight answer", duration(func(c *Config) *time.Duration { return &c.CORSMaxAge })},
	{"SHUTDOWN_TIMEOUT", "15s", "how long in-flight requests get on shutdown", duration(func(c *Config) *time.Duration { return &c.ShutdownTimeout })},
	{"IMPORT_BATCH_SIZE", "5000", "records written to the store per batch during import", intSet(func(c *Config) *int { return &c.ImportBatchSize })},
	{"IMPORT_MAX_ERRORS", "1000", "rejected lines listed in an import summary (the counts stay exact)", intSet(func(c *Config) *int { return &c.ImportMaxErrors })},
	{"IMPORT_MAX_LINE_BYTES", "1048576", "longest NDJSON line accepted", intSet(func(c *Config) *int { return &c.MaxLineBytes })},
	{"INGEST_MAX_BODY_BYTES", "67108864", "largest NDJSON body POST /v1/ingest accepts", int64Set(func(c *Config) *int64 { return &c.IngestMaxBytes })},
	{"INGEST_TIMEOUT", "5m", "longest a POST /v1/ingest request may run", duration(func(c *Config) *time.Duration { return &c.IngestTimeout })},
	{"EXPORT_TIMEOUT", "30m", "longest a GET /v1/export/… download may run", duration(func(c *Config) *time.Duration { return &c.ExportTimeout })},
	{"SCREENING_NAME_THRESHOLD", "0.75", "screenCounterparties: least name-match score (0–1) a hit needs to count", unitFloat(func(c *Config) *float64 { return &c.Screening.NameThreshold })},
	{"SCREENING_NAME_MARGIN", "0.1", "screenCounterparties: how far the best name hit must lead the next to be MATCHED, not AMBIGUOUS", unitFloat(func(c *Config) *float64 { return &c.Screening.NameMargin })},
	{"SCREENING_MAX_CANDIDATES", "5", "screenCounterparties: most candidates an AMBIGUOUS result lists", intSet(func(c *Config) *int { return &c.Screening.Candidates })},
	{"SCREENING_INSPECTION_WINDOW", "3y", "screenCounterparties: how far back a non-compliant inspection raises NON_COMPLIANT_INSPECTION", func(c *Config, v string) error {
		p, err := ParsePeriod(v)
		c.Screening.InspectionWindow = p
		return err
	}},
	{"RATE_LIMIT_PUBLIC", "1000/1h", "budget of each anonymous client address and PUBLIC key: points per period", budget(credit.TierPublic)},
	{"RATE_LIMIT_PARTNER", "20000/1h", "budget of each PARTNER key", budget(credit.TierPartner)},
	{"RATE_LIMIT_REGULATOR", "50000/1h", "budget of each REGULATOR key", budget(credit.TierRegulator)},
	{"RATE_LIMIT_KEYS", "", "per-key budgets overriding the tier's, e.g. acme-bank=100000/1h,media-app=5000/1h", keyBudgets},
	{"MAX_CONCURRENT_PER_KEY", "10", "secondary limit: requests in flight per key or client address on one replica (0 = none)", intSet(func(c *Config) *int { return &c.MaxConcurrent })},
	{"TRUSTED_PROXIES", "", "comma-separated CIDRs whose X-Forwarded-For is believed for the client address", trustedProxies},
	{"RATE_LIMIT_LEASE", "64", "points of a shared budget a replica leases at once and spends without asking Redis, for a key it spends slowly (never over 1/32 of the budget; idle leases go back after 0.5 s); 0 → every decision asks Redis", intSet(func(c *Config) *int { return &c.RateLease })},
	{"RATE_LIMIT_LEASE_WINDOW", "250ms", "a busy key's lease grows to about this long of what the replica spends of it (at least RATE_LIMIT_LEASE points, never over 1/32 of the budget; a surplus goes back when it slows down); 0 → always RATE_LIMIT_LEASE points", durationOrZero(func(c *Config) *time.Duration { return &c.RateLeaseWin })},
	{"RATE_LIMIT_REPLICAS", "1", "replicas sharing the budgets: while Redis is unreachable each grants 1/N of every budget", intSet(func(c *Config) *int { return &c.RateReplicas })},
	{"REDIS_TIMEOUT", "50ms", "longest a Redis call may take before the request is decided locally", duration(func(c *Config) *time.Duration { return &c.RedisTimeout })},
	{"REDIS_KEY_PREFIX", "creditgraph:", "prefix of every Redis key this deployment writes", str(func(c *Config) *string { return &c.RedisKeyPrefix })},
	{"CACHE_TTL", "60s", "longest a cached answer lives (never past its disclosure day); 0 turns the response cache off", durationOrZero(func(c *Config) *time.Duration { return &c.CacheTTL })},
	{"CACHE_TIMEOUT", "30ms", "longest the response cache waits on Redis before computing the answer instead", duration(func(c *Config) *time.Duration { return &c.CacheTimeout })},
	{"CACHE_LOCAL_MAX_BYTES", "67108864", "bytes of answers kept in process while Redis is absent or failing", int64Set(func(c *Config) *int64 { return &c.CacheLocalMaxBytes })},
	{"CACHE_HOT_MAX_BYTES", "33554432", "bytes of Redis answers each replica keeps in process and serves without a Redis round trip, kept exact by invalidations announced on Redis (needs REDIS_URL); 0 turns the hot layer off", func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errors.New("want a whole number ≥ 0")
		}
		c.CacheHotMaxBytes = n
		return nil
	}},
	{"CACHE_HOT_LEASE", "1s", "how long a replica serves from its hot layer after its last heartbeat came back through its invalidation subscription; also the longest a write waits for a replica that stopped hearing invalidations", duration(func(c *Config) *time.Duration { return &c.CacheHotLease })},
	{"CACHE_HTTP_MAX_AGE", "0s", "max-age of PUBLIC GET answers for HTTP caches and CDNs; 0 → revalidate each time (ETag, 304)", durationOrZero(func(c *Config) *time.Duration { return &c.CacheHTTPMaxAge })},
	{"CACHE_BULK_INVALIDATION", "1000", "a write touching more enterprises than this invalidates every cached answer at once", intSet(func(c *Config) *int { return &c.CacheBulkTags })},
	{"ENTITY_CACHE_MAX_BATCH", "0", "per-enterprise record reads of at most this many enterprises are shared through the entity cache (try 10 when the store is slower than Redis); 0 turns it off", intSet(func(c *Config) *int { return &c.EntityMaxBatch })},
	{"APQ_TTL", "720h", "how long an automatic persisted query is kept in Redis after its last use", duration(func(c *Config) *time.Duration { return &c.APQTTL })},
	{"DB_MAX_CONNS", "0", "PostgreSQL pool size per process; 0 → pgx default (max(4, CPUs))", intSet(func(c *Config) *int { return &c.DBMaxConns })},
	{"CHANGES_RETENTION", "90d", "how long the change feed keeps changes; a cursor whose following changes are older gets CURSOR_EXPIRED (export again)", func(c *Config, v string) error {
		p, err := ParsePeriod(v)
		c.ChangesRetention = p
		return err
	}},
	{"WATCHLIST_MAX", "10000", "most enterprises one API key may watch", intSet(func(c *Config) *int { return &c.WatchlistMax })},
	{"STREAMS_PER_KEY", "5", "change subscriptions (server-sent event streams) one API key may hold open on one replica", intSet(func(c *Config) *int { return &c.StreamsPerKey })},
	{"STREAM_HEARTBEAT", "15s", "a change subscription sends a comment line this often when nothing else happens", duration(func(c *Config) *time.Duration { return &c.StreamHeartbeat })},
	{"FEED_POLL_INTERVAL", "1s", "a change subscription reads the feed this often without a Redis wake-up (Redis absent or down); with Redis it also reads it this often, as a safety net", duration(func(c *Config) *time.Duration { return &c.FeedPollInterval })},
}

// FromEnv builds a Config from getenv (os.Getenv in main), reporting every
// invalid setting at once.
func FromEnv(getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	for _, s := range Settings {
		v := getenv(s.Name)
		if v == "" {
			v = s.Default
		}
		if err := s.set(&c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %w", s.Name, v, err))
		}
	}
	c.MetricsAddrSet = getenv("METRICS_ADDR") != ""
	if c.DatabaseReadURL != "" && c.DatabaseURL == "" {
		errs = append(errs, errors.New("DATABASE_READ_URL is set but DATABASE_URL is not"))
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

func str(f func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *f(c) = v; return nil }
}

func logLevel(c *Config, v string) error {
	return c.LogLevel.UnmarshalText([]byte(v))
}

func clockDate(c *Config, v string) error {
	if v == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(v))
	if err != nil {
		return errors.New("want a date YYYY-MM-DD")
	}
	c.ClockDate = &d
	return nil
}

// Clock is the process's one clock: the real time, or with CLOCK_DATE that
// date at the real time of day (UTC), so "today" is fixed while timestamps
// still move on.
func (c Config) Clock() credit.Clock {
	if c.ClockDate == nil {
		return time.Now
	}
	day := *c.ClockDate
	return func() time.Time {
		now := time.Now().UTC()
		return day.Add(now.Sub(credit.DateOf(now)))
	}
}

func metricsAddr(c *Config, v string) error {
	if v == "off" {
		c.MetricsAddr = ""
		return nil
	}
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New("want host:port, such as 127.0.0.1:9090, or off")
	}
	c.MetricsAddr = v
	return nil
}

func corsOrigins(c *Config, v string) error {
	c.CORSOrigins = nil
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimSpace(o)
		switch {
		case o == "":
			continue
		case o == "*":
		case !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://"), strings.Count(o, "/") > 2:
			return fmt.Errorf("%q: want an origin such as https://app.example.com (scheme and host, no path), or *", o)
		}
		c.CORSOrigins = append(c.CORSOrigins, o)
	}
	if len(c.CORSOrigins) == 0 {
		return errors.New("want * or at least one origin")
	}
	return nil
}

func logFormat(c *Config, v string) error {
	if v != "text" && v != "json" {
		return errors.New("want text or json")
	}
	c.LogFormat = v
	return nil
}

func intSet(f func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("want a whole number ≥ 0")
		}
		*f(c) = n
		return nil
	}
}

// unitFloat reads a number in [0, 1].
func unitFloat(f func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || x < 0 || x > 1 {
			return errors.New("want a number from 0 to 1, such as 0.75")
		}
		*f(c) = x
		return nil
	}
}

func int64Set(f func(*Config) *int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return errors.New("want a whole number > 0")
		}
		*f(c) = n
		return nil
	}
}

func duration(f func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("want a positive duration such as 10s or 500ms")
		}
		*f(c) = d
		return nil
	}
}

// durationOrZero is duration, but 0 is allowed (it means "off" or "none").
func durationOrZero(f func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return errors.New("want a duration ≥ 0 such as 0, 10s or 500ms")
		}
		*f(c) = d
		return nil
	}
}

func money(f func(*credit.Settings) *decimal.Decimal) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := decimal.NewFromString(v)
		if err != nil || d.IsNegative() {
			return errors.New("want an amount in yuan ≥ 0, such as 10000")
		}
		*f(&c.Disclosure) = d
		return nil
	}
}

var periodRE = regexp.MustCompile(`^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)d)?$`)

// ParsePeriod parses a period such as "3y", "6m", "60d" or "1y6m".
func ParsePeriod(v string) (credit.Period, error) {
	m := periodRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil || v == "" {
		return credit.Period{}, errors.New("want a period such as 3y, 6m, 60d or 1y6m")
	}
	n := func(s string) int { i, _ := strconv.Atoi(s); return i }
	p := credit.Period{Years: n(m[1]), Months: n(m[2]), Days: n(m[3])}
	if p == (credit.Period{}) {
		return p, errors.New("period must be longer than zero")
	}
	return p, nil
}

func period(f func(*credit.Settings) *credit.Period) func(*Config, string) error {
	return func(c *Config, v string) error {
		p, err := ParsePeriod(v)
		if err != nil {
			return err
		}
		*f(&c.Disclosure) = p
		return nil
	}
}

// ParseBudget parses "POINTS/PERIOD", e.g. "1000/1h".
func ParseBudget(v string) (ratelimit.Budget, error) {
	pts, per, ok := strings.Cut(strings.TrimSpace(v), "/")
	n, err := strconv.Atoi(pts)
	d, derr := time.ParseDuration(per)
	if !ok || err != nil || derr != nil || n <= 0 || d < time.Second {
		return ratelimit.Budget{}, errors.New("want POINTS/PERIOD such as 1000/1h")
	}
	return ratelimit.Budget{Points: n, Per: d}, nil
}

func budget(t credit.Tier) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := ParseBudget(v)
		if err != nil {
			return err
		}
		if c.RateBudgets == nil {
			c.RateBudgets = map[credit.Tier]ratelimit.Budget{}
		}
		c.RateBudgets[t] = b
		return nil
	}
}

func keyBudgets(c *Config, v string) error {
	c.KeyBudgets = map[string]ratelimit.Budget{}
	for _, item := range strings.Split(v, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		name, spec, ok := strings.Cut(item, "=")
		b, err := ParseBudget(spec)
		if !ok || err != nil {
			return fmt.Errorf("%q: want NAME=POINTS/PERIOD", item)
		}
		c.KeyBudgets[strings.TrimSpace(name)] = b
	}
	return nil
}

func trustedProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			a, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return fmt.Errorf("%q is not a CIDR or an address", item)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}
