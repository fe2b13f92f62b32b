package api

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/heard-council/heard/api/ingest"
)

// realExports are survey exports from the survey tools, beside the
// repository (see ../shared/data/external/PROVENANCE.md).
var realExports = []string{
	"surveymonkey-fivethirtyeight/steak-risk-survey.csv",
	"surveymonkey-fivethirtyeight/StarWars.csv",
	"msforms-phonebrandpred/surveyEng.csv",
	"googleforms-uvads-hotdog/sp25_Form_Responses_1.csv",
	"qualtrics-qualtRics/sample_legacy.csv",
	"qualtrics-qualtricstools/Long_Exhaustive_Sample_Survey.csv",
	"limesurvey-artifact-survey/results-survey54231.xlsx",
	"kobotoolbox-kobocruncher/data_likert.xlsx",
	"nhs-fft-gp-practice/data.csv",
}

// TestPagesOnRealExports imports real exports from the survey tools and
// opens every page of each survey: the home page, the dashboard, the list
// of questions and every question's page, the equality page, the
// downloads page, the imports, the workbooks and the trend CSV.
func TestPagesOnRealExports(t *testing.T) {
	dir := externalDir(t)
	srv, h := newTestServer(t)
	ctx := context.Background()
	imported := 0
	for _, rel := range realExports {
		path := filepath.Join(dir, rel)
		if _, err := os.Stat(path); err != nil {
			t.Logf("skip %s: %v", rel, err)
			continue
		}
		rep, err := ingest.ImportFile(ctx, srv.store, path, filepath.Base(rel), ingest.ImportParams{Survey: rel})
		if err != nil {
			t.Fatalf("import %s: %v", rel, err)
		}
		if rep.Refused() {
			t.Logf("%s was refused (%v): not a page's concern", rel, rep.Errors[0].Error())
			continue
		}
		imported++
	}
	if imported < 3 {
		t.Fatalf("only %d real exports imported", imported)
	}
	for _, p := range []string{"/", "/imports"} {
		if rec := get(t, h, p); rec.Code != 200 {
			t.Errorf("GET %s: %d", p, rec.Code)
		} else {
			checkPage(t, p, rec.Body.String())
		}
	}
	list, err := srv.store.Surveys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range list {
		t.Run(sv.Name, func(t *testing.T) {
			base := "/surveys/" + url.PathEscape(sv.Slug)
			pages := []string{base, base + "?board=1&period=fy", base + "/questions", base + "/equality", base + "/downloads"}
			qs, _, err := srv.store.Questions(ctx, sv.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				pages = append(pages, base+"/questions/"+url.PathEscape(q.Code))
			}
			figures := 0
			for _, p := range pages {
				rec := get(t, h, p)
				if rec.Code != 200 {
					t.Errorf("GET %s: %d %.300s", p, rec.Code, rec.Body)
					continue
				}
				checkPage(t, p, rec.Body.String())
				figures += strings.Count(rec.Body.String(), "(n = ")
			}
			for _, d := range []string{base + "/dashboard.xlsx", base + "/equality.xlsx",
				"/api/v1/surveys/" + url.PathEscape(sv.Slug) + "/trends.csv", "/api/v1/surveys/" + url.PathEscape(sv.Slug) + "/report"} {
				// A survey without a scale question has no tables (422).
				if rec := get(t, h, d); rec.Code != 200 && rec.Code != 422 {
					t.Errorf("GET %s: %d %.300s", d, rec.Code, rec.Body)
				}
			}
			t.Logf("%d pages, %d figures with their base", len(pages), figures)
		})
	}
}
