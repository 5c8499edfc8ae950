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
// still has the version stored with it: two round trips, GET of the entry
// then one pipeline of GETs of its tags (the tags are only known from the
// entry; a single Lua script could not declare them, which Cluster requires).
func (r *redisStore) get(ctx context.Context, id string) ([]byte, bool, error) {
	raw, err := r.client.Get(ctx, r.entryKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	deps, value, err := decodeEntry(raw)
	if err != nil {
		return nil, false, nil // a foreign or older format: a miss
	}
	if len(deps) == 0 {
		return value, true, nil
	}
	pipe := r.client.Pipeline()
	cmds := make([]*redis.StringCmd, len(deps))
	for i, d := range deps {
		cmds[i] = pipe.Get(ctx, r.tagKey(d.tag))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, false, err
	}
	for i, d := range deps {
		v, err := cmds[i].Int64()
		if err != nil || v != d.version { // redis.Nil: the tag was lost
			return nil, false, nil
		}
	}
	return value, true, nil
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
