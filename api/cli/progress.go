package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// isTerminal reports whether w is a terminal, where a progress bar helps
// rather than clutters.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressBar draws one line on a terminal that is rewritten as work goes
// on, at most ten times a second.
type progressBar struct {
	w     io.Writer
	label string
	last  time.Time
	drawn bool
}

func (b *progressBar) update(phase string, done, total int) {
	now := time.Now()
	if now.Sub(b.last) < 100*time.Millisecond && done != total {
		return
	}
	b.last, b.drawn = now, true
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s: %s... %d rows ", b.label, phase, done)
		return
	}
	const width = 30
	filled := min(width, done*width/total)
	fmt.Fprintf(b.w, "\r%s: %s [%s%s] %d/%d (%d%%) ", b.label, phase,
		strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, done*100/total)
}

func (b *progressBar) finish() {
	if b.drawn {
		fmt.Fprintln(b.w)
	}
}
