package api

import (
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/api/report"
)

// TestOptionWords checks that "Don't know" is labelled as each figure
// counts it: left out of an agree/disagree figure, kept in the base of the
// Friends and Family Test's, as the NHS method does.
func TestOptionWords(t *testing.T) {
	fft := analytics.Question{Code: "rating", Kind: analytics.KindScale, Options: []analytics.Option{
		{Label: "Very good", Score: 5, Polarity: analytics.Positive}, {Label: "Good", Score: 4, Polarity: analytics.Positive},
		{Label: "Neither good nor poor", Score: 3, Polarity: analytics.Neutral}, {Label: "Poor", Score: 2, Polarity: analytics.Negative},
		{Label: "Very poor", Score: 1, Polarity: analytics.Negative}, {Label: "Don't know", Polarity: analytics.Excluded}}}
	agree := analytics.Question{Code: "agree", Kind: analytics.KindScale, Options: []analytics.Option{
		{Label: "Agree", Score: 2, Polarity: analytics.Positive}, {Label: "Disagree", Score: 1, Polarity: analytics.Negative},
		{Label: "Don't know", Polarity: analytics.Excluded}}}
	topBox := metricOf(fft, report.MetricJSON{Name: "Top 2 box", Preset: analytics.PresetTopBox, Excluded: []string{"Don't know"}})
	tests := []struct {
		name string
		q    analytics.Question
		m    *analytics.Metric
		want string
	}{
		{"FFT by default", fft, nil, "Don't know (counted in the base of the FFT % positive, as the NHS Friends and Family Test does)"},
		{"FFT question with a top-box figure", fft, &topBox, "Don't know (left out of figures)"},
		{"agree scale", agree, nil, "Agree (positive); Disagree (negative); Don't know (left out of figures)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := optionWords(tc.q, tc.m); !strings.HasSuffix(got, tc.want) {
				t.Errorf("optionWords = %q, want it to end %q", got, tc.want)
			}
		})
	}
	// The report's metric as the question page has it.
	m := metricOf(fft, report.MetricJSON{Name: "FFT % negative", Preset: analytics.PresetFFTNegative, Excluded: nil})
	if got := optionWords(fft, &m); !strings.Contains(got, "Don't know (counted in the base of the FFT % negative") {
		t.Errorf("with the FFT negative figure: %q", got)
	}
}

// TestPluralFuncs checks the count helpers the page templates call, on
// counts held as numbers and as the text a page shows.
func TestPluralFuncs(t *testing.T) {
	for _, tc := range []struct {
		n         any
		plural    string
		noun      string
		one       bool
		countText string
	}{
		{1, "1 problem", "problem", true, "1"},
		{int64(0), "0 problems", "problems", false, "0"},
		{"1", "1 problem", "problem", true, "1"},
		{"1,204", "1,204 problems", "problems", false, "1,204"},
		{3882, "3,882 problems", "problems", false, "3,882"},
	} {
		if got := pluralOf(tc.n, "problem"); got != tc.plural {
			t.Errorf("plural %v = %q, want %q", tc.n, got, tc.plural)
		}
		if got := nounOf(tc.n, "problem"); got != tc.noun {
			t.Errorf("noun %v = %q, want %q", tc.n, got, tc.noun)
		}
		if got := isOne(tc.n); got != tc.one {
			t.Errorf("one %v = %v", tc.n, got)
		}
		if got := countText(tc.n); got != tc.countText {
			t.Errorf("count %v = %q, want %q", tc.n, got, tc.countText)
		}
	}
}
