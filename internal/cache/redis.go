package cache

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore keeps entries and tag versions in Redis:
//
//	<prefix>e:<key id>  entry (encodeEntry), PX = the entry's TTL
//	<prefix>t:<tag>     the tag's version, an integer, PX = tagTTL
//
// A tag version is born as Redis's clock in microseconds and only INCRs while
// it exists, so a version never repeats: if a tag key expires or is evicted,
// entries that depended on it miss (a missing tag never validates) and the
// reborn version is larger than any the old one reached. Every command names
// one key, so the layout works on Redis Cluster; pipelines are split by slot.
type redisStore struct {
	client redis.UniversalClient
	prefix string
	tagTTL time.Duration
}

// versionScript returns a tag's version, creating it if missing.
var versionScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then return v end
local t = redis.call('TIME')
v = t[1] .. string.format('%06d', tonumber(t[2]))
redis.call('SET', KEYS[1], v, 'PX', ARGV[1])
return v
`)

// bumpScript moves a tag to a version no entry has seen.
var bumpScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  local v = redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return v
end
local t = redis.call('TIME')
local v = t[1] .. string.format('%06d', tonumber(t[2]))
redis.call('SET', KEYS[1], v, 'PX', ARGV[1])
return v
`)

func (r *redisStore) entryKey(id string) string { return r.prefix + "e:" + id }
func (r *redisStore) tagKey(tag string) string  { return r.prefix + "t:" + tag }

// get returns the entry's value if it exists and every tag it depends on
// still has the version stored with it. The tags are only known from the
// entry (a single Lua script could not declare them, which Cluster
// requires), so a first lookup takes two round trips: GET of the entry, then
// one pipeline of GETs of its tags. hint, the tags the entry had when this
// replica last saw it, lets them go in the entry's pipeline: one round trip,
// and a second only for tags the hint missed. It returns the entry's tags,
// the next hint.
func (r *redisStore) get(ctx context.Context, id string, hint []string) ([]byte, bool, []string, error) {
	pipe := r.client.Pipeline()
	entryCmd := pipe.Get(ctx, r.entryKey(id))
	known := make(map[string]*redis.StringCmd, len(hint))
	for _, t := range hint {
		known[t] = pipe.Get(ctx, r.tagKey(t))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, false, nil, err
	}
	raw, err := entryCmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil, nil
	}
	if err != nil {
		return nil, false, nil, err
	}
	deps, value, err := decodeEntry(raw)
	if err != nil {
		return nil, false, nil, nil // a foreign or older format: a miss
	}
	tags := make([]string, len(deps))
	var missing []tagVersion
	for i, d := range deps {
		tags[i] = d.tag
		if _, ok := known[d.tag]; !ok {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		pipe := r.client.Pipeline()
		for _, d := range missing {
			known[d.tag] = pipe.Get(ctx, r.tagKey(d.tag))
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, false, nil, err
		}
	}
	for _, d := range deps {
		v, err := known[d.tag].Int64()
		if err != nil || v != d.version { // redis.Nil: the tag was lost
			return nil, false, tags, nil
		}
	}
	return value, true, tags, nil
}

func (r *redisStore) set(ctx context.Context, id string, entry []byte, ttl time.Duration) error {
	return r.client.Set(ctx, r.entryKey(id), entry, ttl).Err()
}

func (r *redisStore) versions(ctx context.Context, tags []string) ([]int64, error) {
	return r.runTags(ctx, versionScript, tags)
}

func (r *redisStore) bump(ctx context.Context, tags []string) error {
	_, err := r.runTags(ctx, bumpScript, tags)
	return err
}

// runTags runs s once per tag in one pipeline, loading the script on every
// node if Redis has not seen it yet.
func (r *redisStore) runTags(ctx context.Context, s *redis.Script, tags []string) ([]int64, error) {
	ttl := strconv.FormatInt(r.tagTTL.Milliseconds(), 10)
	for attempt := 0; ; attempt++ {
		pipe := r.client.Pipeline()
		cmds := make([]*redis.Cmd, len(tags))
		for i, t := range tags {
			cmds[i] = s.EvalSha(ctx, pipe, []string{r.tagKey(t)}, ttl)
		}
		_, err := pipe.Exec(ctx)
		if err != nil && attempt == 0 && redis.HasErrorPrefix(err, "NOSCRIPT") {
			if err := s.Load(ctx, r.client).Err(); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		out := make([]int64, len(tags))
		for i, c := range cmds {
			if out[i], err = c.Int64(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
}
