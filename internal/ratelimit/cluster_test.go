package ratelimit

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// startRedisCluster starts a 3-master Redis Cluster of the test's own, killed
// in t.Cleanup, and returns its addresses (a short copy of internal/cache's;
// see there why each node is given its bus port).
func startRedisCluster(t *testing.T) []string {
	t.Helper()
	server, err1 := exec.LookPath("redis-server")
	cli, err2 := exec.LookPath("redis-cli")
	if err1 != nil || err2 != nil {
		needServer(t, "redis-server and redis-cli are not both on PATH; install Redis 7 to run the Redis Cluster test")
	}
	dir := t.TempDir()
	ports := freePorts(t, 6) // three client ports, three bus ports
	var logs lockedBuffer
	var addrs []string
	for i := range 3 {
		port := strconv.Itoa(ports[i])
		cmd := exec.Command(server, "--port", port, "--cluster-port", strconv.Itoa(ports[3+i]),
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes-"+port+".conf"),
			"--save", "", "--appendonly", "no", "--bind", "127.0.0.1")
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		addrs = append(addrs, "127.0.0.1:"+port)
	}
	deadline := time.Now().Add(30 * time.Second)
	waitAll := func(what string, check func(context.Context, *redis.Client) error) {
		t.Helper()
		for _, addr := range addrs {
			c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
			defer c.Close()
			for {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				err := check(ctx, c)
				cancel()
				if err == nil {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("redis-server %s not %s: %v\n%s", addr, what, err, logs.String())
				}
				time.Sleep(10 * time.Millisecond) // the next poll
			}
		}
	}
	start := time.Now()
	waitAll("answering PING", func(ctx context.Context, c *redis.Client) error { return c.Ping(ctx).Err() })
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s\n%s", err, out, logs.String())
	}
	waitAll("reporting cluster_state:ok", func(ctx context.Context, c *redis.Client) error {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && !strings.Contains(info, "cluster_state:ok\r\n") {
			err = fmt.Errorf("cluster_state is not ok")
		}
		return err
	})
	t.Logf("3-master Redis Cluster %v up in %v", addrs, time.Since(start))
	return addrs
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(t *testing.T, n int) []int {
	ports := make([]int, n)
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close() // held until all n are chosen, so they differ
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ports
}

// TestSharedReplicasShareOneBudgetOnCluster is TestSharedReplicasShareOneBudget
// on Redis Cluster, with clients built as server.openRedis builds them from a
// comma-separated REDIS_URL, and one budget on each master.
func TestSharedReplicasShareOneBudgetOnCluster(t *testing.T) {
	t.Parallel()
	addrs := startRedisCluster(t)
	newClient := func() *redis.ClusterClient {
		u := redis.NewUniversalClient(&redis.UniversalOptions{
			Addrs: addrs, IsClusterMode: true, MaxRetries: -1, DialerRetries: 1, ContextTimeoutEnabled: true,
		})
		t.Cleanup(func() { _ = u.Close() })
		c, ok := u.(*redis.ClusterClient)
		if !ok {
			t.Fatalf("NewUniversalClient built a %T, want a cluster client", u)
		}
		return c
	}
	c1, c2 := newClient(), newClient()
	opts := Options{Prefix: "creditgraph:rl:", Replicas: 2, Timeout: time.Second}
	replicas := []*Shared{NewShared(c1, opts), NewShared(c2, opts)}
	budget := Budget{Points: 10, Per: time.Hour}
	ctx := context.Background()

	// One client key per master; redis_rate stores it at "rate:"+prefix+key.
	owner := map[string]string{} // client key → its master
	var keys []string
	seen := map[string]bool{}
	for i := 0; len(keys) < 3 && i < 1000; i++ {
		k := fmt.Sprint("client-", i)
		m, err := c1.MasterForKey(ctx, "rate:"+opts.Prefix+k)
		if err != nil {
			t.Fatal(err)
		}
		if addr := m.Options().Addr; !seen[addr] {
			seen[addr], owner[k] = true, addr
			keys = append(keys, k)
		}
	}
	if len(keys) != 3 {
		t.Fatalf("client keys on %d masters, want 3", len(keys))
	}

	for _, k := range keys {
		t.Run(k, func(t *testing.T) {
			allowed := 0
			for i := range 14 {
				res, err := replicas[i%2].Take(ctx, k, budget, 1)
				if err != nil || res.Source != SourceRedis || res.Limit != 10 {
					t.Fatalf("take %d: %+v, %v", i, res, err)
				}
				if res.Allowed {
					allowed++
				}
				if res.Allowed != (i < 10) || res.Remaining != max(9-i, 0) {
					t.Fatalf("take %d on replica %d: %+v", i, i%2, res)
				}
			}
			if allowed != 10 {
				t.Fatalf("allowed %d across replicas, budget 10", allowed)
			}
			if err := replicas[0].Refund(ctx, k, budget, 3); err != nil {
				t.Fatal(err)
			}
			if res, _ := replicas[1].Take(ctx, k, budget, 0); res.Remaining != 3 || res.Source != SourceRedis {
				t.Fatalf("a refund on one replica is seen on the other: %+v", res)
			}
			m, err := c2.MasterForKey(ctx, "rate:"+opts.Prefix+k)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := m.Exists(ctx, "rate:"+opts.Prefix+k).Result(); err != nil || n != 1 || m.Options().Addr != owner[k] {
				t.Fatalf("budget of %s not on its master %s: %d, %v (asked %s)", k, owner[k], n, err, m.Options().Addr)
			}
		})
	}
	for i, s := range replicas {
		if s.BreakerState() != BreakerClosed {
			t.Fatalf("replica %d: breaker %s", i, s.BreakerState())
		}
	}
}
