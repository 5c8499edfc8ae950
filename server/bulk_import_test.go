package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/creditgraph/creditgraph/internal/store/postgres"
)

// bulkQuery asks a tier for every kind of record, the lists, search and
// the change feed (without its timestamps, which are when each import ran),
// as far as the tier may: the %s are the enterprise's and penalty's fields
// for the tiers with them.
const bulkQuery = `{
  enterprises(first: 60) { totalCount nodes { uscc name formerNames status keyAreas registeredCapital address %s
    licenses(first: 10) { totalCount nodes { licenseNumber validTo } }
    penalties(first: 10) { totalCount nodes { decisionNumber fineAmount disclosureEndsOn %s } }
    inspections(first: 10) { totalCount nodes { inspectionId result } }
    abnormalOperations { decisionNumber removal { removedOn } disclosureEndsOn }
    seriousDishonesty { decisionNumber disclosureEndsOn }
    commitments { commitmentId status }
    creditSummary { penaltyCount totalFines onAbnormalOperationList onSeriousDishonestyList } } }
  seriousDishonestyList(first: 100) { totalCount nodes { decisionNumber } }
  abnormalOperationList(first: 100) { totalCount nodes { decisionNumber } }
  typicalCases(first: 100) { totalCount nodes { caseId title } }
  searchEnterprises(query: "食品", first: 30) { totalCount edges { score node { uscc } } }
}`

// The import command's bulk load (the default into an empty database)
// leaves a database every tier reads exactly as one imported with
// --bulk=off: the same summary and exit code, the same rows, change feed
// and indexes, and the same GraphQL answers for PUBLIC, PARTNER and
// REGULATOR. The file has a renamed enterprise, a forward reference, an
// unknown reference and a line that does not decode.
func TestBulkImportAnswersAsApply(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data.ndjson")
	if err := os.WriteFile(file, []byte(postgres.BulkTestFile(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	keys := filepath.Join(t.TempDir(), "keys.tsv")
	t.Setenv("DATABASE_URL", "")
	t.Setenv("KEYS_FILE", keys)
	secrets := map[string]string{"PUBLIC": ""}
	for _, tier := range []string{"PARTNER", "REGULATOR"} {
		out, err := keysCLI(t, "create", "--tier", tier, "--name", "bulk-"+strings.ToLower(tier))
		if err != nil {
			t.Fatal(err)
		}
		secrets[tier] = lastLine(out)
	}
	env := []string{"CLOCK_DATE=2026-11-01", "IMPORT_BATCH_SIZE=97", "KEYS_FILE=" + keys, "REDIS_URL=", "CACHE_TTL=0",
		"MAX_QUERY_COST=1000000", "MAX_QUERY_NODES=1000000", "RATE_LIMIT_PUBLIC=1000000/1h",
		"RATE_LIMIT_PARTNER=1000000/1h", "RATE_LIMIT_REGULATOR=1000000/1h"}

	type result struct {
		summary string
		code    int
		log     string
		db      string
	}
	run := func(args ...string) result {
		db := postgres.NewTestDatabase(t)
		cmd := exec.Command(binary(t), append(append([]string{"import"}, args...), file)...)
		cmd.Env = append(os.Environ(), append([]string{"LOG_LEVEL=info", "DATABASE_URL=" + db}, env...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		r := result{summary: stdout.String(), log: stderr.String(), db: db}
		if ee, ok := err.(*exec.ExitError); ok {
			r.code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return r
	}
	bulk, plain := run(), run("--bulk=off")
	if !strings.Contains(bulk.log, "loading in bulk") || strings.Contains(plain.log, "loading in bulk") {
		t.Fatalf("bulk import log:\n%s\nplain import log:\n%s", bulk.log, plain.log)
	}
	if bulk.summary != plain.summary || bulk.code != plain.code || bulk.code != 1 {
		t.Fatalf("bulk: exit %d %s\n--bulk=off: exit %d %s", bulk.code, bulk.summary, plain.code, plain.summary)
	}
	got, want := digest(t, bulk.db), digest(t, plain.db)
	for _, table := range append(slices.Clone(recordTables), derivedTables...) {
		if got[table] != want[table] {
			t.Errorf("%s: bulk %s, --bulk=off %s", table, got[table], want[table])
		}
	}

	bs := startServer(t, append([]string{"DATABASE_URL=" + bulk.db}, env...)...)
	ps := startServer(t, append([]string{"DATABASE_URL=" + plain.db}, env...)...)
	for tier, secret := range secrets {
		var extra, penalty, changes string
		switch tier {
		case "REGULATOR":
			extra, penalty = "phone legalRepresentativeIdNumber riskAssessment { category }", "repairedOn disclosureState { state endsOn changesOn }"
			changes = "recordType recordId kind uscc reason"
		case "PARTNER":
			changes = "recordType recordId kind uscc"
		}
		q := fmt.Sprintf(bulkQuery, extra, penalty)
		b, p := askTier(t, bs, secret, q, nil), askTier(t, ps, secret, q, nil)
		if b != p {
			t.Errorf("%s: the bulk-loaded database answers\n%.2000s\nthe other\n%.2000s", tier, b, p)
		}
		if strings.Count(b, `"uscc"`) < 60 {
			t.Errorf("%s: the answer holds too little to tell:\n%.2000s", tier, b)
		}
		if changes == "" {
			continue
		}
		bf, pf := feedOf(t, bs, secret, changes), feedOf(t, ps, secret, changes)
		if bf != pf || strings.Count(bf, `"recordType"`) < 2000 {
			t.Errorf("%s: the bulk-loaded database's feed (%d changes)\n%.2000s\nthe other's (%d)\n%.2000s", tier,
				strings.Count(bf, `"recordType"`), bf, strings.Count(pf, `"recordType"`), pf)
		}
	}
}

// askTier posts query to base as secret's tier ("" = anonymous PUBLIC) and
// returns the answer, failing on any error in it.
func askTier(t *testing.T, base, secret, query string, vars map[string]any) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || bytes.Contains(raw, []byte(`"errors"`)) {
		t.Fatalf("%d %s", res.StatusCode, raw)
	}
	return string(raw)
}

// feedOf reads base's whole change feed as secret's tier, page by page,
// each change's fields.
func feedOf(t *testing.T, base, secret, fields string) string {
	t.Helper()
	q := `query($after: String) { changes(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ` + fields + ` } } }`
	var all strings.Builder
	var after any
	for {
		var page struct {
			Data struct {
				Changes struct {
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
					Nodes []json.RawMessage
				}
			}
		}
		if err := json.Unmarshal([]byte(askTier(t, base, secret, q, map[string]any{"after": after})), &page); err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Data.Changes.Nodes {
			all.Write(n)
			all.WriteByte('\n')
		}
		if !page.Data.Changes.PageInfo.HasNextPage {
			return all.String()
		}
		after = page.Data.Changes.PageInfo.EndCursor
	}
}
