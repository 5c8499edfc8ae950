package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// The change subscription across processes: a stream open on one server
// receives a change ingested through another server, and one written by
// the import command, woken through Redis; a server without Redis gets it
// by polling.

// streamGuard bounds a stream that never delivers: a failure, not a timing
// assertion (the wake-up comes in milliseconds, the poll here in an hour).
const streamGuard = 60 * time.Second

// subscribe opens Subscription.changes on base after cursor, with key, and
// returns the recordIds of its `next` events as they come.
func subscribe(t *testing.T, base, key, after string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), streamGuard)
	t.Cleanup(cancel)
	body, _ := json.Marshal(map[string]any{
		"query":     `subscription($after: String) { changes(after: $after) { cursor recordType recordId kind record { ... on Penalty { decisionNumber } } } }`,
		"variables": map[string]any{"after": after},
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("subscribe on %s: %d %s", base, res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan string, 16)
	go func() {
		defer close(out)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var ev struct {
				Data struct {
					Changes struct{ RecordID string }
				}
				Errors []json.RawMessage
			}
			if err := json.Unmarshal([]byte(data), &ev); err != nil || len(ev.Errors) > 0 {
				out <- "ERROR " + data
				continue
			}
			out <- ev.Data.Changes.RecordID
		}
	}()
	return out
}

// feedEnd pages through base's feed as key and returns its end cursor.
func feedEnd(t *testing.T, base, key string) string {
	t.Helper()
	after := ""
	for {
		body, _ := json.Marshal(map[string]any{"query": `query($a: String) { changes(first: 100, after: $a) { pageInfo { hasNextPage endCursor } } }`,
			"variables": map[string]any{"a": after}})
		req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Data struct {
				Changes struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			Errors []json.RawMessage
		}
		err = json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if err != nil || len(out.Errors) > 0 {
			t.Fatalf("changes on %s: %v %s", base, err, out.Errors)
		}
		after = out.Data.Changes.PageInfo.EndCursor
		if !out.Data.Changes.PageInfo.HasNextPage {
			return after
		}
	}
}

// await reads ids from a stream until want arrives.
func await(t *testing.T, what string, ids <-chan string, want string) {
	t.Helper()
	var seen []string
	for id := range ids {
		if id == want {
			return
		}
		seen = append(seen, id)
	}
	t.Fatalf("%s: the stream ended without %s (saw %v)", what, want, seen)
}

// TestSubscriptionReceivesAnotherProcessesWrite is issue 10's test of the
// push: servers A and B and the import command share PostgreSQL and Redis;
// A's streams poll once an hour, so only a wake-up through Redis can bring
// them a change written by B's ingest or by the import process. C has no
// Redis: its stream gets the same changes by polling.
func TestSubscriptionReceivesAnotherProcessesWrite(t *testing.T) {
	redisURL := needRedis(t)
	dbURL := postgres.NewTestDatabase(t)
	keysFile, secret := writeKey(t)
	out, err := keysCLI(t, "create", "--tier", "PARTNER", "--name", "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	partner := lastLine(out)
	prefix := fmt.Sprintf("creditgraph-test-%d:", time.Now().UnixNano())
	shared := []string{"DATABASE_URL=" + dbURL, "REDIS_URL=" + redisURL, "REDIS_KEY_PREFIX=" + prefix, "CACHE_TIMEOUT=" + testCacheTimeout}

	const uscc = "91350100MA2XYK001G"
	importProcess(t, `{"kind":"enterprise","uscc":"`+uscc+`","name":"福州闽香食品有限公司","status":"operating","region_code":"350102","key_areas":["food_production"]}`+"\n", shared...)
	env := append(shared, "KEYS_FILE="+keysFile)
	a := startServer(t, append(env, "FEED_POLL_INTERVAL=1h")...)
	b := startServer(t, env...)
	c := startServer(t, "DATABASE_URL="+dbURL, "KEYS_FILE="+keysFile, "FEED_POLL_INTERVAL=200ms")

	end := feedEnd(t, a, partner)
	onA := subscribe(t, a, partner, end)
	onC := subscribe(t, c, partner, end)

	ingestNDJSON(t, b, secret, penaltyLine(uscc, "榕市监处罚〔2026〕9101号", 20))
	await(t, "A after B's ingest", onA, "榕市监处罚〔2026〕9101号")
	await(t, "C (no Redis) after B's ingest", onC, "榕市监处罚〔2026〕9101号")

	importProcess(t, penaltyLine(uscc, "榕市监处罚〔2026〕9102号", 10), shared...)
	await(t, "A after the import command", onA, "榕市监处罚〔2026〕9102号")
	await(t, "C (no Redis) after the import command", onC, "榕市监处罚〔2026〕9102号")
}
