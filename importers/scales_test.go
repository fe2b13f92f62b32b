package importers

import (
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
)

// labels lists a scale's option labels with their polarity initial, e.g.
// "Very good+ Good+ Neither good nor poor= Poor- Very poor- Don't know x".
func labels(s analytics.Scale) string {
	mark := map[analytics.Polarity]string{analytics.Positive: "+", analytics.Neutral: "=",
		analytics.Negative: "-", analytics.Excluded: " x"}
	var parts []string
	for _, o := range s.Options {
		parts = append(parts, o.Label+mark[o.Polarity])
	}
	return strings.Join(parts, " ")
}

func TestRecognizeScale(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		scale  string // "" when no scale should be found
		want   string // labels() of the result, when given
	}{
		{"fft current", []string{"Very good", "Good", "Poor", "Don't know"}, "fft",
			"Very good+ Good+ Neither good nor poor= Poor- Very poor- Don't know x"},
		{"fft before 2020", []string{"Extremely likely", "Likely", "Neither likely nor unlikely", "Unlikely", "Extremely unlikely", "Don't know"}, "fft-likely",
			"Extremely likely+ Likely+ Neither likely nor unlikely= Unlikely- Extremely unlikely- Don't know x"},
		{"satisfied with odd spelling keeps the data's wording", []string{"very SATISFIED ", "Fairly satisfied.", "Very  dissatisfied"}, "satisfied-5",
			"very SATISFIED+ Fairly satisfied.+ Neither satisfied nor dissatisfied= Dissatisfied- Very  dissatisfied-"},
		{"ascs seven point", []string{"I am extremely satisfied", "I am very satisfied", "I am quite satisfied", "I am quite dissatisfied", "I am extremely dissatisfied"}, "satisfied-7",
			"I am extremely satisfied+ I am very satisfied+ I am quite satisfied+ I am neither satisfied nor dissatisfied= I am quite dissatisfied- I am very dissatisfied- I am extremely dissatisfied-"},
		{"seven point without I am", []string{"Extremely satisfied", "Quite satisfied", "Quite dissatisfied"}, "satisfied-7", ""},
		{"agree with neutral", []string{"Strongly agree", "Agree", "Neutral", "Strongly disagree"}, "agree-5", ""},
		{"agree tend to", []string{"Tend to agree", "Tend to disagree", "Prefer not to say"}, "agree-5", ""},
		{"good poor with fair", []string{"Very good", "Good", "Fair", "Poor"}, "good-poor-5", ""},
		{"gpps fairly good", []string{"Very good", "Fairly good", "Neither good nor poor", "Fairly poor", "Very poor"}, "good-poor-5", ""},
		{"easy five with curly haven't", []string{"Very easy", "Neither easy nor difficult", "Very difficult", "Haven’t tried"}, "easy-5",
			"Very easy+ Fairly easy+ Neither easy nor difficult= Fairly difficult- Very difficult- Haven’t tried x"},
		{"gpps easy four", []string{"Very easy", "Fairly easy", "Not very easy", "Not at all easy"}, "easy-4", ""},
		{"favourability us spelling", []string{"Very favorably", "Somewhat unfavorably", "Unfamiliar (N/A)"}, "favourable-5",
			"Very favorably+ Somewhat favourably+ Neither favourably nor unfavourably= Somewhat unfavorably- Very unfavourably- Unfamiliar (N/A) x"},
		{"kobo codes", []string{"likely", "neutral", "unlikely"}, "likely-3", "Likely+ Neutral= Unlikely-"},
		{"yes no with n/a", []string{"Yes", "No", "N/A"}, "yes-no", "Yes+ No- N/A x"},
		{"yes no with na and no answer", []string{"NA", "No", "Yes", "No answer"}, "yes-no", "Yes+ No- NA x No answer x"},
		{"zero to ten", []string{"0", "3", "7", "9", "10"}, "0-10", ""},
		{"zero to ten with labelled ends", []string{"0 - Not at all likely", "5", "10 - Extremely likely"}, "0-10", ""},
		{"zero to ten from xlsx floats", []string{"0.0", "8.0", "10.0"}, "0-10", ""},
		// Everyone gave the same answer: still the scale, its other options
		// known (issue 8, finding 2).
		{"only yes", []string{"Yes"}, "yes-no", "Yes+ No-"},
		{"only very satisfied", []string{"Very satisfied"}, "satisfied-5", ""},
		{"only no and don't know", []string{"No", "Don't know"}, "yes-no", "Yes+ No- Don't know x"},
		{"only neutral, polarity agreed", []string{"Neutral"}, "likely-3", ""},
		{"only excluded", []string{"Don't know", "N/A"}, "", ""},
		{"plain one to five", []string{"1", "2", "3", "4", "5"}, "", ""},
		{"one to ten without a zero", []string{"1", "5", "9", "10"}, "", ""},
		{"ranges are not numbers", []string{"0-1 hours", "3-4 hours", "9-10 hours"}, "", ""},
		{"stray value", []string{"Very satisfied", "Satisfied", "Apple"}, "", ""},
		{"unknown words", []string{"Lottery A", "Lottery B"}, "", ""},
		{"empty", nil, "", ""},
		{"blank cells only", []string{"", "  "}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ok := RecognizeScale(tt.values)
			if ok != (tt.scale != "") || s.Name != tt.scale {
				t.Fatalf("RecognizeScale(%q) = %q, %v; want %q", tt.values, s.Name, ok, tt.scale)
			}
			if tt.want != "" && labels(s) != tt.want {
				t.Errorf("options\n got %s\nwant %s", labels(s), tt.want)
			}
		})
	}
}

func TestRecognizeScaleScores(t *testing.T) {
	s, ok := RecognizeScale([]string{"Very satisfied", "Dissatisfied", "Don't know"})
	if !ok {
		t.Fatal("no scale")
	}
	wantScores := []float64{5, 4, 3, 2, 1, 0}
	for i, o := range s.Options {
		if o.Score != wantScores[i] {
			t.Errorf("option %q score %g, want %g", o.Label, o.Score, wantScores[i])
		}
	}
	if last := s.Options[len(s.Options)-1]; last.Polarity != analytics.Excluded || last.Label != "Don't know" {
		t.Errorf("last option %+v, want Don't know excluded", last)
	}

	s, _ = RecognizeScale([]string{"0", "6", "7", "9", "10", "Don't know"})
	if s.Name != "0-10" || len(s.Options) != 12 {
		t.Fatalf("0-10 scale %q with %d options, want 12", s.Name, len(s.Options))
	}
	for _, o := range s.Options[:11] {
		want := analytics.Negative
		switch o.Label {
		case "10", "9":
			want = analytics.Positive
		case "8", "7":
			want = analytics.Neutral
		}
		if o.Polarity != want || o.Label != strings.TrimSpace(o.Label) {
			t.Errorf("option %q polarity %s, want %s", o.Label, o.Polarity, want)
		}
	}
	if s.Options[0].Label != "10" || s.Options[0].Score != 10 || s.Options[10].Score != 0 {
		t.Errorf("0-10 runs %q (%g) to %q (%g), want 10 (10) to 0 (0)", s.Options[0].Label, s.Options[0].Score, s.Options[10].Label, s.Options[10].Score)
	}
}

func TestMatchOption(t *testing.T) {
	satisfied, _ := RecognizeScale([]string{"Very satisfied", "Satisfied", "Dissatisfied", "Don't know"})
	kobo, _ := RecognizeScale([]string{"likely", "neutral", "unlikely"})
	nps, _ := RecognizeScale([]string{"0", "5", "10"})
	qSat := &analytics.Question{Kind: analytics.KindScale, Scale: satisfied.Name, Options: satisfied.Options}
	qKobo := &analytics.Question{Kind: analytics.KindScale, Scale: kobo.Name, Options: kobo.Options}
	qNPS := &analytics.Question{Kind: analytics.KindScale, Scale: nps.Name, Options: nps.Options}
	qHours := &analytics.Question{Kind: analytics.KindSingle, Options: []analytics.Option{
		{Label: "1-2 hours"}, {Label: "12 hours"}, {Label: "-"}, {Label: "5.0"}, {Label: "-1"}, {Label: "1"}}}
	tests := []struct {
		name string
		q    *analytics.Question
		v    string
		want int
	}{
		{"exact", qSat, "Very satisfied", 0},
		{"case", qSat, "VERY SATISFIED", 0},
		{"spaces and dot", qSat, "  Very   satisfied. ", 0},
		{"alias of the scale", qSat, "Fairly satisfied", 1},
		{"curly apostrophe", qSat, "Don’t know", 5},
		{"no apostrophe", qSat, "dont know", 5},
		{"excluded alias", qSat, "Do not know", 5},
		{"other scale's word", qSat, "Very good", -1},
		{"blank", qSat, "  ", -1},
		{"code", qKobo, "likely", 0},
		{"label for code", qKobo, "Neutral", 1},
		{"number", qNPS, "7", 3},
		{"float number", qNPS, "7.0", 3},
		{"labelled end", qNPS, "10 - Extremely likely", 0},
		{"labelled zero", qNPS, "0 (Not at all likely)", 10},
		{"out of range", qNPS, "11", -1},
		{"range is not twelve", qHours, "12 hours", 1},
		{"range", qHours, "1 - 2 hours", 0},
		{"punctuation only", qHours, "-", 2},
		{"number form", qHours, "5", 3},
		{"negative", qHours, "-1", 4},
		{"positive", qHours, "1", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchOption(tt.q, tt.v); got != tt.want {
				t.Errorf("MatchOption(%q) = %d, want %d", tt.v, got, tt.want)
			}
			if got := NewOptionMatcher(tt.q).Match(tt.v); got != tt.want {
				t.Errorf("OptionMatcher.Match(%q) = %d, want %d", tt.v, got, tt.want)
			}
		})
	}
}

func TestMatchMulti(t *testing.T) {
	q := &analytics.Question{Kind: analytics.KindMulti, Options: []analytics.Option{
		{Label: "Pricing"}, {Label: "Operating system"}, {Label: "Yes, definitely"}, {Label: "Brand"}}}
	m := NewOptionMatcher(q)
	tests := []struct {
		v, sep    string
		want      []int
		unmatched []string
	}{
		{"Pricing;Operating system;Brand;", ";", []int{0, 1, 3}, nil},
		{"pricing; brand; pricing", "; ", []int{0, 3}, nil},
		{"Yes, definitely, Brand", ", ", []int{2, 3}, nil},
		{"Yes, definitely", ", ", []int{2}, nil},
		{"Brand, Colour", ", ", []int{3}, []string{"Colour"}},
		{"", ";", nil, nil},
	}
	for _, tt := range tests {
		got, unmatched := m.MatchMulti(tt.v, tt.sep)
		if !equalInts(got, tt.want) || strings.Join(unmatched, "|") != strings.Join(tt.unmatched, "|") {
			t.Errorf("MatchMulti(%q, %q) = %v, %q; want %v, %q", tt.v, tt.sep, got, unmatched, tt.want, tt.unmatched)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func BenchmarkOptionMatcher(b *testing.B) {
	s, _ := RecognizeScale([]string{"Very satisfied", "Satisfied", "Dissatisfied", "Don't know"})
	m := NewOptionMatcher(&analytics.Question{Kind: analytics.KindScale, Scale: s.Name, Options: s.Options})
	values := []string{"Very satisfied", "fairly satisfied", "Don’t know", "Neither satisfied nor dissatisfied"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Match(values[i%len(values)])
		i++
	}
}
