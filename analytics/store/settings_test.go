package store

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// keepPersonal reads the setting, failing the test on an error.
func keepPersonal(tb testing.TB, s *Store, survey string) bool {
	tb.Helper()
	on, err := s.KeepPersonal(context.Background(), survey)
	if err != nil {
		tb.Fatalf("KeepPersonal(%q): %v", survey, err)
	}
	return on
}

func TestSetKeepPersonal(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	if _, err := s.ImportFile(ctx, request("Feedback", "a.csv", testMapping()), from(), nil); err != nil {
		t.Fatal(err)
	}
	if keepPersonal(t, s, "Feedback") {
		t.Fatal("a new survey keeps personal data by default")
	}
	if keepPersonal(t, s, "No such survey") {
		t.Fatal("an unknown survey keeps personal data")
	}
	steps := []struct {
		name   string
		keep   bool
		detail string
	}{
		{"opt in", true, "keep personal data"},
		{"opt in again", true, "keep personal data"},
		{"opt out", false, "not stored"},
		{"opt in after opting out", true, "keep personal data"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := s.SetKeepPersonal(ctx, "Feedback", st.keep, tester()); err != nil {
				t.Fatal(err)
			}
			if got := keepPersonal(t, s, "Feedback"); got != st.keep {
				t.Fatalf("KeepPersonal = %v, want %v", got, st.keep)
			}
			e := lastEvent(t, s)
			checkEvent(t, e, AuditSurveySetting, `"Feedback"`)
			if !strings.Contains(e.Detail, st.detail) {
				t.Errorf("audit detail %q, want it to mention %q", e.Detail, st.detail)
			}
		})
	}
	if n := count(t, s, "SELECT COUNT(*) FROM survey_settings"); n != 1 {
		t.Errorf("%d settings rows for one survey, want 1", n)
	}
	before := count(t, s, "SELECT COUNT(*) FROM audit_events")
	err := s.SetKeepPersonal(ctx, "No such survey", true, tester())
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetKeepPersonal on an unknown survey: %v, want ErrNotFound", err)
	}
	if after := count(t, s, "SELECT COUNT(*) FROM audit_events"); after != before {
		t.Errorf("a refused setting wrote %d audit events", after-before)
	}
}

func TestImportKeepPersonal(t *testing.T) {
	tests := []struct {
		name      string
		existing  bool // the survey exists before the import asking to keep
		wantKeep  bool
		wantAudit bool
	}{
		{"first import creates a survey that keeps", false, true, true},
		{"survey already there is unchanged", true, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			ctx := context.Background()
			if tc.existing {
				if _, err := s.ImportFile(ctx, request("Feedback", "first.csv", testMapping()), from(), nil); err != nil {
					t.Fatal(err)
				}
			}
			req := request("Feedback", "second.csv", testMapping())
			req.KeepPersonal, req.KeepPersonalBy = true, tester()
			if _, err := s.ImportFile(ctx, req, from(), nil); err != nil {
				t.Fatal(err)
			}
			if got := keepPersonal(t, s, "Feedback"); got != tc.wantKeep {
				t.Fatalf("KeepPersonal = %v, want %v", got, tc.wantKeep)
			}
			n := count(t, s, "SELECT COUNT(*) FROM audit_events WHERE action = ?", string(AuditSurveySetting))
			if (n == 1) != tc.wantAudit || n > 1 {
				t.Errorf("%d survey-setting audit events, want audited = %v", n, tc.wantAudit)
			}
		})
	}
}
