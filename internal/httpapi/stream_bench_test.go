package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/creditgraph/creditgraph/internal/auth"
	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/feedstream"
	"github.com/creditgraph/creditgraph/internal/store"
	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// BenchmarkSubscriptionDelivery measures how long a write takes to reach an
// open subscription when another process commits it: the writer has a feed
// hub of its own, the server's streams poll once an hour, so only the
// wake-up through Redis brings the change (PostgreSQL store, real Redis).
// Per op: one penalty written and committed, then its event read off the
// stream (wake-up, feed page, record, SSE). The baseline beside it: one
// GraphQL round trip ({ viewer { tier } }) on the same server.
//
//	go test ./internal/httpapi -run '^$' -bench SubscriptionDelivery -benchtime 200x
func BenchmarkSubscriptionDelivery(b *testing.B) {
	rdb := testRedis(b)
	if rdb == nil {
		b.Skip("set TEST_REDIS_URL: the wake-up goes through Redis")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	channel := testRedisPrefix(b) + "feed"
	hub := feedstream.New(feedstream.Options{Redis: rdb, Channel: channel, Poll: time.Hour})
	go hub.Run(ctx)
	for n := int64(0); n == 0; { // the server listens before anything is written
		n = rdb.PubSubNumSub(ctx, channel).Val()[channel]
	}
	pg := postgres.NewTestStore(b, credit.NewPolicy(credit.DefaultSettings()))
	other := feedstream.Notifying(pg, feedstream.New(feedstream.Options{Redis: rdb, Channel: channel, Poll: time.Hour}))
	srv := httptest.NewServer(New(Deps{Store: pg, Keys: auth.NewKeyring(testKeys(), nil, auth.KeyringOptions{}),
		Policy: credit.NewPolicy(credit.DefaultSettings()), Clock: time.Now, Log: discardLog(), Streams: hub,
		Options: Options{MaxBodyBytes: 1 << 20, RequestTimeout: 10 * time.Second}}))
	defer srv.Close()
	defer hub.Close()

	uscc := feedUSCC(900)
	write := func(recs ...any) {
		bt := &store.Batch{Now: time.Now()}
		for i, r := range recs {
			switch v := r.(type) {
			case credit.Enterprise:
				bt.Enterprises = append(bt.Enterprises, store.Line[credit.Enterprise]{N: i + 1, V: v})
			case credit.Penalty:
				bt.Penalties = append(bt.Penalties, store.Line[credit.Penalty]{N: i + 1, V: v})
			}
		}
		if rej, err := other.Apply(ctx, bt); err != nil || len(rej) > 0 {
			b.Fatalf("apply: %v %v", rej, err)
		}
	}
	write(credit.Enterprise{USCC: uscc, Name: "福州推送测试有限公司", Status: credit.StatusOperating, RegionCode: "350104"})
	end, err := pg.FeedCursor(ctx, credit.DateOf(time.Now()))
	if err != nil {
		b.Fatal(err)
	}
	h := &harness{srv: srv}
	events, _, stop := h.openStream(b, `subscription($a: String) { changes(after: $a) { cursor recordId kind } }`,
		map[string]any{"a": end}, bearer(partnerKey)...)
	defer stop()
	today := credit.DateOf(time.Now())

	b.Run("write_to_event", func(b *testing.B) {
		var took []time.Duration
		i := 0
		for b.Loop() {
			i++
			id := fmt.Sprintf("PUSH-%d-%d", time.Now().UnixNano(), i)
			fine := credit.Penalty{USCC: uscc, DecisionNumber: id, ViolationType: "虚假宣传", PenaltyTypes: []credit.PenaltyType{credit.PenaltyPublicReprimand},
				Authority: "福州市市场监督管理局", DecidedOn: today, PublishedOn: today, Procedure: credit.ProcedureOrdinary}
			t0 := time.Now()
			write(fine)
			for got := ""; got != id; {
				ev, ok := <-events
				if !ok {
					b.Fatal("the stream ended")
				}
				var d struct {
					Data struct{ Changes struct{ RecordID string } }
				}
				_ = json.Unmarshal(ev.data, &d)
				got = d.Data.Changes.RecordID
			}
			took = append(took, time.Since(t0))
		}
		reportPercentiles(b, took)
	})
	b.Run("baseline_query_round_trip", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			t0 := time.Now()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader([]byte(`{"query":"{ viewer { tier } }"}`)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+partnerKey)
			res, err := srv.Client().Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			took = append(took, time.Since(t0))
		}
		reportPercentiles(b, took)
	})
}

func reportPercentiles(b *testing.B, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max_ms")
}
