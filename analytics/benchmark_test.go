package analytics

import "testing"

func TestParseFinancialYear(t *testing.T) {
	for in, want := range map[string]string{
		"2020-21": "2020-21", "2020/21": "2020-21", "2020-2021": "2020-21", "2020/2021": "2020-21", " 2020 to 2021 ": "2020-21",
		"1999-00": "1999-00", "1999-2000": "1999-00",
	} {
		if got, err := ParseFinancialYear(in); err != nil || got != want {
			t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "2020", "2020-22", "2020-2022", "21-22", "2020-+1", "abcd-ef", "2020 - 21", "20201-22"} {
		if got, err := ParseFinancialYear(bad); err == nil {
			t.Errorf("%q: got %q, want an error", bad, got)
		}
	}
}

func TestParseBenchmarkLevelAndType(t *testing.T) {
	for in, want := range map[string]BenchmarkLevel{
		"Council": LevelCouncil, "Local authority": LevelCouncil, "Region": LevelRegion, "Regional": LevelRegion,
		"Council Type": LevelCouncilType, "council-type": LevelCouncilType, "England": LevelEngland, "National": LevelEngland,
	} {
		if got, err := ParseBenchmarkLevel(in); err != nil || got != want {
			t.Errorf("level %q: got %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]BenchmarkType{
		"Numerator": TypeNumerator, "Denominator": TypeDenominator, "Outcome": TypeOutcome, "Base": TypeBase,
		"Margin Of Error": TypeMarginOfError, "margin-of-error": TypeMarginOfError,
	} {
		if got, err := ParseBenchmarkType(in); err != nil || got != want {
			t.Errorf("type %q: got %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseBenchmarkLevel("Ward"); err == nil {
		t.Error("Ward is not a level")
	}
	if _, err := ParseBenchmarkType("Median"); err == nil {
		t.Error("Median is not a type")
	}
	if (BenchmarkArea{Code: "M"}).Key() != "M" || (BenchmarkArea{Code: "211", ONSCode: "E08000034"}).Key() != "E08000034" {
		t.Error("Key: the ONS code, or NHS Digital's code where there is none")
	}
}
