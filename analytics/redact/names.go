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
	cued      bool // found by a cue, not only by being in givenNames
	// For candidates: ordinary if an English word, unknown if neither
	// that nor a proper noun of the word lists (see lexicon.go).
	ordinary, unknown, proper bool
}

// institutions are words after a name that make it the name of a place
// or service: "Florence Ward", "James Cook hospital", "Leeds Teaching
// Hospitals". Lower case; true marks those that do so in lower case too,
// false those that need a capital ("Julie's care", "Sam's team" are
// people; "Leeds Community Healthcare" is not).
var institutions = func() map[string]bool {
	m := map[string]bool{}
	for w := range wordSet(`hospital hospitals ward wards unit centre center clinic surgery practice hospice infirmary
road street avenue lane close drive school college university station hotel church mosque hosp`) {
		m[w] = true
	}
	for w := range wordSet(`trust house suite wing building lodge hall court medical health healthcare community care
nhs team teams service services foundation group council partnership ltd limited park course courses programme
program syndrome disease`) {
		m[w] = false
	}
	return m
}()

// particles join a given name to a surname: "Ó Súilleabháin", "Ní
// Bhriain", "van der Berg", "bin Said".
var particles = wordSet(`ó o ní ni nic mac ua de da di du del della van von der den la le bin binti bint al el ap ab`)

// namePrefixes before a known name make it part of a place's name: "St
// James", "Queen Elizabeth", "Prince Charles Hospital".
var namePrefixes = wordSet(`st saint queen king prince princess royal`)

// findNames appends the names of people in text: after a title ("Dr
// Patel", "nurse Julie"), beside a role ("my carer, Kwame,", "Julie the
// physio"), after thanks ("thank you to Julie", "thanks Sam and Priya"),
// before praise ("Julie was amazing"), and any capitalised name of
// givenNames that is not part of a place's name. A name runs on over
// capitalised words after it (a surname) and over names joined to it by
// "and" or commas.
func findNames(text string, toks []token, spans []Span) []Span {
	s, lex := sets(), lexicons()
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
		letters := allLetters(w.text) && !isContraction(w.key)
		cap := isCapitalised(w.text)
		w.candidate = letters && cap && !s.notNames[w.key]
		w.known = letters && s.given[w.key]
		w.wordName = letters && s.wordNames[w.key]
		if w.candidate && !w.known {
			w.ordinary = lex.ordinary(w.key)
			w.proper = lex.proper.has(w.text)
			w.unknown = !w.ordinary && !w.proper
		}
	}
	for i := range ws {
		titleRule(toks, ws, i, s)
		roleRule(toks, ws, i, s)
		thanksRule(toks, ws, i, s)
		praiseRule(toks, ws, i)
		knownRule(toks, ws, i)
		unknownRule(toks, ws, i)
	}
	extendNames(toks, ws)
	for i := 0; i < len(ws); i++ {
		if !ws[i].name {
			continue
		}
		j := i
		for j+1 < len(ws) && ws[j+1].name && (toks[j+1].gap == "" || toks[j+1].gap == "." && len(ws[j].text) == 1) {
			j++
		}
		spans = append(spans, Span{toks[i].start, toks[j].start + len(ws[j].text), Name})
		i = j
	}
	return spans
}

// isContraction reports whether w is "i've", "we'd", "don't" and the like.
func isContraction(w string) bool {
	a := strings.LastIndexAny(w, "'’")
	if a < 0 {
		return false
	}
	switch strings.TrimLeft(w[a:], "'’") {
	case "ve", "d", "m", "ll", "re", "t":
		return true
	}
	return false
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
		capital := isCapitalised(ws[k].text) || isUpperRune(rune(ws[k].text[0])) && !isLowerWord(ws[k].text[1:])
		if any, ok := institutions[ws[k].key]; ok && (any || capital) {
			return true
		}
		if !capital {
			// "Julie's care was kind": a lower-case word is no part of
			// a place's name.
			return false
		}
	}
	return false
}

// cue is how strongly the words around a word say it is a name.
type cue int

const (
	// cueWeak: praise, or a name joined by "and".
	cueWeak cue = iota
	// cueRole: a role before it ("my carer Kwame"); a capitalised English
	// word there is more often the next sentence ("my mum Food was good").
	cueRole
	// cueThanks: thanks before it; a lower-case word that is no English
	// word is taken too ("thank you efua x").
	cueThanks
	// cueTitle: a title before it ("Dr Green", "Mrs Baker").
	cueTitle
)

// nameAt marks ws[j] a name if it can be one after a cue of the given
// strength, and reports whether it did.
func nameAt(toks []token, ws []word, j int, c cue) bool {
	if j >= len(ws) {
		return false
	}
	w := &ws[j]
	capital := isCapitalised(w.text)
	ok := false
	switch {
	case w.known:
		ok = capital || c != cueWeak
	case w.wordName:
		ok = capital
	case w.candidate:
		ok = c == cueTitle || !w.ordinary || w.proper || !toks[j].sentence && (c != cueRole || nameEnds(toks, ws, j))
	case c == cueThanks:
		ok = lowerUnknown(w)
	}
	if !ok || institutionAfter(toks, ws, j) {
		return false
	}
	w.name, w.cued = true, true
	return true
}

// nameEnds reports whether what follows ws[j] says it was a name after a
// role: a comma or bracket or full stop, or a surname ("my physio Yaw
// Rahman", "my carer, Yaw, comes"; not "my mum Food was good").
func nameEnds(toks []token, ws []word, j int) bool {
	if j+1 >= len(ws) {
		return true
	}
	switch toks[j+1].gap {
	case ",", ")", ".", "),", ").":
		return true
	case "":
		n := ws[j+1]
		return n.candidate && (!n.ordinary || n.proper || n.known)
	}
	return false
}

// lowerUnknown reports whether w is a lower-case word of three letters or
// more that is neither an English word nor a proper noun ("efua"), each
// part of it for a hyphenated word ("in-law" is English).
func lowerUnknown(w *word) bool {
	if len(w.text) < 3 || !isLowerWord(w.text) || !allLetters(w.text) || isContraction(w.key) || sets().notNames[w.key] {
		return false
	}
	lex := lexicons()
	for part := range strings.SplitSeq(w.key, "-") {
		if part != "" && !lex.ordinary(part) {
			return !lex.proper.has(w.text)
		}
	}
	return false
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
			// Surname: "Julie Smith", "Will Jones", "Liam Ó Súilleabháin",
			// "Kees van der Berg".
			for k := i + 1; k < len(ws) && k <= i+3 && toks[k].gap == "" && !ws[k].name; k++ {
				if particles[ws[k].key] && k+1 < len(ws) && toks[k+1].gap == "" && (ws[k+1].candidate || particles[ws[k+1].key]) {
					ws[k].name, changed = true, true
					continue
				}
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
			if k := i + 1; k < len(ws) && (toks[k].gap == "," || toks[k].gap == "&") && !ws[k].name &&
				(ws[i].cued && joinable(toks, ws, k) || ws[k].known && isCapitalised(ws[k].text) && !institutionAfter(toks, ws, k)) {
				ws[k].name, changed = true, true
			}
			if k := i - 1; k >= 1 && (ws[k].key == "and" || ws[k].key == "&") && !ws[k-1].name &&
				(joinable(toks, ws, k-1) || ws[i].cued && ws[k-1].candidate && !ws[k-1].ordinary) {
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

func hasKey(m map[string]bool, k string) bool {
	_, ok := m[k]
	return ok
}
