package cache

import (
	"context"
	"testing"
)

// A lookup fetches the tags it remembers with the entry; when the entry now
// depends on a tag the hint lacks, that tag is still checked.
func TestLookupChecksTagsTheHintMissed(t *testing.T) {
	backends(t, func(t *testing.T, newCache func(*fakeClock) *Cache) {
		c := newCache(newFakeClock())
		ctx := context.Background()
		k := key("PUBLIC", "{ seriousDishonestyList { nodes { enterprise { name } } } }")
		put(t, c, k, "page 1", "list:serious")
		wantHit(t, c, k, "page 1") // the hint is now [list:serious]
		put(t, c, k, "page 2", "list:serious", "e:2")
		wantHit(t, c, k, "page 2")
		if c.redis == nil {
			return // another replica's writes are the point
		}
		// Another replica rewrites the entry: this one's hint is stale.
		other := newCache(newFakeClock())
		put(t, other, k, "page 3", "list:serious", "e:3")
		wantHit(t, c, k, "page 3")
		put(t, other, k, "page 4", "list:serious", "e:4")
		if err := other.Invalidate(ctx, "e:4"); err != nil {
			t.Fatal(err)
		}
		wantMiss(t, c, k)
		if v, ok := c.GetID(ctx, k.ID()); ok {
			t.Fatalf("GetID after the invalidation = %q, hit", v)
		}
	})
}
