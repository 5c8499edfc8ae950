// Command go is a Creditgraph client in Go with the standard library only.
//
//	go run ./examples/go
//
// Settings (environment): CREDITGRAPH_URL (default
// http://localhost:8080/graphql), CREDITGRAPH_KEY (an API key; none: PUBLIC),
// CREDITGRAPH_USCC (the enterprise to look up), CREDITGRAPH_PAGES (pages of
// the list to read, default 3).
//
// It looks up one enterprise's profile, pages through the enterprises of
// Fujian 20 at a time, and, when the server answers THROTTLED (HTTP 429),
// waits the seconds Retry-After says and tries again.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"
)

const profileQuery = `query Profile($uscc: ID!) {
  enterprise(uscc: $uscc) {
    name status
    creditSummary { penaltyCount totalFines onSeriousDishonestyList validLicenseCount }
    penalties(first: 5) { nodes { decisionNumber fineAmount publishedOn disclosureEndsOn } }
  }
}`

const pageQuery = `query Page($after: String) {
  enterprises(filter: {regionCode: "35"}, first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { uscc name }
  }
}`

const maxTries = 5

// client posts GraphQL queries to one endpoint with one key.
type client struct {
	url, key string
	http     *http.Client
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// do posts query and decodes its data into out. THROTTLED is retried after
// Retry-After seconds; any other error is returned with its code.
func (c *client) do(ctx context.Context, query string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		if c.key != "" {
			req.Header.Set("Authorization", "Bearer "+c.key)
		}
		res, err := c.http.Do(req)
		if err != nil {
			return err
		}
		var answer struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		err = json.NewDecoder(res.Body).Decode(&answer)
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("HTTP %d: %w", res.StatusCode, err)
		}
		if res.StatusCode == http.StatusTooManyRequests || len(answer.Errors) > 0 && answer.Errors[0].Extensions.Code == "THROTTLED" {
			wait, err := strconv.Atoi(res.Header.Get("Retry-After"))
			if err != nil || wait < 1 {
				wait = 1
			}
			if attempt >= maxTries {
				return fmt.Errorf("THROTTLED %d times; giving up", attempt)
			}
			fmt.Printf("throttled: retrying in %ds (remaining %s)\n", wait, res.Header.Get("X-RateLimit-Remaining"))
			select {
			case <-time.After(time.Duration(wait) * time.Second):
			case <-ctx.Done():
				return ctx.Err()
			}
			continue
		}
		if len(answer.Errors) > 0 {
			return fmt.Errorf("%s: %s", answer.Errors[0].Extensions.Code, answer.Errors[0].Message)
		}
		return json.Unmarshal(answer.Data, out)
	}
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	c := &client{url: env("CREDITGRAPH_URL", "http://localhost:8080/graphql"), key: os.Getenv("CREDITGRAPH_KEY"),
		http: &http.Client{Timeout: 30 * time.Second}}
	uscc := env("CREDITGRAPH_USCC", "91350582MAE11H479P")
	pages, err := strconv.Atoi(env("CREDITGRAPH_PAGES", "3"))
	if err != nil {
		return fmt.Errorf("CREDITGRAPH_PAGES: %w", err)
	}

	var p struct {
		Enterprise *struct {
			Name, Status  string
			CreditSummary struct {
				PenaltyCount            int
				TotalFines              string
				OnSeriousDishonestyList bool
				ValidLicenseCount       int
			}
		}
	}
	if err := c.do(ctx, profileQuery, map[string]any{"uscc": uscc}, &p); err != nil {
		return err
	}
	if p.Enterprise == nil {
		return fmt.Errorf("no enterprise %s", uscc)
	}
	e, s := p.Enterprise, p.Enterprise.CreditSummary
	fmt.Printf("profile: %s (%s), %d penalties disclosed, fines ¥%s, %d valid licences, serious list: %t\n",
		e.Name, e.Status, s.PenaltyCount, s.TotalFines, s.ValidLicenseCount, s.OnSeriousDishonestyList)

	var after *string
	for n := 1; n <= pages; n++ {
		var page struct {
			Enterprises struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
				Nodes []struct{ USCC, Name string }
			}
		}
		if err := c.do(ctx, pageQuery, map[string]any{"after": after}, &page); err != nil {
			return err
		}
		l := page.Enterprises
		first := "-"
		if len(l.Nodes) > 0 {
			first = l.Nodes[0].Name
		}
		fmt.Printf("page %d: %d of %d enterprises, first %s\n", n, len(l.Nodes), l.TotalCount, first)
		if !l.PageInfo.HasNextPage {
			break
		}
		after = l.PageInfo.EndCursor
	}
	fmt.Println("done")
	return nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
