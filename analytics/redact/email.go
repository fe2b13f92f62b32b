package redact

// findEmails appends the email addresses in text: a local part, "@", and a
// domain of at least two labels whose last is two or more letters.
func findEmails(text string, spans []Span) []Span {
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		start := i
		for start > 0 && isLocalByte(text[start-1]) {
			start--
		}
		for start < i && (text[start] == '.' || text[start] == '-') {
			start++
		}
		end, dots, lastDot := i+1, 0, -1
		for end < len(text) && isDomainByte(text[end]) {
			if text[end] == '.' {
				dots++
				lastDot = end
			}
			end++
		}
		// A sentence's full stop or a dash after the address is not part of it.
		for end > i+1 && (text[end-1] == '.' || text[end-1] == '-') {
			if text[end-1] == '.' {
				dots--
			}
			end--
			if lastDot >= end {
				lastDot = -1
				for j := end - 1; j > i; j-- {
					if text[j] == '.' {
						lastDot = j
						break
					}
				}
			}
		}
		if start == i || dots == 0 || lastDot < 0 || !tldOK(text[lastDot+1:end]) {
			continue
		}
		spans = append(spans, Span{start, end, Email})
		i = end - 1
	}
	return spans
}

func isLocalByte(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''
}

func isDomainByte(c byte) bool {
	return isASCIILetter(c) || isDigit(c) || c == '.' || c == '-'
}

func tldOK(tld string) bool {
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isASCIILetter(tld[i]) {
			return false
		}
	}
	return true
}
