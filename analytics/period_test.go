package analytics

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests do not depend on the system's zone database
)

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		month string
		kind  PeriodKind
		want  string
	}{
		{"2024-05", PeriodMonth, "2024-05"},
		{"2024-05", PeriodQuarter, "2024-Q2"},
		{"2024-03", PeriodQuarter, "2024-Q1"},
		{"2024-04", PeriodQuarter, "2024-Q2"},
		{"2024-12", PeriodQuarter, "2024-Q4"},
		{"2024-05", PeriodYear, "2024"},
		{"2024-03", PeriodFY, "2023-24"},
		{"2024-04", PeriodFY, "2024-25"},
		{"2025-01", PeriodFY, "2024-25"},
		{"1999-07", PeriodFY, "1999-00"},
		{"2024-04", PeriodFYQuarter, "2024-25 Q1"},
		{"2024-06", PeriodFYQuarter, "2024-25 Q1"},
		{"2024-07", PeriodFYQuarter, "2024-25 Q2"},
		{"2024-09", PeriodFYQuarter, "2024-25 Q2"},
		{"2024-10", PeriodFYQuarter, "2024-25 Q3"},
		{"2024-12", PeriodFYQuarter, "2024-25 Q3"},
		{"2025-01", PeriodFYQuarter, "2024-25 Q4"},
		{"2025-03", PeriodFYQuarter, "2024-25 Q4"},
		{"2024-05", PeriodAll, "all"},
		{"", PeriodAll, "all"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.month, func(t *testing.T) {
			got, err := PeriodOf(tt.kind, tt.month)
			if err != nil || got != tt.want {
				t.Errorf("PeriodOf(%s, %q) = %q, %v; want %q", tt.kind, tt.month, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "2024-13", "2024-5", "May 2024", "2024-05-01", "24-05"} {
		if got, err := PeriodOf(PeriodMonth, bad); err == nil {
			t.Errorf("PeriodOf(month, %q) = %q, want an error", bad, got)
		}
	}
	if _, err := PeriodOf("week", "2024-05"); err == nil {
		t.Error("PeriodOf(week) should fail")
	}
}

func TestParsePeriodKind(t *testing.T) {
	for in, want := range map[string]PeriodKind{"month": PeriodMonth, " FY ": PeriodFY, "fyq": PeriodFYQuarter, "All": PeriodAll} {
		if got, err := ParsePeriodKind(in); err != nil || got != want {
			t.Errorf("ParsePeriodKind(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParsePeriodKind("fortnight"); err == nil {
		t.Error(`ParsePeriodKind("fortnight") should fail`)
	}
}

func TestDateKeysLondon(t *testing.T) {
	london, err := LoadLondon()
	if err != nil {
		t.Fatal(err)
	}
	// British Summer Time ran from 26 March to 29 October 2023 and from 31
	// March (01:00 UTC) to 27 October 2024, so 23:30 UTC on 31 March 2024 is
	// already 00:30 on 1 April in London: the new financial year. (The issue
	// text says 2024-03-31 for that instant; the clocks had gone forward an
	// hour earlier that night, so it is 1 April.)
	tests := []struct {
		name, utc  string
		month, day string
		fy, fyq    string
	}{
		{"last evening of FY 2022-23 in BST", "2023-03-31T22:30:00Z", "2023-03", "2023-03-31", "2022-23", "2022-23 Q4"},
		{"first minutes of FY 2023-24", "2023-03-31T23:30:00Z", "2023-04", "2023-04-01", "2023-24", "2023-24 Q1"},
		{"night the clocks went forward", "2024-03-31T00:30:00Z", "2024-03", "2024-03-31", "2023-24", "2023-24 Q4"},
		{"23:30 UTC on 31 March 2024", "2024-03-31T23:30:00Z", "2024-04", "2024-04-01", "2024-25", "2024-25 Q1"},
		{"22:59 UTC on 31 March 2024", "2024-03-31T22:59:00Z", "2024-03", "2024-03-31", "2023-24", "2023-24 Q4"},
		{"end of June in BST", "2024-06-30T22:59:59Z", "2024-06", "2024-06-30", "2024-25", "2024-25 Q1"},
		{"23:30 UTC on 30 June", "2024-06-30T23:30:00Z", "2024-07", "2024-07-01", "2024-25", "2024-25 Q2"},
		{"23:30 UTC on 30 September", "2024-09-30T23:30:00Z", "2024-10", "2024-10-01", "2024-25", "2024-25 Q3"},
		{"New Year in GMT", "2024-12-31T23:30:00Z", "2024-12", "2024-12-31", "2024-25", "2024-25 Q3"},
		{"first minute of 2025", "2025-01-01T00:00:00Z", "2025-01", "2025-01-01", "2024-25", "2024-25 Q4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.utc)
			if err != nil {
				t.Fatal(err)
			}
			month, day := DateKeys(at, london)
			if month != tt.month || day != tt.day {
				t.Fatalf("DateKeys(%s) = %s, %s; want %s, %s", tt.utc, month, day, tt.month, tt.day)
			}
			fy, _ := PeriodOf(PeriodFY, month)
			fyq, _ := PeriodOf(PeriodFYQuarter, month)
			if fy != tt.fy || fyq != tt.fyq {
				t.Errorf("financial year and quarter = %s, %s; want %s, %s", fy, fyq, tt.fy, tt.fyq)
			}
		})
	}
	if month, day := DateKeys(time.Time{}, london); month != "" || day != "" {
		t.Errorf("DateKeys(zero) = %q, %q; want empty", month, day)
	}
}

func TestPrevious(t *testing.T) {
	tests := []struct {
		kind      PeriodKind
		key, want string
	}{
		{PeriodMonth, "2024-03", "2024-02"},
		{PeriodMonth, "2024-01", "2023-12"},
		{PeriodQuarter, "2024-Q1", "2023-Q4"},
		{PeriodQuarter, "2024-Q3", "2024-Q2"},
		{PeriodYear, "2024", "2023"},
		{PeriodFY, "2024-25", "2023-24"},
		{PeriodFY, "2000-01", "1999-00"},
		{PeriodFYQuarter, "2024-25 Q1", "2023-24 Q4"},
		{PeriodFYQuarter, "2024-25 Q4", "2024-25 Q3"},
		{PeriodFYQuarter, "2024-25 Q2", "2024-25 Q1"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.key, func(t *testing.T) {
			if got, err := Previous(tt.kind, tt.key); err != nil || got != tt.want {
				t.Errorf("Previous(%s, %q) = %q, %v; want %q", tt.kind, tt.key, got, err, tt.want)
			}
		})
	}
	if _, err := Previous(PeriodAll, AllPeriod); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("Previous(all) err = %v, want ErrNoPrevious", err)
	}
	for _, bad := range []struct {
		kind PeriodKind
		key  string
	}{{PeriodQuarter, "2024-Q5"}, {PeriodFY, "2024-26"}, {PeriodFYQuarter, "2024-25 Q0"}, {PeriodYear, "24"}, {PeriodMonth, "2024-00"}, {PeriodQuarter, "2024-Q2 "}} {
		if got, err := Previous(bad.kind, bad.key); err == nil {
			t.Errorf("Previous(%s, %q) = %q, want an error", bad.kind, bad.key, got)
		}
	}
}

func TestPeriodKeysSortInTimeOrder(t *testing.T) {
	// Walking back 30 months from March 2026 gives strictly decreasing keys
	// of every kind, each one the Previous of the one after it when it
	// changes: string order is time order.
	for _, kind := range []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear, PeriodFY, PeriodFYQuarter} {
		var keys []string
		for m := 2026*12 + 2; m > 2026*12+2-30; m-- {
			key, err := PeriodOf(kind, time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(keys); n > 0 && keys[n-1] != key {
				if prev, err := Previous(kind, keys[n-1]); err != nil || prev != key {
					t.Errorf("%s: Previous(%q) = %q, %v; want %q", kind, keys[n-1], prev, err, key)
				}
			}
			if n := len(keys); n == 0 || keys[n-1] != key {
				keys = append(keys, key)
			}
		}
		if !slices.IsSortedFunc(keys, func(a, b string) int { return -strings.Compare(a, b) }) {
			t.Errorf("%s keys are not in time order: %q", kind, keys)
		}
	}
}

// TestKindsOfKey: each kind's keys, as PeriodOf writes them, are read
// back as that kind; the keys two kinds share are read as both; anything
// else is no key.
func TestKindsOfKey(t *testing.T) {
	tests := []struct {
		key  string
		want []PeriodKind
	}{
		{"2024-05", []PeriodKind{PeriodMonth}},
		{"2024-Q2", []PeriodKind{PeriodQuarter}},
		{"2024", []PeriodKind{PeriodYear}},
		{"2024-25", []PeriodKind{PeriodFY}},
		{"2024-25 Q4", []PeriodKind{PeriodFYQuarter}},
		{"1999-00", []PeriodKind{PeriodFY}},
		{"2011-12", []PeriodKind{PeriodMonth, PeriodFY}}, // December 2011, and April 2011 to March 2012
		{"all", []PeriodKind{PeriodAll}},
	}
	for _, tt := range tests {
		if got := KindsOfKey(tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("KindsOfKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
	for _, bad := range []string{"", "2024-13", "2024-26", "2024-Q5", "2024-25 Q5", "2024-5", "24", "May 2024",
		"2024-05-01", "2024-25Q1", "ALL", " 2024-05"} {
		if got := KindsOfKey(bad); len(got) != 0 {
			t.Errorf("KindsOfKey(%q) = %q, want no kind", bad, got)
		}
	}
	for _, kind := range []PeriodKind{PeriodMonth, PeriodQuarter, PeriodYear, PeriodFY, PeriodFYQuarter} {
		for y := 2019; y <= 2026; y++ {
			for m := 1; m <= 12; m++ {
				key, err := PeriodOf(kind, time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"))
				if err != nil || !slices.Contains(KindsOfKey(key), kind) {
					t.Fatalf("KindsOfKey(%q) = %q, want it to hold %s (%v)", key, KindsOfKey(key), kind, err)
				}
			}
		}
	}
}

// TestYearBefore: the same period a year earlier, of every kind; a key
// that is not of the kind and the period "all" give errors.
func TestYearBefore(t *testing.T) {
	tests := []struct {
		kind      PeriodKind
		key, want string
	}{
		{PeriodMonth, "2024-05", "2023-05"},
		{PeriodMonth, "2024-01", "2023-01"},
		{PeriodQuarter, "2024-Q1", "2023-Q1"},
		{PeriodYear, "2024", "2023"},
		{PeriodFY, "2024-25", "2023-24"},
		{PeriodFY, "2000-01", "1999-00"},
		{PeriodFYQuarter, "2024-25 Q1", "2023-24 Q1"},
		{PeriodFYQuarter, "2024-25 Q4", "2023-24 Q4"},
	}
	for _, tt := range tests {
		if got, err := YearBefore(tt.kind, tt.key); err != nil || got != tt.want {
			t.Errorf("YearBefore(%s, %q) = %q, %v; want %q", tt.kind, tt.key, got, err, tt.want)
		}
	}
	if _, err := YearBefore(PeriodAll, AllPeriod); !errors.Is(err, ErrNoPrevious) {
		t.Errorf("YearBefore(all) = %v, want ErrNoPrevious", err)
	}
	if got, err := YearBefore(PeriodMonth, "2024-25"); err == nil {
		t.Errorf("YearBefore(month, 2024-25) = %q, want an error", got)
	}
}
