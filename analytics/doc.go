// Package analytics is heard's domain: surveys, questions, scales, responses,
// imports and mappings; the metrics, statistics and disclosure rules
// computed from them (with the named policies a survey publishes to its
// board under); and the errors every layer shares (ErrNotFound, ErrExists,
// ErrNotMember, and ParamError, which the command line writes as --flags
// and HTTP as query parameters). It uses the standard library only;
// every other package of heard depends on it and it depends on none of them.
package analytics
