package api

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// equalityView compares the groups of every dimension with the rest of the
// survey, on the headline question's figure over the chosen dates.
type equalityView struct {
	layout
	Filters  filterForm
	Survey   string
	Question string
	Metric   string
	// Overall is the survey's figure that the groups are compared with.
	Overall    figureView
	Level      string
	Differ     []groupDifference
	Dimensions []dimensionSection
	Empty      string
	XLSX       string
	tables     []dashboards.Table
}

// groupDifference is a group whose figure differs from the rest of the
// survey beyond chance.
type groupDifference struct {
	Dimension, Group string
	Figure           figureView
	// Direction is "above" or "below".
	Direction string
	P         string
}

// dimensionSection is one dimension's breakdown.
type dimensionSection struct {
	ID, Name string
	Chart    dashboards.Chart
	// Groups link to the dashboard of each group.
	Groups []navLink
}

// buildEquality makes one report per dimension: the headline question
// broken down by it, all the chosen dates together.
func (s *Server) buildEquality(ctx context.Context, v surveyView) (equalityView, error) {
	f := v.query.filters()
	ev := equalityView{layout: s.surveyLayout(v, "Equality", "Equality"), Survey: v.survey.Name,
		XLSX: link(v.base()+"/equality.xlsx", f)}
	p := v.params
	p.Question, p.By = "", nil
	all, err := s.surveyReports(ctx, v.survey, p)
	if err != nil {
		return equalityView{}, err
	}
	if len(all.Reports) == 0 {
		ev.Filters = newFilterForm(v, v.base()+"/equality", nil)
		ev.Empty = "This survey has no scale question that heard can work out a figure for with these choices."
		return ev, nil
	}
	h, err := pickHeadline(all.Reports, v.query.Question)
	if err != nil {
		return equalityView{}, err
	}
	var choices []choice
	for i, rep := range all.Reports {
		choices = append(choices, choice{Value: rep.Question, Label: dashboards.OneLine(rep.QuestionText, 80), Selected: i == h})
	}
	ev.Filters = newFilterForm(v, v.base()+"/equality", choices)
	ev.Filters.Periods = nil // every group's figure covers all the chosen dates
	if period := strings.TrimSpace(v.query.Period); period != "" {
		ev.Filters.Hidden = append(ev.Filters.Hidden, hidden{"period", period})
	}
	ev.Question, ev.Metric = all.Reports[h].QuestionText, all.Reports[h].Metric.Name
	_, ds, err := s.store.Questions(ctx, v.survey.ID)
	if err != nil {
		return equalityView{}, err
	}
	if len(ds) == 0 {
		ev.Empty = "This survey has no columns that describe the people who answered (such as team, age band or ethnicity) to compare groups by."
		return ev, nil
	}
	ev.Charts = true
	p.Question, p.Period = all.Reports[h].Question, string(analytics.PeriodAll)
	for _, d := range ds {
		p.By = []string{d.Code}
		rep, err := s.surveyReport(ctx, v.survey, p)
		var ue *analytics.ParamError
		if v.params.Board && errors.As(err, &ue) {
			continue // a column the board does not see broken down
		}
		if err != nil {
			return equalityView{}, err
		}
		if err := ev.addDimension(rep, d, v.base(), f); err != nil {
			return equalityView{}, err
		}
	}
	return ev, nil
}

// addDimension adds a dimension's breakdown: its chart, the links to each
// group's dashboard and the groups that differ from the rest.
func (ev *equalityView) addDimension(rep report.JSON, d analytics.Dimension, base string, f url.Values) error {
	chart, err := dashboards.BreakdownChart(rep.Domain(), "", dashboards.Labels{ID: "chart-dim-" + d.Code,
		Subject: rep.QuestionText, By: d.Name, Source: rep.Survey, Made: time.Now()})
	if err != nil {
		return err
	}
	sec := dimensionSection{ID: "dim-" + d.Code, Name: d.Name, Chart: chart}
	overall, _ := latestRow(rep)
	if overall.Period != "" {
		ev.Overall = figureOf(rep, overall)
	}
	ev.Level = dashboards.Confidence(rep.Confidence)
	for _, r := range rep.Rows {
		if r.Group == analytics.AllGroup {
			continue
		}
		if r.Group != analytics.BlankGroup {
			sec.Groups = append(sec.Groups, navLink{Label: r.Group, Href: dimensionLink(base, f, d.Code, r.Group)})
		}
		if r.VsRestP != nil && *r.VsRestP < 1-rep.Confidence {
			dir := map[int]string{1: "above", -1: "below", 0: "different from"}[dashboards.RestDirection(rep.Metric.Measure, r, overall)]
			ev.Differ = append(ev.Differ, groupDifference{Dimension: d.Name, Group: r.Group,
				Figure: figureOf(rep, r), Direction: dir, P: dashboards.PValue(*r.VsRestP)})
		}
	}
	ev.Dimensions = append(ev.Dimensions, sec)
	ev.tables = append(ev.tables, chart.Table)
	return nil
}

// dimensionLink is the dashboard of one group of a dimension.
func dimensionLink(base string, f url.Values, code, group string) string {
	q := without(f)
	q.Add("where", code+"="+group)
	return link(base, q)
}
