package themes

import (
	"math/rand"
	"slices"
)

// Score is precision, recall and F1 of a theme or an average of themes,
// with the number of comments that have the theme (Support).
type Score struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Evaluation is how well a model's themes and sentiments match labelled
// comments.
type Evaluation struct {
	// Comments is the number of examples evaluated.
	Comments int `json:"comments"`
	// Micro pools every (comment, theme) decision; its Support is the
	// number of labels.
	Micro Score `json:"micro"`
	// Macro is the unweighted mean of the themes' scores (F1 is the mean
	// of their F1s), over the themes in Themes.
	Macro Score `json:"macro"`
	// Themes are the scores of each theme that the examples have or the
	// model gave; a theme of the model that neither has nor gave is left
	// out, since its scores are undefined.
	Themes map[string]Score `json:"themes"`
	// SentimentAccuracy is the share of the examples with a sentiment
	// that the model gave the same sentiment; nil when the model has no
	// sentiment or no example has one.
	SentimentAccuracy *float64 `json:"sentiment_accuracy,omitempty"`
	// SentimentComments is the number of examples with a sentiment.
	SentimentComments int `json:"sentiment_comments,omitempty"`
}

// Evaluate classifies each example's text with m and compares the result
// with its labels.
func Evaluate(m *Model, examples []Example) Evaluation {
	preds := make([]Result, len(examples))
	for i, ex := range examples {
		preds[i] = m.Classify(ex.Text)
	}
	return EvaluateResults(examples, preds, m.HasSentiment())
}

type counts struct{ tp, fp, fn int }

// EvaluateResults compares results already found (results[i] for
// examples[i]; a missing one counts as no theme and no sentiment) with
// the examples' labels, as Evaluate does. Sentiment is scored only when
// withSentiment is true.
func EvaluateResults(examples []Example, results []Result, withSentiment bool) Evaluation {
	preds := make([]Result, len(examples))
	copy(preds, results)
	per := map[string]*counts{}
	get := func(t string) *counts {
		c := per[t]
		if c == nil {
			c = &counts{}
			per[t] = c
		}
		return c
	}
	ev := Evaluation{Comments: len(examples), Themes: map[string]Score{}}
	right := 0
	for i, ex := range examples {
		truth := map[string]bool{}
		for _, t := range ex.Themes {
			truth[t] = true
		}
		given := map[string]bool{}
		for _, t := range preds[i].Themes {
			given[t] = true
		}
		for t := range truth {
			if given[t] {
				get(t).tp++
			} else {
				get(t).fn++
			}
		}
		for t := range given {
			if !truth[t] {
				get(t).fp++
			}
		}
		if s, ok := ParseSentiment(ex.Sentiment); ok && withSentiment {
			ev.SentimentComments++
			if preds[i].Sentiment == s {
				right++
			}
		}
	}
	var all counts
	names := make([]string, 0, len(per))
	for t := range per {
		names = append(names, t)
	}
	slices.Sort(names) // a fixed order of summing
	for _, t := range names {
		c := per[t]
		s := score(*c)
		ev.Themes[t] = s
		all.tp += c.tp
		all.fp += c.fp
		all.fn += c.fn
		ev.Macro.Precision += s.Precision
		ev.Macro.Recall += s.Recall
		ev.Macro.F1 += s.F1
		ev.Macro.Support += s.Support
	}
	if n := float64(len(names)); n > 0 {
		ev.Macro.Precision /= n
		ev.Macro.Recall /= n
		ev.Macro.F1 /= n
	}
	ev.Micro = score(all)
	if ev.SentimentComments > 0 {
		acc := float64(right) / float64(ev.SentimentComments)
		ev.SentimentAccuracy = &acc
	}
	return ev
}

// score is precision, recall and F1 from counts; a ratio with nothing to
// divide by is 0 (scikit-learn's zero_division=0).
func score(c counts) Score {
	s := Score{Support: c.tp + c.fn}
	if c.tp+c.fp > 0 {
		s.Precision = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		s.Recall = float64(c.tp) / float64(c.tp+c.fn)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// SplitByGroup splits examples into a training and a test set, with
// about testShare of the examples in test and every group (respondent) on
// one side only. Examples without a Group are each a group of their own.
// The split depends only on the examples' order and seed; each side keeps
// the examples' order.
func SplitByGroup(examples []Example, testShare float64, seed int64) (train, test []Example) {
	index := map[string]int{}
	var members [][]int
	for i, ex := range examples {
		if ex.Group == "" {
			members = append(members, []int{i})
			continue
		}
		g, ok := index[ex.Group]
		if !ok {
			g = len(members)
			index[ex.Group] = g
			members = append(members, nil)
		}
		members[g] = append(members[g], i)
	}
	order := rand.New(rand.NewSource(seed)).Perm(len(members))
	want := int(testShare*float64(len(examples)) + 0.5)
	inTest := make([]bool, len(examples))
	n := 0
	for _, g := range order {
		if n >= want {
			break
		}
		for _, i := range members[g] {
			inTest[i] = true
		}
		n += len(members[g])
	}
	for i, ex := range examples {
		if inTest[i] {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, test
}
