// Command benchredact measures analytics/redact (issue 11 point 4) on a
// generated set of comments with planted personal details: the recall of
// each kind, the precision, the share of ordinary words redacted by
// mistake, and the speed. The set is made with a fixed seed from the
// templates and lists of this command (written apart from the detector's,
// see lists.go) and, as ordinary text, the comments of the NHS v6
// framework file when it is there (../shared/data/external/...).
//
// Usage, from the repository root: go run ./cmd/benchredact [-n 10000] [-seed 1]
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
)

const defaultFFT = "../shared/data/external/nhs-fft-pxtextmining/v6framework_230831.csv"

func main() {
	n := flag.Int("n", 10_000, "comments to generate")
	seed := flag.Uint64("seed", 1, "seed of the generator")
	fft := flag.String("fft", defaultFFT, "the NHS v6 framework CSV, for ordinary text (skipped when absent)")
	runs := flag.Int("runs", 5, "timed passes over the comments; the fastest is shown")
	show := flag.Int("show", 0, "print this many missed details and false redactions")
	flag.Parse()
	if err := bench(os.Stdout, *n, *seed, *fft, *runs, *show); err != nil {
		fmt.Fprintln(os.Stderr, "benchredact:", err)
		os.Exit(1)
	}
}

func bench(out io.Writer, n int, seed uint64, fft string, runs, show int) error {
	ordinary, err := readFFT(fft)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if len(ordinary) == 0 {
		fmt.Fprintf(out, "%s is not there: the ordinary text is the templates' alone\n\n", fft)
	}
	g := &generator{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), ordinary: ordinary}
	comments := make([]comment, n)
	for i := range comments {
		comments[i] = g.comment()
	}
	s := score(comments, show, out)
	s.print(out, n, seed, len(ordinary))
	if len(ordinary) > 0 {
		plain := make([]comment, len(ordinary))
		for i, t := range ordinary {
			plain[i] = comment{text: t}
		}
		p := score(plain, show, out)
		fmt.Fprintf(out, "\nThe %d ordinary NHS comments alone: %d of %d words redacted (%s), in %d spans\n",
			len(ordinary), p.falseTokens, p.ordinaryTokens, pct(p.falseTokens, p.ordinaryTokens), p.detected)
	}
	fmt.Fprintln(out)
	texts := make([]string, len(comments))
	bytes := 0
	for i, c := range comments {
		texts[i] = c.text
		bytes += len(c.text)
	}
	speed(out, "generated comments", texts, bytes, runs)
	if len(ordinary) > 0 {
		bytes = 0
		for _, t := range ordinary {
			bytes += len(t)
		}
		speed(out, "NHS comments", ordinary, bytes, runs)
	}
	return nil
}

// readFFT returns the non-empty comments of the NHS file, less those that
// name staff (namedInFFT).
func readFFT(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("read %s: no header", path)
	}
	id, text := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "Comment ID":
			id = i
		case "FFT answer":
			text = i
		}
	}
	if id < 0 || text < 0 {
		return nil, fmt.Errorf("read %s: no \"Comment ID\" or \"FFT answer\" column", path)
	}
	var texts []string
	for _, r := range rows[1:] {
		if t := strings.TrimSpace(r[text]); t != "" && !namedInFFT[r[id]] {
			texts = append(texts, t)
		}
	}
	return texts, nil
}
