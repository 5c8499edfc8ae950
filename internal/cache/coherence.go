package cache

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// The hot layer's coherence protocol. Every replica with a hot layer
// subscribes to one channel, <prefix>hot, and keeps a lease:
//
//   - Heartbeat. Every Lease/4 the replica runs pingScript: in one atomic
//     step Redis records the replica in the registry <prefix>hot:replicas
//     with score now+Lease (Redis's clock, ms) and PUBLISHes "p<id> <seq>"
//     on the channel. When the replica's subscriber reads its own ping back,
//     every message Redis published before the ping has already been read
//     and applied (one connection delivers in order), so the replica extends
//     its lease to sentAt+Lease, sentAt being its own clock when it sent the
//     ping, which is no later than Redis's when it ran it.
//   - Serving. A replica answers from its hot layer only while its lease
//     holds. A lost or killed subscription stops its pings from coming back,
//     so its lease ends within Lease; a new subscription clears the layer
//     (anything may have been missed meanwhile).
//   - Invalidation. A writer bumps the tag versions in Redis first (as
//     without a hot layer), then runs announceScript: in one atomic step
//     Redis PUBLISHes "i<nonce>\n<tags…>" and returns its clock and every
//     registered replica whose lease may still hold (score > now). A
//     subscriber drops the entries depending on those tags, then RPUSHes its
//     id to <prefix>hot:ack:<nonce>. The writer waits until every listed
//     replica has acknowledged or its lease has run out by Redis's clock.
//
// So when Invalidate returns, every replica that could still answer from
// its hot layer has dropped the entries: a replica whose last ping Redis ran
// before the announcement holds a lease ending no later than that ping's
// score, which the writer waited out; one whose ping came after it read the
// announcement first. A fill that read Redis before the bump and lands after
// the drop is refused (hotStore.gen). All three scripts name one key each,
// and both PUBLISHes come from the node that holds the registry, so Redis
// Cluster keeps the order too.

// Hot-layer defaults (Options.HotLease).
const DefaultHotLease = time.Second

// pingScript registers a replica's lease and publishes its heartbeat.
// KEYS[1] registry; ARGV: channel, replica id, lease ms, message.
var pingScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + 1 + tonumber(ARGV[3]), ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], 86400000)
redis.call('PUBLISH', ARGV[1], ARGV[4])
return now
`)

// announceScript publishes an invalidation and returns Redis's clock (ms)
// and the replicas whose leases may still hold, with their scores.
// KEYS[1] registry; ARGV: channel, message.
var announceScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
redis.call('PUBLISH', ARGV[1], ARGV[2])
table.insert(live, 1, tostring(now))
return live
`)

// coherence is a Cache's side of the protocol.
type coherence struct {
	hot      *hotStore // nil: this process keeps no hot layer (it still announces)
	client   redis.UniversalClient
	id       string
	channel  string
	registry string
	ackPre   string
	lease    time.Duration

	mu    sync.Mutex
	seq   uint64
	pings map[uint64]time.Duration // heartbeat seq → when it was sent (hot clock)
}

func newCoherence(client redis.UniversalClient, prefix string, hot *hotStore, lease time.Duration) *coherence {
	return &coherence{
		hot: hot, client: client, id: randomID(), lease: lease,
		channel: prefix + "hot", registry: prefix + "hot:replicas", ackPre: prefix + "hot:ack:",
		pings: make(map[uint64]time.Duration),
	}
}

func randomID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// run subscribes and keeps the lease until ctx ends.
func (co *coherence) run(ctx context.Context) {
	ps := co.client.Subscribe(ctx, co.channel)
	stop := context.AfterFunc(ctx, func() { _ = ps.Close() })
	defer stop()
	defer ps.Close()
	defer co.hot.revoke()
	go co.heartbeat(ctx)
	for {
		msg, err := ps.Receive(ctx)
		if err != nil {
			co.hot.revoke() // a lost connection may have lost messages
			if ctx.Err() != nil {
				return
			}
			// go-redis reconnects and subscribes again on the next Receive.
			t := time.NewTimer(co.lease / 8)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			continue
		}
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "subscribe" {
				// A new subscription: what was published before it was
				// not heard. Start empty.
				co.hot.revoke()
				co.hot.clear()
			}
		case *redis.Message:
			co.receive(ctx, m.Payload)
		}
	}
}

// receive applies one message from the channel.
func (co *coherence) receive(ctx context.Context, payload string) {
	switch {
	case strings.HasPrefix(payload, "p"+co.id+" "):
		seq, err := strconv.ParseUint(payload[len(co.id)+2:], 10, 64)
		if err != nil {
			return
		}
		co.mu.Lock()
		sent, ok := co.pings[seq]
		for s := range co.pings {
			if s <= seq {
				delete(co.pings, s)
			}
		}
		co.mu.Unlock()
		if ok {
			co.hot.extend(sent, co.lease)
		}
	case strings.HasPrefix(payload, "i"):
		nonce, rest, _ := strings.Cut(payload[1:], "\n")
		co.hot.drop(strings.Split(rest, "\n"))
		go co.ack(context.WithoutCancel(ctx), nonce)
	}
}

// ack tells the writer of invalidation nonce that this replica applied it.
func (co *coherence) ack(ctx context.Context, nonce string) {
	ctx, cancel := context.WithTimeout(ctx, co.lease)
	defer cancel()
	key := co.ackPre + nonce
	pipe := co.client.Pipeline()
	pipe.RPush(ctx, key, co.id)
	pipe.PExpire(ctx, key, 10*co.lease)
	_, _ = pipe.Exec(ctx) // a lost ack costs the writer a wait of at most our lease
}

// heartbeat pings every lease/4 until ctx ends.
func (co *coherence) heartbeat(ctx context.Context) {
	every := max(co.lease/4, time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	leaseMS := strconv.FormatInt(co.lease.Milliseconds(), 10)
	for {
		co.mu.Lock()
		co.seq++
		seq := co.seq
		sent := co.hot.since()
		co.pings[seq] = sent
		for s, at := range co.pings { // never echoed: lost with a connection
			if sent-at > co.lease {
				delete(co.pings, s)
			}
		}
		co.mu.Unlock()
		pctx, cancel := context.WithTimeout(ctx, every)
		msg := "p" + co.id + " " + strconv.FormatUint(seq, 10)
		_ = runScript(pctx, co.client, pingScript, []string{co.registry}, co.channel, co.id, leaseMS, msg).Err()
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// announce publishes an invalidation of tags and returns what await needs.
func (co *coherence) announce(ctx context.Context, tags []string) (*announcement, error) {
	nonce := randomID()
	msg := "i" + nonce + "\n" + strings.Join(tags, "\n")
	v, err := runScript(ctx, co.client, announceScript, []string{co.registry}, co.channel, msg).Slice()
	if err != nil {
		return nil, err
	}
	if len(v) == 0 || len(v)%2 != 1 {
		return nil, errors.New("cache: unexpected reply from the hot-layer announcement")
	}
	now, err := strconv.ParseInt(toString(v[0]), 10, 64)
	if err != nil {
		return nil, err
	}
	a := &announcement{key: co.ackPre + nonce, at: time.Now(), waiting: make(map[string]time.Duration)}
	for i := 1; i+1 < len(v); i += 2 {
		score, err := strconv.ParseFloat(toString(v[i+1]), 64)
		if err != nil {
			return nil, err
		}
		// The replica's lease ends by score on Redis's clock; a millisecond
		// more covers the rounding of now.
		a.waiting[toString(v[i])] = time.Duration(int64(score)-now+1) * time.Millisecond
	}
	return a, nil
}

func toString(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case int64:
		return strconv.FormatInt(s, 10)
	}
	return ""
}

// announcement is an invalidation published and not yet acknowledged by
// every replica that may serve from its hot layer.
type announcement struct {
	key     string
	at      time.Time                // when the announcement's reply came: after Redis ran it
	waiting map[string]time.Duration // replica → its lease's end, from at
}

// await returns once every replica in a has acknowledged or its lease has
// run out. It never fails: without acknowledgements it waits the leases out.
func (co *coherence) await(ctx context.Context, a *announcement) {
	if a == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for len(a.waiting) > 0 {
		var longest time.Duration
		for id, end := range a.waiting {
			if time.Since(a.at) >= end {
				delete(a.waiting, id) // its lease is over: it serves nothing stale
				continue
			}
			longest = max(longest, end)
		}
		if len(a.waiting) == 0 {
			return
		}
		left := longest - time.Since(a.at)
		step := min(left, 250*time.Millisecond)
		bctx, cancel := context.WithTimeout(ctx, step+250*time.Millisecond)
		r, err := co.client.Do(bctx, "blpop", a.key, strconv.FormatFloat(max(step.Seconds(), 0.001), 'f', 3, 64)).Slice()
		cancel()
		switch {
		case err == nil && len(r) == 2:
			delete(a.waiting, toString(r[1]))
		case err != nil && !errors.Is(err, redis.Nil):
			// Redis will not tell us: wait the leases out.
			time.Sleep(longest - time.Since(a.at))
			return
		}
	}
}

// runScript runs s by its hash, loading it once if Redis does not know it.
func runScript(ctx context.Context, c redis.UniversalClient, s *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmd := s.EvalSha(ctx, c, keys, args...)
	if err := cmd.Err(); err != nil && redis.HasErrorPrefix(err, "NOSCRIPT") {
		return s.Eval(ctx, c, keys, args...)
	}
	return cmd
}
