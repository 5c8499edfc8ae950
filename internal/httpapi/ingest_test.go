package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func (h *harness) ingest(t *testing.T, body string, headers ...string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/ingest", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-ndjson")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return h.do(t, req)
}

func TestIngest(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const body = `{"kind":"license","uscc":"93350600MA2XYK005G","license_number":"JY13506020000001","name":"食品经营许可证","authority":"漳州市芗城区市场监督管理局","decided_on":"2026-05-01"}
{"kind":"license","uscc":"93350600MA2XYK005G","license_number":"JY13506020000002","name":"食品经营许可证","authority":"漳州市芗城区市场监督管理局","decided_on":"2026-02-30"}
`
		t.Run("forbidden without write scope", func(t *testing.T) {
			for name, key := range map[string]string{"read regulator": regulatorKey, "partner": partnerKey, "public key": publicKey} {
				r := h.ingest(t, body, bearer(key)...)
				if r.status != http.StatusForbidden || r.code() != "FORBIDDEN" {
					t.Errorf("%s: %d %s", name, r.status, r.raw)
				}
			}
			if r := h.ingest(t, body); r.status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
				t.Errorf("anonymous: %d %s", r.status, r.raw)
			}
		})
		var sum struct {
			Accepted, Rejected int
			Errors             []struct {
				Line          int
				Code, Message string
			}
		}
		r := h.ingest(t, body, bearer(writerKey)...)
		if err := json.Unmarshal(r.raw, &sum); err != nil || r.status != 200 {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if sum.Accepted != 1 || sum.Rejected != 1 || sum.Errors[0].Line != 2 || sum.Errors[0].Code != "INVALID_DATE" {
			t.Errorf("summary = %+v", sum)
		}
		var out struct {
			Enterprise struct {
				Licenses struct{ TotalCount int }
			}
		}
		h.query(t, `{ enterprise(uscc: "93350600MA2XYK005G") { licenses { totalCount } } }`, nil).data(t, &out)
		if out.Enterprise.Licenses.TotalCount != 1 {
			t.Errorf("ingested licence not visible at once: %+v", out)
		}
	})
}
