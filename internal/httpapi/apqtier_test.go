package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"testing"
)

// TestPersistedQueriesPerTier: the hash of a document registered by
// REGULATOR resolves for REGULATOR only; for PUBLIC and PARTNER it is
// PERSISTED_QUERY_NOT_FOUND, the same answer as a hash nobody registered.
// A document that fails its tier's validation is never registered.
func TestPersistedQueriesPerTier(t *testing.T) {
	h := newHarness(t, memoryStore())
	ext := func(doc string) string {
		sum := sha256.Sum256([]byte(doc))
		return fmt.Sprintf(`{"persistedQuery":{"version":1,"sha256Hash":%q}}`, hex.EncodeToString(sum[:]))
	}
	secret := fmt.Sprintf(`{ enterprise(uscc: %q) { name phone legalRepresentativeIdNumber } }`, foodCo)
	if r := h.get(t, url.Values{"extensions": {ext(secret)}, "query": {secret}}, bearer(regulatorKey)...); r.status != 200 || len(r.Errors) > 0 {
		t.Fatalf("REGULATOR registers: %d %s", r.status, r.raw)
	}
	if r := h.get(t, url.Values{"extensions": {ext(secret)}}, bearer(regulatorKey)...); r.status != 200 || len(r.Errors) > 0 {
		t.Fatalf("REGULATOR by hash: %d %s", r.status, r.raw)
	}
	unknown := h.get(t, url.Values{"extensions": {ext("{ viewer { tier } } # never sent")}})
	for name, hdr := range map[string][]string{"PUBLIC": nil, "PARTNER": bearer(partnerKey)} {
		r := h.get(t, url.Values{"extensions": {ext(secret)}}, hdr...)
		if r.code() != "PERSISTED_QUERY_NOT_FOUND" || r.status != unknown.status || r.Errors[0].Message != unknown.Errors[0].Message || r.Data != nil {
			t.Errorf("%s by a REGULATOR hash: %d %s; an unknown hash: %d %s", name, r.status, r.raw, unknown.status, unknown.raw)
		}
	}
	// PUBLIC sends the REGULATOR document itself: refused by validation,
	// and not registered for PUBLIC either.
	if r := h.get(t, url.Values{"extensions": {ext(secret)}, "query": {secret}}); r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("PUBLIC sending the document: %s", r.raw)
	}
	if r := h.get(t, url.Values{"extensions": {ext(secret)}}); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Errorf("a document PUBLIC could not validate was registered for it: %s", r.raw)
	}
}
