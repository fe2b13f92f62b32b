package importers

import (
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
)

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-05-03", "2024-05-03 14:05:09", "2023-07-13T15:28:00.123Z", "5/10/18 4:01",
		"1/15/2025 21:53:05", "30/09/2021", "2021/4/26 19:50", "44314.4734606481", "45898.72079423611", "60",
		"3 May 2024", "May 3, 2024", "5/3/2024 2:05:09 PM", "2024-05-03T14:05:09+02:00", "20240503", "-1e308", "9/9/99 9:9", "110000", "1/1/1800"} {
		f.Add(s, uint8(0), false)
	}
	orders := []analytics.DateOrder{analytics.DateAuto, analytics.DayFirst, analytics.MonthFirst}
	f.Fuzz(func(t *testing.T, s string, order uint8, date1904 bool) {
		got, err := ParseDate(s, orders[int(order)%len(orders)], date1904)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("ParseDate(%q): empty error message", s)
			}
			return
		}
		if got.Year() < minYear-1 || got.Year() > maxYear+1 {
			t.Fatalf("ParseDate(%q) = %s, outside the years a date can have", s, got)
		}
		if got.Year() <= minYear || got.Year() >= maxYear {
			return
		}
		// What was read reads back the same.
		again, err := ParseDate(got.UTC().Format(time.RFC3339Nano), analytics.DateAuto, false)
		if err != nil || !again.Equal(got) {
			t.Fatalf("ParseDate(%q) = %s, which reads back as %s, %v", s, got, again, err)
		}
	})
}

func FuzzRecognizeScale(f *testing.F) {
	for _, s := range []string{"Very satisfied|Satisfied|Don't know", "Extremely likely|Likely|Don’t know",
		"likely|neutral|unlikely", "0|5|10 - Extremely likely", "Yes|No|N/A", "Very favorably|Unfamiliar (N/A)|Very unfavorably",
		"1|2|3", "Neither agree nor disagree|Neutral|Agree", "|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, joined string) {
		values := strings.Split(joined, "|")
		s, ok := RecognizeScale(values)
		if !ok {
			return
		}
		q := analytics.Question{Kind: analytics.KindScale, Scale: s.Name, Options: s.Options}
		m := NewOptionMatcher(&q)
		for _, v := range values {
			if optionKey(v) != "" && m.Match(v) < 0 {
				t.Fatalf("scale %s recognised from %q, but %q matches none of its options %+v", s.Name, values, v, s.Options)
			}
		}
		if s.Options[len(s.Options)-1].Polarity == analytics.Excluded && s.Options[0].Polarity == analytics.Excluded {
			t.Fatalf("scale %s has only excluded options", s.Name)
		}
	})
}

func FuzzMatchOption(f *testing.F) {
	f.Add("Don't know", "Don’t know")
	f.Add("Very satisfied", " very  satisfied. ")
	f.Add("1-2 hours", "12 hours")
	f.Add("-", "?")
	f.Add("5.0", "5")
	f.Fuzz(func(t *testing.T, label, v string) {
		q := &analytics.Question{Kind: analytics.KindSingle, Options: []analytics.Option{{Label: label}, {Label: "Other"}}}
		m := NewOptionMatcher(q)
		got := m.Match(v)
		if got != MatchOption(q, v) {
			t.Fatalf("matcher and MatchOption disagree on %q", v)
		}
		if got >= len(q.Options) || got < -1 {
			t.Fatalf("Match(%q) = %d, out of range", v, got)
		}
		if optionKey(label) != "" && m.Match(label) != 0 {
			t.Fatalf("label %q does not match itself", label)
		}
		if (optionKey(label) == optionKey(v) && optionKey(v) != "") != (got == 0) && optionKey("Other") != optionKey(v) {
			t.Fatalf("Match(%q) = %d with label %q", v, got, label)
		}
		SplitMulti(v, label)
	})
}

func FuzzDetectLayout(f *testing.F) {
	f.Add("ResponseID,ResponseSet,Q1\nResponseID,ResponseSet,How?\n{'ImportId': 'responseId'},x,y\nR_1,Default,1", uint8(0))
	f.Add("V1,V2,Q1\nResponseID,ResponseSet,Text\nR_1,Default,2", uint8(1))
	f.Add("RespondentID,Q,\n,Response,Opt\n1,Yes,Opt", uint8(0))
	f.Add("Timestamp,Services [A]\n5/3/2024 14:05:09,\"a, b\"", uint8(0))
	f.Add("Response_ID,Completion_Status,Date_Started,Q@SQ@s\n1,Completed,03/05/2024,Don@SQ@t know", uint8(3))
	f.Add("time,rating,surgery\n2024-05-03 14:05:00,Likely,Earls Court", uint8(0))
	f.Add("_uuid,_submission_time,group_a/q\nx,45000.5,likely", uint8(0))
	formats := Formats()
	f.Fuzz(func(t *testing.T, text string, pick uint8) {
		if len(text) > 4096 {
			return
		}
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, ","))
		}
		forced := formats[int(pick)%len(formats)]
		l, err := DetectLayout(rows, forced)
		if err != nil {
			if forced == FormatAuto {
				t.Fatalf("auto detection failed: %v", err)
			}
			return
		}
		width := 0
		for i, r := range rows {
			if i < headLimit {
				width = max(width, len(r))
			}
		}
		if len(l.Headers) != width || len(l.Codes) != width || l.HeaderRows < 1 || l.HeaderRows > 3 {
			t.Fatalf("%d headers, %d codes, %d header rows for width %d", len(l.Headers), len(l.Codes), l.HeaderRows, width)
		}
		stats := make([]*ColumnStats, width)
		for j := range stats {
			stats[j] = NewColumnStats()
		}
		for _, r := range rows[min(l.HeaderRows, len(rows)):] {
			for j, s := range stats {
				s.Add(cellAt(r, j))
			}
		}
		m := InferMapping(l, stats, InferOptions{FromXLSX: pick%2 == 0})
		checkMapping(t, l, m)
		for _, r := range rows {
			CompleteFunc(m)(r)
		}
	})
}
