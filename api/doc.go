// Package api is heard's HTTP service, and only that: the server and its
// route table (every route declares who may use it), one error adapter,
// the middleware (sessions, CSRF, rate limits, the parameter limit, import
// pacing), the JSON API under /api/v1 and the pages, rendered from
// html/template files with the account and its permissions as page data.
// Nothing in heard imports it but main.
//
// Where things go:
//
//   - A new page or API route: a handler in this package, a row in
//     routes.go naming the permission it needs, a template in templates/.
//   - A new command: a Run function in api/cli and a row in its command
//     table (api/cli/commands.go).
//   - A new report option: api/report (Params, its checking against the
//     survey in match.go, the board's publication in BoardParams); both the
//     pages and `heard report` get it from there.
//   - Importing a file: api/ingest; accounts and passwords: api/account.
//   - Formatting a number, interval, count or period for people:
//     dashboards, which the pages and the command line share.
//   - What a file means: importers; turning bytes into rows: the readers in
//     importers; the domain, its errors and disclosure control: analytics;
//     SQL: analytics/store.
//
// The layering is checked by TestLayering in the module's root package:
// gin only here, gorm only in analytics/store, analytics on the standard
// library only, and nothing imports this package but main.
package api
