package cli

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// terminalSafe replaces the control characters of text from uploads
// (escape sequences, carriage returns, tabs) and the bidirectional
// overrides with "?", so that a table cannot move the cursor or reorder
// what a terminal shows. Line feeds stay.
func terminalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && terminalControl(r) {
			return '?'
		}
		return r
	}, s)
}

// terminalControl reports whether a terminal would act on r rather than
// show it: a C0 or C1 control character or DEL (ESC starts the sequences
// that clear the screen or write to the clipboard), or a bidirectional
// embedding, override or isolate.
func terminalControl(r rune) bool {
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// terminalWriter is the commands' standard output and error: it writes
// everything through the one rule of terminalSafe, keeping line feeds and
// tabs (the flag package's usage indents with them) and writing a byte
// that is not UTF-8 as U+FFFD. Every command's table, plain text, CSV and
// error messages go through it; JSON is written to the writer underneath
// (see rawWriter), since encoding/json escapes control characters itself.
type terminalWriter struct {
	w io.Writer
	// tail is the start of a character split between two writes.
	tail []byte
}

// Write writes p with its control characters replaced. It holds back the
// start of a character that p ends in the middle of, until the next write.
func (t *terminalWriter) Write(p []byte) (int, error) {
	buf := append(t.tail, p...)
	t.tail = nil
	if cut := incompleteTail(buf); cut > 0 {
		t.tail = append([]byte(nil), buf[len(buf)-cut:]...)
		buf = buf[:len(buf)-cut]
	}
	out := strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && terminalControl(r) {
			return '?'
		}
		return r
	}, string(buf))
	if _, err := io.WriteString(t.w, out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// incompleteTail is the length of the start of a UTF-8 character at the
// end of b that more bytes could complete, or 0.
func incompleteTail(b []byte) int {
	for n := 1; n < utf8.UTFMax && n <= len(b); n++ {
		c := b[len(b)-n]
		if c < 0x80 {
			return 0 // ASCII: nothing is split
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}

// terminal returns env with its standard output and error made terminal
// safe (terminalWriter). Every command calls it first; calling it twice
// wraps once.
func (env Env) terminal() Env {
	if _, ok := env.Stdout.(*terminalWriter); !ok && env.Stdout != nil {
		env.Stdout = &terminalWriter{w: env.Stdout}
	}
	if _, ok := env.Stderr.(*terminalWriter); !ok && env.Stderr != nil {
		env.Stderr = &terminalWriter{w: env.Stderr}
	}
	return env
}

// rawWriter is the writer under a terminalWriter, for JSON and for the
// progress bar, which draws its line with carriage returns.
func rawWriter(w io.Writer) io.Writer {
	if t, ok := w.(*terminalWriter); ok {
		return t.w
	}
	return w
}
