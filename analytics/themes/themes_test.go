package themes

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestSaysNothing(t *testing.T) {
	for _, text := range []string{"", "  ", "N/A", "n/a", "NA", "None.", "no comment", "No comments!",
		"-", "--", "nil", "Not applicable", "Nothing to add.", "\u00a0N/A\r\n", "Don't know"} {
		if !SaysNothing(text) {
			t.Errorf("SaysNothing(%q) = false, want true", text)
		}
	}
	// "Nothing" and "No" answer "what could we do better?": the model
	// gives them a theme (in the NHS file, positive experience).
	for _, text := range []string{"No parking", "nothing was explained", "Nobody listened", "The nurse was kind",
		"none of the staff helped", "N/A the doctor was late", "Na na", "Nothing was too much trouble", "Nothing",
		"nothing at all", "No."} {
		if SaysNothing(text) {
			t.Errorf("SaysNothing(%q) = true, want false", text)
		}
	}
}

func TestParseSentiment(t *testing.T) {
	cases := map[string]string{
		"positive": Positive, "Positive": Positive, " MIXED ": Mixed, "negative": Negative,
		"1": Positive, "2": Positive, "3": Mixed, "4": Negative, "5": Negative, "\u00a05": Negative,
	}
	for in, want := range cases {
		got, ok := ParseSentiment(in)
		if !ok || got != want {
			t.Errorf("ParseSentiment(%q) = %q, %v; want %q, true", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "6", "good", "neutral", "1;2"} {
		if got, ok := ParseSentiment(in); ok {
			t.Errorf("ParseSentiment(%q) = %q, true; want false", in, got)
		}
	}
}

func TestNHSExamples(t *testing.T) {
	ex, err := NHSExamples()
	if err != nil {
		t.Fatal(err)
	}
	// 7,908 rows; 5,865 have a comment and a theme other than
	// "Labelling not possible" (counted independently with Python's csv).
	if len(ex) != 5865 {
		t.Errorf("%d examples, want 5865", len(ex))
	}
	themes := map[string]int{}
	groups := map[string]int{}
	sentiments := 0
	for _, e := range ex {
		if strings.TrimSpace(e.Text) == "" || len(e.Themes) == 0 || e.Group == "" {
			t.Fatalf("unusable example %+v", e)
		}
		if strings.ContainsAny(e.Text+e.Group, "\u00a0\r") {
			t.Fatalf("example not cleaned: %q", e.Text)
		}
		for _, th := range e.Themes {
			themes[th]++
		}
		groups[e.Group]++
		if e.Sentiment != "" {
			sentiments++
		}
	}
	for _, bad := range []string{"Labelling not possible", "Not assigned", "Safeguarding concerns?", "Comment sentiment", "Person identifiable info?"} {
		if themes[bad] > 0 {
			t.Errorf("%q used as a theme", bad)
		}
	}
	if themes["Positive experience & gratitude"] != 1780 || themes["Staff manner & personal attributes"] != 1418 {
		t.Errorf("theme counts %v", themes)
	}
	if len(themes) != 43 || sentiments != 5864 {
		t.Errorf("%d themes, %d sentiments; want 43 and 5864", len(themes), sentiments)
	}
	for g, n := range groups {
		if n > 3 {
			t.Errorf("respondent %s has %d comments", g, n)
		}
	}
}

func TestSplitByGroup(t *testing.T) {
	ex, err := NHSExamples()
	if err != nil {
		t.Fatal(err)
	}
	train, test := SplitByGroup(ex, 0.2, 1)
	if len(train)+len(test) != len(ex) {
		t.Fatalf("%d + %d != %d", len(train), len(test), len(ex))
	}
	if share := float64(len(test)) / float64(len(ex)); math.Abs(share-0.2) > 0.01 {
		t.Errorf("test share %.3f", share)
	}
	inTrain := map[string]bool{}
	for _, e := range train {
		inTrain[e.Group] = true
	}
	for _, e := range test {
		if inTrain[e.Group] {
			t.Fatalf("respondent %s on both sides", e.Group)
		}
	}
	_, test2 := SplitByGroup(ex, 0.2, 2)
	if reflect.DeepEqual(test, test2) {
		t.Error("seeds 1 and 2 gave the same split")
	}
	_, again := SplitByGroup(ex, 0.2, 1)
	if !reflect.DeepEqual(test, again) {
		t.Error("seed 1 gave two different splits")
	}
}

// smallSet is a sample of the NHS comments, split by respondent.
func smallSet(t testing.TB, n int) (train, test []Example) {
	t.Helper()
	ex, err := NHSExamples()
	if err != nil {
		t.Fatal(err)
	}
	train, test = SplitByGroup(ex, 0.2, 7)
	return train[:min(n, len(train))], test[:min(n/4, len(test))]
}

func TestTrainClassifiesHeldOutComments(t *testing.T) {
	train, test := smallSet(t, 1200)
	m, err := Train(train, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ev := Evaluate(m, test)

	// Baselines without reading the text: every comment gets the most
	// common training theme, and the most common sentiment.
	themeCount, sentCount := map[string]int{}, map[string]int{}
	for _, e := range train {
		for _, th := range e.Themes {
			themeCount[th]++
		}
		sentCount[e.Sentiment]++
	}
	top := func(c map[string]int) string {
		best := ""
		for k, n := range c {
			if n > c[best] || (n == c[best] && k < best) {
				best = k
			}
		}
		return best
	}
	majority := make([]Result, len(test))
	for i := range majority {
		majority[i] = Result{Themes: []string{top(themeCount)}, Sentiment: top(sentCount)}
	}
	base := EvaluateResults(test, majority, true)
	t.Logf("model micro-F1 %.3f macro-F1 %.3f sentiment %.3f; majority micro-F1 %.3f macro-F1 %.3f sentiment %.3f",
		ev.Micro.F1, ev.Macro.F1, *ev.SentimentAccuracy, base.Micro.F1, base.Macro.F1, *base.SentimentAccuracy)
	if ev.Micro.F1 < base.Micro.F1+0.25 || ev.Micro.F1 < 0.5 {
		t.Errorf("micro-F1 %.3f, want at least 0.5 and 0.25 above the majority's %.3f", ev.Micro.F1, base.Micro.F1)
	}
	if ev.Macro.F1 < 3*base.Macro.F1 {
		t.Errorf("macro-F1 %.3f, want at least 3 times the majority's %.3f", ev.Macro.F1, base.Macro.F1)
	}
	if *ev.SentimentAccuracy < *base.SentimentAccuracy+0.1 {
		t.Errorf("sentiment accuracy %.3f, want 0.1 above the majority's %.3f", *ev.SentimentAccuracy, *base.SentimentAccuracy)
	}
	if ev.Comments != len(test) || ev.SentimentComments != len(test) {
		t.Errorf("evaluated %d comments, %d with sentiment; want %d", ev.Comments, ev.SentimentComments, len(test))
	}
}

func TestClassify(t *testing.T) {
	train, _ := smallSet(t, 600)
	m, err := Train(train, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", " \r\n", "N/A", " none. "} {
		r := m.Classify(text)
		if r.Themes == nil || len(r.Themes) != 0 || len(r.Scores) != 0 {
			t.Errorf("Classify(%q) = %+v, want no themes (not nil) and no scores", text, r)
		}
		if blank := strings.TrimSpace(text) == ""; blank != (r.Sentiment == "") {
			t.Errorf("Classify(%q) sentiment %q", text, r.Sentiment)
		}
	}
	for _, text := range []string{"zzzz qqqq", "The ambulance arrived quickly and the crew were very kind.", "12345"} {
		r := m.Classify(text)
		if len(r.Themes) == 0 {
			t.Errorf("Classify(%q) gave no theme", text)
		}
		if len(r.Scores) != len(m.Themes()) {
			t.Errorf("Classify(%q) scored %d themes of %d", text, len(r.Scores), len(m.Themes()))
		}
		for th, s := range r.Scores {
			if s < 0 || s > 1 || math.IsNaN(s) {
				t.Errorf("score %s = %v", th, s)
			}
		}
		for _, th := range r.Themes {
			if r.Scores[th] < 0.5 && len(r.Themes) > 1 {
				t.Errorf("theme %s given with score %.2f beside others", th, r.Scores[th])
			}
		}
		if r.Sentiment != Positive && r.Sentiment != Mixed && r.Sentiment != Negative {
			t.Errorf("Classify(%q) sentiment %q", text, r.Sentiment)
		}
	}
	r := m.Classify("The paramedics were very kind, caring and professional. Thank you so much.")
	if !slices.Contains(r.Themes, "Staff manner & personal attributes") || r.Sentiment != Positive {
		t.Errorf("a kind-staff comment got %v, %s", r.Themes, r.Sentiment)
	}
	r = m.Classify("We waited over six hours for the ambulance to arrive, far too long.")
	if !slices.Contains(r.Themes, "Timeliness of care") || r.Sentiment != Negative {
		t.Errorf("a long-wait comment got %v, %s", r.Themes, r.Sentiment)
	}
	if !m.HasSentiment() {
		t.Error("HasSentiment false")
	}
}

func TestClassifyConcurrently(t *testing.T) {
	train, test := smallSet(t, 300)
	m, err := Train(train, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]Result, len(test))
	for i, e := range test {
		want[i] = m.Classify(e.Text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for range 4 {
		wg.Go(func() {
			for i, e := range test {
				if got := m.Classify(e.Text); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("Classify(%q) = %v at once with others, %v alone", e.Text, got.Themes, want[i].Themes)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	var zero Model
	if r := zero.Classify("kind staff"); len(r.Themes) != 0 || r.Themes == nil {
		t.Errorf("a zero Model gave %+v", r)
	}
}

func TestTrainWithoutSentiment(t *testing.T) {
	train, _ := smallSet(t, 300)
	for i := range train {
		train[i].Sentiment = ""
	}
	m, err := Train(train, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.HasSentiment() || m.Classify("kind staff").Sentiment != "" {
		t.Error("a model trained without sentiments gives one")
	}
	if ev := Evaluate(m, train[:50]); ev.SentimentAccuracy != nil || ev.SentimentComments != 0 {
		t.Errorf("evaluation without sentiment: %+v", ev)
	}
}

func TestTrainRejects(t *testing.T) {
	good := []Example{{Text: "kind staff", Themes: []string{"Staff"}}, {Text: "long wait", Themes: []string{"Waiting"}}}
	cases := map[string][]Example{
		"no theme":      append(slices.Clone(good), Example{Text: "the food was cold"}),
		"empty theme":   append(slices.Clone(good), Example{Text: "the food was cold", Themes: []string{" "}}),
		"bad sentiment": append(slices.Clone(good), Example{Text: "the food was cold", Themes: []string{"Food"}, Sentiment: "great"}),
		"too few":       good[:1],
	}
	for name, ex := range cases {
		if _, err := Train(ex, Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A comment that says nothing may come without a theme.
	if _, err := Train(append(slices.Clone(good), Example{Text: "N/A"}), Options{}); err != nil {
		t.Errorf("a non-answer without a theme: %v", err)
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	train, test := smallSet(t, 300)
	a, err := Train(train, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	// On one core the work is done in another order: the same model.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	b, err := Train(train, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := a.MarshalBinary()
	bb, _ := b.MarshalBinary()
	if !bytes.Equal(ab, bb) {
		t.Fatal("two trainings with the same seed differ")
	}
	// Round trip: the same bytes, the same answers.
	var c Model
	if err := c.UnmarshalBinary(ab); err != nil {
		t.Fatal(err)
	}
	cb, _ := c.MarshalBinary()
	if !bytes.Equal(ab, cb) {
		t.Error("marshal, unmarshal, marshal changed the bytes")
	}
	if !reflect.DeepEqual(a.Themes(), c.Themes()) || c.HasSentiment() != a.HasSentiment() {
		t.Error("round trip changed the themes")
	}
	for _, e := range test {
		if ra, rc := a.Classify(e.Text), c.Classify(e.Text); !reflect.DeepEqual(ra, rc) {
			t.Fatalf("Classify(%q): %+v before, %+v after a round trip", e.Text, ra, rc)
		}
	}
}

func TestUnmarshalDamaged(t *testing.T) {
	b := tinyModel(t)
	flipped := slices.Clone(b)
	flipped[len(flipped)/2] ^= 0x40
	cases := map[string][]byte{
		"empty": nil, "not a model": []byte("PK\x03\x04 spreadsheet"), "truncated": b[:len(b)-9],
		"flipped byte": flipped, "version": append(append([]byte(magic), 99), b[len(magic)+1:]...),
		"extra": append(slices.Clone(b), 0),
	}
	for name, bad := range cases {
		m := &Model{}
		err := m.UnmarshalBinary(bad)
		if !errors.Is(err, ErrDamagedModel) {
			t.Errorf("%s: error %v, want ErrDamagedModel", name, err)
		}
		if m.vocab != nil {
			t.Errorf("%s: the model changed", name)
		}
	}
}

// tinyModel is a marshalled model trained on a few comments.
func tinyModel(t testing.TB) []byte {
	var ex []Example
	for i, text := range []string{"kind staff", "rude staff", "long wait", "waited hours", "cold food", "lovely food",
		"kind nurse", "slow ambulance", "nice meal", "staff were caring"} {
		th := []string{"Staff", "Staff", "Waiting", "Waiting", "Food", "Food", "Staff", "Waiting", "Food", "Staff"}[i]
		ex = append(ex, Example{Text: text, Themes: []string{th}, Sentiment: []string{"1", "5"}[i%2]})
	}
	m, err := Train(ex, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzUnmarshalModel feeds UnmarshalBinary damaged bytes twice: as they
// are, and compressed as a model is (so that the fuzzer reaches the
// fields behind the gzip checksum). Neither may panic; an error must wrap
// ErrDamagedModel; a model that loads must classify.
func FuzzUnmarshalModel(f *testing.F) {
	b := tinyModel(f)
	var m Model
	if err := m.UnmarshalBinary(b); err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add([]byte(magic + "\x01"))
	f.Add(m.payload())
	f.Fuzz(func(t *testing.T, data []byte) {
		sealed, err := seal(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range [][]byte{data, sealed} {
			var m Model
			if err := m.UnmarshalBinary(in); err != nil {
				if !errors.Is(err, ErrDamagedModel) {
					t.Fatalf("error %v does not wrap ErrDamagedModel", err)
				}
				continue
			}
			r := m.Classify("the staff were kind but the wait was long")
			if len(r.Themes) == 0 {
				t.Fatal("a model that loads gave no theme")
			}
		}
	})
}

func TestEvaluateArithmetic(t *testing.T) {
	// Three comments, themes A and B, worked by hand:
	//   1: truth {A}    given {A}    -> A tp
	//   2: truth {A,B}  given {B}    -> A fn, B tp
	//   3: truth {B}    given {A,B}  -> A fp, B tp
	// A: tp 1 fp 1 fn 1 -> P 1/2, R 1/2, F1 1/2, support 2
	// B: tp 2 fp 0 fn 0 -> P 1, R 1, F1 1, support 2
	// micro: tp 3 fp 1 fn 1 -> P 3/4, R 3/4, F1 3/4, support 4
	// macro: P (1/2+1)/2 = 3/4, R 3/4, F1 (1/2+1)/2 = 3/4
	// sentiment: 2 comments labelled, 1 right -> 1/2
	ex := []Example{
		{Text: "1", Themes: []string{"A"}, Sentiment: "positive"},
		{Text: "2", Themes: []string{"A", "B"}, Sentiment: "4"},
		{Text: "3", Themes: []string{"B"}},
	}
	preds := []Result{{Themes: []string{"A"}, Sentiment: Positive}, {Themes: []string{"B"}, Sentiment: Mixed}, {Themes: []string{"A", "B"}, Sentiment: Negative}}
	ev := EvaluateResults(ex, preds, true)
	want := Evaluation{
		Comments: 3,
		Micro:    Score{0.75, 0.75, 0.75, 4},
		Macro:    Score{0.75, 0.75, 0.75, 4},
		Themes:   map[string]Score{"A": {0.5, 0.5, 0.5, 2}, "B": {1, 1, 1, 2}},
	}
	acc := ev.SentimentAccuracy
	ev.SentimentAccuracy = nil
	if !reflect.DeepEqual(ev, Evaluation{Comments: 3, Micro: want.Micro, Macro: want.Macro, Themes: want.Themes, SentimentComments: 2}) {
		t.Errorf("evaluation %+v, want %+v", ev, want)
	}
	if acc == nil || *acc != 0.5 {
		t.Errorf("sentiment accuracy %v, want 0.5", acc)
	}
	// A theme given but never true counts in the macro average with F1 0.
	ev = EvaluateResults(ex[:1], []Result{{Themes: []string{"A", "C"}}}, false)
	if ev.Themes["C"] != (Score{}) || ev.Macro.F1 != 0.5 || ev.Micro.Precision != 0.5 || ev.SentimentAccuracy != nil {
		t.Errorf("with a false theme: %+v", ev)
	}
}

func TestBuiltIn(t *testing.T) {
	if raceDetector {
		t.Skip("trains on all 5,865 NHS comments: seconds, but minutes under the race detector (the training code's concurrency is raced by the smaller tests)")
	}
	m, err := BuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	again, err := BuiltIn()
	if err != nil || again != m {
		t.Fatalf("BuiltIn trained twice (%v)", err)
	}
	ex, err := NHSExamples()
	if err != nil {
		t.Fatal(err)
	}
	// The themes are the NHS file's, in the order they first appear
	// in comments that say something.
	var want []string
	seen := map[string]bool{}
	for _, e := range ex {
		if SaysNothing(e.Text) {
			continue
		}
		for _, th := range e.Themes {
			if !seen[th] {
				seen[th] = true
				want = append(want, th)
			}
		}
	}
	if got := m.Themes(); !reflect.DeepEqual(got, want) || !m.HasSentiment() {
		t.Errorf("themes %v, sentiment %v; want %v and sentiment", got, m.HasSentiment(), want)
	}
	for text, theme := range map[string]string{
		"The nurse explained my medication and side effects clearly.":   "Supplying & understanding medication",
		"The food on the ward was cold and there was no choice at all.": "Food & drink provision & facilities",
		"I couldn't get through on the phone, it rang for an hour.":     "Contacting services",
	} {
		if r := m.Classify(text); !slices.Contains(r.Themes, theme) {
			t.Errorf("Classify(%q) = %v, want %s among them", text, r.Themes, theme)
		}
	}
}

func TestTrainBoundsModelSize(t *testing.T) {
	examples, test := smallSet(t, 300)
	cfg := defaultConfig
	cfg.maxWeights = 40_000
	m, err := train(examples, Options{Seed: 1}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	unbounded, err := Train(examples, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	classes := len(m.themes) + len(m.sentiments)
	n := len(m.vocab.hashes)
	if n*classes > cfg.maxWeights || len(m.tw) != n*len(m.themes) {
		t.Errorf("%d features x %d classes, over the budget of %d weights", n, classes, cfg.maxWeights)
	}
	if n >= len(unbounded.vocab.hashes) || m.vocab.nWord == 0 || m.vocab.nWord == n {
		t.Errorf("kept %d features (%d words) of %d", n, m.vocab.nWord, len(unbounded.vocab.hashes))
	}
	// The features kept are the most frequent: "the" is among them.
	var g grams
	m.spec.extract("the", &g)
	if _, ok := m.vocab.index[g.word[0]]; !ok {
		t.Error(`the word "the" was dropped`)
	}
	if ev := Evaluate(m, test); ev.Micro.F1 < 0.3 {
		t.Errorf("micro-F1 %.3f with the smaller vocabulary", ev.Micro.F1)
	}
}
