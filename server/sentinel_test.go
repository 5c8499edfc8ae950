package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Two replicas reach Redis through a Sentinel (REDIS_URL with master_name):
// they find the master and share one budget, as with a single server.
func TestRedisThroughSentinel(t *testing.T) {
	master := newOwnRedis(t)
	master.start()
	sentinel := startSentinel(t, master.port)
	url := "redis://127.0.0.1:" + sentinel + "?master_name=cgmaster"
	env := []string{"REDIS_URL=" + url, "RATE_LIMIT_PUBLIC=4/1h", "RATE_LIMIT_REPLICAS=2"}
	a, b := startServer(t, env...), startServer(t, env...)
	var codes []int
	for i := range 6 {
		base := []string{a, b}[i%2]
		code, limit := hit(t, base)
		if limit != "4" {
			t.Fatalf("request %d: X-RateLimit-Limit %q, want the shared 4 (Redis reached through the Sentinel)", i, limit)
		}
		codes = append(codes, code)
	}
	if want := "[200 200 200 200 429 429]"; fmt.Sprint(codes) != want {
		t.Errorf("statuses across two replicas = %v, want %s (one budget of 4)", codes, want)
	}
}

// startSentinel runs a Redis Sentinel of the test's own watching the master
// on masterPort as "cgmaster", and returns its port once it knows the master.
func startSentinel(t *testing.T, masterPort string) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal(err) // newOwnRedis has already skipped or failed without it
	}
	dir := t.TempDir()
	port := strconv.Itoa(freePort(t))
	conf := filepath.Join(dir, "sentinel.conf")
	body := fmt.Sprintf("port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor cgmaster 127.0.0.1 %s 1\n", port, dir, masterPort)
	if err := os.WriteFile(conf, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, conf, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	c := redis.NewSentinelClient(&redis.Options{Addr: "127.0.0.1:" + port, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		addr, err := c.GetMasterAddrByName(ctx, "cgmaster").Result()
		cancel()
		if err == nil && len(addr) == 2 && addr[1] == masterPort {
			return port
		}
		if time.Now().After(deadline) {
			t.Fatalf("sentinel on %s does not know the master: %v %v", port, addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
