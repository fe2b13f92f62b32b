package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/heard-council/heard/analytics/redact"
)

// planted is one personal detail put into a generated comment.
type planted struct {
	start, end int
	kind       redact.Kind
	heldOut    bool // from the held-out templates
	// class says how a name was planted: "title", "thanks", "role",
	// "praise" or "bare"; for other kinds it is the kind.
	class string
}

// comment is one generated comment with what was planted in it; negative
// marks the byte ranges of hard-negative sentences.
type comment struct {
	text     string
	planted  []planted
	negative [][2]int
	// heldOutNegative marks the hard-negative sentences of the held-out
	// wording.
	heldOutNegative [][2]int
}

// generator makes comments from ordinary text (the NHS file's, when given)
// and the templates, with a fixed seed.
type generator struct {
	rng      *rand.Rand
	ordinary []string
}

// comment makes one comment: an ordinary comment, with one or two planted
// sentences (seven comments in ten) and a hard-negative sentence (three in
// ten), in random order.
func (g *generator) comment() comment {
	var parts []func(*builder)
	if len(g.ordinary) > 0 {
		text := g.ordinary[g.rng.IntN(len(g.ordinary))]
		parts = append(parts, func(b *builder) { b.text(text) })
	}
	if g.rng.Float64() < 0.7 {
		for n := 1 + g.rng.IntN(2); n > 0; n-- {
			heldOut := g.rng.Float64() < 0.25
			class, tmpl := g.template(heldOut)
			parts = append(parts, func(b *builder) {
				b.heldOut = heldOut
				g.fill(b, class, tmpl)
				b.heldOut = false
			})
		}
	}
	if g.rng.Float64() < 0.3 {
		heldOut := g.rng.Float64() < 0.25
		tmpl := pick(g.rng, hardNegatives)
		switch {
		case heldOut:
			tmpl = pick(g.rng, heldOutNegatives)
		case g.rng.IntN(3) == 0:
			tmpl = pick(g.rng, secondNegatives)
		}
		parts = append(parts, func(b *builder) {
			start := b.len()
			g.fill(b, "negative", tmpl)
			b.c.negative = append(b.c.negative, [2]int{start, b.len()})
			if heldOut {
				b.c.heldOutNegative = append(b.c.heldOutNegative, [2]int{start, b.len()})
			}
		})
	}
	g.rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	b := &builder{}
	for i, p := range parts {
		if i > 0 {
			b.text(pick(g.rng, []string{" ", " ", "  ", "\n", ". "}))
		}
		p(b)
	}
	b.c.text = b.sb.String()
	return b.c
}

// template picks a planted sentence, of the held-out wording or else of
// the first (two times in three) or second wording: names four times in
// ten, each other kind one time in ten.
func (g *generator) template(heldOut bool) (string, string) {
	names, others := nameTemplates, templates
	switch {
	case heldOut:
		names, others = heldOutNameTemplates, heldOutTemplates
	case g.rng.IntN(3) == 0:
		names, others = secondNameTemplates, secondTemplates
	}
	if g.rng.Float64() < 0.4 {
		classes := []string{"title", "thanks", "role", "praise", "bare"}
		weights := []float64{0.3, 0.3, 0.2, 0.12, 0.08}
		class := classes[weighted(g.rng, weights)]
		return class, pick(g.rng, names[class])
	}
	kinds := []string{"email", "phone", "nhs", "postcode", "address", "dob"}
	kind := pick(g.rng, kinds)
	return kind, pick(g.rng, others[kind])
}

// builder writes a comment and records where each planted detail is.
type builder struct {
	sb      strings.Builder
	c       comment
	heldOut bool
}

func (b *builder) len() int      { return b.sb.Len() }
func (b *builder) text(s string) { b.sb.WriteString(s) }
func (b *builder) plant(s string, kind redact.Kind, class string) {
	start := b.sb.Len()
	b.sb.WriteString(s)
	b.c.planted = append(b.c.planted, planted{start, b.sb.Len(), kind, b.heldOut, class})
}

// fill writes tmpl, filling each {slot}.
func (g *generator) fill(b *builder, class, tmpl string) {
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.text(tmpl)
			return
		}
		b.text(tmpl[:open])
		end := strings.IndexByte(tmpl[open:], '}') + open
		g.slot(b, class, tmpl[open+1:end])
		tmpl = tmpl[end+1:]
	}
}

func (g *generator) slot(b *builder, class, slot string) {
	r := g.rng
	switch slot {
	case "title":
		b.text(pick(r, titles))
	case "firsttitle":
		b.text(pick(r, firstNameTitles))
	case "role":
		b.text(pick(r, roleWords))
	case "date":
		b.text(g.date(r.IntN(6)+2019, false))
	case "refnumber":
		b.text(g.notNHSNumber())
	case "FIRST":
		b.plant(pick(r, givenNames), redact.Name, class)
	case "LOWERFIRST":
		b.plant(strings.ToLower(pick(r, givenNames)), redact.Name, class)
	case "SURNAME":
		b.plant(pick(r, surnames), redact.Name, class)
	case "WORDSURNAME":
		b.plant(pick(r, wordSurnames), redact.Name, class)
	case "WORDNAME":
		b.plant(pick(r, wordGivenNames), redact.Name, class)
	case "FULL":
		b.plant(pick(r, givenNames)+" "+pick(r, surnames), redact.Name, class)
	case "INITIALSURNAME":
		initial := string(rune('A' + r.IntN(26)))
		b.plant(initial+pick(r, []string{". ", " ", "."})+pick(r, surnames), redact.Name, class)
	case "EMAIL":
		b.plant(g.email(), redact.Email, "email")
	case "PHONE":
		b.plant(g.phone(), redact.Phone, "phone")
	case "NHS":
		b.plant(g.nhsNumber(), redact.NHSNumber, "nhs")
	case "POSTCODE":
		b.plant(g.postcode(), redact.Postcode, "postcode")
	case "ADDRESS":
		b.plant(g.address(), redact.Address, "address")
	case "DOB":
		b.plant(g.date(1920+r.IntN(90), true), redact.DateOfBirth, "dob")
	default:
		panic("benchredact: unknown slot " + slot)
	}
}

func (g *generator) email() string {
	r := g.rng
	first, last := asciiName(pick(r, givenNames)), asciiName(pick(r, surnames))
	var local string
	switch r.IntN(6) {
	case 0:
		local = first + "." + last
	case 1:
		local = first + last + fmt.Sprint(r.IntN(100))
	case 2:
		local = first[:1] + "." + last
	case 3:
		local = first + "_" + last
	case 4:
		local = strings.ToUpper(first[:1]) + first[1:] + "." + strings.ToUpper(last[:1]) + last[1:]
	default:
		local = last + fmt.Sprint(1940+r.IntN(70))
	}
	return local + "@" + pick(r, emailDomains)
}

// asciiName is a name in lower-case ASCII letters, as in an address.
func asciiName(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c < 0x80 && unicode.IsLetter(c) {
			b.WriteRune(c)
		}
	}
	if b.Len() < 2 {
		return "jo"
	}
	return b.String()
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// phone makes a UK number in one of the ways people write them.
func (g *generator) phone() string {
	r := g.rng
	switch r.IntN(12) {
	case 0:
		return "07" + digits(r, 3) + " " + digits(r, 6)
	case 1:
		return "07" + digits(r, 9)
	case 2:
		return "07" + digits(r, 3) + "-" + digits(r, 3) + "-" + digits(r, 3)
	case 3:
		return "+44 7" + digits(r, 3) + " " + digits(r, 6)
	case 4:
		return "+44 (0)7" + digits(r, 3) + " " + digits(r, 3) + " " + digits(r, 3)
	case 5:
		return "(01" + digits(r, 2) + ") " + digits(r, 3) + " " + digits(r, 4)
	case 6:
		return "01" + digits(r, 2) + " " + digits(r, 3) + " " + digits(r, 4)
	case 7:
		return "020 " + digits(r, 4) + " " + digits(r, 4)
	case 8:
		return "01" + digits(r, 3) + " " + digits(r, 6)
	case 9:
		return "0161-" + digits(r, 3) + "-" + digits(r, 4)
	case 10:
		return "+44 20 " + digits(r, 4) + " " + digits(r, 4)
	default:
		return "0044 7" + digits(r, 3) + " " + digits(r, 6)
	}
}

// nhsNumber makes a valid NHS number (modulus 11 check digit), written
// as ten digits, 3-3-4 with spaces, or 3-3-4 with dashes.
func (g *generator) nhsNumber() string {
	r := g.rng
	for {
		nine := string("4679"[r.IntN(4)]) + digits(r, 8)
		sum := 0
		for i := 0; i < 9; i++ {
			sum += int(nine[i]-'0') * (10 - i)
		}
		check := (11 - sum%11) % 11
		if check == 10 {
			continue
		}
		d := nine + string(rune('0'+check))
		switch r.IntN(3) {
		case 0:
			return d
		case 1:
			return d[:3] + " " + d[3:6] + " " + d[6:]
		default:
			return d[:3] + "-" + d[3:6] + "-" + d[6:]
		}
	}
}

// notNHSNumber makes ten digits with a wrong check digit that do not
// start as a phone number does (0, 1, 2 or 7).
func (g *generator) notNHSNumber() string {
	r := g.rng
	nine := string("345689"[r.IntN(6)]) + digits(r, 8)
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	check := (11 - sum%11) % 11
	return nine + string(rune('0'+(check+1+r.IntN(8))%10))
}

// postcode makes a postcode in one of the six formats (and now and then
// GIR 0AA), upper case with a space, without it, or in lower case.
func (g *generator) postcode() string {
	r := g.rng
	const inward = "ABDEFGHJLNPQRSTUWXYZ"
	in := digits(r, 1) + string(inward[r.IntN(len(inward))]) + string(inward[r.IntN(len(inward))])
	var out string
	switch r.IntN(7) {
	case 0:
		out = string("BEGLMNSW"[r.IntN(8)]) + fmt.Sprint(1+r.IntN(9))
	case 1:
		out = string("BEGLMNSW"[r.IntN(8)]) + fmt.Sprint(10+r.IntN(20))
	case 2, 3:
		out = pick(r, postcodeAreas) + fmt.Sprint(1+r.IntN(9))
	case 4:
		out = pick(r, postcodeAreas) + fmt.Sprint(10+r.IntN(20))
	case 5:
		// A9A: the third letter one of A-H, J, K, P, S, T, U, W.
		out = string("EWN"[r.IntN(3)]) + "1" + string("ABCDEFGHJKPSTUW"[r.IntN(15)])
	default:
		if r.IntN(10) == 0 {
			out, in = "GIR", "0AA"
		} else {
			// AA9A: the fourth letter one of A, B, E, H, M, N, P, R, V-Y.
			out = pick(r, []string{"SW1", "EC1", "WC2", "EC2", "NW1", "SE1"}) + string("ABEHMNPRVWXY"[r.IntN(12)])
		}
	}
	switch r.IntN(7) {
	case 0:
		return out + in
	case 1:
		return strings.ToLower(out + " " + in)
	default:
		return out + " " + in
	}
}

// address makes a street address: a house number, sometimes with a letter
// or a flat before it, a street name and a street word.
func (g *generator) address() string {
	r := g.rng
	number := fmt.Sprint(1 + r.IntN(199))
	if r.IntN(6) == 0 {
		number += string("abc"[r.IntN(3)])
	}
	street := pick(r, streetFirst) + " " + pick(r, streetSuffixes)
	if r.IntN(10) == 0 {
		number = fmt.Sprint(1+r.IntN(60)) + "-" + fmt.Sprint(61+r.IntN(60))
	}
	a := number + " " + street
	switch r.IntN(8) {
	case 0:
		a = "Flat " + fmt.Sprint(1+r.IntN(20)) + ", " + a
	case 1:
		a = "flat " + fmt.Sprint(1+r.IntN(20)) + " " + a
	case 2:
		if s := strings.ToLower(street); strings.HasSuffix(s, "road") || strings.HasSuffix(s, "street") ||
			strings.HasSuffix(s, "avenue") || strings.HasSuffix(s, "lane") {
			a = number + " " + s
		}
	}
	return a
}

// date makes a date of the given year in one of the ways people write
// them; dob adds the forms used for dates of birth.
func (g *generator) date(year int, dob bool) string {
	r := g.rng
	d, m := 1+r.IntN(28), 1+r.IntN(12)
	forms := 7
	if dob {
		forms = 11
	}
	switch r.IntN(forms) {
	case 0:
		return fmt.Sprintf("%02d/%02d/%d", d, m, year)
	case 1:
		return fmt.Sprintf("%d.%d.%02d", d, m, year%100)
	case 2:
		return fmt.Sprintf("%d %s %d", d, months[m-1], year)
	case 3:
		return fmt.Sprintf("%d%s %s %d", d, ordinal(d), months[m-1], year)
	case 4:
		return fmt.Sprintf("%02d-%02d-%02d", d, m, year%100)
	case 5:
		return fmt.Sprintf("%s %d, %d", months[m-1], d, year)
	case 6:
		return fmt.Sprintf("%d/%d/%d", d, m, year)
	case 7:
		return fmt.Sprintf("%d-%02d-%02d", year, m, d)
	case 8:
		return fmt.Sprintf("%d%s of %s %d", d, ordinal(d), months[m-1], year)
	case 9:
		return fmt.Sprintf("%d %s %d", d, shortMonths[r.IntN(len(shortMonths))], year)
	default:
		return fmt.Sprintf("%s %d", months[m-1], year)
	}
}

func ordinal(d int) string {
	switch {
	case d == 1 || d == 21 || d == 31:
		return "st"
	case d == 2 || d == 22:
		return "nd"
	case d == 3 || d == 23:
		return "rd"
	}
	return "th"
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func weighted(r *rand.Rand, w []float64) int {
	x := r.Float64()
	for i, p := range w {
		if x < p {
			return i
		}
		x -= p
	}
	return len(w) - 1
}
