package dashboards

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// distData is the decoded segment values of a distribution, by option and
// period (nil: no segment).
func distData(tb testing.TB, c Chart) [][]*float64 {
	tb.Helper()
	var d struct {
		Option struct {
			Series []struct {
				Data []*struct{ Value float64 }
			}
		}
	}
	if err := jsonUnmarshal(c.JSON, &d); err != nil {
		tb.Fatal(err)
	}
	out := make([][]*float64, len(d.Option.Series))
	for i, s := range d.Option.Series {
		for _, p := range s.Data {
			if p == nil {
				out[i] = append(out[i], nil)
			} else {
				out[i] = append(out[i], &p.Value)
			}
		}
	}
	return out
}

func TestDistributionChart(t *testing.T) {
	q := question(t, "Overall satisfaction")
	counts := append(monthly("North", map[string][6]int64{
		"2024-01": {30, 20, 10, 10, 10, 20},
		"2024-02": {30, 20, 10, 10, 2, 20}, // a count of 2: the board hides February
	}), monthly("South", map[string][6]int64{
		"2024-01": {10, 0, 0, 0, 0, 0},
		"2024-02": {10, 0, 0, 0, 0, 0},
	})...)
	tests := []struct {
		name   string
		board  bool
		jan    []float64 // shares of January, in percent
		feb    bool      // February shown
		title  string
		period analytics.PeriodKind
	}{
		{"staff", false, []float64{36.4, 18.2, 9.1, 9.1, 9.1, 18.2}, true,
			"Overall satisfaction — share of each answer by month (n = 212)", analytics.PeriodMonth},
		{"board", true, []float64{36.4, 18.2, 9.1, 9.1, 9.1, 18.2}, false,
			"Overall satisfaction — share of each answer by month (n = 110)", analytics.PeriodMonth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := must(t)(DistributionChart(q, counts, analytics.ReportOptions{Board: tc.board, Period: tc.period},
				Labels{ID: "answers", Subject: q.Text}))
			if c.Title != tc.title {
				t.Errorf("title %q, want %q", c.Title, tc.title)
			}
			data := distData(t, c)
			var sum float64
			for o, want := range tc.jan {
				if data[o][0] == nil || *data[o][0] != want {
					t.Errorf("January, option %d: %v, want %v", o, deref(data[o][:1]), want)
				} else {
					sum += *data[o][0]
				}
				if (data[o][1] != nil) != tc.feb {
					t.Errorf("February, option %d: %v, shown %v", o, deref(data[o][1:2]), tc.feb)
				}
			}
			if math.Abs(sum-100) > 0.3 {
				t.Errorf("January's shares add up to %v", sum)
			}
			feb := c.Table.Rows[1]
			if tc.feb == (feb[len(feb)-1].Text == "Suppressed: too few answers to publish") || tc.feb == (feb[1].Value == nil) {
				t.Errorf("February's row %+v", feb)
			}
			want := []string{"Period", "Very satisfied", "Satisfied", "Neither", "Dissatisfied", "Very dissatisfied",
				"Don't know", "Answers (n)", "Note"}
			if !slices.Equal(c.Table.Columns, want) || *c.Table.Rows[0][1].Value != 0.364 || *c.Table.Rows[0][7].Value != 110 {
				t.Errorf("table %q, first row %+v", c.Table.Columns, c.Table.Rows[0])
			}
			d := decode(t, c)
			if !slices.Contains(d.Tooltips[0], "Very satisfied: 36.4% (40)") {
				t.Errorf("tooltip %q", d.Tooltips[0])
			}
		})
	}
}

func TestDistributionOverall(t *testing.T) {
	q := question(t, "Q")
	c := must(t)(DistributionChart(q, countsFor(3, []string{"A", "B"}), analytics.ReportOptions{Period: analytics.PeriodAll}, Labels{}))
	d := decode(t, c)
	if len(c.Table.Rows) != 1 || c.Table.Rows[0][0].Text != "All periods" || len(d.Option.YAxis[0].Data) != 1 ||
		strings.Contains(c.Title, " by ") {
		t.Errorf("rows %d, axis %q, title %q", len(c.Table.Rows), d.Option.YAxis[0].Data, c.Title)
	}
}

func TestDistributionNeedsOptions(t *testing.T) {
	q := analytics.Question{Code: "comments", Kind: analytics.KindText}
	if _, err := DistributionChart(q, nil, analytics.ReportOptions{}, Labels{}); err == nil ||
		!strings.Contains(err.Error(), `question "comments"`) {
		t.Errorf("error %v, want one naming the question", err)
	}
}

func TestOptionColours(t *testing.T) {
	tests := []struct {
		name string
		q    analytics.Question
		want []string
	}{
		{"scale", question(t, "Q"), []string{"#08306b", "#3a78c2", colourNeutral, "#cc4c02", "#67000d", colourExcluded}},
		{"choice", analytics.Question{Kind: analytics.KindSingle, Options: []analytics.Option{{Label: "a"}, {Label: "b"}}},
			categorical()[:2]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := optionColours(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("colours %q, want %q", got, tc.want)
			}
		})
	}
}
