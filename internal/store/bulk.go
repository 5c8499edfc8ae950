package store

import "context"

// BulkLoader is a store that loads an import faster while it holds no
// record: the import command asks it first (unless told not to).
type BulkLoader interface {
	// BeginBulk starts a bulk load if the store holds no record and no
	// change yet; ok false (and no load) otherwise.
	BeginBulk(ctx context.Context) (load BulkLoad, ok bool, err error)
}

// BulkLoad is a store in a bulk load. Its Apply writes exactly what the
// store's Apply would (records, rejections, change feed), only faster;
// Finish ends the load (it must be called, also after a failed import) and
// leaves the store as an import with Apply would have.
type BulkLoad interface {
	Store
	Finish(ctx context.Context) error
}
