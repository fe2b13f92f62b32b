package analytics

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Measure says what a metric computes from the options it counts.
type Measure string

// The measures. A Metric with an empty Measure is a share.
const (
	// MeasureShare is Positive / base, a Rate with its Wilson interval.
	MeasureShare Measure = "share"
	// MeasureNPS is % Positive minus % Negative (promoters minus
	// detractors), from −1 to 1.
	MeasureNPS Measure = "nps"
	// MeasureMean is the mean of the options' scores over the base, with
	// its Student t interval.
	MeasureMean Measure = "mean"
)

// The metric presets, by the name used in URLs and saved metrics.
const (
	PresetTopBox      = "top-box"      // top 1 of 2-3 points, top 2 of 4-7, top 3 of 10-11
	PresetASCOF       = "ascof"        // extremely + very satisfied on the 7-point scale
	PresetFFTPositive = "fft-positive" // Very good + Good over all responses
	PresetFFTNegative = "fft-negative" // Poor + Very poor over all responses
	PresetAgree       = "agree"        // Strongly agree + Agree
	PresetYes         = "yes"          // Yes
	PresetPositive    = "positive"     // every option marked positive
	PresetNPS         = "nps"          // 9-10 minus 0-6 on the 0-10 scale
	PresetMean        = "mean"         // mean score
)

// ErrMetricMisfit is wrapped by the errors of MetricPreset, DefaultMetric
// and Metric.Validate when a metric cannot be computed on a question.
var ErrMetricMisfit = errors.New("the metric does not fit the question")

// Metric is what a figure counts: for one question, which options are
// positive (and, for NPS, negative) and which are left out of the base.
// Options are referred to by their index in the question's options. Answers
// to an option in neither Positive, Negative nor Excluded count in the base
// only. Saved with a survey as JSON, a metric is either a preset (Preset set)
// or the analyst's own choice of options (Preset empty).
type Metric struct {
	// Name is how the figure is titled, such as "FFT % positive".
	Name     string  `json:"name"`
	Preset   string  `json:"preset,omitempty"`
	Question string  `json:"question"`
	Measure  Measure `json:"measure,omitempty"`
	Positive []int   `json:"positive,omitempty"`
	Negative []int   `json:"negative,omitempty"`
	Excluded []int   `json:"excluded,omitempty"`
}

// MetricPresets lists the preset names that MetricPreset accepts.
func MetricPresets() []string {
	return []string{PresetTopBox, PresetASCOF, PresetFFTPositive, PresetFFTNegative,
		PresetAgree, PresetYes, PresetPositive, PresetNPS, PresetMean}
}

// MetricPreset returns the preset metric name for question q, or an error
// wrapping ErrMetricMisfit that says why it does not fit (ascof on a yes/no
// question, nps on a 5-point scale...).
func MetricPreset(name string, q Question) (Metric, error) {
	if q.Kind != KindScale && q.Kind != KindSingle {
		return Metric{}, fmt.Errorf("%w: question %q is a %s question; metrics count the options of a scale or single-choice question",
			ErrMetricMisfit, q.Code, q.Kind)
	}
	if !slices.Contains(MetricPresets(), name) {
		return Metric{}, fmt.Errorf("%q is not a metric preset: use one of %s", name, strings.Join(MetricPresets(), ", "))
	}
	m := Metric{Preset: name, Question: q.Code, Measure: MeasureShare, Excluded: excludedOptions(q)}
	ranked := rankedOptions(q)
	var need string
	switch name {
	case PresetFFTPositive, PresetFFTNegative, PresetNPS, PresetMean:
		need = m.fillOther(q, ranked)
	default:
		need = m.fillShare(q, ranked)
	}
	if need != "" {
		return Metric{}, misfit(q, name, need)
	}
	return m, nil
}

// fillShare sets the name and positive options of the share presets that
// keep the question's excluded options out of the base. When q lacks what
// the preset needs it returns a description of that instead.
func (m *Metric) fillShare(q Question, ranked []int) (need string) {
	var idx []int
	var ok bool
	switch m.Preset {
	case PresetTopBox:
		top := map[int]int{2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 7: 2, 10: 3, 11: 3}[len(ranked)]
		if q.Kind != KindScale || top == 0 {
			return "a scale of 2 to 7, 10 or 11 points"
		}
		m.Name, idx = fmt.Sprintf("Top %d box", top), ranked[:top]
	case PresetASCOF:
		if !isASCOF(q, ranked) {
			return `the 7-point satisfaction scale ("I am extremely satisfied" to "I am extremely dissatisfied")`
		}
		m.Name, idx = "ASCOF % extremely or very satisfied", ranked[:2]
	case PresetAgree:
		if idx, ok = optionsLabelled(q, "strongly agree", "agree"); !ok {
			return `the options "Strongly agree" and "Agree"`
		}
		m.Name = "% agree"
	case PresetYes:
		if idx, ok = optionsLabelled(q, "yes"); !ok {
			return `an option "Yes"`
		}
		m.Name = "% yes"
	case PresetPositive:
		idx = slices.DeleteFunc(slices.Clone(ranked), func(i int) bool { return q.Options[i].Polarity != Positive })
		if len(idx) == 0 {
			return "options marked positive"
		}
		m.Name = "% positive"
	}
	m.Positive = sorted(idx)
	return ""
}

// fillOther sets the name, measure and options of the FFT, NPS and mean
// presets, or returns what q lacks for them.
func (m *Metric) fillOther(q Question, ranked []int) (need string) {
	switch m.Preset {
	case PresetFFTPositive, PresetFFTNegative:
		labels, ok := fftOptions(q)
		if !ok {
			return `the Friends and Family Test options ("Very good" to "Very poor", or "Extremely likely" to "Extremely unlikely")`
		}
		// The FFT counts every response in the base, "Don't know" included.
		m.Excluded = nil
		m.Name, m.Positive = "FFT % positive", sorted(labels[:2])
		if m.Preset == PresetFFTNegative {
			m.Name, m.Positive = "FFT % negative", sorted(labels[2:])
		}
	case PresetNPS:
		if !isZeroToTen(q, ranked) {
			return "the 0-10 scale (options scored 0 to 10)"
		}
		m.Name, m.Measure = "Net Promoter Score", MeasureNPS
		for _, i := range ranked {
			if s := q.Options[i].Score; s >= 9 {
				m.Positive = append(m.Positive, i)
			} else if s <= 6 {
				m.Negative = append(m.Negative, i)
			}
		}
		m.Positive, m.Negative = sorted(m.Positive), sorted(m.Negative)
	case PresetMean:
		if q.Kind != KindScale || len(ranked) < 2 || q.Options[ranked[0]].Score == q.Options[ranked[len(ranked)-1]].Score {
			return "a scale whose options have different scores"
		}
		m.Name, m.Measure = "Mean score", MeasureMean
	}
	return ""
}

// DefaultMetric returns the metric a question is shown with until an
// analyst picks another: fft-positive for the Friends and Family Test,
// yes for a yes/no question, ascof for the 7-point satisfaction scale, agree
// for an agree/disagree scale, top-box for other scales (positive when the
// scale's length has no top box), and an error for anything else.
func DefaultMetric(q Question) (Metric, error) {
	var candidates []string
	if q.Kind == KindScale && q.Scale == ScaleCustom {
		// The analyst said which answers are positive.
		candidates = append(candidates, PresetPositive)
	}
	if _, ok := fftOptions(q); ok {
		candidates = append(candidates, PresetFFTPositive)
	}
	if _, ok := optionsLabelled(q, "yes", "no"); ok {
		candidates = append(candidates, PresetYes)
	}
	if q.Kind == KindScale {
		candidates = append(candidates, PresetASCOF, PresetAgree, PresetTopBox, PresetPositive)
	}
	for _, name := range candidates {
		if m, err := MetricPreset(name, q); err == nil {
			return m, nil
		}
	}
	return Metric{}, fmt.Errorf("%w: question %q has no default metric (it is a %s question without a Yes option or a scale); define one by choosing its positive options",
		ErrMetricMisfit, q.Code, q.Kind)
}

// Validate checks that the metric can be computed on q: every option index
// exists, no option is in two roles, there is something to count, and the
// measure suits the question.
func (m Metric) Validate(q Question) error {
	if q.Kind != KindScale && q.Kind != KindSingle {
		return fmt.Errorf("%w: question %q is a %s question; metrics count the options of a scale or single-choice question",
			ErrMetricMisfit, q.Code, q.Kind)
	}
	roles := []struct {
		name string
		idx  []int
	}{{"positive", m.Positive}, {"negative", m.Negative}, {"excluded", m.Excluded}}
	seen := make(map[int]string)
	for _, r := range roles {
		role := r.name
		for _, i := range r.idx {
			if i < 0 || i >= len(q.Options) {
				return fmt.Errorf("%w: metric %q names option %d, but question %q has options 0 to %d", ErrMetricMisfit, m.Name, i, q.Code, len(q.Options)-1)
			}
			if other, dup := seen[i]; dup {
				return fmt.Errorf("%w: metric %q puts option %q in both %s and %s; give each option one role", ErrMetricMisfit, m.Name, q.Options[i].Label, other, role)
			}
			seen[i] = role
		}
	}
	if len(m.Excluded) == len(q.Options) {
		return fmt.Errorf("%w: metric %q excludes every option of question %q, so nothing is left to count", ErrMetricMisfit, m.Name, q.Code)
	}
	switch m.Measure {
	case "", MeasureShare:
		if len(m.Positive) == 0 {
			return fmt.Errorf("%w: metric %q has no positive options; choose which options count as positive", ErrMetricMisfit, m.Name)
		}
	case MeasureNPS:
		if len(m.Positive) == 0 || len(m.Negative) == 0 {
			return fmt.Errorf("%w: metric %q is a net score and needs both positive and negative options", ErrMetricMisfit, m.Name)
		}
	case MeasureMean:
		if q.Kind != KindScale {
			return fmt.Errorf("%w: metric %q is a mean score and question %q is not a scale", ErrMetricMisfit, m.Name, q.Code)
		}
	default:
		return fmt.Errorf("%w: metric %q has measure %q; use share, nps or mean", ErrMetricMisfit, m.Name, m.Measure)
	}
	return nil
}

// misfit explains why preset does not fit q.
func misfit(q Question, preset, need string) error {
	labels := make([]string, len(q.Options))
	for i, o := range q.Options {
		labels[i] = strconv.Quote(o.Label)
	}
	return fmt.Errorf("%w: the %s metric needs %s, and question %q offers %s; pick another metric or choose its positive options yourself",
		ErrMetricMisfit, preset, need, q.Code, strings.Join(labels, ", "))
}

// normLabel reduces a label to lower case, straight apostrophes and single
// spaces, so that "Don’t  know" and "don't know" match.
func normLabel(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// optionsLabelled returns the indexes of the options with the given labels,
// in the labels' order, and whether every label was found.
func optionsLabelled(q Question, labels ...string) ([]int, bool) {
	idx := make([]int, 0, len(labels))
	for _, want := range labels {
		i := slices.IndexFunc(q.Options, func(o Option) bool { return normLabel(o.Label) == want && o.Polarity != Excluded })
		if i < 0 {
			return nil, false
		}
		idx = append(idx, i)
	}
	return idx, true
}

// fftOptions returns the FFT's two positive then two negative options, in
// the wording used from April 2020 or the one before.
func fftOptions(q Question) ([]int, bool) {
	if idx, ok := optionsLabelled(q, "very good", "good", "poor", "very poor"); ok {
		return idx, true
	}
	return optionsLabelled(q, "extremely likely", "likely", "unlikely", "extremely unlikely")
}

// isASCOF reports whether q is the 7-point satisfaction scale.
func isASCOF(q Question, ranked []int) bool {
	if q.Kind != KindScale || len(ranked) != 7 {
		return false
	}
	return q.Scale == "satisfied-7" ||
		strings.Contains(normLabel(q.Options[ranked[0]].Label), "extremely satisfied") &&
			strings.Contains(normLabel(q.Options[ranked[1]].Label), "very satisfied")
}

// isZeroToTen reports whether the ranked options are scored 10, 9, ... 0.
func isZeroToTen(q Question, ranked []int) bool {
	if q.Kind != KindScale || len(ranked) != 11 {
		return false
	}
	for k, i := range ranked {
		if q.Options[i].Score != float64(10-k) {
			return false
		}
	}
	return true
}

// excludedOptions returns the indexes of q's options marked excluded.
func excludedOptions(q Question) []int {
	var idx []int
	for i, o := range q.Options {
		if o.Polarity == Excluded {
			idx = append(idx, i)
		}
	}
	return idx
}

// rankedOptions returns the indexes of q's options that are not excluded,
// most positive first: by score, highest first, and by position among equal
// scores (options are listed most positive first). Options are ranked rather
// than taken by position because options are only ever appended, so one
// added later need not sit in its place.
func rankedOptions(q Question) []int {
	var idx []int
	for i, o := range q.Options {
		if o.Polarity != Excluded {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		sa, sb := q.Options[a].Score, q.Options[b].Score
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	return idx
}

// sorted returns a sorted copy of idx.
func sorted(idx []int) []int {
	out := slices.Clone(idx)
	slices.Sort(out)
	return out
}
