package importers

import "testing"

func TestCleanHeaderKeepsAllButFormattingTags(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Consider this: <br>In Lottery A<br/>you win", "Consider this: In Lottery A you win"},
		{"<span style=\"font-size:12px\">How <b>satisfied</b> are you?</span>", "How satisfied are you?"},
		{"</script><script>alert(1)</script>", "</script><script>alert(1)</script>"},
		{"<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"},
		{"Rate us 1 < 2 &amp; 3 > 2", "Rate us 1 < 2 & 3 > 2"},
		{"\ufeffResponse\u00a0ID", "Response ID"},
	}
	for _, tc := range tests {
		if got := cleanHeader(tc.in); got != tc.want {
			t.Errorf("cleanHeader(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
