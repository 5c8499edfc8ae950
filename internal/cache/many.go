package cache

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/redisguard"
)

// Item is one entry for SetMany: what Set takes, for one key.
type Item struct {
	Key   Key
	Value []byte
	// Tags the value depends on, and their Versions as read (by Versions)
	// before the value was computed. Versions may hold more tags than Tags
	// (one map read for a whole batch); only those in Tags are used.
	Tags     []string
	Versions map[string]int64
	// TTL, if > 0, shortens the entry's life (see Set).
	TTL time.Duration
}

// GetMany is Get for many keys at once: values[i], found[i] is what
// Get(ctx, keys[i]) would return, by the same rules (an entry is valid only
// while every tag it depends on still has the version it was stored with).
// In Redis it costs at most two round trips whatever the number of keys: one
// pipeline of GETs of the entries, then one of GETs of every tag they depend
// on (on Cluster, go-redis sends each pipeline to every node concerned at
// once). Like Get, it first replays the invalidations Redis missed, if any.
// If Redis cannot be used, every key is looked up in the local fallback.
// Values are shared: callers must not modify them.
func (c *Cache) GetMany(ctx context.Context, keys []Key) (values [][]byte, found []bool) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = k.id()
	}
	type answer struct {
		v  [][]byte
		ok []bool
	}
	// f returns fresh slices: on a client that does not honour deadlines it
	// may still be running when Call has given up on it.
	a, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (answer, error) {
		if err := c.replayPending(ctx); err != nil {
			return answer{}, err
		}
		v, ok, err := c.redis.getMany(ctx, ids)
		return answer{v, ok}, err
	})
	src := SourceRedis
	if err != nil {
		src = SourceLocal
		a.v, a.ok = make([][]byte, len(ids)), make([]bool, len(ids))
		for i, id := range ids {
			a.v[i], a.ok[i] = c.local.get(id)
		}
	}
	for i := range ids {
		if a.ok[i] {
			c.opts.Metrics.Hit(src, len(a.v[i]))
		} else {
			c.opts.Metrics.Miss(src)
		}
	}
	return a.v, a.ok
}

// SetMany is Set for many entries at once, by the same rules: each entry's
// life is bounded as Set bounds it, an entry whose versions are missing or
// mixed is not stored, entries with Redis versions go to Redis (in one
// pipeline) and only there, entries with local versions go to the local
// fallback. Best effort, like Set.
func (c *Cache) SetMany(ctx context.Context, items []Item) {
	type prepared struct {
		id            string
		deps          []tagVersion
		value         []byte
		life          time.Duration
		redisVersions bool // Redis versions mean nothing to the local fallback
	}
	var toRedis, toLocal []prepared
	for _, it := range items {
		life, ok := c.ttl(it.Key, it.TTL)
		if !ok {
			continue
		}
		deps, redisVersions, ok := c.depsOf(it.Tags, it.Versions)
		if !ok {
			continue
		}
		p := prepared{id: it.Key.id(), deps: deps, value: it.Value, life: life, redisVersions: redisVersions}
		if redisVersions || len(deps) == 0 {
			toRedis = append(toRedis, p)
		} else {
			toLocal = append(toLocal, p)
		}
	}
	if len(toRedis) > 0 {
		ids := make([]string, len(toRedis))
		entries := make([][]byte, len(toRedis))
		lives := make([]time.Duration, len(toRedis))
		for i, p := range toRedis {
			ids[i], entries[i], lives[i] = p.id, encodeEntry(p.deps, p.value), p.life
		}
		_, err := redisguard.Call(ctx, c.guard, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, c.redis.setMany(ctx, ids, entries, lives)
		})
		if err == nil {
			for _, p := range toRedis {
				c.opts.Metrics.Set(SourceRedis, len(p.value))
			}
		} else {
			for _, p := range toRedis {
				if !p.redisVersions {
					toLocal = append(toLocal, p)
				}
			}
		}
	}
	for _, p := range toLocal {
		c.local.set(p.id, p.deps, p.value, p.life)
		c.opts.Metrics.Set(SourceLocal, len(p.value))
	}
}

// depsOf pairs tags with their versions, as set does: ok is false (and the
// entry must not be stored) when a tag has no version or the versions come
// from both Redis and the local fallback; redisVersions reports that they
// came from Redis.
func (c *Cache) depsOf(tags []string, versions map[string]int64) (deps []tagVersion, redisVersions, ok bool) {
	tags = uniq(tags)
	deps = make([]tagVersion, len(tags))
	var pos, neg int
	for i, t := range tags {
		v, ok := versions[t]
		if !ok || v == 0 {
			c.opts.Logger.Warn("cache: an entry without a version for a tag; not stored", "tag", t)
			return nil, false, false
		}
		if v > 0 {
			pos++
		} else {
			neg++
		}
		deps[i] = tagVersion{t, v}
	}
	if pos > 0 && neg > 0 {
		c.opts.Logger.Warn("cache: an entry with versions from both Redis and the local fallback; not stored")
		return nil, false, false
	}
	return deps, pos > 0, true
}

// getMany is get for many ids in two round trips: one pipeline of GETs of
// the entries, then one pipeline of GETs of every tag any of them depends on
// (each tag once). Every command names one key, so on Cluster go-redis
// splits each pipeline by node; MGET across keys would fail with CROSSSLOT.
func (r *redisStore) getMany(ctx context.Context, ids []string) ([][]byte, []bool, error) {
	values := make([][]byte, len(ids))
	found := make([]bool, len(ids))
	pipe := r.client.Pipeline()
	cmds := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.Get(ctx, r.entryKey(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, err
	}
	deps := make([][]tagVersion, len(ids))
	tagIndex := map[string]int{}
	var tags []string
	for i, cmd := range cmds {
		raw, err := cmd.Bytes()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil { // Exec reports only the first error; this may be another
			return nil, nil, err
		}
		d, value, err := decodeEntry(raw)
		if err != nil {
			continue // a foreign or older format: a miss
		}
		values[i], found[i], deps[i] = value, true, d
		for _, tv := range d {
			if _, ok := tagIndex[tv.tag]; !ok {
				tagIndex[tv.tag] = len(tags)
				tags = append(tags, tv.tag)
			}
		}
	}
	if len(tags) == 0 {
		return values, found, nil
	}
	pipe = r.client.Pipeline()
	tagCmds := make([]*redis.StringCmd, len(tags))
	for i, t := range tags {
		tagCmds[i] = pipe.Get(ctx, r.tagKey(t))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, err
	}
	current := make([]int64, len(tags))
	known := make([]bool, len(tags))
	for i, cmd := range tagCmds {
		v, err := cmd.Int64()
		switch {
		case err == nil:
			current[i], known[i] = v, true
		case errors.Is(err, redis.Nil): // the tag was lost: its entries miss
		default:
			if cmd.Err() != nil { // a failed command, not a malformed value
				return nil, nil, cmd.Err()
			}
		}
	}
	for i := range ids {
		for _, tv := range deps[i] {
			if j := tagIndex[tv.tag]; !known[j] || current[j] != tv.version {
				values[i], found[i] = nil, false
				break
			}
		}
	}
	return values, found, nil
}

// setMany stores entries in one pipeline of SETs, each with its own TTL.
func (r *redisStore) setMany(ctx context.Context, ids []string, entries [][]byte, lives []time.Duration) error {
	pipe := r.client.Pipeline()
	for i, id := range ids {
		pipe.Set(ctx, r.entryKey(id), entries[i], lives[i])
	}
	_, err := pipe.Exec(ctx)
	return err
}
