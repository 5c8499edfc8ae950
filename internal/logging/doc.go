// Package logging owns the process's log handler: every line passes a
// scrubber that keeps connection strings, database users, hosts and ports,
// API keys and personal data out of it, and a collapser that logs a
// repeated error or warning once per interval with the count of those it
// held back. It must not decide what is logged (the caller does) nor where
// (the command passes the writer).
package logging
