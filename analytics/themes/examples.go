package themes

import (
	"errors"
	"fmt"
	"strings"
)

// labelled is the training set read from examples.
type labelled struct {
	texts  []string
	groups []string
	themes []string
	// themed are the comments theme classifiers learn from: those that
	// say something. A comment that says nothing never gets a theme, so
	// its labels ("Nothing." is praise, in answer to "what could we do
	// better?") would only teach the classifiers about the word
	// "nothing"; it still teaches sentiment.
	themed     []int
	y          [][]bool // y[t][i]: comment i has theme t
	sentiments []string // the classes present, in the order Positive, Mixed, Negative
	sent       []int    // class index per comment, -1 unknown
}

// readExamples checks examples and reads them into a training set.
func readExamples(examples []Example) (*labelled, error) {
	d := &labelled{}
	index := map[string]int{}
	var rows [][]int
	var sents []string
	for n, ex := range examples {
		nothing := SaysNothing(ex.Text)
		if len(ex.Themes) == 0 && !nothing {
			return nil, fmt.Errorf("example %d (%q) has no theme: every comment that says something needs at least one", n+1, clip(ex.Text))
		}
		var ts []int
		for _, th := range ex.Themes {
			th = strings.TrimSpace(th)
			if th == "" {
				return nil, fmt.Errorf("example %d has an empty theme name", n+1)
			}
			if nothing {
				continue
			}
			t, ok := index[th]
			if !ok {
				t = len(d.themes)
				index[th] = t
				d.themes = append(d.themes, th)
			}
			ts = append(ts, t)
		}
		sent := ""
		if strings.TrimSpace(ex.Sentiment) != "" {
			s, ok := ParseSentiment(ex.Sentiment)
			if !ok {
				return nil, fmt.Errorf("example %d: sentiment %q is not positive, mixed, negative or a code 1-5", n+1, ex.Sentiment)
			}
			sent = s
		}
		if nothing && (sent == "" || strings.TrimSpace(ex.Text) == "") {
			continue // teaches nothing
		}
		if !nothing {
			d.themed = append(d.themed, len(d.texts))
		}
		d.texts = append(d.texts, ex.Text)
		d.groups = append(d.groups, ex.Group)
		rows = append(rows, ts)
		sents = append(sents, sent)
	}
	if len(d.themed) < 2 {
		return nil, errors.New("training needs at least 2 comments with themes that say something")
	}
	d.y = make([][]bool, len(d.themes))
	for t := range d.y {
		d.y[t] = make([]bool, len(d.texts))
	}
	for i, ts := range rows {
		for _, t := range ts {
			d.y[t][i] = true
		}
	}
	d.readSentiments(sents)
	return d, nil
}

// readSentiments keeps the sentiment classes when at least two have
// examples, and each comment's class.
func (d *labelled) readSentiments(sents []string) {
	present := map[string]bool{}
	for _, s := range sents {
		if s != "" {
			present[s] = true
		}
	}
	if len(present) >= 2 {
		for _, s := range []string{Positive, Mixed, Negative} {
			if present[s] {
				d.sentiments = append(d.sentiments, s)
			}
		}
	}
	d.sent = make([]int, len(sents))
	for i, s := range sents {
		d.sent[i] = -1
		for k, c := range d.sentiments {
			if s == c {
				d.sent[i] = k
			}
		}
	}
}

func clip(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return string(r)
}
