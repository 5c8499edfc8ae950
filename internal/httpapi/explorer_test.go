package httpapi

import (
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/explorer/browsertest"
)

// TestExplorerInBrowser loads the explorer from the real server in headless
// Chromium, runs a profile query and sees the enterprise in the result pane;
// RunQuery also fails if the page requested anything beyond the server.
func TestExplorerInBrowser(t *testing.T) {
	h := newHarness(t, memoryStore())
	got := browsertest.RunQuery(t, h.srv.URL, `query EnterpriseProfile { enterprise(uscc: "`+foodCo+`") { name creditSummary { penaltyCount } } }`)
	if !strings.Contains(got, "福州闽香食品有限公司") || !strings.Contains(got, `"penaltyCount": 2`) {
		t.Errorf("result pane = %q", got)
	}
}
