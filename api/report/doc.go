// Package report builds the figures both front ends show: a question's
// metric by period and group (Build, BuildAll), checked against the survey's
// mapping (Params are matched to its questions, dimensions and options,
// with errors that name parameters as analytics.ParamError), the answer
// counts of a question page (Counts), and the board's trend CSV (Trends,
// WriteTrendCSV). A board report is reduced to the survey's publication by
// BoardParams before anything is counted, so that every board output is a
// part of the same tables under the survey's disclosure policy.
package report
