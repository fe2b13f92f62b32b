package redact

// streetSuffixes are the last words of street names, lower case; true
// marks those a lower-case address may end with ("12 acacia avenue"),
// false abbreviations and words too common in ordinary text to trust
// without a capital ("a 10 minute walk", "a 5 minute drive" are not
// addresses, "12 Park View Walk" is).
var streetSuffixes = map[string]bool{
	"street": true, "st": false, "road": true, "rd": false, "avenue": true, "ave": false, "av": false,
	"lane": true, "ln": false, "close": true, "cl": false, "drive": false, "dr": false, "way": false,
	"crescent": true, "cres": false, "court": false, "ct": false, "place": false, "pl": false,
	"grove": true, "gr": false, "gardens": true, "gdns": false, "terrace": true, "terr": false, "tce": false,
	"walk": false, "hill": false, "row": false, "square": true, "sq": false, "mews": true, "park": false,
	"view": false, "rise": false, "green": false, "parade": false, "vale": false, "wharf": false,
	"yard": false, "croft": false, "fold": false, "garth": false, "gate": false, "bank": false,
	"meadow": false, "meadows": false, "lea": false, "brow": false, "boulevard": true, "chase": false,
	"approach": false, "circus": false, "end": false, "fields": false, "heights": false, "wynd": false,
	"villas": false, "cottages": false, "mount": false, "hall": false, "house": false, "towers": false,
	"buildings": false, "quay": false, "precinct": false, "common": false, "dale": false, "bridge": false,
}

// flatWords start a flat's part of an address: "Flat 3, 45 High St".
var flatWords = map[string]bool{"flat": true, "apartment": true, "apt": true, "unit": true, "room": true}

// notStreetNames are lower-case words that, between a number and a street
// word, make it ordinary text: "2 hours to close", "5 minute drive".
var notStreetNames = map[string]bool{
	"minute": true, "minutes": true, "min": true, "mins": true, "hour": true, "hours": true, "hr": true, "hrs": true,
	"day": true, "days": true, "week": true, "weeks": true, "month": true, "months": true, "year": true,
	"years": true, "mile": true, "miles": true, "times": true, "time": true, "second": true, "seconds": true,
	"of": true, "to": true, "the": true, "a": true, "and": true, "or": true, "in": true, "on": true, "at": true,
	"we": true, "they": true, "i": true, "you": true, "was": true, "were": true, "is": true, "are": true,
	"people": true, "staff": true, "nurses": true, "doctors": true, "visits": true, "pm": true, "am": true,
	"for": true, "with": true, "by": true, "from": true, "very": true, "so": true, "not": true, "no": true,
	"steps": true, "flights": true, "floors": true, "stairs": true, "hills": true, "up": true, "down": true,
}

// findAddresses appends street addresses: a house number ("12", "14b",
// "45-47"), then one to three words of a street name and a street word
// ("Acacia Avenue", "High St", "St Mary's Road"); with "Flat 3," or
// similar before it when there is.
func findAddresses(text string, toks []token, spans []Span) []Span {
	var buf [40]byte
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !isNumberWord(text[t.start:t.end]) || t.gap == ":" || t.gap == "/" || t.gap == "." && !t.spaced {
			continue
		}
		end := streetAfter(text, toks, i+1, &buf)
		if end < 0 {
			continue
		}
		start := t.start
		if i >= 2 && flatWords[string(lowerKey(&buf, text[toks[i-2].start:toks[i-2].end]))] &&
			isNumberWord(text[toks[i-1].start:toks[i-1].end]) && (t.gap == "" || t.gap == ",") && toks[i-1].gap == "" {
			start = toks[i-2].start
		}
		spans = append(spans, Span{start, toks[end].end, Address})
		i = end
	}
	return spans
}

// streetAfter returns the index of the street word ending a street name
// that starts at toks[j], or -1.
func streetAfter(text string, toks []token, j int, buf *[40]byte) int {
	best := -1
	capital, small := true, true
	for k := j; k < len(toks) && k <= j+3; k++ {
		t := toks[k]
		if k == j && !(t.gap == "" || t.gap == ",") || k > j && t.gap != "" && t.gap != "'" {
			break
		}
		w := text[t.start:t.end]
		if k > j {
			if full, ok := streetSuffixes[string(lowerKey(buf, w))]; ok {
				if capital && isCapitalised(w) || small && full && isLowerWord(w) {
					best = k
				}
			}
		}
		if isDigit(w[0]) {
			break
		}
		capital = capital && (isCapitalised(w) || isUpperRune(rune(w[0])) && len(w) <= 3)
		small = small && isLowerWord(w) && !notStreetNames[string(lowerKey(buf, w))]
		if !capital && !small {
			break
		}
	}
	return best
}
