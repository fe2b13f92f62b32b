// Package ingest imports a file into a survey: the one use case behind
// `heard import`, the upload page and POST /api/v1/imports. ImportFile hashes
// the file once, refuses a file already imported, prepares it with the
// importers, stores it in one transaction through analytics/store and
// returns what it found, kept and refused.
package ingest
