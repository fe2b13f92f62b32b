package dashboards

import (
	"testing"

	"github.com/heard-council/heard/analytics"
)

// TestNaturalFrequency: shares as "about N in 10", exact tenths without
// "about", small and large shares in 100, and the ends.
func TestNaturalFrequency(t *testing.T) {
	tests := []struct {
		name  string
		share float64
		want  string
	}{
		{"77% rounds up", 0.77, "about 8 in 10"},
		{"74% rounds down", 0.74, "about 7 in 10"},
		{"a half exactly", 0.5, "5 in 10"},
		{"a ratio of counts at a half of a tenth rounds up", 207.0 / 276, "about 8 in 10"}, // 75%
		{"35% at a half", 7.0 / 20, "about 4 in 10"},
		{"exactly 9 in 10", 0.9, "9 in 10"},
		{"94% is still about 9 in 10", 0.94, "about 9 in 10"},
		{"96.3% would round to 10 in 10", 0.963, "about 96 in 100"},
		{"96% exactly", 0.96, "96 in 100"},
		{"99.4%", 0.994, "about 99 in 100"},
		{"99.6% is almost all", 0.996, "almost all"},
		{"100%", 1, "all"},
		{"3%", 0.03, "3 in 100"},
		{"3.4%", 0.034, "about 3 in 100"},
		{"5% is not about 1 in 10", 0.05, "5 in 100"},
		{"9.5% rounds to 10 in 100, about 1 in 10", 0.095, "about 1 in 10"},
		{"0.4%", 0.004, "fewer than 1 in 100"},
		{"none", 0, "none"},
	}
	for _, tc := range tests {
		if got := NaturalFrequency(tc.share); got != tc.want {
			t.Errorf("%s: NaturalFrequency(%v) = %q, want %q", tc.name, tc.share, got, tc.want)
		}
	}
}

// TestHeadlineSentence: the board's headline in one sentence, with the
// figure, its base and its period, for each measure and for the ends.
func TestHeadlineSentence(t *testing.T) {
	satisfied := []string{"Very satisfied", "Fairly satisfied"}
	tests := []struct {
		name     string
		m        analytics.Measure
		positive []string
		rate     float64
		n        int64
		want     string
	}{
		{"the issue's example", analytics.MeasureShare, []string{"Satisfied", "Very satisfied"}, 160.0 / 207, 207,
			"About 8 in 10 people (77.3%, 207 answers) were satisfied in March 2025."},
		{"kinds of satisfied", analytics.MeasureShare, satisfied, 160.0 / 207, 207,
			"About 8 in 10 people (77.3%, 207 answers) were very or fairly satisfied in March 2025."},
		{"ASCOF", analytics.MeasureShare, []string{"Extremely satisfied", "Very satisfied"}, 0.5, 20,
			"5 in 10 people (50.0%, 20 answers) were extremely or very satisfied in March 2025."},
		{"ASCOF's own words", analytics.MeasureShare, []string{"I am extremely satisfied", "I am very satisfied"}, 0.5, 20,
			"5 in 10 people (50.0%, 20 answers) were extremely or very satisfied in March 2025."},
		{"I am satisfied", analytics.MeasureShare, []string{"I am satisfied"}, 0.5, 20,
			"5 in 10 people (50.0%, 20 answers) were satisfied in March 2025."},
		{"strongly agree", analytics.MeasureShare, []string{"Strongly agree"}, 0.25, 20,
			"About 3 in 10 people (25.0%, 20 answers) strongly agreed in March 2025."},
		{"all", analytics.MeasureShare, satisfied, 1, 25, "All 25 people (100.0%, 25 answers) were very or fairly satisfied in March 2025."},
		{"none", "", []string{"Satisfied"}, 0, 1204, "None of the 1,204 people (0.0%, 1,204 answers) were satisfied in March 2025."},
		{"small", analytics.MeasureShare, []string{"Strongly agree", "Agree"}, 0.03, 300,
			"3 in 100 people (3.0%, 300 answers) agreed in March 2025."},
		{"not agree is not agreed", analytics.MeasureShare, []string{"Neither agree nor disagree"}, 0.5, 10,
			"5 in 10 people (50.0%, 10 answers) answered “Neither agree nor disagree” in March 2025."},
		{"yes", analytics.MeasureShare, []string{"Yes"}, 0.9, 10, "9 in 10 people (90.0%, 10 answers) answered yes in March 2025."},
		{"other answers are quoted", analytics.MeasureShare, []string{"Very good", "Good", "Fine"}, 0.62, 50,
			"About 6 in 10 people (62.0%, 50 answers) answered “Very good”, “Good” or “Fine” in March 2025."},
		{"dissatisfied is not satisfied", analytics.MeasureShare, []string{"Very dissatisfied"}, 0.12, 100,
			"About 1 in 10 people (12.0%, 100 answers) answered “Very dissatisfied” in March 2025."},
		{"nps", analytics.MeasureNPS, nil, 0.125, 80,
			"The Net Promoter Score was +12.5 in March 2025 (80 answers): the share of people who would recommend the service minus the share who would not."},
		{"mean", analytics.MeasureMean, nil, 3.456, 1, "The average score was 3.46 in March 2025 (1 answer)."},
	}
	for _, tc := range tests {
		if got := HeadlineSentence(tc.m, tc.positive, tc.rate, tc.n, "March 2025"); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestEarlierSentence: an earlier figure in words, with "also" when it
// reads as the same natural frequency as the later one, and the ends, an
// NPS and a mean said as what they are.
func TestEarlierSentence(t *testing.T) {
	const when = "A year earlier, in May 2023"
	tests := []struct {
		name     string
		m        analytics.Measure
		now, was float64
		n        int64
		want     string
	}{
		{"a different tenth", analytics.MeasureShare, 0.931, 0.79, 380,
			"A year earlier, in May 2023, it was about 8 in 10 (79.0%, 380 answers)."},
		{"the same tenth", analytics.MeasureShare, 0.931, 0.88, 1204,
			"A year earlier, in May 2023, it was also about 9 in 10 (88.0%, 1,204 answers)."},
		{"one answer", "", 0.5, 0.5, 1, "A year earlier, in May 2023, it was also 5 in 10 (50.0%, 1 answer)."},
		{"all", analytics.MeasureShare, 0.9, 1, 40, "A year earlier, in May 2023, it was all of them (100.0%, 40 answers)."},
		{"none", analytics.MeasureShare, 0.2, 0, 40, "A year earlier, in May 2023, it was none of them (0.0%, 40 answers)."},
		{"NPS", analytics.MeasureNPS, 0.3, 0.125, 380, "A year earlier, in May 2023, the Net Promoter Score was +12.5 (380 answers)."},
		{"mean", analytics.MeasureMean, 3.1, 3.45, 380, "A year earlier, in May 2023, the average score was 3.45 (380 answers)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := EarlierSentence(tt.m, tt.now, tt.was, tt.n, when); got != tt.want {
				t.Errorf("EarlierSentence = %q\nwant %q", got, tt.want)
			}
		})
	}
}
