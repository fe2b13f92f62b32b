// Package cli is heard's command line: a table of commands
// (commands.go), each a Run function with its flags in a file of its own,
// run through one Env (standard input and output, the environment, how to
// open the store), one runner for the database (withStore) and one
// dispatcher for subcommands. Output meant for a terminal escapes control
// characters (terminal.go). It uses api/report, api/ingest and
// api/account, never the HTTP service.
package cli
