package explorer_test

import (
	"testing"

	"github.com/creditgraph/creditgraph/internal/testenv"
)

// TestMain reports, at the end, the integration tests skipped for want of a
// server and what to set to run them (go test ./... would hide it).
func TestMain(m *testing.M) { testenv.Main(m) }
