package postgres

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Pool statistics for operators: a pool whose acquires wait, or whose
// connections are all in use, is the first sign the database (or
// DB_MAX_CONNS) bounds the service.
var (
	poolConns = prometheus.NewDesc("creditgraph_db_pool_connections",
		"PostgreSQL pool connections by state (idle, in_use, constructing) and pool (primary, replica).", []string{"pool", "state"}, nil)
	poolMax = prometheus.NewDesc("creditgraph_db_pool_max_connections",
		"Largest size of the PostgreSQL pool (DB_MAX_CONNS).", []string{"pool"}, nil)
	poolAcquires = prometheus.NewDesc("creditgraph_db_pool_acquires_total",
		"Connections acquired from the pool.", []string{"pool"}, nil)
	poolWaits = prometheus.NewDesc("creditgraph_db_pool_acquire_waits_total",
		"Acquires that had to wait for a connection.", []string{"pool"}, nil)
	poolWaitSeconds = prometheus.NewDesc("creditgraph_db_pool_acquire_seconds_total",
		"Time spent acquiring connections, nearly all of it waiting for one.", []string{"pool"}, nil)
)

// Collector returns a Prometheus collector of the store's pool statistics.
func (s *Store) Collector() prometheus.Collector { return poolCollector{s} }

type poolCollector struct{ s *Store }

func (c poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolMax, poolAcquires, poolWaits, poolWaitSeconds} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	collectPool(ch, "primary", c.s.write)
	if c.s.read != c.s.write {
		collectPool(ch, "replica", c.s.read)
	}
}

func collectPool(ch chan<- prometheus.Metric, name string, p *pgxpool.Pool) {
	st := p.Stat()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, name)
	}
	gauge(poolConns, float64(st.IdleConns()), name, "idle")
	gauge(poolConns, float64(st.AcquiredConns()), name, "in_use")
	gauge(poolConns, float64(st.ConstructingConns()), name, "constructing")
	gauge(poolMax, float64(st.MaxConns()), name)
	counter(poolAcquires, float64(st.AcquireCount()))
	counter(poolWaits, float64(st.EmptyAcquireCount()))
	counter(poolWaitSeconds, st.AcquireDuration().Seconds())
}
