package api

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestMetricMenuFitsTheQuestion: the figure menu of a yes/no question
// offers % yes but not NPS, ASCOF or % agree; that of the ASCOF
// satisfaction question offers ASCOF but not % yes.
func TestMetricMenuFitsTheQuestion(t *testing.T) {
	f := newPagesFixture(t)
	ctx := context.Background()
	sv, _ := f.srv.store.SurveyBySlug(ctx, f.demo)
	qs, _, err := f.srv.store.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	code := func(prefix string) string {
		for _, q := range qs {
			if strings.HasPrefix(q.Text, prefix) {
				return q.Code
			}
		}
		t.Fatalf("no question %q", prefix)
		return ""
	}
	values := func(path string) []string {
		var out []string
		for _, o := range optionsOf(t, get(t, f.h, path).Body.String(), "f-metric") {
			out = append(out, o.Value)
		}
		return out
	}
	for _, c := range []struct {
		name, path    string
		offers, never []string
	}{
		{"yes/no question page", "/surveys/" + f.demo + "/questions/" + code("Were you offered a copy"),
			[]string{"", "yes"}, []string{"nps", "ascof", "agree", "fft-positive"}},
		{"ASCOF question page", "/surveys/" + f.demo + "/questions/" + code("Overall, how satisfied or dissatisfied are you with the care"),
			[]string{"", "ascof", "top-box"}, []string{"yes", "nps", "agree", "fft-positive"}},
		{"dashboard led by a yes/no question", "/surveys/" + f.demo + "?question=" + code("Were you offered a copy"),
			[]string{"", "yes"}, []string{"nps", "ascof"}},
		{"agreement question on the equality page", "/surveys/" + f.demo + "/equality?question=" + code("I was listened to"),
			[]string{"", "agree"}, []string{"yes", "nps", "ascof"}},
	} {
		got := values(c.path)
		for _, v := range c.offers {
			if !slices.Contains(got, v) {
				t.Errorf("%s: the figure menu %q lacks %q", c.name, got, v)
			}
		}
		for _, v := range c.never {
			if slices.Contains(got, v) {
				t.Errorf("%s: the figure menu %q offers %q", c.name, got, v)
			}
		}
	}
}

// TestDimensionFilterLists: each dimension is a list of its real values;
// two values chosen (in two lists) come back chosen, narrow the figures
// (both at once), and the same where parameters still work in the JSON API
// and as typed by hand in another case.
func TestDimensionFilterLists(t *testing.T) {
	f := newPagesFixture(t)
	base := "/surveys/" + f.demo
	page := get(t, f.h, base).Body.String()
	lists := map[string][]option{}
	for i := 0; ; i++ {
		id := "f-dim-" + strconv.Itoa(i)
		n := findID(t, page, id)
		if n == nil {
			break
		}
		label := ""
		if l := regexp.MustCompile(`<label for="` + id + `">([^<]*)</label>`).FindStringSubmatch(page); l != nil {
			label = l[1]
		}
		multiple := false
		for _, a := range n.Attr {
			multiple = multiple || a.Key == "multiple"
		}
		if !multiple || n.Data != "select" {
			t.Errorf("%s is a %s, multiple %v: want a select of several", id, n.Data, multiple)
		}
		lists[label] = optionsOf(t, page, id)
	}
	team, ok := lists["Team"]
	if !ok || len(lists["Age band"]) == 0 {
		t.Fatalf("lists %v: want Team and Age band", lists)
	}
	if !slices.ContainsFunc(team, func(o option) bool { return o.Label == "North Locality Team" && !o.Selected }) {
		t.Errorf("Team list %v lacks North Locality Team", team)
	}
	if findID(t, page, "f-where") != nil {
		t.Error("the free-text filter field is still offered beside the lists")
	}
	headline := func(page string) string { return textOf(t, page, "headline-detail") }
	all := headline(page)
	q := url.Values{"where": {team[0].Value, lists["Age band"][0].Value}}
	one := headline(get(t, f.h, base+"?"+url.Values{"where": {team[0].Value}}.Encode()).Body.String())
	page = get(t, f.h, base+"?"+q.Encode()).Body.String()
	both := headline(page)
	if all == one || one == both || all == both {
		t.Errorf("figures do not narrow: all %q, one filter %q, two %q", all, one, both)
	}
	chosen := strings.Count(page, `" selected>`)
	if !strings.Contains(page, `value="`+team[0].Value+`" selected`) || !strings.Contains(page, `value="`+lists["Age band"][0].Value+`" selected`) || chosen < 2 {
		t.Error("the two values chosen are not chosen in their lists")
	}
	if findID(t, page, "f-where-current") != nil {
		t.Error("filters held by the lists are repeated as boxes")
	}
	name, value, _ := strings.Cut(team[0].Value, "=")
	typed := headline(get(t, f.h, base+"?"+url.Values{"where": {strings.ToUpper(name) + "=" + strings.ToLower(value), lists["Age band"][0].Value}}.Encode()).Body.String())
	if typed != both {
		t.Errorf("typed by hand %q, from the lists %q", typed, both)
	}
	if rec := get(t, f.h, "/api/v1/surveys/"+f.demo+"/report?"+q.Encode()); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"where":["`) {
		t.Errorf("the JSON API with the same filters: %d %.200s", rec.Code, rec.Body)
	}
	for _, id := range []string{"f-from", "f-to"} {
		n := findID(t, page, id)
		typ := ""
		for _, a := range n.Attr {
			if a.Key == "type" {
				typ = a.Val
			}
		}
		if typ != "date" {
			t.Errorf("%s has type %q, want date", id, typ)
		}
	}
	// A month in the address shows as its first and last days.
	page = get(t, f.h, base+"?from=2025-01&to=2025-02").Body.String()
	if !strings.Contains(page, `id="f-from" name="from" value="2025-01-01"`) || !strings.Contains(page, `id="f-to" name="to" value="2025-02-28"`) {
		t.Error("months in the address are not shown as dates in the date fields")
	}
}

// TestPageErrorsInPlainWords: the problem page of filters that do not fit
// names the form's fields by their labels, never a query parameter, a
// placeholder or Go's error text.
func TestPageErrorsInPlainWords(t *testing.T) {
	f := newPagesFixture(t)
	code := regexp.MustCompile(`\{[a-z-]+\}|\b(min_base|include_partial|where=|from=|to=)|%!|strconv\.|parsing "`)
	for q, want := range map[string]string{
		"from=2025-05-01&to=2024-01-01": "The “From” date 2025-05-01 is after the “To” date 2024-01-01",
		"from=yesterday":                "The “From” date \"yesterday\" is not a date",
		"where=nonsense":                "The filter \"nonsense\"",
		"min_base=x":                    "The smallest base \"x\" is not a whole number",
		"confidence=abc":                "The confidence level \"abc\" is not a number",
		"board=maybe":                   "The board view \"maybe\" is neither on nor off",
		"period=weekly":                 "“Figures by”",
	} {
		rec := get(t, f.h, "/surveys/"+f.demo+"?"+q)
		msg := textOf(t, rec.Body.String(), "problem")
		if rec.Code != 422 || !strings.Contains(msg, want) {
			t.Errorf("%s: %d %q, want %q", q, rec.Code, msg, want)
		}
		if m := code.FindString(msg); m != "" {
			t.Errorf("%s: the message %q shows %q", q, msg, m)
		}
	}
	// A figure that does not fit some questions lists them, in words.
	page := get(t, f.h, "/surveys/"+f.demo+"?metric=agree").Body.String()
	skipped := textOf(t, page, "skipped")
	if !strings.Contains(skipped, "Were you offered a copy of your care plan? : the figure “% agree” does not fit its answers") {
		t.Errorf("skipped questions %q", skipped)
	}
	if strings.Contains(skipped, "metric") || strings.Contains(skipped, "_") {
		t.Errorf("skipped questions name codes: %q", skipped)
	}
}
