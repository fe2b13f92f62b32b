package table

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// container is the kind of file found from its first bytes.
type container int

const (
	containerText container = iota // anything that is not a zip: read as CSV, if it is text
	containerZip                   // a zip archive: read as XLSX, if it is a workbook
)

// oleMagic starts every OLE compound file: old .xls/.doc files and
// password-protected (encrypted) .xlsx files alike.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniffContainer tells a zip from a text file by the first bytes of f. An OLE
// compound file gets its own error: heard reads neither .xls files nor
// encrypted workbooks, and each needs a different fix from the analyst.
func sniffContainer(f io.ReaderAt, size int64, name string) (container, error) {
	head := make([]byte, 8)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, fileError(name, "the file could not be read; upload it again")
	}
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")),
		bytes.HasPrefix(head, []byte("PK\x07\x08")):
		return containerZip, nil
	case bytes.Equal(head, oleMagic):
		return 0, oleError(f, size, name)
	}
	return containerText, nil
}

// oleError says what an OLE compound file is: an encrypted workbook (it has
// an EncryptionInfo stream), an old .xls (a Workbook or Book stream), or some
// other old Office document.
func oleError(f io.ReaderAt, size int64, name string) error {
	r, err := mscfb.New(io.NewSectionReader(f, 0, size))
	if err != nil {
		// The directory could not be walked; the stream name may still be there.
		if hasUTF16Name(f, size, "EncryptionInfo") {
			return fileError(name, msgEncrypted)
		}
		return damagedError(name, "it starts like an old Microsoft Office file but its contents cannot be read")
	}
	workbook := false
	for entry, err := r.Next(); err == nil; entry, err = r.Next() {
		switch entry.Name {
		case "EncryptionInfo", "EncryptedPackage":
			return fileError(name, msgEncrypted)
		case "Workbook", "Book":
			workbook = true
		}
	}
	if workbook {
		return fileError(name, msgXLS)
	}
	return fileError(name, msgNotTable+" (it is an old Microsoft Office document, not a spreadsheet)")
}

// hasUTF16Name looks for a stream name, as OLE stores it (UTF-16LE), in the
// first 1 MB of f.
func hasUTF16Name(f io.ReaderAt, size int64, s string) bool {
	buf := make([]byte, min(size, 1<<20))
	n, _ := f.ReadAt(buf, 0)
	var pat []byte
	for _, u := range utf16.Encode([]rune(s)) {
		pat = append(pat, byte(u), byte(u>>8))
	}
	return bytes.Contains(buf[:n], pat)
}

// looksBinary reports whether a text prefix (already decoded to UTF-8) holds
// bytes no CSV file has: NUL, or more than a few other control characters.
func looksBinary(text []byte) bool {
	if bytes.IndexByte(text, 0) >= 0 {
		return true
	}
	controls := 0
	for _, b := range text {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v' && b != 0x1a {
			controls++
		}
	}
	return controls > 0 && controls*100 > len(text)
}

// looksLikeMarkup reports whether text starts like an HTML or XML document,
// which some tools save with an .xls or .csv name.
func looksLikeMarkup(text []byte) bool {
	t := bytes.TrimLeft(text, " \t\r\n\ufeff")
	if len(t) > 64 {
		t = t[:64]
	}
	t = bytes.ToLower(t)
	for _, p := range []string{"<?xml", "<!doctype", "<html", "<table", "<head", "<body"} {
		if bytes.HasPrefix(t, []byte(p)) {
			return true
		}
	}
	return false
}
