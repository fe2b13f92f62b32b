package dashboards

import "testing"

func TestSafeCell(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text", "Reablement team", "Reablement team"},
		{"empty", "", ""},
		{"equals", `=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"plus", "+44 20 7946 0000", "'+44 20 7946 0000"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"line feed", "\n=1+1", "'\n=1+1"},
		{"full-width equals", "＝1+1", "'＝1+1"},
		{"full-width plus", "＋1", "'＋1"},
		{"full-width minus", "－1", "'－1"},
		{"full-width at", "＠x", "'＠x"},
		{"small equals", "﹦1", "'﹦1"},
		{"spaces then equals", "  =1+1", "'  =1+1"},
		{"no-break space then minus", "\u00a0-1", "'\u00a0-1"},
		{"zero-width space then at", "\u200b@x", "'\u200b@x"},
		{"byte order mark then equals", "\ufeff=1", "'\ufeff=1"},
		{"spaces then text", "  hello", "  hello"},
		{"equals inside", "a=b", "a=b"},
		{"en dash", "– suppressed", "– suppressed"},
		{"script is not a formula", "</script><script>alert(1)</script>", "</script><script>alert(1)</script>"},
		{"already quoted", "'=1", "'=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SafeCell(tc.in); got != tc.want {
				t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
