package redact

import "testing"

func TestTextReplacesEachKind(t *testing.T) {
	in := "Thank you to Julie. Call 07700 900123, email julie@example.com, NHS 943 476 5919, LS1 4AB, 12 Acacia Avenue, born 12/03/1948."
	want := "Thank you to [name]. Call [phone], email [email], NHS [nhs number], [postcode], [address], born [date of birth]."
	if got := Text(in); got != want {
		t.Errorf("Text(%q)\n got %q\nwant %q", in, got, want)
	}
}
