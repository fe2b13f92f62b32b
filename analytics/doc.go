// Package analytics is heard's domain: surveys, questions, scales, responses,
// imports and mappings, and (in later files) the metrics, statistics and
// disclosure rules computed from them. It uses the standard library only;
// every other package of heard depends on it and it depends on none of them.
package analytics
