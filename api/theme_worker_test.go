package api

import (
	"context"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/api/ingest"
	"github.com/heard-council/heard/importers"
)

// TestThemeWorker imports a file as the web upload does (without
// classifying) and finds every comment classified by the theme worker once
// it is woken, with the survey's own model.
func TestThemeWorker(t *testing.T) {
	srv, _ := newTestServer(t)
	ctx := context.Background()
	rep, err := ingest.ImportFile(ctx, srv.store, fixture("smartsurvey-small.csv"), "smartsurvey-small.csv", ingest.ImportParams{By: "test"})
	if err != nil || rep.ResponsesAdded != 40 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	sv, err := srv.store.SurveyByName(ctx, rep.Survey)
	if err != nil {
		t.Fatal(err)
	}
	if classified, total, err := srv.store.ThemeProgress(ctx, sv.ID); err != nil || classified != 0 || total == 0 {
		t.Fatalf("before the worker: %d of %d classified, %v", classified, total, err)
	}
	rows, err := importers.ReadComments(fixture("themes-council-train.csv"), "train.csv",
		importers.CommentColumns{Text: "Comment", Labels: "Themes"})
	if err != nil {
		t.Fatal(err)
	}
	var examples []themes.Example
	for _, r := range rows {
		examples = append(examples, r.Example)
	}
	m, err := themes.Train(examples, themes.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	by := analytics.Actor{Who: "test", From: "test"}
	if _, err := srv.store.SaveThemeModel(ctx, "council", m, examples, by); err != nil {
		t.Fatal(err)
	}
	if err := srv.store.SetSurveyThemeModel(ctx, sv.ID, "council", by); err != nil {
		t.Fatal(err)
	}
	srv.startThemeWorker()
	srv.classifyThemesSoon()
	deadline := time.Now().Add(time.Minute)
	for {
		classified, total, err := srv.store.ThemeProgress(ctx, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if classified == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute the worker has classified %d of %d comments", classified, total)
		}
		time.Sleep(20 * time.Millisecond)
	}
	// A model trained again is picked up when the worker is woken.
	info, _, err := srv.store.RetrainThemeModel(ctx, "council", themes.Options{Seed: 2}, by)
	if err != nil || info.Version != 2 {
		t.Fatalf("retrain: %+v, %v", info, err)
	}
	srv.classifyThemesSoon()
	for {
		classified, total, _ := srv.store.ThemeProgress(ctx, sv.ID)
		if classified == total {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker has classified %d of %d comments with the new version", classified, total)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
