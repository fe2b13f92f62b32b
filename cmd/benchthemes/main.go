// Command benchthemes measures heard's comment theme and sentiment model
// (package analytics/themes) on the NHS v6 labelled comments shipped with
// heard, split 80/20 by respondent, for seeds 1, 2 and 3, beside a plain
// baseline (TF-IDF word 1-2 grams, one-vs-rest linear SVM, threshold 0),
// and prints the figures recorded in docs/benchmarks.md.
//
// Usage: go run ./cmd/benchthemes [-seeds 1,2,3] [-phase1 FILE [-phase1-column label|subcategory]] [-dump DIR]
//
// -dump writes each split as CSV for sklearn_reference.py, beside this
// file, which gives scikit-learn's figures on the same comments.
//
// -phase1 also runs both on a copy of pxtextmining's phase 1 comments
// (text_data.csv: another framework, under CC BY-NC-SA, so read from the
// file given, never shipped) as a check that heard's model does no worse
// than the baseline on a framework it was not developed on.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/heard-council/heard/analytics/themes"
)

func main() {
	seeds := flag.String("seeds", "1,2,3", "seeds of the 80/20 splits, comma-separated")
	phase1 := flag.String("phase1", "", "also run on this copy of pxtextmining's text_data.csv (phase 1)")
	phase1Column := flag.String("phase1-column", "label", "the phase 1 column of themes: label (9) or subcategory (44)")
	dump := flag.String("dump", "", "write each seed's training and test comments as CSV to this directory (for a reference run elsewhere)")
	flag.Parse()
	if err := run(*seeds, *phase1, *phase1Column, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "benchthemes:", err)
		os.Exit(1)
	}
}

func run(seedList, phase1, phase1Column, dump string) error {
	var seeds []int64
	for _, s := range strings.Split(seedList, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("-seeds: %q is not a number", s)
		}
		seeds = append(seeds, n)
	}
	nhs, err := themes.NHSExamples()
	if err != nil {
		return err
	}
	fmt.Printf("NHS v6: %d comments, GOMAXPROCS %d, %s\n", len(nhs), runtime.GOMAXPROCS(0), loadAverage())
	if err := whole(nhs); err != nil {
		return err
	}
	if err := table(nhs, seeds, dump, "nhs"); err != nil {
		return err
	}
	if phase1 != "" {
		ex, err := readPhase1(phase1, phase1Column)
		if err != nil {
			return err
		}
		fmt.Printf("\nphase 1 (another framework, themes from column %s): %d comments\n", phase1Column, len(ex))
		if err := table(ex, seeds, dump, "phase1"); err != nil {
			return err
		}
	}
	fmt.Printf("\npeak RSS %.0f MB\n", peakMB())
	return nil
}

// whole trains on every NHS comment, as the built-in model is trained,
// then classifies them all, and prints the time, speed, memory and size.
func whole(examples []themes.Example) error {
	start := time.Now()
	m, err := themes.Train(examples, themes.Options{Seed: 1})
	if err != nil {
		return err
	}
	trainSec := time.Since(start).Seconds()
	peak := peakMB()
	start = time.Now()
	for _, e := range examples {
		m.Classify(e.Text)
	}
	rate := float64(len(examples)) / time.Since(start).Seconds()
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	fmt.Printf("all %d comments: train %.1f s, peak RSS %.0f MB after training; classify %.0f comments/s; model %.1f MB marshalled (%d themes)\n\n",
		len(examples), trainSec, peak, rate, float64(len(b))/1e6, len(m.Themes()))
	return nil
}

func table(examples []themes.Example, seeds []int64, dump, name string) error {
	fmt.Println("| seed | baseline micro-F1 | baseline macro-F1 | baseline sentiment | baseline, no theme when nothing said: micro-F1 | macro-F1 | heard micro-F1 | heard macro-F1 | heard sentiment | train s | classify comments/s | model MB |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, seed := range seeds {
		train, test := themes.SplitByGroup(examples, 0.2, seed)
		if dump != "" {
			if err := writeSplit(dump, fmt.Sprintf("%s-seed%d", name, seed), train, test); err != nil {
				return err
			}
			if err := writeSaysNothing(dump, examples); err != nil {
				return err
			}
		}
		base, baseSN := baseline(train, test, seed)

		start := time.Now()
		m, err := themes.Train(train, themes.Options{Seed: seed})
		if err != nil {
			return err
		}
		trainSec := time.Since(start).Seconds()
		start = time.Now()
		ev := themes.Evaluate(m, test)
		rate := float64(len(test)) / time.Since(start).Seconds()
		b, err := m.MarshalBinary()
		if err != nil {
			return err
		}
		fmt.Printf("| %d | %.3f | %.3f | %s | %.3f | %.3f | %.3f | %.3f | %s | %.1f | %.0f | %.1f |\n", seed,
			base.Micro.F1, base.Macro.F1, accuracy(base), baseSN.Micro.F1, baseSN.Macro.F1,
			ev.Micro.F1, ev.Macro.F1, accuracy(ev), trainSec, rate, float64(len(b))/1e6)
	}
	return nil
}

func accuracy(ev themes.Evaluation) string {
	if ev.SentimentAccuracy == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *ev.SentimentAccuracy)
}

// writeSplit writes NAME-train.csv and NAME-test.csv to dir: text,
// themes joined with ";", sentiment, group.
func writeSplit(dir, name string, train, test []themes.Example) error {
	for side, ex := range map[string][]themes.Example{"train": train, "test": test} {
		f, err := os.Create(filepath.Join(dir, name+"-"+side+".csv"))
		if err != nil {
			return err
		}
		w := csv.NewWriter(f)
		w.Write([]string{"text", "themes", "sentiment", "group"})
		for _, e := range ex {
			w.Write([]string{e.Text, strings.Join(e.Themes, ";"), e.Sentiment, e.Group})
		}
		w.Flush()
		if err := errors.Join(w.Error(), f.Close()); err != nil {
			return err
		}
	}
	return nil
}

// writeSaysNothing writes the distinct comments of examples that say
// nothing, one a line, to dir/saysnothing.txt.
func writeSaysNothing(dir string, examples []themes.Example) error {
	var b strings.Builder
	seen := map[string]bool{}
	for _, e := range examples {
		if themes.SaysNothing(e.Text) && !seen[e.Text] && !strings.Contains(e.Text, "\n") {
			seen[e.Text] = true
			b.WriteString(e.Text + "\n")
		}
	}
	return os.WriteFile(filepath.Join(dir, "saysnothing.txt"), []byte(b.String()), 0o644)
}

// peakMB is the process's peak resident memory so far (VmHWM).
func peakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	return "load average " + strings.Join(f[:3], " ")
}
