package analytics

import (
	"fmt"
	"strconv"
	"strings"
)

// Benchmarks are published national figures that put a council's own
// survey beside its region and England: NHS Digital's Adult Social Care
// Outcomes Framework (ASCOF) open data, one file a financial year, in a
// long layout of one value a row (an area, a measure, a disaggregation and
// a measure type: numerator, denominator, outcome, base or margin of
// error). heard keeps the values as published; a value the file marks as
// not available or suppressed is kept as missing, never as zero.
//
// The official outcomes of the survey measures (3A, overall satisfaction)
// are weighted estimates from a stratified sample, and the survey asks its
// own question: beside a council's own survey they are context, never a
// like-for-like comparison.

// BenchmarkSatisfaction is the ASCOF measure of overall satisfaction of
// people who use services with their care and support, which the survey
// pages show beside the council's own headline figure.
const BenchmarkSatisfaction = "3A"

// BenchmarkTotal is the disaggregation of a measure's figure for everyone.
const BenchmarkTotal = "Total"

// BenchmarkLevel is the kind of area a published figure is for.
type BenchmarkLevel string

// The levels of area in the ASCOF data.
const (
	// LevelCouncil is a council with adult social services
	// responsibilities (a county, unitary, metropolitan district or London
	// borough).
	LevelCouncil BenchmarkLevel = "council"
	// LevelRegion is one of England's nine regions.
	LevelRegion BenchmarkLevel = "region"
	// LevelCouncilType is all councils of one type (shire counties,
	// unitary authorities, metropolitan districts, inner or outer London).
	LevelCouncilType BenchmarkLevel = "council-type"
	// LevelEngland is England as a whole.
	LevelEngland BenchmarkLevel = "england"
)

// BenchmarkLevels lists the levels, from the smallest area to the largest.
func BenchmarkLevels() []BenchmarkLevel {
	return []BenchmarkLevel{LevelCouncil, LevelRegion, LevelCouncilType, LevelEngland}
}

// ParseBenchmarkLevel reads a level as heard writes it ("council",
// "region", "council-type", "england") or as NHS Digital's files do: the
// 2020-21 file says Council, Region, Council Type and England, and later
// files Local authority, Regional, Council type and National. Case, spaces,
// hyphens and underscores are ignored.
func ParseBenchmarkLevel(s string) (BenchmarkLevel, error) {
	switch squash(s) {
	case "council", "localauthority", "la", "cassr":
		return LevelCouncil, nil
	case "region", "regional":
		return LevelRegion, nil
	case "counciltype", "type":
		return LevelCouncilType, nil
	case "england", "national":
		return LevelEngland, nil
	}
	return "", fmt.Errorf("%q is not a level of area: use council, region, council-type or england", s)
}

// squash lowers s and drops spaces, hyphens and underscores, so that
// "Council Type", "council-type" and "COUNCIL_TYPE" read alike.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '_', '\t', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// BenchmarkType is what one published value is: its measure's numerator,
// denominator, outcome, the number of people the outcome is based on, or
// the outcome's margin of error.
type BenchmarkType string

// The measure types of the ASCOF data.
const (
	TypeNumerator     BenchmarkType = "numerator"
	TypeDenominator   BenchmarkType = "denominator"
	TypeOutcome       BenchmarkType = "outcome"
	TypeBase          BenchmarkType = "base"
	TypeMarginOfError BenchmarkType = "margin-of-error"
)

// ParseBenchmarkType reads a measure type as NHS Digital writes it
// (Numerator, Denominator, Outcome, Base, Margin Of Error), ignoring case,
// spaces and hyphens.
func ParseBenchmarkType(s string) (BenchmarkType, error) {
	switch squash(s) {
	case "numerator":
		return TypeNumerator, nil
	case "denominator":
		return TypeDenominator, nil
	case "outcome", "value":
		return TypeOutcome, nil
	case "base":
		return TypeBase, nil
	case "marginoferror", "moe":
		return TypeMarginOfError, nil
	}
	return "", fmt.Errorf("%q is not a measure type: the types are Numerator, Denominator, Outcome, Base and Margin Of Error", s)
}

// BenchmarkArea is a council, a region, a type of council or England.
type BenchmarkArea struct {
	// Code is NHS Digital's geographical code: the council's CASSR code
	// ("211"), the region's ("YH"), the council type's ("M") or "England".
	Code  string
	Name  string
	Level BenchmarkLevel
	// ONSCode is the Office for National Statistics code ("E08000034"),
	// "" where the file gives none (council types).
	ONSCode string
}

// Key is how heard names the area: its ONS code, or NHS Digital's code
// where it has none.
func (a BenchmarkArea) Key() string {
	if a.ONSCode != "" {
		return a.ONSCode
	}
	return a.Code
}

// BenchmarkValue is one row of the long file: one value of one measure for
// one area in one year.
type BenchmarkValue struct {
	// Year is the financial year: "2020-21".
	Year string
	// Measure is the ASCOF measure code in capitals: "3A", "3A65OV".
	Measure        string
	Disaggregation string
	Area           BenchmarkArea
	Type           BenchmarkType
	// Value is nil where the file marks the value as not available,
	// suppressed or not applicable.
	Value *float64
	// Group and GroupDescription are the measure's group and its name, as
	// the file gives them ("" when it does not).
	Group, GroupDescription string
}

// Benchmark is one area's published figure for a measure in a year: the
// file's five values of it side by side. A value is nil where the file
// marks it as missing (or does not give it).
type Benchmark struct {
	Year           string
	Measure        string
	Disaggregation string
	Area           BenchmarkArea
	Numerator      *float64
	Denominator    *float64
	Outcome        *float64
	Base           *float64
	MarginOfError  *float64
}

// Set puts v into the field of its type.
func (b *Benchmark) Set(t BenchmarkType, v *float64) {
	switch t {
	case TypeNumerator:
		b.Numerator = v
	case TypeDenominator:
		b.Denominator = v
	case TypeOutcome:
		b.Outcome = v
	case TypeBase:
		b.Base = v
	case TypeMarginOfError:
		b.MarginOfError = v
	}
}

// BenchmarkCouncil is the council a deployment of heard serves, as an
// admin chose it, and the region it is compared with.
type BenchmarkCouncil struct {
	// Council and Region are area keys (BenchmarkArea.Key).
	Council, Region string
	SetBy, SetAt    string
}

// ParseFinancialYear reads a financial year as "2020-21", "2020/21",
// "2020-2021", "2020/2021" or "2020 to 2021" and writes it as heard does:
// "2020-21". The second year must follow the first.
func ParseFinancialYear(s string) (string, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a financial year: write it as 2020-21", s)
	var first, second string
	switch {
	case len(t) == 7 && (t[4] == '-' || t[4] == '/'):
		first, second = t[:4], t[5:]
	case len(t) == 9 && (t[4] == '-' || t[4] == '/'):
		first, second = t[:4], t[5:]
	case len(t) == 12 && strings.EqualFold(t[4:8], " to "):
		first, second = t[:4], t[8:]
	default:
		return "", bad
	}
	y, err1 := strconv.Atoi(first)
	z, err2 := strconv.Atoi(second)
	if err1 != nil || err2 != nil || y < 1900 || y > 2999 || strings.ContainsAny(first+second, "+-") {
		return "", bad
	}
	if len(second) == 4 && z != y+1 || len(second) == 2 && z != (y+1)%100 {
		return "", fmt.Errorf("%q is not a financial year: the second year must follow the first, as in 2020-21", s)
	}
	return fmt.Sprintf("%04d-%02d", y, (y+1)%100), nil
}
