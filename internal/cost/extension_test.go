package cost

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
)

// fakeSchema is an executable schema with the real schema and no
// resolvers: Exec reports what Of sees and counts the operations it ran.
type fakeSchema struct {
	schema *ast.Schema
	ran    atomic.Int32
}

func (f *fakeSchema) Schema() *ast.Schema { return f.schema }

func (f *fakeSchema) Complexity(context.Context, string, string, int, map[string]any) (int, bool) {
	return 0, false
}

func (f *fakeSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	f.ran.Add(1)
	c, ok := Of(ctx)
	return graphql.OneShot(&graphql.Response{
		Data: json.RawMessage(fmt.Sprintf(`{"requested":%d,"nodes":%d,"ok":%t}`, c.Requested, c.Nodes, ok)),
	})
}

func newServer(t *testing.T, ext *Extension) (*client.Client, *fakeSchema) {
	t.Helper()
	es := &fakeSchema{schema: testSchema(t)}
	srv := handler.New(es)
	srv.AddTransport(transport.POST{})
	srv.Use(ext)
	return client.New(srv), es
}

func TestExtension(t *testing.T) {
	c, es := newServer(t, &Extension{})
	type seen struct {
		Requested, Nodes int
		OK               bool
	}

	t.Run("prices what it runs", func(t *testing.T) {
		var resp seen
		c.MustPost(pageQuery, &resp)
		if !resp.OK || resp.Requested != 1 || resp.Nodes != 10_100 {
			t.Errorf("Of saw %+v, want 1 point and 10100 nodes", resp)
		}
	})

	t.Run("prices with the request's variables", func(t *testing.T) {
		var resp seen
		c.MustPost(firstVarQuery, &resp, client.Var("n", 5))
		if resp.Nodes != 30 {
			t.Errorf("nodes = %d, want 5 + 5×5", resp.Nodes)
		}
	})

	t.Run("refuses before running", func(t *testing.T) {
		before := es.ran.Load()
		r, err := c.RawPost(fanOutQuery)
		if err != nil {
			t.Fatal(err)
		}
		if es.ran.Load() != before {
			t.Error("the operation ran")
		}
		var errs []struct {
			Message    string
			Extensions map[string]any
		}
		if err := json.Unmarshal(r.Errors, &errs); err != nil || len(errs) != 1 {
			t.Fatalf("errors = %s (%v)", r.Errors, err)
		}
		ext := errs[0].Extensions
		if ext["code"] != CodeMaxNodes || ext["limit"] != float64(DefaultMaxNodes) || ext["measured"] != float64(102_100) {
			t.Errorf("extensions = %v", ext)
		}
	})
}

func TestExtensionLimitsPerOperation(t *testing.T) {
	c, _ := newServer(t, &Extension{
		Limits: func(context.Context, *graphql.OperationContext) Limits { return Limits{MaxNodes: 100} },
	})
	r, err := c.RawPost(`{ enterprises(first: 101) { nodes { name } } viewer { tier } }`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != nil {
		t.Errorf("first: 101 is priced at 100 nodes, within the limit: %s", r.Errors)
	}
	r, err = c.RawPost(`{ enterprises(first: 100) { nodes { creditSummary { penaltyCount } } } }`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors == nil {
		t.Error("200 nodes passed a limit of 100")
	}
}

func TestExtensionOnePerServer(t *testing.T) {
	ext := &Extension{}
	newServer(t, ext)
	other := &fakeSchema{schema: &ast.Schema{}}
	if err := ext.Validate(other); err == nil {
		t.Error("one Extension bound to two schemas")
	}
}
