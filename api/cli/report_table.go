package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// writeReportTables writes reports as aligned tables for people, with a
// line saying what the figures are, a marker on significant differences
// and, for a whole survey, the questions left out.
func writeReportTables(w io.Writer, reports []report.JSON, all *report.SurveyReports) error {
	var b strings.Builder
	for i, rep := range reports {
		if i > 0 {
			fmt.Fprintln(&b)
		}
		writeReportTable(&b, rep)
	}
	if all != nil {
		if len(reports) == 0 {
			fmt.Fprintf(&b, "Survey %q has no scale question the metric fits.\n", all.Survey)
		}
		for _, s := range all.Skipped {
			fmt.Fprintf(&b, "\nLeft out %s: %s\n", s.Question, s.Reason)
		}
	}
	if _, err := io.WriteString(w, terminalSafe(b.String())); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// writeReportTable writes one report.
func writeReportTable(w io.Writer, rep report.JSON) {
	fmt.Fprintf(w, "%s — %s: %s\n", rep.Survey, rep.Question, dashboards.OneLine(rep.QuestionText, 100))
	fmt.Fprintf(w, "%s: %s\n", rep.Metric.Name, describeMetric(rep.Metric))
	fmt.Fprintln(w, describeScope(rep))
	if len(rep.Rows) == 0 {
		fmt.Fprintln(w, "No responses match.")
		return
	}
	grouped := len(rep.By) > 0
	alpha := 1 - rep.Confidence
	head := []string{"PERIOD", "GROUP", valueHeading(rep.Metric.Measure), dashboards.Confidence(rep.Confidence) + " INTERVAL",
		"BASE", countHeading(rep.Metric.Measure), "CHANGE", "VS REST"}
	right := []bool{false, false, true, true, true, true, false, false}
	byKey := make(map[[2]string]analytics.ReportRow, len(rep.Rows))
	overall := make(map[string]analytics.ReportRow)
	for _, r := range rep.Rows {
		byKey[[2]string{r.Period, r.Group}] = r
		if r.Group == analytics.AllGroup {
			overall[r.Period] = r
		}
	}
	lines := [][]string{head}
	marked := false
	for _, r := range rep.Rows {
		line := []string{r.Period, groupName(r.Group), "", "", "", "", "", ""}
		switch {
		case r.Suppressed:
			line[2] = "suppressed"
		case r.Rate == nil:
			line[2] = "no answers"
		default:
			line[2] = dashboards.Value(rep.Metric.Measure, *r.Rate, false)
			line[3] = dashboards.Interval(rep.Metric.Measure, r.CILow, r.CIHigh)
			line[4] = dashboards.Thousands(*r.N)
			line[5] = countCell(rep.Metric.Measure, r)
		}
		if prev, err := analytics.Previous(rep.Period, r.Period); err == nil && r.ChangeP != nil && *r.ChangeP < alpha {
			line[6] = marker(dashboards.Direction(r.Rate, byKey[[2]string{prev, r.Group}].Rate), "up", "down", *r.ChangeP)
			marked = true
		}
		if r.VsRestP != nil && *r.VsRestP < alpha {
			line[7] = marker(dashboards.RestDirection(rep.Metric.Measure, r, overall[r.Period]), "above", "below", *r.VsRestP)
			marked = true
		}
		lines = append(lines, line)
	}
	keep := []int{0}
	if grouped {
		keep = append(keep, 1)
	}
	keep = append(keep, 2, 3, 4)
	if head[5] != "" {
		keep = append(keep, 5)
	}
	keep = append(keep, 6)
	if grouped {
		keep = append(keep, 7)
	}
	writeAligned(w, lines, right, keep)
	if marked {
		fmt.Fprintf(w, "▲ ▼ differ beyond chance (p < %g): CHANGE from the period before, VS REST from the other groups"+
			" of the period (Holm-adjusted).\n", dashboards.Round(alpha, 4))
	}
	if rep.Board {
		fmt.Fprintf(w, "Disclosure control: figures on fewer than %d answers, counts of 1 to %d and what would reveal them are suppressed.\n",
			rep.Disclosure.MinBase, rep.Disclosure.SmallCount-1)
	}
}

// describeMetric says which options a metric counts.
func describeMetric(m report.MetricJSON) string {
	var s string
	switch m.Measure {
	case analytics.MeasureMean:
		s = "the mean score of the answers"
	case analytics.MeasureNPS:
		s = fmt.Sprintf("%% %s minus %% %s", strings.Join(m.Positive, ", "), strings.Join(m.Negative, ", "))
	default:
		s = strings.Join(m.Positive, ", ") + " as a share of the answers"
	}
	if len(m.Excluded) > 0 {
		return s + "; not counted: " + strings.Join(m.Excluded, ", ")
	}
	return s + "; every answer counted"
}

// describeScope says which responses a report covers.
func describeScope(rep report.JSON) string {
	parts := []string{"By " + dashboards.PeriodName(rep.Period)}
	if len(rep.By) > 0 {
		parts[0] += " and " + strings.Join(rep.By, byJoiner)
	}
	switch {
	case rep.From != "" && rep.To != "":
		parts = append(parts, "from "+rep.From+" to "+rep.To)
	case rep.From != "":
		parts = append(parts, "from "+rep.From)
	case rep.To != "":
		parts = append(parts, "up to "+rep.To)
	}
	if len(rep.Where) > 0 {
		parts = append(parts, "where "+strings.Join(rep.Where, ", "))
	}
	if rep.IncludePartial {
		parts = append(parts, "complete and partial responses")
	} else {
		parts = append(parts, "complete responses only")
	}
	if rep.Undated > 0 && rep.Period != analytics.PeriodAll {
		parts = append(parts, dashboards.Thousands(rep.Undated)+" without a date left out")
	}
	return strings.Join(parts, " · ")
}

// byJoiner joins the columns of a breakdown in descriptions.
const byJoiner = " × "

func groupName(g string) string {
	return dashboards.OneLine(dashboards.GroupLabel(g), 40)
}

func valueHeading(m analytics.Measure) string {
	switch m {
	case analytics.MeasureMean:
		return "MEAN"
	case analytics.MeasureNPS:
		return "NPS"
	}
	return "RATE"
}

func countHeading(m analytics.Measure) string {
	switch m {
	case analytics.MeasureMean:
		return ""
	case analytics.MeasureNPS:
		return "PROMOTERS/DETRACTORS"
	}
	return "POSITIVE"
}

func countCell(m analytics.Measure, r analytics.ReportRow) string {
	switch {
	case m == analytics.MeasureNPS && r.Positive != nil && r.Negative != nil:
		return dashboards.Thousands(*r.Positive) + "/" + dashboards.Thousands(*r.Negative)
	case r.Positive != nil && m != analytics.MeasureMean:
		return dashboards.Thousands(*r.Positive)
	}
	return ""
}

func marker(dir int, up, down string, p float64) string {
	switch dir {
	case 1:
		return "▲ " + up + " " + dashboards.PValue(p)
	case -1:
		return "▼ " + down + " " + dashboards.PValue(p)
	}
	return dashboards.PValue(p)
}

// writeAligned writes the kept columns of lines padded to a common width,
// right-aligned where right says, two spaces apart.
func writeAligned(w io.Writer, lines [][]string, right []bool, keep []int) {
	width := make([]int, len(right))
	for _, l := range lines {
		for _, c := range keep {
			width[c] = max(width[c], utf8.RuneCountInString(l[c]))
		}
	}
	for _, l := range lines {
		var b strings.Builder
		for k, c := range keep {
			if k > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[c]-utf8.RuneCountInString(l[c]))
			if right[c] {
				b.WriteString(pad + l[c])
			} else {
				b.WriteString(l[c] + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
