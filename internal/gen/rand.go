package gen

import (
	"math/rand/v2"
	"sort"
)

// rng wraps a PCG source with the draws the generator needs. Every draw
// comes from it, so output depends only on the seed.
type rng struct{ *rand.Rand }

func newRNG(seed int64) rng {
	return rng{rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15))}
}

// between returns an int in [lo, hi]; lo when hi < lo.
func (r rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

func (r rng) between64(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + r.Int64N(hi-lo+1)
}

// pct is true with probability p percent.
func (r rng) pct(p int) bool { return r.IntN(100) < p }

// dayIn returns a day in [lo, hi].
func (r rng) dayIn(lo, hi day) day { return day(r.between(int(lo), int(hi))) }

func pick[T any](r rng, s []T) T { return s[r.IntN(len(s))] }

// weighted draws items in proportion to their weights.
type weighted[T any] struct {
	items []T
	cum   []int
}

// newWeighted weighs items[i] by weight(i).
func newWeighted[T any](items []T, weight func(i int) int) weighted[T] {
	w := weighted[T]{items: items, cum: make([]int, len(items))}
	total := 0
	for i := range items {
		total += weight(i)
		w.cum[i] = total
	}
	return w
}

func weightedStrings(ws []weightedString) weighted[string] {
	items := make([]string, len(ws))
	for i, w := range ws {
		items[i] = w.s
	}
	return newWeighted(items, func(i int) int { return ws[i].w })
}

func (w weighted[T]) pick(r rng) T {
	x := r.IntN(w.cum[len(w.cum)-1])
	return w.items[sort.SearchInts(w.cum, x+1)]
}

// deck deals outcomes from a shuffled pack and reshuffles when it is empty:
// rare outcomes keep their exact share even in a small dataset, and every
// outcome appears once the pack has been dealt.
type deck[T any] struct {
	cards []T
	next  int
}

func newDeck[T comparable](counts map[T]int, order []T) *deck[T] {
	d := &deck[T]{}
	for _, c := range order {
		for range counts[c] {
			d.cards = append(d.cards, c)
		}
	}
	return d
}

func (d *deck[T]) deal(r rng) T {
	if d.next == 0 {
		r.Shuffle(len(d.cards), func(i, j int) { d.cards[i], d.cards[j] = d.cards[j], d.cards[i] })
	}
	c := d.cards[d.next]
	d.next = (d.next + 1) % len(d.cards)
	return c
}
