package cli

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store/storetest"
)

// TestReportWhenEveryoneGaveTheSameAnswer is finding 2 of issue 8: a yes/no
// or scale column where every respondent gave the same answer was read as
// a single choice of one option, and `heard report` answered "no default
// metric". Through the real import and report: the scale is recognised
// from its vocabulary, with its other options, and the rate is 100% (or
// 0%) with its Wilson interval.
func TestReportWhenEveryoneGaveTheSameAnswer(t *testing.T) {
	tests := []struct {
		name, header, answer string
		n                    int
		scale                string
		rate                 float64
		options              []string
	}{
		{"30 of 30 say yes", "Do you feel safe?", "Yes", 30, "yes-no", 1, []string{"Yes", "No"}},
		{"all 10 very satisfied", "Overall satisfaction", "Very satisfied", 10, "satisfied-5", 1,
			[]string{"Very satisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Dissatisfied", "Very dissatisfied"}},
		{"all 12 say no", "Were you kept waiting?", "No", 12, "yes-no", 0, []string{"Yes", "No"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			fmt.Fprintf(&b, "Response ID,Date submitted,%s\r\n", tt.header)
			for i := range tt.n {
				fmt.Fprintf(&b, "%d,%02d/05/2024,%s\r\n", i+1, 1+i%28, tt.answer)
			}
			file := filepath.Join(dir, "same.csv")
			if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			db := storetest.NewDB(t)
			code, out, errOut := cli(t, RunImport, "--db", db, "--survey", "Same", "--json", file)
			if code != ExitOK {
				t.Fatalf("import: exit %d: %s%s", code, out, errOut)
			}
			imp := decodeReport(t, strings.TrimSpace(out))
			if len(imp.Questions) != 1 {
				t.Fatalf("questions %+v", imp.Questions)
			}
			q := imp.Questions[0]
			var got []string
			for _, o := range q.Options {
				got = append(got, o.Label)
			}
			if q.Kind != analytics.KindScale || q.Scale != tt.scale || strings.Join(got, "|") != strings.Join(tt.options, "|") {
				t.Fatalf("read as %s %q with options %q; want the %s scale with %q", q.Kind, q.Scale, got, tt.scale, tt.options)
			}
			rep := runReportJSON(t, "--db", db, "--survey", "Same", "--question", q.Code, "--period", "all")
			var row *analytics.ReportRow
			for i := range rep.Rows {
				if rep.Rows[i].Group == analytics.AllGroup {
					row = &rep.Rows[i]
				}
			}
			if row == nil || row.N == nil || row.Rate == nil || row.CILow == nil || row.CIHigh == nil {
				t.Fatalf("no overall rate: %+v", rep.Rows)
			}
			lo, hi := analytics.Wilson(int64(tt.rate)*int64(tt.n), int64(tt.n), 0.95)
			if *row.N != int64(tt.n) || *row.Rate != tt.rate || math.Abs(*row.CILow-lo) > 1e-9 || math.Abs(*row.CIHigh-hi) > 1e-9 {
				t.Errorf("n %d rate %v interval %v-%v; want n %d rate %v interval %v-%v",
					*row.N, *row.Rate, *row.CILow, *row.CIHigh, tt.n, tt.rate, lo, hi)
			}
			if *row.CILow >= *row.CIHigh {
				t.Errorf("the interval %v-%v is empty", *row.CILow, *row.CIHigh)
			}
		})
	}
}
