package cache

import (
	"context"
	"errors"
	"slices"
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
	g, err := r.getWith(ctx, id, hint, "", false)
	return g.value, g.ok, g.tags, err
}

// got is what getWith read.
type got struct {
	value []byte
	ok    bool          // value is valid
	tags  []string      // the entry's tags (the next hint); nil without an entry
	extra int64         // the version of getWith's extra tag; 0 if it does not exist
	ttl   time.Duration // the entry's remaining life, when asked for
}

// getWith is get that also reads the version of the tag extra ("": none)
// and, if wantTTL, the entry's remaining life, in the entry's pipeline.
func (r *redisStore) getWith(ctx context.Context, id string, hint []string, extra string, wantTTL bool) (got, error) {
	pipe := r.client.Pipeline()
	entryCmd := pipe.Get(ctx, r.entryKey(id))
	var ttlCmd *redis.DurationCmd
	if wantTTL {
		ttlCmd = pipe.PTTL(ctx, r.entryKey(id))
	}
	known := make(map[string]*redis.StringCmd, len(hint))
	for _, t := range hint {
		known[t] = pipe.Get(ctx, r.tagKey(t))
	}
	var extraCmd *redis.StringCmd
	if extra != "" {
		extraCmd = pipe.Get(ctx, r.tagKey(extra))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return got{}, err
	}
	var g got
	if extraCmd != nil {
		g.extra, _ = extraCmd.Int64() // redis.Nil: 0, a version no tag has
	}
	if ttlCmd != nil {
		g.ttl = ttlCmd.Val() // negative when the entry has no expiry or is gone: never kept
	}
	var err error
	g.value, g.ok, g.tags, err = r.check(ctx, entryCmd, known)
	return g, err
}

// check validates the entry entryCmd read against the tag versions in known,
// reading those known lacks.
func (r *redisStore) check(ctx context.Context, entryCmd *redis.StringCmd, known map[string]*redis.StringCmd) ([]byte, bool, []string, error) {
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

// versionsThen returns the versions of tags and then, read strictly after
// them, the version of last, creating any that is missing. On a single node
// one pipeline keeps that order (a pipeline's commands run in order); on
// Cluster the pipeline is split across nodes and run at once, so last takes
// a round trip of its own.
func (r *redisStore) versionsThen(ctx context.Context, tags []string, last string) ([]int64, int64, error) {
	if _, single := r.client.(*redis.Client); !single {
		out, err := r.versions(ctx, tags)
		if err != nil {
			return nil, 0, err
		}
		lv, err := r.versions(ctx, []string{last})
		if err != nil {
			return nil, 0, err
		}
		return out, lv[0], nil
	}
	ttl := strconv.FormatInt(r.tagTTL.Milliseconds(), 10)
	for attempt := 0; ; attempt++ {
		pipe := r.client.Pipeline()
		cmds := make([]*redis.Cmd, len(tags)+1)
		for i, t := range append(slices.Clip(tags), last) {
			cmds[i] = versionScript.EvalSha(ctx, pipe, []string{r.tagKey(t)}, ttl)
		}
		_, err := pipe.Exec(ctx)
		if err != nil && attempt == 0 && redis.HasErrorPrefix(err, "NOSCRIPT") {
			if err := versionScript.Load(ctx, r.client).Err(); err != nil {
				return nil, 0, err
			}
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		out := make([]int64, len(cmds))
		for i, c := range cmds {
			if out[i], err = c.Int64(); err != nil {
				return nil, 0, err
			}
		}
		return out[:len(tags)], out[len(tags)], nil
	}
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
