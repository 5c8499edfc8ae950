package model

// ChangeRecord is the GraphQL union of the records a change is about. Its
// members are package credit's record types, which cannot carry gqlgen's
// marker method, so the union is bound to this empty interface and the
// executor tells the members apart by their Go types.
type ChangeRecord interface{}
