package cache

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

func TestPrometheus(t *testing.T) {
	reg := prometheus.NewRegistry()
	p, err := NewPrometheus(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPrometheus(reg); err == nil {
		t.Fatal("second registration: want an error")
	}
	clk := newFakeClock()
	c := New(nil, Options{Now: clk.Now, Metrics: p})
	k := key("PUBLIC", "a")
	c.Get(context.Background(), k)
	put(t, c, k, "abc", "e:A")
	c.Get(context.Background(), k)
	_ = c.Invalidate(context.Background(), "e:A", "e:B")
	for _, tc := range []struct {
		name string
		c    prometheus.Metric
		want float64
	}{
		{"hits", p.lookups.WithLabelValues(SourceLocal, "hit"), 1},
		{"misses", p.lookups.WithLabelValues(SourceLocal, "miss"), 1},
		{"hit bytes", p.hitBytes.WithLabelValues(SourceLocal), 3},
		{"set bytes", p.setBytes.WithLabelValues(SourceLocal), 3},
		{"invalidated tags", p.invalidated, 2},
	} {
		var m dto.Metric
		if err := tc.c.Write(&m); err != nil {
			t.Fatal(err)
		}
		if got := m.GetCounter().GetValue(); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
}
