package report

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// BenchmarkParams choose published figures: a measure ("3A"), and
// optionally a year ("2020-21"; the latest with the measure when ""), a
// level of area and a disaggregation ("Total").
type BenchmarkParams struct {
	Measure, Year, Level, Disaggregation string
}

// BenchmarkJSON is one area's published figure, as `heard benchmark list
// --json` prints it and /api/v1/benchmarks returns it. A value the file
// marks as not published is null, never 0.
type BenchmarkJSON struct {
	Year           string `json:"year"`
	Measure        string `json:"measure"`
	Disaggregation string `json:"disaggregation"`
	// Code is the area's ONS code, or NHS Digital's code where the file
	// gives none (council types); NHSCode is NHS Digital's code.
	Code          string   `json:"code"`
	NHSCode       string   `json:"nhs_code"`
	Name          string   `json:"name"`
	Level         string   `json:"level"`
	Outcome       *float64 `json:"outcome"`
	Base          *float64 `json:"base"`
	MarginOfError *float64 `json:"margin_of_error"`
	Numerator     *float64 `json:"numerator"`
	Denominator   *float64 `json:"denominator"`
}

// BenchmarkJSONOf is b as JSON.
func BenchmarkJSONOf(b analytics.Benchmark) BenchmarkJSON {
	return BenchmarkJSON{Year: b.Year, Measure: b.Measure, Disaggregation: b.Disaggregation,
		Code: b.Area.Key(), NHSCode: b.Area.Code, Name: b.Area.Name, Level: string(b.Area.Level),
		Outcome: b.Outcome, Base: b.Base, MarginOfError: b.MarginOfError, Numerator: b.Numerator, Denominator: b.Denominator}
}

// Benchmarks returns the published figures p chooses, one per area (and
// disaggregation). A parameter that does not fit is an
// *analytics.ParamError naming it; a measure that no stored year has says
// which there are.
func Benchmarks(ctx context.Context, st *store.Store, p BenchmarkParams) ([]BenchmarkJSON, error) {
	q := store.BenchmarkQuery{Measure: strings.TrimSpace(p.Measure), Disaggregation: strings.TrimSpace(p.Disaggregation)}
	if q.Measure == "" {
		return nil, usageErrorf("{measure} is missing: name an ASCOF measure, such as 3A (overall satisfaction with care and support)")
	}
	if s := strings.TrimSpace(p.Level); s != "" {
		level, err := analytics.ParseBenchmarkLevel(s)
		if err != nil {
			return nil, analytics.ParamErrorf("{level} " + err.Error())
		}
		q.Level = level
	}
	if s := strings.TrimSpace(p.Year); s != "" {
		year, err := analytics.ParseFinancialYear(s)
		if err != nil {
			return nil, analytics.ParamErrorf("{year} " + err.Error())
		}
		q.Year = year
		if err := checkYearLoaded(ctx, st, year); err != nil {
			return nil, err
		}
	} else {
		year, err := st.LatestBenchmarkYear(ctx, q.Measure)
		if errors.Is(err, store.ErrNotFound) {
			return nil, unknownMeasure(ctx, st, q.Measure)
		}
		if err != nil {
			return nil, err
		}
		q.Year = year
	}
	list, err := st.Benchmarks(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		if all, err := st.Benchmarks(ctx, store.BenchmarkQuery{Year: q.Year, Measure: q.Measure}); err != nil {
			return nil, err
		} else if len(all) == 0 {
			return nil, unknownMeasure(ctx, st, q.Measure)
		}
	}
	out := make([]BenchmarkJSON, 0, len(list))
	for _, b := range list {
		out = append(out, BenchmarkJSONOf(b))
	}
	return out, nil
}

// checkYearLoaded returns a *analytics.ParamError naming {year} when no
// figures of year are stored, saying which years are.
func checkYearLoaded(ctx context.Context, st *store.Store, year string) error {
	years, err := st.BenchmarkYears(ctx)
	if err != nil {
		return err
	}
	var held []string
	for _, y := range years {
		if y.Year == year {
			return nil
		}
		held = append(held, y.Year)
	}
	if len(held) == 0 {
		return usageErrorf("{year} %s: no ASCOF figures are loaded yet; import NHS Digital's file with `heard benchmark import FILE`", year)
	}
	return usageErrorf("{year} %s: no ASCOF figures are loaded for it (loaded: %s)", year, strings.Join(held, ", "))
}

// unknownMeasure says that no stored year has measure, and what there is.
func unknownMeasure(ctx context.Context, st *store.Store, measure string) error {
	years, err := st.BenchmarkYears(ctx)
	if err != nil {
		return err
	}
	if len(years) == 0 {
		return usageErrorf("{measure} %s: no ASCOF figures are loaded yet; import NHS Digital's file with `heard benchmark import FILE`", measure)
	}
	var held []string
	for _, y := range years {
		measures, err := st.BenchmarkMeasures(ctx, y.Year)
		if err != nil {
			return err
		}
		held = append(held, y.Year+": "+strings.Join(measures, ", "))
	}
	return usageErrorf("{measure} %s is not in the ASCOF figures loaded (%s)", measure, strings.Join(held, "; "))
}

// Council is the council this deployment serves and the region it is
// compared with, as areas of the ASCOF figures.
type Council struct {
	Council, Region analytics.BenchmarkArea
	// RegionChosen is true when an admin chose the region, false when
	// heard looked it up from the council's ONS code.
	RegionChosen bool
	SetBy, SetAt string
}

// ChooseCouncil records the council this deployment serves, found by its
// ONS code, NHS Digital's code or its name among the ASCOF figures loaded,
// and its region: the one region names (in the same ways), or, when
// region is "", the region heard's lookup gives for the council's ONS code.
func ChooseCouncil(ctx context.Context, st *store.Store, council, region string, by analytics.Actor) (Council, error) {
	c, err := st.FindBenchmarkArea(ctx, analytics.LevelCouncil, council)
	if errors.Is(err, store.ErrNotFound) {
		if years, yerr := st.BenchmarkYears(ctx); yerr == nil && len(years) == 0 {
			return Council{}, usageErrorf("{code} %q: no ASCOF figures are loaded yet, so heard cannot check the council; "+
				"import NHS Digital's file with `heard benchmark import FILE` first", council)
		}
		return Council{}, usageErrorf("{code} %q is not a council in the ASCOF figures loaded: give its ONS code (such as "+
			"E08000034), NHS Digital's council code (such as 211) or its name as the file writes it", council)
	}
	if err != nil {
		return Council{}, err
	}
	out := Council{Council: c}
	own, known := analytics.RegionOf(c.ONSCode)
	key := strings.TrimSpace(region)
	if key == "" {
		if !known {
			return Council{}, usageErrorf("{region} is needed: heard does not know which region %s (%s) is in; "+
				"name it with its ONS code, such as E12000003, or its name, such as \"Yorkshire and The Humber\"", c.Name, c.Key())
		}
		key = own
	}
	if out.Region, err = st.FindBenchmarkArea(ctx, analytics.LevelRegion, key); errors.Is(err, store.ErrNotFound) {
		return Council{}, usageErrorf("{region} %q is not a region in the ASCOF figures loaded: give its ONS code, such as "+
			"E12000003, NHS Digital's code, such as YH, or its name", key)
	} else if err != nil {
		return Council{}, err
	}
	out.RegionChosen = !known || out.Region.Key() != own
	err = st.SetBenchmarkCouncil(ctx, analytics.BenchmarkCouncil{Council: out.Council.Key(), Region: out.Region.Key()}, by)
	return out, err
}

// CurrentCouncil returns the council an admin chose, and whether there is
// one. An area no longer in the figures loaded keeps its key as its name.
func CurrentCouncil(ctx context.Context, st *store.Store) (Council, bool, error) {
	set, ok, err := st.BenchmarkCouncil(ctx)
	if err != nil || !ok {
		return Council{}, false, err
	}
	out := Council{SetBy: set.SetBy, SetAt: set.SetAt}
	find := func(level analytics.BenchmarkLevel, key string) (analytics.BenchmarkArea, error) {
		a, err := st.FindBenchmarkArea(ctx, level, key)
		if errors.Is(err, store.ErrNotFound) {
			return analytics.BenchmarkArea{Code: key, Name: key, Level: level}, nil
		}
		return a, err
	}
	if out.Council, err = find(analytics.LevelCouncil, set.Council); err != nil {
		return Council{}, false, err
	}
	if out.Region, err = find(analytics.LevelRegion, set.Region); err != nil {
		return Council{}, false, err
	}
	r, known := analytics.RegionOf(out.Council.ONSCode)
	out.RegionChosen = !known || r != out.Region.Key()
	return out, true, nil
}

// Beside is a measure's published figures for the council, its region and
// England in one year: what the survey pages put beside the council's own
// figure. A figure is nil when the year's file has no row for the area.
type Beside struct {
	Year, Measure, Description string
	Council                    Council
	CouncilFigure              *analytics.Benchmark
	RegionFigure               *analytics.Benchmark
	EnglandFigure              *analytics.Benchmark
}

// BesideEngland returns measure's figures (disaggregation Total) for the
// council an admin chose, its region and England, from the latest year
// that has the measure; ok is false when no council is chosen or no year
// has the measure.
func BesideEngland(ctx context.Context, st *store.Store, measure string) (Beside, bool, error) {
	c, ok, err := CurrentCouncil(ctx, st)
	if err != nil || !ok {
		return Beside{}, false, err
	}
	year, err := st.LatestBenchmarkYear(ctx, measure)
	if errors.Is(err, store.ErrNotFound) {
		return Beside{}, false, nil
	}
	if err != nil {
		return Beside{}, false, err
	}
	b := Beside{Year: year, Measure: measure, Council: c}
	// A figure is the first of its area's rows (the only one with the
	// Total disaggregation), nil when the year's file has no row for it.
	for _, f := range []struct {
		level analytics.BenchmarkLevel
		area  string
		to    **analytics.Benchmark
	}{
		{analytics.LevelCouncil, c.Council.Key(), &b.CouncilFigure},
		{analytics.LevelRegion, c.Region.Key(), &b.RegionFigure},
		{analytics.LevelEngland, "", &b.EnglandFigure},
	} {
		list, err := st.Benchmarks(ctx, store.BenchmarkQuery{Year: year, Measure: measure, Level: f.level,
			Disaggregation: analytics.BenchmarkTotal, Area: f.area})
		if err != nil {
			return Beside{}, false, err
		}
		if len(list) > 0 {
			*f.to = &list[0]
		}
	}
	if b.Description, err = st.BenchmarkDescription(ctx, year, measure); err != nil {
		return Beside{}, false, err
	}
	return b, true, nil
}

// String names a council and its region for a message.
func (c Council) String() string {
	return fmt.Sprintf("%s (%s), in %s (%s)", c.Council.Name, c.Council.Key(), c.Region.Name, c.Region.Key())
}
