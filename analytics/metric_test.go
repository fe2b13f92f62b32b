package analytics

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// scale builds a scale question from labels, most positive first, scored
// from len−1 down to 0, with polarities pos, neu, neg... given per option
// and excluded options appended after.
func scale(code, name string, pols []Polarity, labels []string, excluded ...string) Question {
	q := Question{Code: code, Text: code, Kind: KindScale, Scale: name}
	for i, l := range labels {
		q.Options = append(q.Options, Option{Label: l, Score: float64(len(labels) - 1 - i), Polarity: pols[i]})
	}
	for _, l := range excluded {
		q.Options = append(q.Options, Option{Label: l, Polarity: Excluded})
	}
	return q
}

// polarities is p positive, u neutral and n negative options, in order.
func polarities(p, u, n int) []Polarity {
	var out []Polarity
	for range p {
		out = append(out, Positive)
	}
	for range u {
		out = append(out, Neutral)
	}
	for range n {
		out = append(out, Negative)
	}
	return out
}

// The realistic questions of the tests.

func fftCurrent() Question {
	return scale("fft", "fft", polarities(2, 1, 2),
		[]string{"Very good", "Good", "Neither good nor poor", "Poor", "Very poor"}, "Don’t know")
}

func fftPre2020() Question {
	q := scale("fft_old", "fft-2015", polarities(2, 1, 2),
		[]string{"Extremely likely", "Likely", "Neither likely nor unlikely", "Unlikely", "Extremely unlikely"}, "Don't know")
	q.Text = "How likely are you to recommend our service to friends and family if they needed similar care or treatment?"
	return q
}

func ascof7() Question {
	return scale("q1", "satisfied-7", polarities(3, 1, 3), []string{
		"I am extremely satisfied", "I am very satisfied", "I am quite satisfied",
		"I am neither satisfied nor dissatisfied", "I am quite dissatisfied",
		"I am very dissatisfied", "I am extremely dissatisfied"})
}

func yesNo() Question {
	q := scale("involved", "yes-no", polarities(1, 0, 1), []string{"Yes", "No"}, "Don't know")
	q.Text = "Were you involved in decisions about your care?"
	return q
}

func agree5() Question {
	return scale("listened", "agree-5", polarities(2, 1, 2),
		[]string{"Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"}, "Not applicable")
}

func zeroToTen() Question {
	q := Question{Code: "recommend", Kind: KindScale, Scale: "0-10"}
	for s := 10; s >= 0; s-- {
		pol := Neutral
		if s >= 9 {
			pol = Positive
		} else if s <= 6 {
			pol = Negative
		}
		q.Options = append(q.Options, Option{Label: fmt.Sprint(s), Code: fmt.Sprint(s), Score: float64(s), Polarity: pol})
	}
	q.Options = append(q.Options, Option{Label: "Don't know", Polarity: Excluded})
	return q
}

// optionScored returns the index of q's option with the given score.
func optionScored(t testing.TB, q Question, score float64) int {
	t.Helper()
	i := slices.IndexFunc(q.Options, func(o Option) bool { return o.Score == score && o.Polarity != Excluded })
	if i < 0 {
		t.Fatalf("question %s has no option scored %g", q.Code, score)
	}
	return i
}

// labelsOf returns the labels of q's options at idx.
func labelsOf(q Question, idx []int) []string {
	out := []string{}
	for _, i := range idx {
		out = append(out, q.Options[i].Label)
	}
	return out
}

func TestMetricPreset(t *testing.T) {
	fourPoint := scale("q4", "", polarities(2, 0, 2), []string{"Very satisfied", "Satisfied", "Dissatisfied", "Very dissatisfied"})
	threePoint := scale("q3", "", polarities(1, 1, 1), []string{"Better", "Same", "Worse"}, "Don't know")
	tests := []struct {
		name     string
		preset   string
		q        Question
		measure  Measure
		positive []string
		negative []string
		excluded []string
	}{
		{"fft positive", PresetFFTPositive, fftCurrent(), MeasureShare, []string{"Very good", "Good"}, nil, nil},
		{"fft negative", PresetFFTNegative, fftCurrent(), MeasureShare, []string{"Poor", "Very poor"}, nil, nil},
		{"fft positive before 2020", PresetFFTPositive, fftPre2020(), MeasureShare, []string{"Extremely likely", "Likely"}, nil, nil},
		{"fft negative before 2020", PresetFFTNegative, fftPre2020(), MeasureShare, []string{"Unlikely", "Extremely unlikely"}, nil, nil},
		{"ascof", PresetASCOF, ascof7(), MeasureShare, []string{"I am extremely satisfied", "I am very satisfied"}, nil, nil},
		{"top box of 7 points", PresetTopBox, ascof7(), MeasureShare, []string{"I am extremely satisfied", "I am very satisfied"}, nil, nil},
		{"top box of 5 points", PresetTopBox, agree5(), MeasureShare, []string{"Strongly agree", "Agree"}, nil, []string{"Not applicable"}},
		{"top box of 4 points", PresetTopBox, fourPoint, MeasureShare, []string{"Very satisfied", "Satisfied"}, nil, nil},
		{"top box of 3 points", PresetTopBox, threePoint, MeasureShare, []string{"Better"}, nil, []string{"Don't know"}},
		{"top box of 0-10", PresetTopBox, zeroToTen(), MeasureShare, []string{"10", "9", "8"}, nil, []string{"Don't know"}},
		{"agree", PresetAgree, agree5(), MeasureShare, []string{"Strongly agree", "Agree"}, nil, []string{"Not applicable"}},
		{"yes", PresetYes, yesNo(), MeasureShare, []string{"Yes"}, nil, []string{"Don't know"}},
		{"positive polarity", PresetPositive, ascof7(), MeasureShare,
			[]string{"I am extremely satisfied", "I am very satisfied", "I am quite satisfied"}, nil, nil},
		{"nps", PresetNPS, zeroToTen(), MeasureNPS, []string{"10", "9"},
			[]string{"6", "5", "4", "3", "2", "1", "0"}, []string{"Don't know"}},
		{"mean", PresetMean, agree5(), MeasureMean, []string{}, nil, []string{"Not applicable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := MetricPreset(tt.preset, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if m.Preset != tt.preset || m.Question != tt.q.Code || m.Measure != tt.measure || m.Name == "" {
				t.Errorf("metric = %+v", m)
			}
			if got := labelsOf(tt.q, m.Positive); !slices.Equal(got, tt.positive) {
				t.Errorf("positive = %q, want %q", got, tt.positive)
			}
			if got := labelsOf(tt.q, m.Negative); !slices.Equal(got, append([]string{}, tt.negative...)) {
				t.Errorf("negative = %q, want %q", got, tt.negative)
			}
			if got := labelsOf(tt.q, m.Excluded); !slices.Equal(got, append([]string{}, tt.excluded...)) {
				t.Errorf("excluded = %q, want %q", got, tt.excluded)
			}
			if err := m.Validate(tt.q); err != nil {
				t.Errorf("the preset does not validate: %v", err)
			}
		})
	}
}

func TestTopBoxRanksByScore(t *testing.T) {
	// An option appended later ("Excellent", scored highest) still counts
	// as the top of the scale although it is listed last.
	q := scale("q", "", polarities(1, 1, 1), []string{"Good", "Fair", "Poor"})
	q.Options = append(q.Options, Option{Label: "Excellent", Score: 3, Polarity: Positive})
	m, err := MetricPreset(PresetTopBox, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := labelsOf(q, m.Positive); !slices.Equal(got, []string{"Good", "Excellent"}) {
		t.Errorf("positive = %q, want Good and Excellent", got)
	}
}

func TestMetricPresetMisfit(t *testing.T) {
	text := Question{Code: "comments", Kind: KindText}
	nine := scale("q9", "", polarities(4, 1, 4), strings.Fields("a b c d e f g h i"))
	tests := []struct {
		name, preset string
		q            Question
		says         string
	}{
		{"ascof on yes/no", PresetASCOF, yesNo(), "7-point satisfaction scale"},
		{"ascof on a 5-point scale", PresetASCOF, agree5(), "7-point satisfaction scale"},
		{"fft on ascof", PresetFFTPositive, ascof7(), "Friends and Family Test"},
		{"nps on fft", PresetNPS, fftCurrent(), "0-10 scale"},
		{"agree on fft", PresetAgree, fftCurrent(), "Strongly agree"},
		{"yes on agree", PresetYes, agree5(), `"Yes"`},
		{"top box of 9 points", PresetTopBox, nine, "2 to 7, 10 or 11 points"},
		{"free text", PresetTopBox, text, "text question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := MetricPreset(tt.preset, tt.q)
			if !errors.Is(err, ErrMetricMisfit) {
				t.Fatalf("err = %v, want ErrMetricMisfit", err)
			}
			if !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), tt.q.Code) {
				t.Errorf("error %q should mention %q and the question code", err, tt.says)
			}
		})
	}
	if _, err := MetricPreset("top-3", agree5()); err == nil || !strings.Contains(err.Error(), PresetTopBox) {
		t.Errorf("unknown preset: err = %v, want the list of presets", err)
	}
}

func TestDefaultMetric(t *testing.T) {
	gender := Question{Code: "gender", Kind: KindSingle, Options: []Option{{Label: "Woman"}, {Label: "Man"}}}
	single := Question{Code: "carer", Kind: KindSingle, Options: []Option{{Label: "yes"}, {Label: "NO"}}}
	tests := []struct {
		name   string
		q      Question
		preset string
	}{
		{"fft", fftCurrent(), PresetFFTPositive},
		{"fft before 2020", fftPre2020(), PresetFFTPositive},
		{"yes/no scale", yesNo(), PresetYes},
		{"yes/no single choice", single, PresetYes},
		{"ascof", ascof7(), PresetASCOF},
		{"agree", agree5(), PresetAgree},
		{"0-10", zeroToTen(), PresetTopBox},
		{"nine points fall back to positive", scale("q9", "", polarities(4, 1, 4), strings.Fields("a b c d e f g h i")), PresetPositive},
		{"unordered choice", gender, ""},
		{"free text", Question{Code: "why", Kind: KindText}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DefaultMetric(tt.q)
			if tt.preset == "" {
				if !errors.Is(err, ErrMetricMisfit) {
					t.Fatalf("DefaultMetric = %+v, %v; want ErrMetricMisfit", m, err)
				}
				return
			}
			if err != nil || m.Preset != tt.preset {
				t.Fatalf("DefaultMetric = %+v, %v; want preset %s", m, err, tt.preset)
			}
		})
	}
}

func TestMetricValidate(t *testing.T) {
	q := agree5()
	tests := []struct {
		name string
		m    Metric
		ok   bool
	}{
		{"custom top 3", Metric{Name: "Agree at all", Positive: []int{0, 1, 2}, Excluded: []int{5}}, true},
		{"out of range", Metric{Name: "x", Positive: []int{9}}, false},
		{"two roles", Metric{Name: "x", Positive: []int{0, 5}, Excluded: []int{5}}, false},
		{"no positive", Metric{Name: "x", Excluded: []int{5}}, false},
		{"nps without negative", Metric{Name: "x", Measure: MeasureNPS, Positive: []int{0}}, false},
		{"everything excluded", Metric{Name: "x", Positive: []int{0}, Excluded: []int{1, 2, 3, 4, 5, 0}}, false},
		{"unknown measure", Metric{Name: "x", Measure: "median", Positive: []int{0}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.Validate(q)
			if (err == nil) != tt.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrMetricMisfit) {
				t.Errorf("err %v does not wrap ErrMetricMisfit", err)
			}
		})
	}
}

func TestMetricJSON(t *testing.T) {
	m, err := MetricPreset(PresetNPS, zeroToTen())
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Metric
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Name != m.Name || back.Measure != m.Measure || !slices.Equal(back.Positive, m.Positive) ||
		!slices.Equal(back.Negative, m.Negative) || !slices.Equal(back.Excluded, m.Excluded) {
		t.Errorf("round trip through %s gave %+v, want %+v", data, back, m)
	}
	if !strings.Contains(string(data), `"preset":"nps"`) {
		t.Errorf("JSON %s lacks the preset", data)
	}
}
