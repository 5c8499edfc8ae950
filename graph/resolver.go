// Package graph is the GraphQL layer: the generated executor (generated.go,
// never edited by hand) and thin resolvers that turn arguments into store
// reads through the per-request dataloaders. Disclosure decisions are the
// store's and package credit's; resolvers must not re-implement them.
package graph

import (
	"log/slog"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/risk"
	"github.com/creditgraph/creditgraph/internal/screening"
	"github.com/creditgraph/creditgraph/internal/store"
)

// Resolver holds every dependency the resolvers need; built once in main.
type Resolver struct {
	Store  store.Reader
	Audit  store.AuditLog // nil when the backend keeps none
	Policy credit.Policy
	Risk   risk.Model
	Log    *slog.Logger

	// Feed is the change feed and the watchlists; nil: UNAVAILABLE.
	Feed store.Feed
	// WatchlistMax is the most codes one key may watch (WATCHLIST_MAX).
	WatchlistMax int
	// Streams opens change subscriptions; nil: subscriptions are UNAVAILABLE.
	Streams Streams
	// Clock gives a subscription its date each time it reads the feed.
	Clock credit.Clock
	// Screening holds the thresholds of screenCounterparties.
	Screening screening.Settings
}
