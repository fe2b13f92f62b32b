package dashboards

import (
	"fmt"
	"math"
	"strconv"

	"github.com/heard-council/heard/analytics"
)

// Colours of text and marks. Every colour below has a contrast ratio of at
// least 4.5:1 against white (palette_test.go checks), so it serves for text
// as well as for graphics, which WCAG 2.2 AA asks 3:1 of (1.4.11). Meaning
// is never carried by colour alone: charts have labels, decal patterns and
// a table of the same figures.
const (
	colourBackground = "#ffffff"
	colourText       = "#1a1a1a" // titles, labels, the reference line
	colourTextMuted  = "#4d4d4d" // subtitles and axis labels
	colourMain       = "#1f5a96" // the figure of a single-series chart
	colourAxis       = "#6b6b6b" // axis lines
	// colourGridLine and colourBand are decoration only: the figures they
	// help to read are in labels, tooltips and the table.
	colourGridLine = "#e3e3e3"
	colourBand     = "rgba(31,90,150,0.16)"
	// colourBarFill fills bars that carry an interval; their border is
	// colourMain, which gives the 3:1 of WCAG 1.4.11 against white.
	colourBarFill = "#b3cde8"
)

// categorical colours the options of an unordered question and any series
// that have no order.
func categorical() []string {
	return []string{"#1f5a96", "#b35900", "#1b7837", "#7b3294", "#a50f15", "#00796b", "#5b6770", "#8c510a"}
}

// Shades of a scale: positive options in blues (darkest most positive),
// negative ones in reds (darkest most negative), neutral grey, excluded
// purple-grey.
func positiveShades() []string { return []string{"#08306b", "#1f5a96", "#3a78c2"} }
func negativeShades() []string { return []string{"#cc4c02", "#a50f15", "#67000d"} }

const (
	colourNeutral  = "#767676"
	colourExcluded = "#6a3d9a"
)

// optionColours returns a colour for each option of q: by polarity for a
// scale question, the categorical palette otherwise.
func optionColours(q analytics.Question) []string {
	colours := make([]string, len(q.Options))
	var pos, neg []int
	for i, o := range q.Options {
		switch o.Polarity {
		case analytics.Positive:
			pos = append(pos, i)
		case analytics.Negative:
			neg = append(neg, i)
		case analytics.Neutral:
			colours[i] = colourNeutral
		case analytics.Excluded:
			colours[i] = colourExcluded
		}
	}
	if len(pos)+len(neg) == 0 {
		cat := categorical()
		for i := range colours {
			colours[i] = cat[i%len(cat)]
		}
		return colours
	}
	// Options run from the most positive to the most negative.
	for k, i := range pos {
		colours[i] = spread(positiveShades(), k, len(pos))
	}
	for k, i := range neg {
		colours[i] = spread(negativeShades(), k, len(neg))
	}
	for i := range colours {
		if colours[i] == "" {
			colours[i] = colourNeutral
		}
	}
	return colours
}

// spread picks the k-th of n colours spread over shades.
func spread(shades []string, k, n int) string {
	if n <= 1 {
		return shades[len(shades)/2]
	}
	return shades[k*(len(shades)-1)/(n-1)]
}

// luminance is the relative luminance of a colour "#rrggbb" (WCAG 2.2).
func luminance(hex string) (float64, error) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, fmt.Errorf("%q is not a colour #rrggbb", hex)
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return 0, fmt.Errorf("%q is not a colour #rrggbb: %w", hex, err)
		}
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2], nil
}

// contrast is the WCAG contrast ratio of two colours "#rrggbb", from 1 to
// 21.
func contrast(a, b string) (float64, error) {
	la, err := luminance(a)
	if err != nil {
		return 0, err
	}
	lb, err := luminance(b)
	if err != nil {
		return 0, err
	}
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05), nil
}
