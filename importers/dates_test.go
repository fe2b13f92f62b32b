package importers

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the test must not depend on the machine's zone files

	"github.com/heard-council/heard/analytics"
)

func TestParseDate(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h, min, s, ms int, loc *time.Location) time.Time {
		return time.Date(y, m, d, h, min, s, ms*1_000_000, loc)
	}
	plus2 := time.FixedZone("", 2*3600)
	minus0530 := time.FixedZone("", -(5*3600 + 30*60))
	tests := []struct {
		name     string
		in       string
		order    analytics.DateOrder
		date1904 bool
		want     time.Time
		utc      string // the instant in UTC, checked when set
	}{
		{"iso date", "2024-05-03", analytics.DateAuto, false, at(2024, 5, 3, 0, 0, 0, 0, london), "2024-05-02T23:00:00Z"},
		{"iso date time in summer is BST", "2024-05-03 14:05:09", analytics.DateAuto, false, at(2024, 5, 3, 14, 5, 9, 0, london), "2024-05-03T13:05:09Z"},
		{"iso date time in winter is GMT", "2024-01-15 14:05:09", analytics.DateAuto, false, at(2024, 1, 15, 14, 5, 9, 0, london), "2024-01-15T14:05:09Z"},
		{"iso with T", "2024-05-03T14:05:09", analytics.DateAuto, false, at(2024, 5, 3, 14, 5, 9, 0, london), ""},
		{"iso fraction", "2024-05-03T14:05:09.123456", analytics.DateAuto, false, time.Date(2024, 5, 3, 14, 5, 9, 123456000, london), ""},
		{"iso Z", "2024-05-03T14:05:09Z", analytics.DateAuto, false, at(2024, 5, 3, 14, 5, 9, 0, time.UTC), "2024-05-03T14:05:09Z"},
		{"iso offset", "2024-05-03T14:05:09+02:00", analytics.DateAuto, false, at(2024, 5, 3, 14, 5, 9, 0, plus2), "2024-05-03T12:05:09Z"},
		{"iso offset no colon", "2024-05-03 14:05:09.5-0530", analytics.DateAuto, false, at(2024, 5, 3, 14, 5, 9, 500, minus0530), ""},
		{"day first default", "03/05/2024", analytics.DateAuto, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"day first", "03/05/2024 14:05", analytics.DayFirst, false, at(2024, 5, 3, 14, 5, 0, 0, london), ""},
		{"month first", "03/05/2024 14:05", analytics.MonthFirst, false, at(2024, 3, 5, 14, 5, 0, 0, london), ""},
		{"google forms", "5/3/2024 14:05:09", analytics.MonthFirst, false, at(2024, 5, 3, 14, 5, 9, 0, london), ""},
		{"surveymonkey two digit year", "5/10/18 4:01", analytics.MonthFirst, false, at(2018, 5, 10, 4, 1, 0, 0, london), ""},
		{"two digit year 68", "1/2/68", analytics.DayFirst, false, at(2068, 2, 1, 0, 0, 0, 0, london), ""},
		{"two digit year 69", "1/2/69", analytics.DayFirst, false, at(1969, 2, 1, 0, 0, 0, 0, london), ""},
		{"dots", "03.05.2024", analytics.DayFirst, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"dashes", "03-05-2024", analytics.DayFirst, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"year first slashes", "2021/4/26 19:50", analytics.DayFirst, false, at(2021, 4, 26, 19, 50, 0, 0, london), ""},
		{"pm", "5/3/2024 2:05:09 PM", analytics.MonthFirst, false, at(2024, 5, 3, 14, 5, 9, 0, london), ""},
		{"am", "5/3/2024 9:05 am", analytics.MonthFirst, false, at(2024, 5, 3, 9, 5, 0, 0, london), ""},
		{"noon", "5/3/2024 12:00 p.m.", analytics.MonthFirst, false, at(2024, 5, 3, 12, 0, 0, 0, london), ""},
		{"midnight am", "5/3/2024 12:30AM", analytics.MonthFirst, false, at(2024, 5, 3, 0, 30, 0, 0, london), ""},
		{"just before midnight", "31/12/2023 23:59:59", analytics.DayFirst, false, at(2023, 12, 31, 23, 59, 59, 0, london), "2023-12-31T23:59:59Z"},
		{"just after midnight in BST", "2024-07-01 00:00:01", analytics.DayFirst, false, at(2024, 7, 1, 0, 0, 1, 0, london), "2024-06-30T23:00:01Z"},
		{"month name", "3 May 2024", analytics.MonthFirst, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"month abbreviation", "03-May-24", analytics.DateAuto, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"ordinal", "3rd September, 2024 10:00", analytics.DateAuto, false, at(2024, 9, 3, 10, 0, 0, 0, london), ""},
		{"month name first", "May 3, 2024", analytics.DayFirst, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"compact", "20240503", analytics.DateAuto, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"leap day", "29/02/2024", analytics.DayFirst, false, at(2024, 2, 29, 0, 0, 0, 0, london), ""},

		{"serial 1", "1", analytics.DateAuto, false, at(1900, 1, 1, 0, 0, 0, 0, london), ""},
		{"serial 59 is 28 Feb 1900", "59", analytics.DateAuto, false, at(1900, 2, 28, 0, 0, 0, 0, london), ""},
		{"serial 61 is 1 March 1900", "61", analytics.DateAuto, false, at(1900, 3, 1, 0, 0, 0, 0, london), ""},
		{"serial modern", "45415", analytics.DateAuto, false, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"serial with time", "45415.5", analytics.DateAuto, false, at(2024, 5, 3, 12, 0, 0, 0, london), "2024-05-03T11:00:00Z"},
		{"serial ms forms", "44314.4734606481", analytics.DateAuto, false, at(2021, 4, 28, 11, 21, 47, 0, london), ""},
		{"serial google milliseconds", "45898.72079423611", analytics.DateAuto, false, at(2025, 8, 29, 17, 17, 56, 622, london), ""},
		{"serial rounds up to next day", "45415.9999999999", analytics.DateAuto, false, at(2024, 5, 4, 0, 0, 0, 0, london), ""},
		{"serial 1904 zero", "0", analytics.DateAuto, true, at(1904, 1, 1, 0, 0, 0, 0, london), ""},
		{"serial 1904 modern", "43953", analytics.DateAuto, true, at(2024, 5, 3, 0, 0, 0, 0, london), ""},
		{"serial 1904 with time", "43953.25", analytics.DateAuto, true, at(2024, 5, 3, 6, 0, 0, 0, london), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.order, tt.date1904)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if tt.utc != "" && got.UTC().Format(time.RFC3339) != tt.utc {
				t.Errorf("ParseDate(%q) is %s in UTC, want %s", tt.in, got.UTC().Format(time.RFC3339), tt.utc)
			}
		})
	}
}

func TestParseDateErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		order    analytics.DateOrder
		date1904 bool
		want     string // part of the message
	}{
		{"blank", "  ", analytics.DateAuto, false, "blank"},
		{"junk", "hello", analytics.DateAuto, false, "not a date"},
		{"month 13 day first", "01/13/2024", analytics.DayFirst, false, "month"},
		{"month 13 month first", "13/01/2024", analytics.MonthFirst, false, "month"},
		{"31 April", "31/04/2024", analytics.DayFirst, false, "30 days"},
		{"29 Feb in a common year", "2023-02-29", analytics.DateAuto, false, "28 days"},
		{"day zero", "00/05/2024", analytics.DayFirst, false, "day"},
		{"hour 24", "2024-05-03 24:00", analytics.DateAuto, false, "hours run"},
		{"minute 60", "2024-05-03 10:60", analytics.DateAuto, false, "minutes"},
		{"pm hour 13", "5/3/2024 13:05 PM", analytics.MonthFirst, false, "1 to 12"},
		{"three digit year", "03/05/202", analytics.DayFirst, false, "not a date"},
		{"year out of range", "1066-10-14", analytics.DateAuto, false, "out of range"},
		{"trailing junk", "2024-05-03 14:05 tomorrow", analytics.DateAuto, false, "not a date"},
		{"range of hours", "3-4 hours", analytics.DateAuto, false, "not a date"},
		{"serial 60 is the leap-year bug", "60", analytics.DateAuto, false, "29 February 1900"},
		{"serial 60.5", "60.5", analytics.DateAuto, false, "29 February 1900"},
		{"serial 0 in 1900 system", "0", analytics.DateAuto, false, "1 January 1900"},
		{"time fraction only", "0.5", analytics.DateAuto, false, "time of day"},
		{"negative serial", "-5", analytics.DateAuto, true, "1904"},
		{"huge serial", "99999999", analytics.DateAuto, false, "too large"},
		{"serial past 2200", "110000", analytics.DateAuto, true, "out of the range"},
		{"long junk", strings.Repeat("9/", 50), analytics.DateAuto, false, "too long"},
		{"bad zone", "2024-05-03T14:05:09+25:00", analytics.DateAuto, false, "not a date"},
		{"month word too short", "3 Ma 2024", analytics.DateAuto, false, "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, tt.order, tt.date1904)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %s, want an error", tt.in, got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseDate(%q) error %q, want it to mention %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseDateSerialBoundary(t *testing.T) {
	// Excel's 1900 system counts 29 February 1900, so serials on either side
	// of 60 must still be consecutive real days.
	d59, err59 := ParseDate("59", analytics.DateAuto, false)
	d61, err61 := ParseDate("61", analytics.DateAuto, false)
	if err59 != nil || err61 != nil {
		t.Fatalf("serials 59 and 61: %v, %v", err59, err61)
	}
	if got := d61.Sub(d59); got != 24*time.Hour {
		t.Errorf("serial 61 is %s after serial 59, want one day", got)
	}
	// The same day in both systems is 1462 serials apart.
	a, _ := ParseDate("45415.25", analytics.DateAuto, false)
	b, _ := ParseDate("43953.25", analytics.DateAuto, true)
	if !a.Equal(b) {
		t.Errorf("1900 serial 45415.25 is %s, 1904 serial 43953.25 is %s; want the same", a, b)
	}
}
