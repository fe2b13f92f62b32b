package redact

// lowerKey writes the lower case of the ASCII word w into buf and returns
// it; words with other bytes are returned as they are (the caller's maps
// hold such words as written). Looking up m[string(lowerKey(...))] does
// not allocate.
func lowerKey(buf *[40]byte, w string) []byte {
	if len(w) > len(buf) {
		return nil
	}
	for k := 0; k < len(w); k++ {
		buf[k] = lower(w[k])
	}
	return buf[:len(w)]
}

// isCapitalised reports whether w starts with an upper-case letter and
// goes on in lower case or with an apostrophe (so "Julie", "O'Neill" and
// "McDonald" are; "NHS", "GP", "HCAs" and "I" are not).
func isCapitalised(w string) bool {
	if len(w) < 2 {
		return false
	}
	r, size := firstRune(w)
	if !isUpperRune(r) {
		return false
	}
	r2, _ := firstRune(w[size:])
	return isLowerRune(r2) || r2 == '\'' || r2 == '’'
}

// isLowerWord reports whether w has no upper-case letter.
func isLowerWord(w string) bool {
	for _, c := range w {
		if isUpperRune(c) {
			return false
		}
	}
	return true
}

// isNumberWord reports whether w is a house number: digits, optionally a
// letter ("14b"), or a range ("45-47").
func isNumberWord(w string) bool {
	if len(w) == 0 || !isDigit(w[0]) || len(w) > 9 {
		return false
	}
	k := 0
	for k < len(w) && isDigit(w[k]) {
		k++
	}
	if k > 4 {
		return false
	}
	switch rest := w[k:]; {
	case rest == "":
		return true
	case len(rest) == 1 && isASCIILetter(rest[0]):
		return true
	case rest[0] == '-' && len(rest) > 1:
		for _, c := range []byte(rest[1:]) {
			if !isDigit(c) && !isASCIILetter(c) {
				return false
			}
		}
		return isDigit(rest[1])
	}
	return false
}
