package cli

import (
	"strings"
	"testing"
)

// terminalAttacks are escape sequences that clear the screen, write to
// the clipboard (OSC 52), set the title, redraw a line or reorder it.
const terminalAttacks = "\x1b[2J\x1b[H" + "\x1b]52;c;aGVhcmQ=\x07" + "\x1b]0;title\x1b\\" + "\r\u009b31m\u202e"

// TestTerminalWriterSplitCharacters writes a C1 control (CSI, two bytes in
// UTF-8) and an override split across writes, byte by byte: the writer
// still replaces them, and keeps ordinary text whole.
func TestTerminalWriterSplitCharacters(t *testing.T) {
	var b strings.Builder
	w := &terminalWriter{w: &b}
	in := "caf\u00e9 \u009b2J \u202eevil\tok\n\x1b[H \U0001F600\xff"
	for i := range len(in) {
		if n, err := w.Write([]byte{in[i]}); n != 1 || err != nil {
			t.Fatalf("write: %d %v", n, err)
		}
	}
	if want := "caf\u00e9 ?2J ?evil\tok\n?[H \U0001F600\uFFFD"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}
