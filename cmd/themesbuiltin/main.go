// Command themesbuiltin trains the built-in NHS theme model from the file
// shipped in analytics/themes and writes its encoding, which the binary
// embeds (go generate ./analytics/themes runs it).
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/heard-council/heard/analytics/themes"
)

func main() {
	out := flag.String("out", "", "the file to write the encoded model to")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "themesbuiltin: name the file to write with -out")
		os.Exit(2)
	}
	start := time.Now()
	m, err := themes.TrainBuiltIn()
	if err != nil {
		fmt.Fprintln(os.Stderr, "themesbuiltin:", err)
		os.Exit(1)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "themesbuiltin:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "themesbuiltin:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d themes, %d bytes, trained and encoded in %.1f s\n", *out, len(m.Themes()), len(b), time.Since(start).Seconds())
}
