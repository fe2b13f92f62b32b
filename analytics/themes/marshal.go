package themes

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"
)

// A marshalled model is magic, a format version byte, then a gzip stream
// (whose CRC-32 guards the rest) of the fields in the order
// MarshalBinary writes them: integers as uvarints, floats as float32 bits
// little-endian, strings with their length first, and the features'
// hashes as differences from the previous one in their block.
const (
	magic         = "heard-themes\n"
	formatVersion = 1
	// maxPayload bounds what a damaged or hostile model can make
	// UnmarshalBinary allocate.
	maxPayload = 512 << 20
)

// ErrDamagedModel is the error UnmarshalBinary wraps when the bytes are
// not a model this version of heard wrote.
var ErrDamagedModel = errors.New("damaged or unknown theme model")

// MarshalBinary writes the model compactly (compressed).
func (m *Model) MarshalBinary() ([]byte, error) {
	return seal(m.payload())
}

// payload is the model's fields, uncompressed.
func (m *Model) payload() []byte {
	var p enc
	p.uint(uint64(m.spec.WordMaxN))
	p.uint(uint64(m.spec.CharMinN))
	p.uint(uint64(m.spec.CharMaxN))
	p.strings(m.themes)
	p.strings(m.sentiments)
	v := m.vocab
	p.uint(uint64(v.nWord))
	p.uint(uint64(len(v.hashes)))
	for i, h := range v.hashes {
		prev := uint64(0)
		if i > 0 && i != v.nWord {
			prev = v.hashes[i-1]
		}
		p.uint(h - prev)
	}
	p.floats(v.idf)
	p.floats(m.tw)
	p.floats(m.tb)
	p.floats(m.thr)
	p.floats(m.slope)
	p.floats(m.sw)
	p.floats(m.sb)
	return p.b
}

// seal is a payload with the magic and version before it, compressed.
func seal(payload []byte) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(magic)
	out.WriteByte(formatVersion)
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(payload); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// UnmarshalBinary reads a model MarshalBinary wrote. Damaged bytes give
// an error wrapping ErrDamagedModel, and m is left unchanged.
func (m *Model) UnmarshalBinary(b []byte) error {
	nm, err := unmarshal(b)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamagedModel, err)
	}
	m.spec, m.vocab, m.themes, m.sentiments = nm.spec, nm.vocab, nm.themes, nm.sentiments
	m.tw, m.tb, m.thr, m.slope, m.sw, m.sb = nm.tw, nm.tb, nm.thr, nm.slope, nm.sw, nm.sb
	return nil
}

func unmarshal(b []byte) (*Model, error) {
	if len(b) < len(magic)+1 || string(b[:len(magic)]) != magic {
		return nil, errors.New("not a heard theme model")
	}
	if v := b[len(magic)]; v != formatVersion {
		return nil, fmt.Errorf("format version %d, this heard reads version %d", v, formatVersion)
	}
	// bytes.Reader is an io.ByteReader, so gzip reads no further than its
	// stream's end and what is left after it can be seen.
	br := bytes.NewReader(b[len(magic)+1:])
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, err
	}
	zr.Multistream(false)
	raw, err := io.ReadAll(io.LimitReader(zr, maxPayload+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxPayload {
		return nil, errors.New("too large")
	}
	if br.Len() != 0 {
		return nil, errors.New("bytes after the end")
	}
	d := dec{b: raw}
	m := &Model{}
	m.spec.WordMaxN = d.int(8)
	m.spec.CharMinN = d.int(16)
	m.spec.CharMaxN = d.int(16)
	m.themes = d.strings()
	m.sentiments = d.strings()
	v := &vocabulary{}
	v.nWord = d.int(math.MaxInt32)
	n := d.int(math.MaxInt32)
	if d.err == nil && (n > len(d.b) || v.nWord > n) {
		d.fail("feature count %d does not fit", n)
	}
	if d.err == nil {
		v.hashes = make([]uint64, n)
		for i := range v.hashes {
			prev := uint64(0)
			if i > 0 && i != v.nWord {
				prev = v.hashes[i-1]
			}
			v.hashes[i] = prev + d.uint()
		}
	}
	v.idf = d.floats(n)
	nt, ns := len(m.themes), len(m.sentiments)
	m.tw = d.floats(n * nt)
	m.tb = d.floats(nt)
	m.thr = d.floats(nt)
	m.slope = d.floats(nt)
	m.sw = d.floats(n * ns)
	m.sb = d.floats(ns)
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, errors.New("bytes left over")
	}
	if m.spec.WordMaxN < 1 || m.spec.CharMinN > m.spec.CharMaxN || (m.spec.CharMinN == 0) != (m.spec.CharMaxN == 0) {
		return nil, errors.New("bad feature settings")
	}
	if nt == 0 || ns == 1 {
		return nil, errors.New("bad classes")
	}
	seen := map[string]bool{}
	for _, t := range m.themes {
		if t == "" || seen[t] {
			return nil, errors.New("bad theme names")
		}
		seen[t] = true
	}
	for _, s := range m.sentiments {
		if s != Positive && s != Mixed && s != Negative {
			return nil, fmt.Errorf("unknown sentiment %q", s)
		}
	}
	v.buildIndex()
	if len(v.index) != n {
		return nil, errors.New("repeated features")
	}
	m.vocab = v
	return m, nil
}

// enc appends the fields of a model.
type enc struct{ b []byte }

func (e *enc) uint(u uint64) { e.b = binary.AppendUvarint(e.b, u) }

func (e *enc) strings(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.uint(uint64(len(s)))
		e.b = append(e.b, s...)
	}
}

// floats writes fs without their count, which the reader knows.
func (e *enc) floats(fs []float32) {
	for _, f := range fs {
		e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(f))
	}
}

// dec reads the fields of a model; after the first error every read
// gives zero values and err keeps that error.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf(format, args...)
	}
	d.b = nil
}

func (d *dec) uint() uint64 {
	if d.err != nil {
		return 0
	}
	u, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("truncated")
		return 0
	}
	d.b = d.b[n:]
	return u
}

func (d *dec) int(max int) int {
	u := d.uint()
	if u > uint64(max) {
		d.fail("number %d out of range", u)
		return 0
	}
	return int(u)
}

func (d *dec) strings() []string {
	n := d.int(1 << 16)
	var out []string
	for i := 0; i < n && d.err == nil; i++ {
		l := d.uint()
		if l > uint64(len(d.b)) {
			d.fail("truncated name")
			break
		}
		s := string(d.b[:l])
		d.b = d.b[l:]
		if !utf8.ValidString(s) {
			d.fail("bad name")
		}
		out = append(out, s)
	}
	return out
}

func (d *dec) floats(n int) []float32 {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)/4 {
		d.fail("truncated")
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		f := math.Float32frombits(binary.LittleEndian.Uint32(d.b[4*i:]))
		if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
			d.fail("not a number")
			return nil
		}
		out[i] = f
	}
	d.b = d.b[4*n:]
	return out
}
