package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/heard-council/heard/analytics/store/storetest"
	"github.com/heard-council/heard/api/ingest"

	"github.com/heard-council/heard/analytics/store"
)

// fftCell is one month's (or surgery's) Friends and Family Test figure,
// counted straight from the CSV.
type fftCell struct{ n, positive int64 }

// countFFT reads the NHS FFT export with encoding/csv alone and counts, by
// month and by surgery, the answers (every rating, "Don't know" included,
// as the FFT counts them) and the positive ones.
func countFFT(t testing.TB, path string) (byMonth, bySurgery map[string]fftCell, byBoth map[[2]string]fftCell) {
	t.Helper()
	f, err := os.Open(path)
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
	byMonth, bySurgery, byBoth = map[string]fftCell{}, map[string]fftCell{}, map[[2]string]fftCell{}
	for _, r := range recs[1:] {
		rating, month, surgery := r[col["rating"]], r[col["time"]][:7], r[col["surgery"]]
		if rating == "" {
			continue
		}
		var pos int64
		if rating == "Extremely likely" || rating == "Likely" {
			pos = 1
		}
		add := func(c fftCell) fftCell { return fftCell{c.n + 1, c.positive + pos} }
		byMonth[month] = add(byMonth[month])
		bySurgery[surgery] = add(bySurgery[surgery])
		byBoth[[2]string{month, surgery}] = add(byBoth[[2]string{month, surgery}])
	}
	return byMonth, bySurgery, byBoth
}

// TestReportNHSFriendsAndFamilyTest imports the real NHS Friends and Family
// Test responses of eleven London GP practices through the importer and
// checks the % positive by month, by surgery and by both against counts
// made from the CSV itself.
func TestReportNHSFriendsAndFamilyTest(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "external", "nhs-fft-gp-practice", "data.csv")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("the NHS FFT export is not beside the repo (%v): skipping", err)
	}
	db := storetest.NewDB(t)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ingest.ImportFile(context.Background(), st, path, "data.csv", ingest.ImportParams{Survey: "GP FFT"})
	st.Close()
	if err != nil || rep.Refused() || rep.ResponsesAdded != 3882 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	byMonth, bySurgery, byBoth := countFFT(t, path)

	monthly := runReportJSON(t, "--db", db, "--survey", "GP FFT", "--question", "rating")
	if monthly.Metric.Name != "FFT % positive" || len(monthly.Rows) != len(byMonth) {
		t.Fatalf("metric %q, %d months; want FFT %% positive over %d months", monthly.Metric.Name, len(monthly.Rows), len(byMonth))
	}
	for _, r := range monthly.Rows {
		want := byMonth[r.Period]
		if *r.N != want.n || *r.Positive != want.positive {
			t.Errorf("%s: %d positive of %d, the CSV has %d of %d", r.Period, *r.Positive, *r.N, want.positive, want.n)
		}
	}
	if feb := byMonth["2024-02"]; feb.n != 1876 {
		t.Errorf("the CSV's February 2024 has %d ratings, PROVENANCE.md says 1876", feb.n)
	}

	surgeries := runReportJSON(t, "--db", db, "--survey", "GP FFT", "--question", "rating", "--by", "surgery", "--period", "all")
	if len(surgeries.Rows) != 1+len(bySurgery) {
		t.Fatalf("%d rows, want the overall row and %d surgeries", len(surgeries.Rows), len(bySurgery))
	}
	for _, r := range surgeries.Rows[1:] {
		want := bySurgery[r.Group]
		if *r.N != want.n || *r.Positive != want.positive || *r.Rate != float64(want.positive)/float64(want.n) {
			t.Errorf("%s: %d positive of %d, the CSV has %d of %d", r.Group, *r.Positive, *r.N, want.positive, want.n)
		}
	}

	both := runReportJSON(t, "--db", db, "--survey", "GP FFT", "--question", "rating", "--by", "SURGERY")
	checked := 0
	for _, r := range both.Rows {
		want, ok := byBoth[[2]string{r.Period, r.Group}]
		if r.Group == "" {
			continue
		}
		if !ok || *r.N != want.n || *r.Positive != want.positive {
			t.Errorf("%s, %s: %d positive of %d, the CSV has %d of %d", r.Period, r.Group, *r.Positive, *r.N, want.positive, want.n)
		}
		checked++
	}
	if checked != len(byBoth) {
		t.Errorf("%d month and surgery cells reported, the CSV has %d", checked, len(byBoth))
	}
}
