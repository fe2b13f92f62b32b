package redact

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// redactCase is a text and what Text should make of it.
type redactCase struct {
	name, in, want string
}

func runCases(t *testing.T, cases []redactCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q)\n got %q\nwant %q\nspans %v", c.in, got, c.want, Find(c.in))
			}
		})
	}
}

func TestTextReplacesEachKind(t *testing.T) {
	in := "Thank you to Julie. Call 07700 900123, email julie@example.com, NHS 943 476 5919, LS1 4AB, 12 Acacia Avenue, born 12/03/1948."
	want := "Thank you to [name]. Call [phone], email [email], NHS [nhs number], [postcode], [address], born [date of birth]."
	if got := Text(in); got != want {
		t.Errorf("Text(%q)\n got %q\nwant %q", in, got, want)
	}
}

func TestNames(t *testing.T) {
	runCases(t, []redactCase{
		{"after Dr.", "Dr. Patel explained it all.", "Dr. [name] explained it all."},
		{"after Mrs, apostrophe", "Mrs O'Neill was kind.", "Mrs [name] was kind."},
		{"lower-case nurse", "the nurse Julie sat with me", "the nurse [name] sat with me"},
		{"initial", "Mr J. Smith did the operation.", "Mr [name] did the operation."},
		{"title, particle", "We saw Dr Ó Súilleabháin.", "We saw Dr [name]."},
		{"title, surname that is a word", "Dr Green rang me.", "Dr [name] rang me."},
		{"thank you to", "thank you to Julie for everything", "thank you to [name] for everything"},
		{"thanks two names", "thanks Sam and Priya!", "thanks [name] and [name]!"},
		{"thanks list", "Many thanks to Kwame, Siobhan & Tadhg.", "Many thanks to [name], [name] & [name]."},
		{"thanks, unknown lower case", "thank you efua x", "thank you [name] x"},
		{"praise", "Julie was amazing.", "[name] was amazing."},
		{"praise, unknown name", "Olamide is a star!", "[name] is a star!"},
		{"praise, pair", "Minh and Grzegorz were very kind.", "[name] and [name] were very kind."},
		{"role", "my social worker Anne-Marie helped", "my social worker [name] helped"},
		{"role with commas", "My carer, Kwame, comes daily.", "My carer, [name], comes daily."},
		{"role called", "The OT called Sam fitted rails.", "The OT called [name] fitted rails."},
		{"name before role", "Lachlan the physio was great.", "[name] the physio was great."},
		{"full name", "I spoke to Julie Smith yesterday.", "I spoke to [name] yesterday."},
		{"possessive", "Julie's kindness helped.", "[name]'s kindness helped."},
		{"word-name with thanks", "Thanks to Grace for sorting it.", "Thanks to [name] for sorting it."},
		{"word-name with surname", "Could Will Jones ring me?", "Could [name] ring me?"},
		{"unknown after by", "The letter was signed by Eilidh Smith.", "The letter was signed by [name]."},
	})
}

func TestNamesNotRedacted(t *testing.T) {
	for _, in := range []string{
		"Will you call me back?",
		"I hope the ward gets more staff.",
		"Hope this helps.",
		"Grace period for prescriptions was not explained.",
		"I have faith in the NHS.",
		"The Bill for parking was too high.",
		"Mark my words.",
		"May was a difficult month.",
		"In June the service changed.",
		"Thank you to the NHS and the Council.",
		"Thanks to all the staff at the GP surgery.",
		"Thank you for everything.",
		"Florence Ward was clean.",
		"St James hospital was busy.",
		"Physio was great and so was OT.",
		"The Physio was great.",
		"Reception was lovely.",
		"I've had diabetes for years.",
		"The HCAs were extremely kind.",
		"Taking Clozapine affects my sugar.",
		"I was taken to Darlington.",
		"my mum\nFood was good.",
		"Especially the paramedic.",
		"my father in-law was there",
		"the nurse didn't listen",
		"Our Transport Crews are very kind.",
	} {
		if spans := Find(in); len(spans) > 0 {
			t.Errorf("Find(%q) = %v (%q), want nothing", in, spans, Text(in))
		}
	}
}

func TestEmails(t *testing.T) {
	runCases(t, []redactCase{
		{"plain", "email julie.smith@example.co.uk.", "email [email]."},
		{"plus and digits", "(j_smith+care42@nhs.net)", "([email])"},
		{"capitals", "Write to Julie.Smith@Leeds.GOV.UK please", "Write to [email] please"},
		{"no domain dot", "me@home is fine", "me@home is fine"},
		{"handle", "follow @heard on social media", "follow @heard on social media"},
		{"one-letter top level", "a@b.c", "a@b.c"},
	})
}

func TestPhones(t *testing.T) {
	runCases(t, []redactCase{
		{"mobile", "call 07700 900123 please", "call [phone] please"},
		{"mobile no spaces", "07700900123", "[phone]"},
		{"mobile dashes", "07700-900-123", "[phone]"},
		{"+44", "+44 7700 900123", "[phone]"},
		{"+44 (0)", "on +44 (0)7700 900 123.", "on [phone]."},
		{"0044", "0044 7700 900123", "[phone]"},
		{"landline brackets", "ring (0113) 496 0000 after 5", "ring [phone] after 5"},
		{"London", "020 7946 0000", "[phone]"},
		{"dashes", "0161-496-0000", "[phone]"},
		{"mobile without 0", "my mobile 7700900123", "my mobile [phone]"},
		{"service numbers", "Call 111 or 999 now.", "Call 111 or 999 now."},
		{"too short", "0113 496", "0113 496"},
		{"money", "it cost £1,250,000", "it cost £1,250,000"},
		{"date", "on 12/03/2024 at 10.30", "on 12/03/2024 at 10.30"},
		{"invalid NHS-like, not a phone", "reference 4534765918", "reference 4534765918"},
		{"in a word", "code AB07700900123", "code AB07700900123"},
	})
}

func TestNHSNumbers(t *testing.T) {
	runCases(t, []redactCase{
		{"spaced", "NHS number 943 476 5919.", "NHS number [nhs number]."},
		{"plain", "NHS 9434765919", "NHS [nhs number]"},
		{"dashed", "no. 943-476-5919", "no. [nhs number]"},
		{"bad check digit", "NHS 943 476 5918", "NHS 943 476 5918"},
		{"bad check digit, starts 9: neither", "NHS 9434765918", "NHS 9434765918"},
		{"bad check digit, starts 7: a mobile without its 0", "NHS 7434765918", "NHS [phone]"},
		{"valid, starts 7", "NHS 7434765917", "NHS [nhs number]"},
		{"eleven digits", "94347659190", "94347659190"},
	})
}

// TestValidNHSNumber checks the modulus 11 algorithm of the NHS Data
// Dictionary. 943 476 5919 is the example NHS Digital publishes: the
// weighted sum of the first nine digits is 9x10+4x9+3x8+4x7+7x6+6x5+5x4+
// 9x3+1x2 = 299, 299 mod 11 = 2, 11-2 = 9. For 401 023 213: 92 mod 11 = 4,
// so 7. For 000 000 016 the sum is 1x3+6x2 = 15, 15 mod 11 = 4, so 7; for
// 000 000 017 it is 17, remainder 6, so 5; and for 000 000 006 it is 12,
// remainder 1, 11-1 = 10: no check digit makes it valid.
func TestValidNHSNumber(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"9434765919", true},
		{"9434765918", false},
		{"4010232137", true},
		{"4010232138", false},
		{"0000000167", true},
		{"0000000175", true},
		{"0000000176", false},
		{"943476591", false},
		{"94347659190", false},
		{"943476591x", false},
		{"943 476 5919", false},
	} {
		if got := ValidNHSNumber(c.s); got != c.want {
			t.Errorf("ValidNHSNumber(%q) = %v, want %v", c.s, got, c.want)
		}
	}
	for d := '0'; d <= '9'; d++ {
		if s := "000000006" + string(d); ValidNHSNumber(s) {
			t.Errorf("ValidNHSNumber(%q) = true, want false (the check digit would be 10)", s)
		}
	}
}

func TestPostcodes(t *testing.T) {
	runCases(t, []redactCase{
		{"A9 9AA", "M1 1AE", "[postcode]"},
		{"A99 9AA", "B33 8TH", "[postcode]"},
		{"AA9 9AA", "I live in LS1 4AB now", "I live in [postcode] now"},
		{"AA99 9AA", "DN55 1PT", "[postcode]"},
		{"A9A 9AA", "W1A 0AX", "[postcode]"},
		{"AA9A 9AA", "SW1A 1AA.", "[postcode]."},
		{"GIR 0AA", "GIR 0AA", "[postcode]"},
		{"no space", "postcode ls14ab", "postcode [postcode]"},
		{"lower case", "in cf10 1ep", "in [postcode]"},
		{"not an area", "QQ1 1AA", "QQ1 1AA"},
		{"C not in inward code", "LS1 4AC", "LS1 4AC"},
		{"inside a word", "XLS1 4AB", "XLS1 4AB"},
		{"ordinal", "the 3rd time", "the 3rd time"},
		{"covid", "covid19 test", "covid19 test"},
	})
}

func TestAddresses(t *testing.T) {
	runCases(t, []redactCase{
		{"number and street", "I live at 12 Acacia Avenue.", "I live at [address]."},
		{"flat", "Flat 3, 45 High St, Leeds", "[address], Leeds"},
		{"letter", "my mum at 14b Mill Lane", "my mum at [address]"},
		{"range", "45-47 Station Road", "[address]"},
		{"saint", "10 St Mary's Road", "[address]"},
		{"lower case", "12 acacia avenue", "[address]"},
		{"minutes walk", "a 5 minute walk from the stop", "a 5 minute walk from the stop"},
		{"minutes drive", "a 10 minute drive away", "a 10 minute drive away"},
		{"hours to close", "it took 2 hours to close", "it took 2 hours to close"},
		{"ward", "Ward 12 Green team", "Ward 12 Green team"},
	})
}

func TestDatesOfBirth(t *testing.T) {
	runCases(t, []redactCase{
		{"born", "born 12/03/1948", "born [date of birth]"},
		{"DOB dots", "DOB 1.3.48", "DOB [date of birth]"},
		{"date of birth words", "date of birth: 3 March 1948", "date of birth: [date of birth]"},
		{"d.o.b.", "d.o.b. 04/11/1952", "d.o.b. [date of birth]"},
		{"D.O.B ordinal of", "D.O.B 3rd of March 1948", "D.O.B [date of birth]"},
		{"born on", "born on March 3, 1948 in Leeds", "born on [date of birth] in Leeds"},
		{"ISO", "my DOB is 1948-03-12", "my DOB is [date of birth]"},
		{"month and year", "born in March 1948", "born in [date of birth]"},
		{"year", "born in 1948", "born in [date of birth]"},
		{"no cue", "on 12/03/2024 the carer came", "on 12/03/2024 the carer came"},
		{"no cue, words", "my appointment on 3 March 2024", "my appointment on 3 March 2024"},
		{"born, no date", "born and bred in Leeds", "born and bred in Leeds"},
	})
}

func TestOverlappingSpans(t *testing.T) {
	// merge joins spans that overlap into one over both, of the more
	// specific kind, and keeps those that only touch apart.
	got := merge([]Span{{10, 20, Name}, {0, 5, Phone}, {15, 30, Email}, {5, 8, Postcode}, {29, 31, Name}})
	want := []Span{{0, 5, Phone}, {5, 8, Postcode}, {10, 31, Email}}
	if !slices.Equal(got, want) {
		t.Errorf("merge = %v, want %v", got, want)
	}
	runCases(t, []redactCase{
		{"name inside an email", "Julie.Smith@example.com", "[email]"},
		{"address then postcode", "12 Acacia Avenue, LS1 4AB", "[address], [postcode]"},
		{"NHS number after +", "+44 943 476 5919", "[phone]"},
		{"street named after a person", "Thanks Julie, 12 Julie Road", "Thanks [name], [address]"},
	})
}

func TestUnicode(t *testing.T) {
	runCases(t, []redactCase{
		{"accented names", "Zoë and Łukasz were amazing, thanks to Siobhán.", "[name] and [name] were amazing, thanks to [name]."},
		{"curly apostrophe", "Mrs O’Neill’s care", "Mrs [name]’s care"},
		{"emoji before", "👍👍 Café great. Call 07700 900123 😀", "👍👍 Café great. Call [phone] 😀"},
		{"non-breaking space", "Thank you to\u00a0Julie", "Thank you to\u00a0[name]"},
		{"other scripts", "Спасибо Dr Иванов", "Спасибо Dr [name]"},
	})
}

func TestKinds(t *testing.T) {
	want := []Kind{Email, NHSNumber, DateOfBirth, Phone, Postcode, Address, Name}
	if got := Kinds(); !slices.Equal(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
}

// TestWordListsSorted checks the embedded lists are sorted bytewise, one
// word a line, as the binary search needs.
func TestWordListsSorted(t *testing.T) {
	for name, list := range map[string]string{"english.txt": englishWords, "proper.txt": properNouns} {
		words := strings.Split(strings.TrimSuffix(list, "\n"), "\n")
		if len(words) < 10000 {
			t.Errorf("%s: %d words, want the whole list", name, len(words))
		}
		for i := 1; i < len(words); i++ {
			if words[i-1] >= words[i] {
				t.Fatalf("%s: line %d %q is not after %q", name, i+1, words[i], words[i-1])
			}
		}
	}
	lex := lexicons()
	for _, w := range []string{"aardvark", "physio", "zoo", "kind"} {
		if !lex.ordinary(w) {
			t.Errorf("ordinary(%q) = false", w)
		}
	}
	for _, w := range []string{"olamide", "clozapinex", ""} {
		if lex.ordinary(w) {
			t.Errorf("ordinary(%q) = true", w)
		}
	}
	if !lex.proper.has("Leeds") || lex.proper.has("leeds") {
		t.Errorf("proper nouns: Leeds %v, leeds %v", lex.proper.has("Leeds"), lex.proper.has("leeds"))
	}
}

// checkSpans fails unless spans are valid, sorted, apart, of known kinds,
// and Text is the text with exactly those spans replaced.
func checkSpans(t *testing.T, text string) {
	t.Helper()
	spans := Find(text)
	at := 0
	var b strings.Builder
	for _, s := range spans {
		if s.Start < at || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("Find(%q): span %v out of order or range (after %d)", text, s, at)
		}
		if !slices.Contains(Kinds(), s.Kind) {
			t.Fatalf("Find(%q): unknown kind %q", text, s.Kind)
		}
		if utf8.ValidString(text) && (!utf8.ValidString(text[:s.Start]) || !utf8.ValidString(text[s.End:])) {
			t.Fatalf("Find(%q): span %v splits a character", text, s)
		}
		b.WriteString(text[at:s.Start])
		b.WriteString("[" + string(s.Kind) + "]")
		at = s.End
	}
	b.WriteString(text[at:])
	// Text is every span replaced, and then whatever the placeholders
	// complete redacted too (Text of the once-replaced text).
	got := Text(text)
	if once := b.String(); got != once && got != Text(once) {
		t.Fatalf("Text(%q) = %q, want %q", text, got, once)
	}
	// Redacting again finds nothing new: no personal detail grows back
	// out of the placeholders and what is left.
	if again := Text(got); again != got {
		t.Fatalf("Text(Text(%q)) = %q, want %q", text, again, got)
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{
		"Thank you to Julie and Sam, Dr. Patel was great. Mrs O'Neill too.",
		"Call me on 07700 900123 or +44 (0)7700 900 456, email julie.smith@example.co.uk.",
		"NHS number 943 476 5919; LS1 4AB; SW1A1AA; GIR 0AA; Flat 3, 45 High St",
		"born 12/03/1948, DOB 1.3.48, d.o.b. 4th of May 1950",
		"Zoë and Łukasz were amazing 👍",
		"((((+44(0)7700)))) 9-0-0 1.2.3 @@a@b.co x@y.zz",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSpans(t, text)
	})
}

func TestFindProperties(t *testing.T) {
	// The fuzz seeds and the table texts run through the same checks.
	for _, s := range []string{
		"Thank you to Julie. Call 07700 900123, email julie@example.com, NHS 943 476 5919, LS1 4AB, 12 Acacia Avenue, born 12/03/1948.",
		"Dr [name] and [name]'s carer",
		"Mr. B.Khan did my operation.",
		"Thanks again Harpreet & Tomasz",
		"+44 (0)7700 900 456)",
		"\xff\xfe Julie \xc3",
	} {
		checkSpans(t, s)
	}
}

// comments is a sample of comments for the benchmark.
var comments = []string{
	"The staff were kind and the ward was clean. Thank you to Julie and Sam on the night shift.",
	"Waited 3 hours for an ambulance. Please call me on 07700 900123 to discuss.",
	"Excellent care from start to finish.",
	"My NHS number is 943 476 5919 and I was born 12/03/1948; I live at 12 Acacia Avenue, LS1 4AB.",
	"Physio was great, and my social worker Anne-Marie helped with the forms.",
	"Nothing to improve.",
	"Parking is too expensive and the signs to the clinic are confusing, especially for older people.",
	"Dr. Patel explained everything clearly. Email me at julie.smith@example.co.uk if needed.",
}

func BenchmarkText(b *testing.B) {
	bytes := 0
	for _, c := range comments {
		bytes += len(c)
	}
	b.SetBytes(int64(bytes))
	for b.Loop() {
		for _, c := range comments {
			_ = Text(c)
		}
	}
}
