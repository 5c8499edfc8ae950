package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/creditgraph/creditgraph/internal/apierr"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// ErrorPresenter maps every resolver error to a GraphQL error carrying
// extensions.code. Caller-facing errors keep their message; anything else is
// logged with its path and shown only as INTERNAL, so no internal detail
// (SQL, hosts, record contents) reaches a caller.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			// Parse and validation errors made by gqlgen itself: safe as they are.
			if incremental[gqlErr.Message] {
				gqlErr.Message += " Incremental delivery (@defer, @stream) is not supported: select the fields without it."
			}
			return gqlErr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		ae, ok := apierr.Classify(err)
		if !ok {
			log.ErrorContext(ctx, "resolver error", "path", out.Path.String(), "err", err)
		}
		out.Message = ae.Message
		if out.Extensions == nil {
			out.Extensions = map[string]any{}
		}
		for k, v := range ae.Extra {
			out.Extensions[k] = v
		}
		out.Extensions["code"] = ae.Code
		return out
	}
}

// incremental are the validation messages of a query using @defer or
// @stream, which no tier's schema declares (see tierDirectives).
var incremental = map[string]bool{
	`Unknown directive "@defer".`:  true,
	`Unknown directive "@stream".`: true,
}

// Recover turns a resolver panic into INTERNAL, logging what happened.
func Recover(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p))
		return errors.New("graph: panic in resolver")
	}
}
