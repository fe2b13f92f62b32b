package themes

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Features are hashed: a word or character n-gram is its 64-bit FNV-1a
// hash, computed with a namespace byte so that the word "ab" and the
// characters "ab" differ. Collisions among the few hundred thousand
// n-grams of a training set are vanishingly unlikely at 64 bits, and the
// model keeps only the hashes of the n-grams it kept (8 bytes each).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211

	nsWord = 'w' // word n-grams
	nsChar = 'c' // character n-grams inside words
)

// featureSpec says which n-grams are features. It is stored in the model.
type featureSpec struct {
	WordMaxN int // word 1..WordMaxN grams
	CharMinN int // character CharMinN..CharMaxN grams inside words; 0 for none
	CharMaxN int
}

var defaultSpec = featureSpec{WordMaxN: 2, CharMinN: 2, CharMaxN: 5}

// hashBytes continues an FNV-1a hash over s.
func hashBytes(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func hashRunes(h uint64, rs []rune) uint64 {
	var buf [4]byte
	for _, r := range rs {
		n := encodeRune(buf[:], r)
		for _, c := range buf[:n] {
			h ^= uint64(c)
			h *= fnvPrime
		}
	}
	return h
}

// encodeRune is utf8.EncodeRune for runes known to be valid.
func encodeRune(p []byte, r rune) int {
	switch {
	case r < 0x80:
		p[0] = byte(r)
		return 1
	case r < 0x800:
		p[0] = 0xC0 | byte(r>>6)
		p[1] = 0x80 | byte(r)&0x3F
		return 2
	case r < 0x10000:
		p[0] = 0xE0 | byte(r>>12)
		p[1] = 0x80 | byte(r>>6)&0x3F
		p[2] = 0x80 | byte(r)&0x3F
		return 3
	default:
		p[0] = 0xF0 | byte(r>>18)
		p[1] = 0x80 | byte(r>>12)&0x3F
		p[2] = 0x80 | byte(r>>6)&0x3F
		p[3] = 0x80 | byte(r)&0x3F
		return 4
	}
}

func nsHash(ns byte) uint64 {
	return (fnvOffset ^ uint64(ns)) * fnvPrime
}

// normalise is the text features are read from: lower case, with every
// kind of space (U+00A0 included) and line break a plain space.
func normalise(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, text)
}

// grams is a comment's n-grams: the hashes of its word n-grams and of its
// character n-grams, each sorted with repeats kept (a run of one hash is
// its count in the comment).
type grams struct {
	word, char []uint64
}

// extract appends the n-grams of text to g (reset first), as spec says.
func (spec featureSpec) extract(text string, g *grams) {
	g.word, g.char = g.word[:0], g.char[:0]
	text = normalise(text)
	// Words: runs of letters and digits; apostrophes join ("don't" is
	// "dont").
	var words []string
	start := -1
	var cur strings.Builder
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
				cur.Reset()
			}
			cur.WriteRune(r)
			continue
		}
		if (r == '\'' || r == '\u2019') && start >= 0 {
			continue
		}
		if start >= 0 {
			words = append(words, cur.String())
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, cur.String())
	}
	w0 := nsHash(nsWord)
	for i := range words {
		h := w0
		for n := 1; n <= spec.WordMaxN && i+n <= len(words); n++ {
			if n > 1 {
				h = hashBytes(h, " ")
			}
			h = hashBytes(h, words[i+n-1])
			g.word = append(g.word, h)
		}
	}
	// Characters inside whitespace-separated tokens, punctuation kept,
	// padded with a space each side (scikit-learn's "char_wb").
	if spec.CharMinN > 0 {
		c0 := nsHash(nsChar)
		var rs []rune
		for _, tok := range strings.Fields(text) {
			rs = append(rs[:0], ' ')
			rs = append(rs, []rune(tok)...)
			rs = append(rs, ' ')
			for n := spec.CharMinN; n <= spec.CharMaxN; n++ {
				if n > len(rs) {
					break
				}
				for i := 0; i+n <= len(rs); i++ {
					g.char = append(g.char, hashRunes(c0, rs[i:i+n]))
				}
			}
		}
	}
	slices.Sort(g.word)
	slices.Sort(g.char)
}

// vocabulary maps a kept n-gram's hash to its column, and holds its IDF.
// Word n-grams come first (columns 0..nWord-1), then character n-grams.
type vocabulary struct {
	hashes []uint64 // by column; sorted within each block
	idf    []float32
	nWord  int
	index  map[uint64]int32
}

func (v *vocabulary) buildIndex() {
	v.index = make(map[uint64]int32, len(v.hashes))
	for i, h := range v.hashes {
		v.index[h] = int32(i)
	}
}

// entry is one non-zero of a feature vector.
type entry struct {
	col int32
	val float32
}

// vectorise appends the TF-IDF vector of g to dst and returns it: for each
// kept n-gram, (1 + ln tf) x idf, each block (words, characters) scaled to
// unit length separately, so that both count alike whatever the comment's
// length. Entries are in the order the n-grams sort, not by column.
func (v *vocabulary) vectorise(g *grams, dst []entry) []entry {
	dst = v.block(g.word, dst)
	dst = v.block(g.char, dst)
	return dst
}

func (v *vocabulary) block(hs []uint64, dst []entry) []entry {
	start := len(dst)
	var sum float64
	for i := 0; i < len(hs); {
		j := i + 1
		for j < len(hs) && hs[j] == hs[i] {
			j++
		}
		if col, ok := v.index[hs[i]]; ok {
			x := (1 + math.Log(float64(j-i))) * float64(v.idf[col])
			sum += x * x
			dst = append(dst, entry{col, float32(x)})
		}
		i = j
	}
	if sum > 0 {
		inv := 1 / math.Sqrt(sum)
		for k := start; k < len(dst); k++ {
			dst[k].val = float32(float64(dst[k].val) * inv)
		}
	}
	return dst
}
