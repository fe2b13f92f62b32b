package redact

import (
	_ "embed"
	"strings"
	"sync"
)

// englishWords and properNouns are SCOWL's British word list (see
// words/README.md): lower-case words, and capitalised proper nouns, one a
// line, sorted bytewise.
var (
	//go:embed words/english.txt
	englishWords string
	//go:embed words/proper.txt
	properNouns string
)

// careWords are words of care and health services the English list
// lacks, written by hand.
const careWords = `physio physios physiotherapist physiotherapists carer carers phlebotomy phlebotomist
covid wifi ok okay brill fab triaged appts appt meds gp gps ot ots hca hcas dr drs nhs ae a&e cpn cpns
paramedics receptionist receptionists ward wards telehealth telecare reablement befriender befrienders
redacted ive im id dont cant wont didnt isnt wasnt doesnt couldnt wouldnt thats theres hoist hoists commode zoom whatsapp facebook google app apps online email emails text texts`

// wordList is a sorted list of words, one a line, searched in place.
type wordList struct {
	text   string
	starts []uint32 // offset of each line
}

func newWordList(text string) wordList {
	l := wordList{text: text, starts: make([]uint32, 0, strings.Count(text, "\n")+1)}
	for at := 0; at < len(text); {
		l.starts = append(l.starts, uint32(at))
		nl := strings.IndexByte(text[at:], '\n')
		if nl < 0 {
			break
		}
		at += nl + 1
	}
	return l
}

func (l wordList) line(i int) string {
	s := l.text[l.starts[i]:]
	if nl := strings.IndexByte(s, '\n'); nl >= 0 {
		s = s[:nl]
	}
	return strings.TrimSuffix(s, "\r")
}

// has reports whether w is one of the words, by binary search.
func (l wordList) has(w string) bool {
	lo, hi := 0, len(l.starts)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if l.line(mid) < w {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo < len(l.starts) && l.line(lo) == w
}

// lexicon is the English words and proper nouns, indexed once.
type lexicon struct {
	english, proper wordList
	care            map[string]bool
}

var lexicons = sync.OnceValue(func() *lexicon {
	return &lexicon{english: newWordList(englishWords), proper: newWordList(properNouns), care: wordSet(careWords)}
})

// ordinary reports whether key (lower case) is an English word.
func (l *lexicon) ordinary(key string) bool {
	return l.care[key] || l.english.has(key)
}

// unknown reports whether a capitalised word is neither an English word
// nor a proper noun the list knows: most likely a person's name.
func (l *lexicon) unknown(w *word) bool {
	return !l.ordinary(w.key) && !l.proper.has(w.text)
}
