package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/heard-council/heard/analytics/themes"
)

// readPhase1 reads pxtextmining's phase 1 comments (text_data.csv):
// the text in "feedback", one theme per row in column (label: 9 themes,
// or subcategory: 44). The file has no respondent, so every comment is a
// group of its own; it has no sentiment.
func readPhase1(path, column string) ([]themes.Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	text, label := -1, -1
	for i, h := range header {
		switch strings.TrimSpace(h) {
		case "feedback":
			text = i
		case column:
			label = i
		}
	}
	if text < 0 || label < 0 {
		return nil, fmt.Errorf("%s: no column feedback or %s", path, column)
	}
	var out []themes.Example
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		t := strings.TrimSpace(strings.ReplaceAll(rec[text], "\u00a0", " "))
		l := strings.TrimSpace(rec[label])
		if t == "" || l == "" {
			continue
		}
		out = append(out, themes.Example{Text: t, Themes: []string{l}})
	}
}
