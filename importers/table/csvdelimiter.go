package table

import "strings"

// detectDelimiter picks comma, semicolon or tab from the first records of
// text, counting only outside quotes: the delimiter appears in the first
// record and the same number of times in most records. Ties go to comma, then
// semicolon. truncated says text is only the start of the file.
func detectDelimiter(text []byte, truncated bool) byte {
	counts := delimiterCounts(text, truncated)
	best, bestSame, bestFirst := byte(','), -1, 0
	for i := range len(delimiterCandidates) {
		c := delimiterCandidates[i]
		if len(counts[i]) == 0 || counts[i][0] == 0 {
			continue
		}
		same := 0
		for _, n := range counts[i] {
			if n == counts[i][0] {
				same++
			}
		}
		if same > bestSame || same == bestSame && counts[i][0] > bestFirst {
			best, bestSame, bestFirst = c, same, counts[i][0]
		}
	}
	return best
}

// delimiterCandidates are the delimiters detectDelimiter chooses from, in
// order of preference.
const delimiterCandidates = ",;\t"

// delimiterCounts counts each candidate outside quotes in each of the first
// 20 records of text.
func delimiterCounts(text []byte, truncated bool) [3][]int {
	var counts [3][]int
	var cur [3]int
	inQuote, content := false, false
	flush := func() {
		for i := range counts {
			counts[i] = append(counts[i], cur[i])
			cur[i] = 0
		}
		content = false
	}
	for _, b := range text {
		if len(counts[0]) == 20 {
			break
		}
		switch {
		case b == '"':
			inQuote = !inQuote
		case inQuote:
		case b == '\n' || b == '\r':
			if content {
				flush()
			}
			continue
		default:
			if i := strings.IndexByte(delimiterCandidates, b); i >= 0 {
				cur[i]++
			}
		}
		content = true
	}
	if content && (!truncated || len(counts[0]) == 0) {
		flush()
	}
	return counts
}
