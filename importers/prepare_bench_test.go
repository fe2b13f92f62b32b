package importers

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	syn "github.com/heard-council/heard/importers/synthetic"
)

// BenchmarkPrepareResponses reads a generated 100,000-row CSV the way an
// import does without the store: Prepare (first pass and spool) and then
// every response from the second pass.
func BenchmarkPrepareResponses(b *testing.B) {
	const rows = 100_000
	path := filepath.Join(b.TempDir(), "bench.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := errors.Join(syn.WriteCSV(f, rows, 1), f.Close()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := Prepare(context.Background(), path, "bench.csv", nil, Options{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		next, err := p.Responses()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		p.Close()
		if n != rows {
			b.Fatalf("read %d responses, want %d", n, rows)
		}
	}
}
