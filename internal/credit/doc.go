// Package credit owns the domain of Creditgraph: the record kinds regulators
// collect under an enterprise's unified social credit code (统一社会信用代码),
// the code's GB 32100-2015 validation, the caller's visibility (tier and as-of
// date), the disclosure policy that decides which records and fields a
// caller may see, and the redaction of personal data in free text for the
// tiers below REGULATOR (Redact; the rules and their reasons are in
// redact.go and the files it names). It is pure Go: it must not do I/O,
// read the environment or log. Stores and resolvers ask it; they never
// re-implement its rules.
package credit
