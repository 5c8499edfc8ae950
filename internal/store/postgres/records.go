package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/creditgraph/creditgraph/internal/credit"
	"github.com/creditgraph/creditgraph/internal/store"
)

var _ store.RecordsReader = (*Store)(nil)

// RecordsByUSCC reads the enterprises and record kinds k names for usccs
// in one pipelined batch on one connection: one round trip and one pool
// acquisition, where the kinds one by one cost a statement, a round trip
// and a connection each (a profile took seven connections at once from a
// pool of four). The statements are the *ByUSCC loaders' own, so the
// answer is theirs.
func (s *Store) RecordsByUSCC(ctx context.Context, v credit.Visibility, usccs []string, k store.Kinds) (store.Records, error) {
	var out store.Records
	if len(usccs) == 0 {
		return store.ReadRecordsByKind(ctx, s, v, usccs, k)
	}
	b := &pgx.Batch{}
	var reads []func(pgx.BatchResults) error
	queue := func(sql string, args []any, read func(pgx.Rows) error) {
		b.Queue(sql, args...)
		reads = append(reads, func(br pgx.BatchResults) error {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			return read(rows)
		})
	}
	if k.Enterprises {
		queue(enterprisesByUSCCSQL, []any{usccs}, func(rows pgx.Rows) (err error) {
			out.Enterprises, err = s.enterprisesInKeyOrder(rows, v, usccs)
			return err
		})
	}
	if k.Licenses {
		queueKind(queue, s.licensesQuery(v), usccs, &out.Licenses)
	}
	if k.Penalties {
		queueKind(queue, s.penaltiesQuery(v), usccs, &out.Penalties)
	}
	if k.Inspections {
		queueKind(queue, s.inspectionsQuery(v), usccs, &out.Inspections)
	}
	if k.Abnormal {
		queueKind(queue, s.listingsQuery(v, credit.ListAbnormal), usccs, &out.Abnormal)
	}
	if k.Serious {
		queueKind(queue, s.listingsQuery(v, credit.ListSerious), usccs, &out.Serious)
	}
	if k.Commitments {
		queueKind(queue, s.commitmentsQuery(v), usccs, &out.Commitments)
	}
	if len(reads) == 0 {
		return out, nil
	}
	br := s.q.SendBatch(ctx, b)
	for _, read := range reads {
		if err := read(br); err != nil {
			br.Close()
			return store.Records{}, wrap("records by uscc", err)
		}
	}
	if err := br.Close(); err != nil {
		return store.Records{}, wrap("records by uscc", err)
	}
	return out, nil
}

func queueKind[T any](queue func(string, []any, func(pgx.Rows) error), q byUSCC[T], usccs []string, dst *[][]T) {
	queue(q.sql, q.argv(usccs), func(rows pgx.Rows) (err error) {
		*dst, err = q.group(rows, usccs)
		return err
	})
}
