package httpapi

import (
	"encoding/json"
	"fmt"
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

// One line with a NUL (PostgreSQL text cannot hold one) among good lines of
// the same batch: the line is rejected with its number and code, and every
// good line of the batch is written, on both stores.
func TestIngestKeepsTheBatchAroundAControlCharacter(t *testing.T) {
	backends(t, func(t *testing.T, h *harness) {
		const uscc = "93350600MA2XYK005G"
		lic := func(n int) string {
			return fmt.Sprintf(`{"kind":"license","uscc":"%s","license_number":"JY1350602000010%d","name":"食品经营许可证","authority":"漳州市芗城区市场监督管理局","decided_on":"2026-05-0%d"}`, uscc, n, n)
		}
		body := lic(1) + "\n" + lic(2) + "\n" +
			`{"kind":"penalty","uscc":"` + uscc + `","decision_number":"漳芗市监罚〔2026〕9号","violation_type":"x","facts":"事实\u0000","penalty_types":["fine"],"fine_amount":"5000","authority":"a","decided_on":"2026-05-01","published_on":"2026-05-02","procedure":"ordinary"}` + "\n" +
			lic(3) + "\n" + `{"kind":"license","uscc":"` + uscc + `","license_number":"JY\u0000","name":"n","authority":"a","decided_on":"2026-05-01"}` + "\n" + lic(4) + "\n"
		r := h.ingest(t, body, bearer(writerKey)...)
		var sum struct {
			Accepted, Rejected int
			Errors             []struct {
				Line          int
				Code, Message string
			}
		}
		if err := json.Unmarshal(r.raw, &sum); err != nil || r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.raw)
		}
		if sum.Accepted != 4 || sum.Rejected != 2 || len(sum.Errors) != 2 {
			t.Fatalf("summary %s, want 4 accepted and lines 3 and 5 rejected", r.raw)
		}
		for i, want := range []struct {
			line  int
			field string
		}{{3, `"facts"`}, {5, `"license_number"`}} {
			e := sum.Errors[i]
			if e.Line != want.line || e.Code != "CONTROL_CHARACTER" || !strings.Contains(e.Message, want.field) || !strings.Contains(e.Message, "U+0000") {
				t.Errorf("error %d = %+v, want line %d CONTROL_CHARACTER naming %s and U+0000", i, e, want.line, want.field)
			}
		}
		var out struct {
			Enterprise struct {
				Licenses struct {
					Nodes []struct{ LicenseNumber string }
				}
				Penalties struct{ TotalCount int }
			}
		}
		h.query(t, `{ enterprise(uscc: "`+uscc+`") { licenses(first: 100) { nodes { licenseNumber } } penalties { totalCount } } }`, nil,
			bearer(regulatorKey)...).data(t, &out)
		got := map[string]bool{}
		for _, n := range out.Enterprise.Licenses.Nodes {
			got[n.LicenseNumber] = true
		}
		for n := 1; n <= 4; n++ {
			if num := fmt.Sprintf("JY1350602000010%d", n); !got[num] {
				t.Errorf("good licence %s of the batch was lost", num)
			}
		}
	})
}
