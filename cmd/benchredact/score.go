package main

import (
	"fmt"
	"io"
	"slices"
	"time"
	"unicode"

	"github.com/heard-council/heard/analytics/redact"
)

// scores are the counts behind the figures.
type scores struct {
	planted, found, asKind map[string]int // by class
	heldOut, heldOutFound  map[string]int // by class, held-out wording
	detected, correct      int            // spans found; those overlapping a planted detail
	ordinaryTokens         int            // words outside planted details
	falseTokens            int            // of those, words a span touches
	negativeTokens         int            // words of hard-negative sentences
	falseNegativeTokens    int
	heldOutNegativeTokens  int // of those, the held-out wording's
	falseHeldOutNegative   int
}

// score runs redact.Find on each comment. A planted detail is found when
// spans cover every byte of it, and found as its kind when one span of
// its kind does. A word is a run of letters and digits; an ordinary word
// is one outside every planted detail, and it is redacted by mistake when
// any span overlaps it.
func score(comments []comment, show int, out io.Writer) scores {
	s := scores{planted: map[string]int{}, found: map[string]int{}, asKind: map[string]int{},
		heldOut: map[string]int{}, heldOutFound: map[string]int{}}
	for _, c := range comments {
		spans := redact.Find(c.text)
		for _, p := range c.planted {
			s.planted[p.class]++
			found := covered(spans, p.start, p.end)
			if p.heldOut {
				s.heldOut[p.class]++
				if found {
					s.heldOutFound[p.class]++
				}
			}
			if found {
				s.found[p.class]++
			} else if show > 0 {
				show--
				fmt.Fprintf(out, "missed %s %q in %q\n", p.class, c.text[p.start:p.end], redact.Text(c.text))
			}
			if slices.ContainsFunc(spans, func(sp redact.Span) bool {
				return sp.Kind == p.kind && sp.Start <= p.start && sp.End >= p.end
			}) {
				s.asKind[p.class]++
			}
		}
		for _, sp := range spans {
			s.detected++
			if slices.ContainsFunc(c.planted, func(p planted) bool { return p.start < sp.End && sp.Start < p.end }) {
				s.correct++
			} else if show > 0 {
				show--
				fmt.Fprintf(out, "false %s %q in %q\n", sp.Kind, c.text[sp.Start:sp.End], c.text)
			}
		}
		for _, w := range words(c.text) {
			if slices.ContainsFunc(c.planted, func(p planted) bool { return p.start < w[1] && w[0] < p.end }) {
				continue
			}
			hit := slices.ContainsFunc(spans, func(sp redact.Span) bool { return sp.Start < w[1] && w[0] < sp.End })
			s.ordinaryTokens++
			if hit {
				s.falseTokens++
			}
			if slices.ContainsFunc(c.negative, func(r [2]int) bool { return r[0] <= w[0] && w[1] <= r[1] }) {
				s.negativeTokens++
				if hit {
					s.falseNegativeTokens++
				}
			}
			if slices.ContainsFunc(c.heldOutNegative, func(r [2]int) bool { return r[0] <= w[0] && w[1] <= r[1] }) {
				s.heldOutNegativeTokens++
				if hit {
					s.falseHeldOutNegative++
				}
			}
		}
	}
	return s
}

// covered reports whether spans cover every byte of text[start:end].
func covered(spans []redact.Span, start, end int) bool {
	at := start
	for _, sp := range spans {
		if sp.Start <= at && sp.End > at {
			at = sp.End
		}
		if at >= end {
			return true
		}
	}
	return at >= end
}

// words returns the byte ranges of the runs of letters and digits.
func words(text string) [][2]int {
	var ws [][2]int
	start := -1
	for i, r := range text {
		in := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			ws = append(ws, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		ws = append(ws, [2]int{start, len(text)})
	}
	return ws
}

func (s scores) print(out io.Writer, n int, seed uint64, ordinary int) {
	fmt.Fprintf(out, "%d generated comments (seed %d; ordinary text from %d NHS comments)\n\n", n, seed, ordinary)
	fmt.Fprintln(out, "| planted | count | found | recall | found as its kind | held-out wording: count | recall |")
	fmt.Fprintln(out, "|---|---:|---:|---:|---:|---:|---:|")
	row := func(label string, classes ...string) {
		p, f, k, h, hf := 0, 0, 0, 0, 0
		for _, c := range classes {
			p, f, k = p+s.planted[c], f+s.found[c], k+s.asKind[c]
			h, hf = h+s.heldOut[c], hf+s.heldOutFound[c]
		}
		fmt.Fprintf(out, "| %s | %d | %d | %s | %s | %d | %s |\n", label, p, f, ratio(f, p), ratio(k, p), h, ratio(hf, h))
	}
	row("email", "email")
	row("phone", "phone")
	row("NHS number", "nhs")
	row("postcode", "postcode")
	row("name (all)", "title", "thanks", "role", "praise", "bare")
	row("- after a title", "title")
	row("- in thanks", "thanks")
	row("- beside a role", "role")
	row("- before praise", "praise")
	row("- no cue", "bare")
	row("address", "address")
	row("date of birth", "dob")
	fmt.Fprintf(out, "\nPrecision: %d of %d spans overlap a planted detail (%s)\n", s.correct, s.detected, ratio(s.correct, s.detected))
	fmt.Fprintf(out, "False redactions: %d of %d ordinary words (%s); in the hard-negative sentences %d of %d (%s), of which the held-out wording's %d of %d (%s)\n",
		s.falseTokens, s.ordinaryTokens, pct(s.falseTokens, s.ordinaryTokens),
		s.falseNegativeTokens, s.negativeTokens, pct(s.falseNegativeTokens, s.negativeTokens),
		s.falseHeldOutNegative, s.heldOutNegativeTokens, pct(s.falseHeldOutNegative, s.heldOutNegativeTokens))
}

// speed times redact.Text over texts, runs times, and prints the fastest.
func speed(out io.Writer, label string, texts []string, bytes, runs int) {
	best := time.Duration(1 << 62)
	for range max(runs, 1) {
		start := time.Now()
		for _, t := range texts {
			_ = redact.Text(t)
		}
		best = min(best, time.Since(start))
	}
	sec := best.Seconds()
	fmt.Fprintf(out, "Speed, %s: %d comments (%.0f bytes on average) in %.3f s: %.0f comments/s, %.1f MB/s\n",
		label, len(texts), float64(bytes)/float64(len(texts)), sec, float64(len(texts))/sec, float64(bytes)/sec/1e6)
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(a)/float64(b))
}
