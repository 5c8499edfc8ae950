package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// clockDataset: one enterprise with a penalty that is only a public
// reprimand, published 2026-01-10, so its 3-month disclosure period ends on
// 2026-04-09 (its last day of public display).
const clockDataset = `{"kind":"enterprise","uscc":"91350100MA2XYK001G","name":"福州时钟食品有限公司","status":"operating","region_code":"350102"}
{"kind":"penalty","uscc":"91350100MA2XYK001G","decision_number":"榕市监罚〔2026〕7号","violation_type":"未按规定公示信息","penalty_types":["public_reprimand"],"authority":"福州市市场监督管理局","decided_on":"2026-01-05","published_on":"2026-01-10","procedure":"ordinary"}
`

// CLOCK_DATE moves the whole server's "today": a server started on the day
// before, the day of and the day after the last day of a penalty's period
// shows it, shows it, and no longer shows it, and says which day it
// applied in viewer.asOf.
func TestClockDateMovesTheDisclosureDay(t *testing.T) {
	file := filepath.Join(t.TempDir(), "clock.ndjson")
	if err := os.WriteFile(file, []byte(clockDataset), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		day     string
		visible bool
	}{{"2026-04-08", true}, {"2026-04-09", true}, {"2026-04-10", false}} {
		t.Run(tt.day, func(t *testing.T) {
			base := startServerArgs(t, []string{"serve", "--load", file}, "CLOCK_DATE="+tt.day)
			var out struct {
				Data struct {
					Viewer     struct{ AsOf string }
					Enterprise struct {
						Penalties struct {
							TotalCount int
							Nodes      []struct{ DecisionNumber, DisclosureEndsOn string }
						}
					}
				}
				Errors []any
			}
			q := `{ viewer { asOf } enterprise(uscc: "91350100MA2XYK001G") { penalties { totalCount nodes { decisionNumber disclosureEndsOn } } } }`
			body, _ := json.Marshal(map[string]string{"query": q})
			res, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if err := json.Unmarshal(raw, &out); err != nil || len(out.Errors) > 0 {
				t.Fatalf("%v: %s", err, raw)
			}
			if out.Data.Viewer.AsOf != tt.day {
				t.Errorf("viewer.asOf = %s, want CLOCK_DATE %s", out.Data.Viewer.AsOf, tt.day)
			}
			p := out.Data.Enterprise.Penalties
			if got := p.TotalCount == 1 && len(p.Nodes) == 1; got != tt.visible {
				t.Fatalf("on %s the penalty is visible: %v, want %v: %s", tt.day, got, tt.visible, raw)
			}
			if tt.visible && p.Nodes[0].DisclosureEndsOn != "2026-04-09" {
				t.Errorf("disclosureEndsOn = %s, want 2026-04-09", p.Nodes[0].DisclosureEndsOn)
			}
		})
	}
}

// The import command checks dates against CLOCK_DATE's today.
func TestClockDateMovesImportChecks(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	t.Setenv("CLOCK_DATE", "2026-01-04")
	out, err := runCmd(t, clockDataset, "import", "-")
	if exitCode(err) != 1 || !strings.Contains(out, `"accepted":1`) ||
		!strings.Contains(out, `"line":2,"code":"DATE_IN_FUTURE"`) || !strings.Contains(out, "after today (2026-01-04)") {
		t.Fatalf("exit %d: %s", exitCode(err), out)
	}
	t.Setenv("CLOCK_DATE", "2026-01-10")
	if out, err := runCmd(t, clockDataset, "import", "-"); exitCode(err) != 0 {
		t.Fatalf("exit %d: %s", exitCode(err), out)
	}
}
