package redact

import "strings"

// postcodeAreas are the UK postcode areas (the letters before the first
// digit), as Royal Mail lists them, with BF (BFPO) and BX (non-geographic).
const postcodeAreas = " AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY" +
	" E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU" +
	" M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY" +
	" TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE "

// findPostcodes appends the UK postcodes in text, in any case, with or
// without the space between the outward and inward codes. The format is
// the one the UK Government Data Standards Catalogue gives (outward code
// A9, A99, AA9, AA99, A9A or AA9A with the letters each position allows;
// inward code 9AA without C, I, K, M, O or V; and GIR 0AA), and the area
// must be a real one, so "a2 3bd" in a sentence is not taken for one.
func findPostcodes(text string, spans []Span) []Span {
	for i := 0; i+5 <= len(text); i++ {
		if !isASCIILetter(text[i]) || i > 0 && isWordByte(text[i-1]) {
			continue
		}
		if end := postcodeAt(text, i); end > 0 {
			spans = append(spans, Span{i, end, Postcode})
			i = end - 1
		}
	}
	return spans
}

// postcodeAt returns the end of the postcode starting at text[i], or 0.
func postcodeAt(text string, i int) int {
	if end := inwardAt(text, i+3); end > 0 && strings.EqualFold(text[i:i+3], "GIR") && text[end-3] == '0' &&
		lower(text[end-2]) == 'a' && lower(text[end-1]) == 'a' {
		return end
	}
	// Outward codes are two to four bytes; try each.
	for n := 4; n >= 2; n-- {
		if i+n > len(text) || !outwardOK(text[i:i+n]) {
			continue
		}
		if end := inwardAt(text, i+n); end > 0 {
			return end
		}
	}
	return 0
}

// inwardAt returns the end of an inward code ("9AA") at text[i], after an
// optional space, ending at a word boundary; or 0.
func inwardAt(text string, i int) int {
	if i < len(text) && text[i] == ' ' {
		i++
	}
	if i+3 > len(text) || !isDigit(text[i]) || !inwardLetter(text[i+1]) || !inwardLetter(text[i+2]) {
		return 0
	}
	if i+3 < len(text) && isWordByte(text[i+3]) {
		return 0
	}
	return i + 3
}

func inwardLetter(c byte) bool {
	c = lower(c)
	return 'a' <= c && c <= 'z' && !strings.ContainsRune("cikmov", rune(c))
}

// outwardOK reports whether s is an outward code of a real area.
func outwardOK(s string) bool {
	area := 0
	for area < len(s) && area < 2 && isASCIILetter(s[area]) {
		area++
	}
	if area == 0 || area == len(s) || !isDigit(s[area]) {
		return false
	}
	var code [4]byte
	for k := 0; k < area; k++ {
		code[k] = s[k] &^ 0x20
	}
	if !strings.Contains(postcodeAreas, " "+string(code[:area])+" ") {
		return false
	}
	rest := s[area+1:]
	switch len(rest) {
	case 0:
		return true
	case 1:
		c := rest[0]
		if isDigit(c) {
			return true
		}
		// A9A allows A-H J K P S T U W; AA9A allows A B E H M N P R V-Y.
		allowed := "abcdefghjkpstuw"
		if area == 2 {
			allowed = "abehmnprvwxy"
		}
		return isASCIILetter(c) && strings.IndexByte(allowed, lower(c)) >= 0
	}
	return false
}

func isWordByte(c byte) bool { return isASCIILetter(c) || isDigit(c) || c >= 0x80 || c == '_' }
