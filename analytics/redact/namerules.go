package redact

// The rules of findNames, each taking a word for a name when the words
// around it say so.

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
rang phoned organised organized saw looked cared spent gave kept understood reassured knew showed
dealt talked spoke stayed always never said told asked`)

// be are the forms of "to be" before praise ("has" and "have" only with
// "been" after them).
var be = wordSet(`was is were are`)

// placeWords before a capitalised word make it more likely a place than a
// person: "appointment at Stanley", "a first responder from Rothbury".
var placeWords = wordSet(`at in from to near into via around of`)

// thanksFillers may come between a thank-you and the names thanked:
// "thank you so much to Julie", "thanks again Sam".
var thanksFillers = wordSet(`you u so very much a lot lots again also to go goes and especially particularly
in particular all of big huge massive special sincere heartfelt my our sincerely`)

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
	// "Dr Ó Súilleabháin", "Mr van der Berg"
	for k < len(ws) && k < j+3 && particles[ws[k].key] && k+1 < len(ws) && toks[k+1].gap == "" {
		k++
	}
	if nameAt(toks, ws, k, cueTitle) {
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
	if j < len(ws) && (toks[j].gap == "" || toks[j].gap == "," || toks[j].gap == "(") {
		if ws[j].key == "called" || ws[j].key == "named" {
			j++
		}
		if j < len(ws) && (toks[j].gap == "" || (toks[j].gap == "," || toks[j].gap == "(") && j == r+1) {
			nameAt(toks, ws, j, cueRole)
		}
	}
	// "Julie (OT) came", "Sam - physio - rang".
	if i >= 1 && (toks[i].gap == "(" || toks[i].gap == "-") && r+1 < len(ws) && toks[r+1].gap != "" {
		if c := i - 1; ws[c].candidate && (!ws[c].ordinary || ws[c].proper) || ws[c].known {
			nameAt(toks, ws, c, cueWeak)
		}
	}
	// "Julie the physio", "Kwame, my carer".
	if i >= 2 && possessives[ws[i-1].key] && toks[i].gap == "" && (toks[i-1].gap == "" || toks[i-1].gap == "," || toks[i-1].gap == "(") {
		c := i - 2
		// "Expecially the paramedic." is no name: without a comma the
		// sentence must go on after the role.
		goesOn := toks[i-1].gap != "" || r+1 < len(ws) && (toks[r+1].gap == "" || toks[r+1].gap == ",")
		if c >= 1 && ws[c].key == "as" && toks[c].gap == "" {
			// "we had Julie as our support worker"
			c, goesOn = c-1, true
		}
		if goesOn && (ws[c].candidate && (!toks[c].sentence || !ws[c].ordinary) || ws[c].known) {
			nameAt(toks, ws, c, cueWeak)
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
	for j < len(ws) && (toks[j].gap == "" || toks[j].gap == "," || toks[j].gap == "&" || toks[j].gap == "+") {
		if !nameAt(toks, ws, j, cueThanks) {
			return
		}
		for j+1 < len(ws) && toks[j+1].gap == "" && ws[j+1].candidate && nameAt(toks, ws, j+1, cueWeak) {
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

// teamOwners come between a name and "team": "Julie and her team".
var teamOwners = wordSet(`her his their the`)

// determiners before a capitalised word make it a thing, not a person:
// "the Physio was great", "our Transport Crews are kind".
var determiners = wordSet(`the a an my our your his her their this that these those and or & its`)

// praiseRule takes for a name a word before praise or an action ("Julie
// was amazing", "Kwame helped me"), and both words of "Minh and Florin
// were very kind": a known name, a word-name (not a month), a word that
// is no English word, or a capitalised word in mid-sentence after neither
// a determiner nor another capitalised word.
func praiseRule(toks []token, ws []word, i int) {
	if !praisable(toks, ws, i) {
		return
	}
	j := i + 1
	if j >= len(ws) || toks[j].gap != "" || !ws[i].known && i > 0 && placeWords[ws[i-1].key] {
		return
	}
	if praiseAt(toks, ws, j) {
		nameAt(toks, ws, i, cueWeak)
		return
	}
	// "Julie and her team were fab", "Sam from the district team visited".
	if k := j + 1; k+1 < len(ws) && (ws[j].key == "and" && teamOwners[ws[k].key] || ws[j].key == "from" && ws[k].key == "the") &&
		(ws[i].known || !ws[i].ordinary || ws[i].proper) {
		for m := k + 1; m < len(ws) && m <= k+4; m++ {
			if ws[m].key == "team" || ws[m].key == "teams" || ws[m].key == "colleagues" {
				nameAt(toks, ws, i, cueWeak)
				return
			}
		}
	}
	if (ws[j].key == "and" || ws[j].key == "&") && j+2 < len(ws) && toks[j+1].gap == "" && ws[j+1].candidate &&
		(ws[j+1].known || !ws[j+1].ordinary || ws[j+1].proper || isCapitalised(ws[j+1].text)) && praiseAt(toks, ws, j+2) {
		if nameAt(toks, ws, i, cueWeak) {
			nameAt(toks, ws, j+1, cueThanks)
		}
	}
}

func praisable(toks []token, ws []word, i int) bool {
	w := &ws[i]
	switch {
	case w.known, w.wordName && isCapitalised(w.text) && months[w.key] == 0:
		return true
	case !w.candidate:
		return false
	case toks[i].sentence:
		return w.unknown
	case !w.ordinary:
		return true
	}
	// "I think Yaw was brilliant" (but not "the Physio was", "Transport
	// Crews are", "x Driver was"), and only before praise, not an action.
	return i > 0 && i+1 < len(ws) && be[ws[i+1].key] && !determiners[ws[i-1].key] && len(ws[i-1].text) > 1 &&
		!isUpperRune(rune(ws[i-1].text[0]))
}

// praiseAt reports whether ws[j:] is praise or an action: "was so kind",
// "is a star", "has been fantastic", "helped".
func praiseAt(toks []token, ws []word, j int) bool {
	if j >= len(ws) || toks[j].gap != "" {
		return false
	}
	if actions[ws[j].key] {
		return true
	}
	switch {
	case be[ws[j].key]:
		j++
	case (ws[j].key == "has" || ws[j].key == "have") && j+1 < len(ws) && ws[j+1].key == "been":
		j += 2
	default:
		return false
	}
	for n := 0; j < len(ws) && n < 4 && intensifiers[ws[j].key] && toks[j].gap == ""; n++ {
		j++
	}
	return j < len(ws) && toks[j].gap == "" && praise[ws[j].key]
}

func knownRule(toks []token, ws []word, i int) {
	w := &ws[i]
	if !w.known || !isCapitalised(w.text) {
		return
	}
	if i > 0 && (namePrefixes[ws[i-1].key] || (ws[i-1].key == "at" || ws[i-1].key == "in" || ws[i-1].key == "near") && len(w.text) == toks[i].end-toks[i].start) {
		return
	}
	if i+1 < len(ws) && toks[i+1].gap == "" && isDigit(ws[i+1].text[0]) {
		// "Rowan 1": a ward or bay.
		return
	}
	w.name = true
}

// speech verbs before "to" make the word after it a person: "I spoke to
// Navjot" (where "went to Sedgefield" is a place).
var speech = wordSet(`spoke speak speaking talked talk talking said say chatted explained listened mentioned
wrote write introduced passed pass reported complained thanks grateful letter sent`)

// unknownRule takes for a name a capitalised word that is neither an
// English word nor a known proper noun when the words around it say it is
// a person: a second such word or a surname after it ("Mhairi Adeyemi",
// "signed by Eilidh Smith"), or in the middle of a sentence "by" or
// "with" or a "to" after a verb of speech before it ("seen by Navjot", "I
// spoke to Navjot on Tuesday"). On the NHS comments such a word alone is
// far more often a drug, a place or a typing slip ("Clozapine",
// "Cramlington", "Theparamedics"), so it is kept.
func unknownRule(toks []token, ws []word, i int) {
	w := &ws[i]
	if w.name {
		return
	}
	// "Could Jack O'Neill ring", "Grace Jones": a word-name before a surname.
	if w.wordName && isCapitalised(w.text) && i+1 < len(ws) && toks[i+1].gap == "" && ws[i+1].candidate &&
		(ws[i+1].unknown || ws[i+1].proper || ws[i+1].known) && !institutionAfter(toks, ws, i+1) {
		w.name, ws[i+1].name = true, true
		return
	}
	if !w.candidate || w.ordinary || w.known {
		return
	}
	// "Could Thanh Rahman ring", "Caoimhe Ó Súilleabháin".
	k := i + 1
	for k < len(ws) && k < i+3 && particles[ws[k].key] && toks[k].gap == "" {
		k++
	}
	if k < len(ws) && toks[k].gap == "" && ws[k].candidate && (ws[k].unknown || ws[k].known || ws[k].proper) &&
		!hasKey(institutions, ws[k].key) && !institutionAfter(toks, ws, k) && (w.unknown || !toks[i].sentence) {
		for m := i; m <= k; m++ {
			ws[m].name = true
		}
		return
	}
	if !w.unknown {
		// A proper noun the list knows ("Zebedee", "Freeman") only where
		// the words before it say it is a person.
		if !toks[i].sentence && i > 1 && ws[i-1].key != "with" && personBefore(ws, i) && !(i+1 < len(ws) && toks[i+1].gap == "" && isCapitalised(ws[i+1].text)) {
			nameAt(toks, ws, i, cueWeak)
		}
		return
	}
	if toks[i].sentence || i == 0 || i+1 < len(ws) && toks[i+1].gap == "" && isCapitalised(ws[i+1].text) {
		return
	}
	if personBefore(ws, i) {
		nameAt(toks, ws, i, cueWeak)
	}
}

// personBefore reports whether the words before ws[i] say a person comes
// next: "by", "with", a verb such as "adored", a verb of speech and "to",
// "ask for".
func personBefore(ws []word, i int) bool {
	switch p := ws[i-1].key; {
	case p == "by" || p == "with" || personVerbs[p]:
		return true
	case p == "to" && i > 1 && speech[ws[i-2].key]:
		return true
	case p == "for" && i > 1 && (ws[i-2].key == "ask" || ws[i-2].key == "asked"):
		return true
	}
	return false
}

// personVerbs take a person after them: "our daughter adored Olamide",
// "without Tendai I would not have coped".
var personVerbs = wordSet(`adored adore loved praise praised thank thanked trust trusted recommend recommended
met meet without`)
