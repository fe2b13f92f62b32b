package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/analytics/themes"
)

// labelledRows reads a themes fixture with encoding/csv: each data row's
// comment and themes (the Themes column, split on ";").
func labelledRows(t testing.TB, name string) (texts []string, labels [][]string) {
	t.Helper()
	f, err := os.Open(fixture(name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, r := range recs[1:] {
		var list []string
		for _, l := range strings.Split(r[col["Themes"]], ";") {
			if l = strings.TrimSpace(l); l != "" {
				list = append(list, l)
			}
		}
		texts, labels = append(texts, r[col["Comment"]]), append(labels, list)
	}
	return texts, labels
}

// microF1 pools every (comment, theme) decision of the labelled rows.
func microF1(pred, truth [][]string) (p, r, f1 float64) {
	var tp, fp, fn float64
	for i := range truth {
		if len(truth[i]) == 0 {
			continue
		}
		for _, t := range pred[i] {
			if slices.Contains(truth[i], t) {
				tp++
			} else {
				fp++
			}
		}
		for _, t := range truth[i] {
			if !slices.Contains(pred[i], t) {
				fn++
			}
		}
	}
	p, r = tp/(tp+fp), tp/(tp+fn)
	return p, r, 2 * p * r / (p + r)
}

func TestThemesTrainClassifyEvaluate(t *testing.T) {
	db := storetest.NewDB(t)
	train, holdout := fixture("themes-council-train.csv"), fixture("themes-council-holdout.csv")
	code, out, errOut := cli(t, RunThemes, "train", "--db", db, "--name", "council", "--file", train,
		"--text", "Comment", "--labels", "Themes", "--sentiment", "Sentiment", "--json")
	if code != ExitOK {
		t.Fatalf("train: exit %d: %s %s", code, out, errOut)
	}
	var trained map[string]any
	if err := json.Unmarshal([]byte(out), &trained); err != nil {
		t.Fatalf("train --json: %v: %s", err, out)
	}
	names, _ := trained["theme_names"].([]any)
	if trained["name"] != "council" || trained["comments"] != 160.0 || trained["themes"] != 5.0 || len(names) != 5 ||
		trained["sentiment"] != true {
		t.Errorf("train --json = %s", out)
	}
	if s, ok := trained["seconds"].(float64); !ok || s < 0 || s > 60 {
		t.Errorf("train --json seconds = %v", trained["seconds"])
	}

	// classify: one line a data row, counted from 1.
	code, out, errOut = cli(t, RunThemes, "classify", "--db", db, "--name", "council", "--file", holdout, "--text", "Comment", "--json")
	if code != ExitOK {
		t.Fatalf("classify: exit %d: %s %s", code, out, errOut)
	}
	texts, truth := labelledRows(t, "themes-council-holdout.csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(texts) {
		t.Fatalf("classify printed %d lines for %d rows", len(lines), len(texts))
	}
	pred := make([][]string, len(lines))
	for i, line := range lines {
		var got struct {
			Row       int                `json:"row"`
			Themes    []string           `json:"themes"`
			Scores    map[string]float64 `json:"scores"`
			Sentiment *string            `json:"sentiment"`
		}
		if err := json.Unmarshal([]byte(line), &got); err != nil || got.Row != i+1 || got.Themes == nil || got.Sentiment == nil {
			t.Fatalf("line %d = %s (%v)", i+1, line, err)
		}
		pred[i] = got.Themes
		switch strings.TrimSpace(texts[i]) {
		case "", "N/A":
			if len(got.Themes) != 0 {
				t.Errorf("row %d (%q) has themes %v, want []", got.Row, texts[i], got.Themes)
			}
		default:
			if len(got.Themes) == 0 || len(got.Scores) != 5 {
				t.Errorf("row %d (%q): themes %v, scores %v", got.Row, texts[i], got.Themes, got.Scores)
			}
			if !slices.Contains([]string{themes.Positive, themes.Mixed, themes.Negative}, *got.Sentiment) {
				t.Errorf("row %d sentiment %q", got.Row, *got.Sentiment)
			}
		}
	}
	// Held-out comments are classified far above chance: guessing the most
	// frequent theme for every comment scores a micro-F1 of about 0.3.
	freq := map[string]int{}
	for _, l := range truth {
		for _, th := range l {
			freq[th]++
		}
	}
	top := ""
	for th, n := range freq {
		if n > freq[top] || (n == freq[top] && th < top) {
			top = th
		}
	}
	guess := make([][]string, len(truth))
	for i := range guess {
		guess[i] = []string{top}
	}
	_, _, chance := microF1(guess, truth)
	p, r, f1 := microF1(pred, truth)
	if f1 < 0.8 || f1 < chance+0.3 {
		t.Errorf("held-out micro-F1 %.3f (chance %.3f)", f1, chance)
	}

	// evaluate agrees with the figures worked out from classify's lines.
	code, out, errOut = cli(t, RunThemes, "evaluate", "--db", db, "--name", "council", "--file", holdout, "--text", "Comment",
		"--labels", "Themes", "--sentiment", "Sentiment", "--json")
	if code != ExitOK {
		t.Fatalf("evaluate: exit %d: %s %s", code, out, errOut)
	}
	var ev struct {
		Name     string                  `json:"name"`
		Comments int                     `json:"comments"`
		Micro    map[string]float64      `json:"micro"`
		Macro    map[string]float64      `json:"macro"`
		Themes   map[string]themes.Score `json:"themes"`
		Accuracy *float64                `json:"sentiment_accuracy"`
		Skipped  int                     `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("evaluate --json: %v: %s", err, out)
	}
	labelled := 0
	for i, l := range truth {
		if len(l) > 0 || strings.TrimSpace(texts[i]) == "N/A" {
			labelled++
		}
	}
	support := 0
	for _, l := range truth {
		support += len(l)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	if ev.Name != "council" || ev.Comments != labelled || ev.Skipped != len(texts)-labelled ||
		!near(ev.Micro["precision"], p) || !near(ev.Micro["recall"], r) || !near(ev.Micro["f1"], f1) ||
		int(ev.Micro["support"]) != support || ev.Accuracy == nil || len(ev.Themes) != 5 {
		t.Errorf("evaluate --json = %s; want micro %.4f/%.4f/%.4f of %d over %d comments", out, p, r, f1, support, labelled)
	}
	for th, n := range freq {
		if ev.Themes[th].Support != n {
			t.Errorf("theme %s support %d, want %d", th, ev.Themes[th].Support, n)
		}
	}
	if ev.Macro["f1"] <= 0 || ev.Macro["f1"] > 1 {
		t.Errorf("macro F1 %v", ev.Macro["f1"])
	}

	// One column per theme marked x gives the same themes, as well learnt.
	columns := "Staff attitude,Waiting times,Communication,Parking and access,Cleanliness"
	code, out, errOut = cli(t, RunThemes, "train", "--db", db, "--name", "council by column", "--file", train,
		"--text", "Comment", "--label-columns", columns, "--json")
	if code != ExitOK {
		t.Fatalf("train --label-columns: exit %d: %s %s", code, out, errOut)
	}
	var byColumn struct {
		ThemeNames []string `json:"theme_names"`
		Sentiment  bool     `json:"sentiment"`
	}
	json.Unmarshal([]byte(out), &byColumn)
	slices.Sort(byColumn.ThemeNames)
	want := strings.Split(columns, ",")
	slices.Sort(want)
	if !slices.Equal(byColumn.ThemeNames, want) || byColumn.Sentiment {
		t.Errorf("train --label-columns = %s", out)
	}
	code, out, _ = cli(t, RunThemes, "evaluate", "--db", db, "--name", "council by column", "--file", holdout, "--text", "Comment",
		"--label-columns", columns, "--json")
	var ev2 struct {
		Micro map[string]float64 `json:"micro"`
	}
	if json.Unmarshal([]byte(out), &ev2); code != ExitOK || ev2.Micro["f1"] < 0.8 || int(ev2.Micro["support"]) != support {
		t.Errorf("evaluate --label-columns: exit %d, %s", code, out)
	}

	// list, then delete.
	code, out, _ = cli(t, RunThemes, "list", "--db", db, "--json")
	var list []store.ThemeModelInfo
	if json.Unmarshal([]byte(out), &list); code != ExitOK || len(list) != 3 || list[0].Name != "council" ||
		list[1].Name != "council by column" || list[2].Name != themes.BuiltInName || list[0].Version != 1 {
		t.Errorf("list --json: exit %d, %s", code, out)
	}
	if code, _, errOut := cli(t, RunThemes, "delete", "--db", db, "--name", "council by column"); code != ExitOK {
		t.Errorf("delete: exit %d: %s", code, errOut)
	}
	code, out, _ = cli(t, RunThemes, "list", "--db", db)
	if code != ExitOK || strings.Contains(out, "by column") || !strings.Contains(out, "council") {
		t.Errorf("list after delete: %s", out)
	}
}

func TestThemesCommandErrors(t *testing.T) {
	dir := t.TempDir()
	db := storetest.NewDB(t)
	train := fixture("themes-council-train.csv")
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	badSentiment := write("bad-sentiment.csv", "text,labels,feeling\nThe staff were kind,Staff,positive\nI waited long,Waiting,grumpy\n")
	badMark := write("bad-mark.csv", "text,Staff,Waiting\nThe staff were kind,x,\nI waited long,,perhaps\n")
	badTheme := write("bad-theme.csv", "text,labels\nThe staff were kind,\"Staff\nWaiting\"\n")
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"missing text column", []string{"train", "--name", "c", "--file", train, "--text", "Remarks", "--labels", "Themes"},
			ExitRefused, []string{train, `no column "Remarks"`, "--text", `"Comment"`, `"Themes"`, `"Cleanliness"`}},
		{"missing labels column", []string{"train", "--name", "c", "--file", train, "--text", "Comment", "--labels", "Labels"},
			ExitRefused, []string{train, `no column "Labels"`, "--labels"}},
		{"missing theme column", []string{"train", "--name", "c", "--file", train, "--text", "Comment", "--label-columns", "Staff attitude,Food"},
			ExitRefused, []string{train, `no column "Food"`}},
		{"bad sentiment", []string{"train", "--name", "c", "--file", badSentiment, "--text", "text", "--labels", "labels", "--sentiment", "feeling"},
			ExitRefused, []string{badSentiment, "row 3", `column "feeling"`, `"grumpy" is not a sentiment`}},
		{"bad mark", []string{"train", "--name", "c", "--file", badMark, "--text", "text", "--label-columns", "Staff,Waiting"},
			ExitRefused, []string{badMark, "row 3", `column "Waiting"`, `"perhaps"`}},
		{"theme with a line break", []string{"train", "--name", "c", "--file", badTheme, "--text", "text", "--labels", "labels", "--separator", ","},
			ExitRefused, []string{badTheme, "row 2", `column "labels"`, "line break"}},
		{"missing file", []string{"classify", "--name", themes.BuiltInName, "--file", filepath.Join(dir, "none.csv"), "--text", "text"},
			ExitRefused, []string{"none.csv"}},
		{"unknown model", []string{"classify", "--name", "nobody", "--file", train, "--text", "Comment"},
			ExitRefused, []string{`no theme model called "nobody"`}},
		{"no labels", []string{"train", "--name", "c", "--file", train, "--text", "Comment"}, ExitUsage, []string{"--labels"}},
		{"both labels", []string{"train", "--name", "c", "--file", train, "--text", "Comment", "--labels", "Themes", "--label-columns", "A"},
			ExitUsage, []string{"not both"}},
		{"no name", []string{"train", "--file", train, "--text", "Comment", "--labels", "Themes"}, ExitUsage, []string{"--name"}},
		{"built-in name", []string{"train", "--name", themes.BuiltInName, "--file", train, "--text", "Comment", "--labels", "Themes"},
			ExitUsage, []string{"built-in"}},
		{"delete the built-in", []string{"delete", "--name", themes.BuiltInName}, ExitUsage, []string{"cannot be deleted"}},
		{"delete unknown", []string{"delete", "--name", "nobody"}, ExitRefused, []string{`no theme model called "nobody"`}},
		{"use unknown survey", []string{"use", "--survey", "nobody", "--name", themes.BuiltInName}, ExitRefused, []string{`no survey called "nobody"`}},
		{"no subcommand", nil, ExitUsage, []string{"train|retrain|classify|evaluate|list|delete|use"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if len(args) > 0 {
				args = append([]string{args[0], "--db", db}, args[1:]...)
			}
			code, out, errOut := cli(t, RunThemes, args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s %s", code, tc.code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q: %s", w, errOut)
				}
			}
		})
	}
	// Nothing was stored by the refused commands.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.ThemeModels(context.Background())
	if err != nil || len(list) != 1 || list[0].Version != 0 {
		t.Errorf("after refused commands the models are %+v, %v", list, err)
	}
}

// TestImportClassifiesComments imports an export with a free-text question
// and finds every non-empty comment classified by the built-in model; then
// switches the survey to a council model, corrects a comment and retrains
// the model with the correction.
func TestImportClassifiesComments(t *testing.T) {
	ctx := context.Background()
	db := storetest.NewDB(t)
	if code, out, errOut := cli(t, RunImport, "--db", db, "--themes", fixture("smartsurvey-small.csv")); code != ExitOK {
		t.Fatalf("import: exit %d: %s %s", code, out, errOut)
	}
	// The comments, counted from the file.
	f, err := os.Open(fixture("smartsurvey-small.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	comments := 0
	for _, r := range recs[1:] {
		if strings.TrimSpace(r[len(r)-1]) != "" {
			comments++
		}
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sv, err := st.SurveyByName(ctx, "smartsurvey-small")
	if err != nil {
		t.Fatal(err)
	}
	classified, total, err := st.ThemeProgress(ctx, sv.ID)
	if err != nil || comments == 0 || total != int64(comments) || classified != total {
		t.Fatalf("after import %d of %d comments classified (%v); the file has %d", classified, total, err, comments)
	}
	// Without --themes the import stores the comments and leaves their
	// themes to heard serve.
	plain := filepath.Join(t.TempDir(), "plain.db")
	if code, out, errOut := cli(t, RunImport, "--db", plain, fixture("smartsurvey-small.csv")); code != ExitOK {
		t.Fatalf("import without --themes: exit %d: %s %s", code, out, errOut)
	}
	pst, err := store.Open(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	defer pst.Close()
	psv, err := pst.SurveyByName(ctx, "smartsurvey-small")
	if err != nil {
		t.Fatal(err)
	}
	if classified, total, err := pst.ThemeProgress(ctx, psv.ID); err != nil || total != int64(comments) || classified != 0 {
		t.Errorf("after an import without --themes %d of %d comments classified (%v), want 0 of %d", classified, total, err, comments)
	}
	list, _, err := st.Comments(ctx, sv.ID, store.CommentQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if len(c.Themes) == 0 && !themes.SaysNothing(c.Text) {
			t.Errorf("comment %q has no theme", c.Text)
		}
	}
	if info, err := st.SurveyThemeModel(ctx, sv.ID); err != nil || info.Name != themes.BuiltInName || len(info.Themes) < 30 {
		t.Errorf("SurveyThemeModel = %s with %d themes, %v", info.Name, len(info.Themes), err)
	}

	// The built-in model classifies a file without any training.
	code, out, _ := cli(t, RunThemes, "classify", "--db", db, "--name", themes.BuiltInName, "--file",
		fixture("themes-council-holdout.csv"), "--text", "Comment", "--json")
	if n := len(strings.Split(strings.TrimSpace(out), "\n")); code != ExitOK || n != 62 {
		t.Errorf("classify with the built-in model: exit %d, %d lines", code, n)
	}

	// use: the survey's comments are classified by the council model.
	if code, out, errOut := cli(t, RunThemes, "train", "--db", db, "--name", "council", "--file", fixture("themes-council-train.csv"),
		"--text", "Comment", "--labels", "Themes"); code != ExitOK {
		t.Fatalf("train: exit %d: %s %s", code, out, errOut)
	}
	code, out, errOut := cli(t, RunThemes, "use", "--db", db, "--survey", "smartsurvey-small", "--name", "council")
	if code != ExitOK || !strings.Contains(out, "council") {
		t.Fatalf("use: exit %d: %s %s", code, out, errOut)
	}
	info, err := st.SurveyThemeModel(ctx, sv.ID)
	if err != nil || info.Name != "council" {
		t.Fatalf("SurveyThemeModel = %+v, %v", info, err)
	}
	if classified, total, _ := st.ThemeProgress(ctx, sv.ID); classified != total {
		t.Errorf("after use, %d of %d comments classified", classified, total)
	}
	list, _, _ = st.Comments(ctx, sv.ID, store.CommentQuery{Limit: 500})
	for _, c := range list {
		for _, th := range c.Themes {
			if !slices.Contains(info.Themes, th) {
				t.Errorf("comment %q has theme %q, not the council model's", c.Text, th)
			}
		}
	}

	// retrain learns from a correction.
	qs, _, err := st.Questions(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	var text analytics.Question
	for _, q := range qs {
		if q.Kind == analytics.KindText {
			text = q
		}
	}
	if err := st.CorrectCommentThemes(ctx, sv.ID, list[0].ResponseID, text.ID, []string{"Communication"}, "negative",
		analytics.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = cli(t, RunThemes, "retrain", "--db", db, "--name", "council", "--json")
	var retrained struct {
		Version     int `json:"version"`
		Comments    int `json:"comments"`
		Corrections int `json:"corrections"`
	}
	if json.Unmarshal([]byte(out), &retrained); code != ExitOK || retrained.Version != 2 || retrained.Corrections != 1 || retrained.Comments != 161 {
		t.Errorf("retrain: exit %d: %s %s", code, out, errOut)
	}
}
