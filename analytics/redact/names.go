package redact

import (
	"strings"
	"unicode"
)

// word is what findNames knows of one token.
type word struct {
	text string // the token, less a possessive "'s"
	key  string // text in lower case
	// candidate: capitalised letters that are not a common word, so a
	// name if a cue says so.
	candidate bool
	known     bool // in givenNames
	wordName  bool // in wordNames
	name      bool // found to be (part of) a name
}

// institutions are words after a name that make it the name of a place
// or service: "Florence Ward", "James Cook Hospital", "Leeds Teaching
// Hospitals". Lower case.
var institutions = wordSet(`hospital hospitals ward wards unit centre center clinic surgery practice trust house suite
wing building hospice lodge hall court road street avenue lane close drive school college university
medical health team teams service services infirmary foundation group council partnership ltd limited
station hotel park church mosque`)

// namePrefixes before a known name make it part of a place's name: "St
// James", "Queen Elizabeth", "Prince Charles Hospital".
var namePrefixes = wordSet(`st saint queen king prince princess royal`)

// praise are the words that, after "was" or "is", say a person was
// praised or blamed: "Julie was amazing", "Sam is a star".
var praise = wordSet(`amazing brilliant lovely fantastic great excellent wonderful fab fabulous kind helpful caring
superb outstanding marvellous awesome perfect exceptional friendly supportive patient professional polite
nice good sweet gentle understanding attentive brill incredible phenomenal lovley fantastic rude unhelpful
dismissive star angel credit diamond gem godsend legend lifesaver saint asset treasure best fab`)

// intensifiers may come between "was" and the praise: "was so very kind".
var intensifiers = wordSet(`so very really absolutely just extremely always truly incredibly such a an the
super totally fantastically exceptionally beyond most`)

// actions are verbs that, after a capitalised word, make it a person:
// "Kwame helped", "Priya went above and beyond".
var actions = wordSet(`helped listened explained went made took came visited supported treated sorted arranged
rang phoned organised organized saw looked cared spent gave got kept understood reassured knew showed
put dealt called talked spoke stayed always never really did has had said told asked`)

// be are the forms of "to be" before praise.
var be = wordSet(`was is were are has been`)

// thanksFillers may come between a thank-you and the names thanked:
// "thank you so much to Julie", "thanks again Sam".
var thanksFillers = wordSet(`you so very much a lot lots again also to go goes and especially particularly
in particular all of big huge massive special sincere heartfelt my our sincerely`)

// findNames appends the names of people in text: after a title ("Dr
// Patel", "nurse Julie"), beside a role ("my carer, Kwame,", "Julie the
// physio"), after thanks ("thank you to Julie", "thanks Sam and Priya"),
// before praise ("Julie was amazing"), and any capitalised name of
// givenNames that is not part of a place's name. A name runs on over
// capitalised words after it (a surname) and over names joined to it by
// "and" or commas.
func findNames(text string, toks []token, spans []Span) []Span {
	s := sets()
	ws := make([]word, len(toks))
	for i, t := range toks {
		w := &ws[i]
		w.text = text[t.start:t.end]
		if n := len(w.text); n > 3 && (w.text[n-2:] == "'s" || w.text[n-2:] == "'S") {
			w.text = w.text[:n-2]
		} else if n > 5 && w.text[n-4:] == "’s" {
			w.text = w.text[:n-4]
		}
		w.key = strings.ToLower(w.text)
		letters := allLetters(w.text)
		cap := isCapitalised(w.text)
		w.candidate = letters && cap && !s.notNames[w.key]
		w.known = letters && s.given[w.key]
		w.wordName = letters && s.wordNames[w.key]
	}
	for i := range ws {
		titleRule(toks, ws, i, s)
		roleRule(toks, ws, i, s)
		thanksRule(toks, ws, i, s)
		praiseRule(toks, ws, i)
		knownRule(ws, i)
	}
	extendNames(toks, ws)
	for i := 0; i < len(ws); i++ {
		if !ws[i].name {
			continue
		}
		j := i
		for j+1 < len(ws) && ws[j+1].name && toks[j+1].gap == "" {
			j++
		}
		spans = append(spans, Span{toks[i].start, toks[j].start + len(ws[j].text), Name})
		i = j
	}
	return spans
}

func allLetters(w string) bool {
	for _, r := range w {
		if !(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' || r == '-') {
			return false
		}
	}
	return true
}

// institutionAfter reports whether the words after ws[i] name a place or
// service ("Florence Ward", "Leeds General Infirmary").
func institutionAfter(toks []token, ws []word, i int) bool {
	for k := i + 1; k < len(ws) && k <= i+3 && toks[k].gap == ""; k++ {
		if institutions[ws[k].key] {
			return true
		}
		if !isCapitalised(ws[k].text) {
			return false
		}
	}
	return false
}

// nameAt marks ws[j] a name if it can be one after a cue: a candidate, a
// capitalised word-name, or a known name in any case. It reports whether
// it did.
func nameAt(toks []token, ws []word, j int, anyCase bool) bool {
	if j >= len(ws) {
		return false
	}
	w := &ws[j]
	ok := w.candidate || isCapitalised(w.text) && w.wordName || anyCase && w.known
	if !ok || institutionAfter(toks, ws, j) {
		return false
	}
	w.name = true
	return true
}

// abbreviated titles may have a full stop, and their name any case.
var abbreviated = wordSet(`mr mrs ms mx dr prof sr rev revd cllr`)

func titleRule(toks []token, ws []word, i int, s *wordSets) {
	if !s.titles[ws[i].key] || i+1 >= len(ws) {
		return
	}
	abbr := abbreviated[ws[i].key]
	j := i + 1
	if !(toks[j].gap == "" || abbr && toks[j].gap == ".") {
		return
	}
	// Initials: "Dr J. Smith", "Mr A Khan".
	k := j
	for k < len(ws) && k < j+2 && len(ws[k].text) == 1 && isUpper(ws[k].text[0]) && k+1 < len(ws) &&
		(toks[k+1].gap == "" || toks[k+1].gap == ".") {
		k++
	}
	if nameAt(toks, ws, k, true) {
		for m := j; m < k; m++ {
			ws[m].name = true
		}
	}
}

// roleEnd returns the index of the last word of a role starting at ws[i],
// or -1.
func roleEnd(toks []token, ws []word, i int, s *wordSets) int {
	if i+1 < len(ws) && toks[i+1].gap == "" && s.roles[ws[i].key+" "+ws[i+1].key] {
		return i + 1
	}
	if s.roles[ws[i].key] {
		return i
	}
	return -1
}

var possessives = wordSet(`my our the his her your their mums mum's dad's`)

func roleRule(toks []token, ws []word, i int, s *wordSets) {
	r := roleEnd(toks, ws, i, s)
	if r < 0 {
		return
	}
	// "my carer, Kwame", "the OT called Sam".
	j := r + 1
	if j < len(ws) && (toks[j].gap == "" || toks[j].gap == ",") {
		if ws[j].key == "called" || ws[j].key == "named" {
			j++
		}
		if j < len(ws) && (toks[j].gap == "" || toks[j].gap == "," && j == r+1) {
			nameAt(toks, ws, j, true)
		}
	}
	// "Julie the physio", "Kwame, my carer".
	if i >= 2 && possessives[ws[i-1].key] && toks[i].gap == "" && (toks[i-1].gap == "" || toks[i-1].gap == "," || toks[i-1].gap == "(") {
		c := i - 2
		if ws[c].candidate && (!toks[c].sentence || ws[c].known) || ws[c].known {
			nameAt(toks, ws, c, false)
		}
	}
}

func thanksRule(toks []token, ws []word, i int, s *wordSets) {
	j := -1
	switch {
	case i+1 < len(ws) && toks[i+1].gap == "" && s.thanks[ws[i].key+" "+ws[i+1].key]:
		j = i + 2
	case s.thanks[ws[i].key]:
		j = i + 1
	default:
		return
	}
	for n := 0; j < len(ws) && n < 6 && thanksFillers[ws[j].key] && !ws[j].candidate; n++ {
		if ws[j].known && isCapitalised(ws[j].text) {
			break
		}
		j++
	}
	for j < len(ws) && (toks[j].gap == "" || toks[j].gap == ",") {
		if !nameAt(toks, ws, j, true) {
			return
		}
		for j+1 < len(ws) && toks[j+1].gap == "" && nameAt(toks, ws, j+1, false) {
			j++
		}
		// ", Sam", "and Priya", "& Sam"
		j++
		if j < len(ws) && (ws[j].key == "and" || ws[j].key == "n") {
			j++
		} else if j < len(ws) && !(toks[j].gap == "," || toks[j].gap == "&" || toks[j].gap == "+") {
			return
		}
	}
}

func praiseRule(toks []token, ws []word, i int) {
	w := &ws[i]
	if !(w.candidate && (!toks[i].sentence || w.known) || w.wordName && isCapitalised(w.text) && months[w.key] == 0) {
		return
	}
	j := i + 1
	if j >= len(ws) || toks[j].gap != "" {
		return
	}
	if actions[ws[j].key] {
		nameAt(toks, ws, i, false)
		return
	}
	if !be[ws[j].key] {
		return
	}
	j++
	for n := 0; j < len(ws) && n < 4 && intensifiers[ws[j].key] && toks[j].gap == ""; n++ {
		j++
	}
	if j < len(ws) && toks[j].gap == "" && praise[ws[j].key] {
		nameAt(toks, ws, i, false)
	}
}

func knownRule(ws []word, i int) {
	w := &ws[i]
	if !w.known || !isCapitalised(w.text) && !isAllCaps(w.text) {
		return
	}
	if i > 0 && namePrefixes[ws[i-1].key] {
		return
	}
	w.name = true
}

func isAllCaps(w string) bool {
	for _, r := range w {
		if isLowerRune(r) {
			return false
		}
	}
	return len(w) > 2
}

// extendNames runs each name on over a surname after it ("Julie Smith")
// and over names joined to it ("Sam and Priya", "Julie, Sam"), and takes
// back a known name that turns out to be part of a place's name.
func extendNames(toks []token, ws []word) {
	for i := range ws {
		if ws[i].name && institutionAfter(toks, ws, i) {
			ws[i].name = false
		}
	}
	for changed, rounds := true, 0; changed && rounds < 4; rounds++ {
		changed = false
		for i := range ws {
			if !ws[i].name {
				continue
			}
			// Surname: "Julie Smith", "Will Jones".
			for k := i + 1; k < len(ws) && k <= i+2 && toks[k].gap == "" && !ws[k].name; k++ {
				if !(ws[k].candidate || ws[k].wordName && isCapitalised(ws[k].text)) || institutionAfter(toks, ws, k) {
					break
				}
				ws[k].name, changed = true, true
			}
			// "Julie, Sam and Priya"
			if k := i + 1; k+1 < len(ws) && (ws[k].key == "and" || ws[k].key == "&") && toks[k].gap == "" && !ws[k+1].name {
				if joinable(toks, ws, k+1) {
					ws[k+1].name, changed = true, true
				}
			}
			if k := i + 1; k < len(ws) && (toks[k].gap == "," || toks[k].gap == "&") && !ws[k].name && joinable(toks, ws, k) {
				ws[k].name, changed = true, true
			}
			if k := i - 1; k >= 1 && (ws[k].key == "and" || ws[k].key == "&") && !ws[k-1].name && joinable(toks, ws, k-1) {
				ws[k-1].name, changed = true, true
			}
		}
	}
}

// joinable reports whether ws[k], joined by "and" or a comma to a name,
// is one too.
func joinable(toks []token, ws []word, k int) bool {
	w := ws[k]
	return (w.candidate && (!toks[k].sentence || w.known) || w.known && isCapitalised(w.text)) && !institutionAfter(toks, ws, k)
}
