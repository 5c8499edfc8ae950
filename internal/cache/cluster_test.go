package cache

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// redisCluster is a 3-master Redis Cluster of the test binary's own: three
// redis-server processes on free loopback ports, joined by
// redis-cli --cluster create.
type redisCluster struct {
	dir     string
	addrs   []string
	nodes   []*exec.Cmd
	exited  []chan struct{} // closed when the node's process has exited
	startup time.Duration   // from the first process start to cluster_state:ok everywhere
}

// startRedisCluster starts a cluster whose files live in dir; the caller
// stops it. Each node gets its cluster bus port explicitly (--cluster-port):
// the default, port+10000, is past 65535 for a quarter of Linux's ephemeral
// ports, and may be taken.
func startRedisCluster(dir string) (_ *redisCluster, err error) {
	server, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, err
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(6) // three client ports, three bus ports
	if err != nil {
		return nil, err
	}
	rc := &redisCluster{dir: dir}
	defer func() {
		if err != nil {
			err = fmt.Errorf("%w\n%s", err, rc.logs())
			rc.stop()
		}
	}()
	start := time.Now()
	for i := range 3 {
		port := strconv.Itoa(ports[i])
		log, err := os.Create(filepath.Join(dir, "redis-"+port+".log"))
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(server, "--port", port, "--cluster-port", strconv.Itoa(ports[3+i]),
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes-"+port+".conf"),
			"--save", "", "--appendonly", "no", "--bind", "127.0.0.1")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, log, log
		err = cmd.Start()
		_ = log.Close() // the process has its own descriptor
		if err != nil {
			return nil, err
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		rc.nodes, rc.exited = append(rc.nodes, cmd), append(rc.exited, exited)
		rc.addrs = append(rc.addrs, "127.0.0.1:"+port)
	}
	deadline := time.Now().Add(30 * time.Second)
	if err := rc.waitAll(deadline, "answering PING", func(ctx context.Context, c *redis.Client) error {
		return c.Ping(ctx).Err()
	}); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	args := append(append([]string{"--cluster", "create"}, rc.addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("redis-cli --cluster create: %w\n%s", err, out)
	}
	// redis-cli returns once the nodes agree on the slots; a master only
	// reports its state ok a little later.
	if err := rc.waitAll(deadline, "reporting cluster_state:ok", func(ctx context.Context, c *redis.Client) error {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && !strings.Contains(info, "cluster_state:ok\r\n") {
			err = errors.New("cluster_state is not ok")
		}
		return err
	}); err != nil {
		return nil, err
	}
	rc.startup = time.Since(start)
	return rc, nil
}

// waitAll polls every node until check passes on all of them, a node's
// process exits, or the deadline passes.
func (rc *redisCluster) waitAll(deadline time.Time, what string, check func(context.Context, *redis.Client) error) error {
	for i, addr := range rc.addrs {
		c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := check(ctx, c)
			cancel()
			if err == nil {
				break
			}
			select {
			case <-rc.exited[i]:
				err = fmt.Errorf("redis-server %s exited before %s", addr, what)
			default:
				if time.Now().After(deadline) {
					err = fmt.Errorf("redis-server %s not %s: %w", addr, what, err)
				} else {
					err = nil
				}
			}
			if err != nil {
				_ = c.Close()
				return err
			}
			time.Sleep(10 * time.Millisecond) // the next poll
		}
		_ = c.Close()
	}
	return nil
}

// stop kills every node and removes the cluster's files.
func (rc *redisCluster) stop() {
	for i, cmd := range rc.nodes {
		_ = cmd.Process.Kill()
		<-rc.exited[i]
	}
	_ = os.RemoveAll(rc.dir)
}

func (rc *redisCluster) logs() string {
	var b strings.Builder
	for _, addr := range rc.addrs {
		port := addr[strings.LastIndexByte(addr, ':')+1:]
		log, _ := os.ReadFile(filepath.Join(rc.dir, "redis-"+port+".log"))
		fmt.Fprintf(&b, "--- redis-server %s:\n%s", addr, log)
	}
	return b.String()
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(n int) ([]int, error) {
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer l.Close() // held until all n are chosen, so they differ
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports, nil
}

// sharedCluster is started by the first test that needs it and stopped by
// TestMain: starting a cluster takes 2 to 4 s (redis-cli waits a second for
// the nodes to meet, a master turns ok a moment later), too long to start one
// per test, and only TestMain runs after the last test.
var sharedCluster struct {
	once sync.Once
	rc   *redisCluster
	err  error
}

func TestMain(m *testing.M) {
	testenv.Main(m, func() {
		if sharedCluster.rc != nil {
			sharedCluster.rc.stop()
		}
	})
}

// clusterAddrs returns the addresses of the shared cluster, starting it if
// needed; without redis-server or redis-cli the test skips (fails under
// CI=true).
func clusterAddrs(t testing.TB) []string {
	t.Helper()
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			needServer(t, "%s is not on PATH; install Redis 7 to run the Redis Cluster tests", bin)
		}
	}
	sharedCluster.once.Do(func() {
		dir, err := os.MkdirTemp("", "creditgraph-cache-cluster-")
		if err != nil {
			sharedCluster.err = err
			return
		}
		if sharedCluster.rc, sharedCluster.err = startRedisCluster(dir); sharedCluster.err != nil {
			_ = os.RemoveAll(dir)
			return
		}
		t.Logf("started a 3-master Redis Cluster %v in %v", sharedCluster.rc.addrs, sharedCluster.rc.startup)
	})
	if sharedCluster.err != nil {
		t.Fatalf("Redis Cluster: %v", sharedCluster.err)
	}
	return sharedCluster.rc.addrs
}

// newClusterClient returns a client of the shared cluster that has reached
// every master.
func newClusterClient(t testing.TB) *redis.ClusterClient {
	t.Helper()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: clusterAddrs(t), ContextTimeoutEnabled: true})
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error { return m.Ping(ctx).Err() }); err != nil {
		t.Fatalf("Redis Cluster does not answer: %v", err)
	}
	return c
}

// redisOnlyMetrics records every sign that a Cache did not use Redis: a
// failed Redis call (CROSSSLOT, an unfollowed MOVED, a NOSCRIPT not recovered
// from, a timeout), a breaker transition, an answer or entry of the local
// fallback. The cache hides such failures by design and its fallback behaves
// alike, so a test on Redis would otherwise pass on the fallback.
type redisOnlyMetrics struct {
	nopMetrics
	mu     sync.Mutex
	events []string
}

func (m *redisOnlyMetrics) add(event string) {
	m.mu.Lock()
	m.events = append(m.events, event)
	m.mu.Unlock()
}

func (m *redisOnlyMetrics) from(event, source string) {
	if source != SourceRedis {
		m.add(event + " from " + source)
	}
}

func (m *redisOnlyMetrics) Hit(source string, _ int)  { m.from("hit", source) }
func (m *redisOnlyMetrics) Miss(source string)        { m.from("miss", source) }
func (m *redisOnlyMetrics) Set(source string, _ int)  { m.from("set", source) }
func (m *redisOnlyMetrics) RedisError(reason string)  { m.add("redis error (" + reason + ")") }
func (m *redisOnlyMetrics) BreakerState(state string) { m.add("breaker " + state) }

// newRedisOnlyCache is newTestCache that fails the test, at its end, if the
// cache ever fell back from Redis.
func newRedisOnlyCache(t testing.TB, client redis.UniversalClient, prefix string, clk *fakeClock) *Cache {
	t.Helper()
	m := &redisOnlyMetrics{}
	c := New(client, Options{Prefix: prefix, Now: clk.Now, Timeout: time.Second, Metrics: m})
	t.Cleanup(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if len(m.events) > 0 {
			t.Errorf("the cache did not use Redis throughout: %s", strings.Join(m.events, "; "))
		}
	})
	return c
}

// TestClusterSpreadsEntriesAndTags places an entry and the tags it depends
// on in four different slots, on all three masters, by construction checked
// with CLUSTER KEYSLOT: a script or command naming two of them would fail
// with CROSSSLOT, a pipeline not split by node with MOVED. Two replicas, on
// clients of their own, must see each other's entries and invalidations.
func TestClusterSpreadsEntriesAndTags(t *testing.T) {
	ctx := context.Background()
	client := newClusterClient(t)
	// No node knows the scripts: the first Versions takes the NOSCRIPT path.
	if err := client.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	prefix := testPrefix(t)
	clk := newFakeClock()
	r1 := newRedisOnlyCache(t, client, prefix, clk)
	r2 := newRedisOnlyCache(t, newClusterClient(t), prefix, clk)
	k := key("PUBLIC", "{ enterprise { name } }")
	entryKey := r1.redis.entryKey(k.id())

	slot := func(key string) int64 {
		t.Helper()
		s, err := client.ClusterKeySlot(ctx, key).Result()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	master := func(key string) *redis.Client {
		t.Helper()
		m, err := client.MasterForKey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// One tag per master, none in the entry's slot.
	entrySlot, entryNode := slot(entryKey), master(entryKey).Options().Addr
	slots := map[int64]string{entrySlot: entryKey}
	nodes := map[string]string{} // master → tag
	var tags []string
	for i := 0; len(tags) < 3 && i < 1000; i++ {
		tag := fmt.Sprint("e:", i)
		s, node := slot(r1.redis.tagKey(tag)), master(r1.redis.tagKey(tag)).Options().Addr
		if _, taken := nodes[node]; taken || slots[s] != "" {
			continue
		}
		slots[s], nodes[node] = tag, tag
		tags = append(tags, tag)
	}
	if len(slots) != 4 || len(nodes) != 3 || nodes[entryNode] == "" {
		t.Fatalf("could not spread the keys: slots %v, masters %v", slots, nodes)
	}
	var elsewhere string // a tag on another master than the entry
	for node, tag := range nodes {
		if node != entryNode {
			elsewhere = tag
		}
	}

	put(t, r1, k, "v1", tags...)
	for _, name := range []string{entryKey, r1.redis.tagKey(tags[0]), r1.redis.tagKey(tags[1]), r1.redis.tagKey(tags[2])} {
		if n, err := master(name).Exists(ctx, name).Result(); err != nil || n != 1 { // asked of its master alone
			t.Fatalf("%s (slot %d) not on its master: %d, %v", name, slot(name), n, err)
		}
	}
	wantHit(t, r2, k, "v1")
	if err := r2.Invalidate(ctx, elsewhere); err != nil {
		t.Fatal(err)
	}
	wantMiss(t, r1, k)
	put(t, r2, k, "v2", tags...)
	wantHit(t, r1, k, "v2")
	if err := r1.Invalidate(ctx, tags...); err != nil { // one pipeline over three masters
		t.Fatal(err)
	}
	wantMiss(t, r2, k)

	v, err := r1.Do(ctx, k, tags, func(context.Context) ([]byte, error) { return []byte("v3"), nil })
	if err != nil || string(v) != "v3" {
		t.Fatalf("Do = %q, %v", v, err)
	}
	wantHit(t, r2, k, "v3")
	if r1.BreakerState() != BreakerClosed || r2.BreakerState() != BreakerClosed {
		t.Fatalf("breakers %s, %s; want closed", r1.BreakerState(), r2.BreakerState())
	}
}
