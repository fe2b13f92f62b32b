package table

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// maxZipEntries bounds the parts of one workbook; Excel writes a few dozen.
const maxZipEntries = 20_000

var (
	// errDoctype means an XML part declares a document type, as an
	// entity-expansion ("billion laughs") bomb does; Excel never writes one.
	errDoctype = errors.New("an XML part declares a document type")
	// errUnzipBudget means the parts expand to more than Limits.MaxUnzippedBytes.
	errUnzipBudget = errors.New("the parts expand to more than the limit")
)

// workbookCheck is what checkWorkbookZip learns of a workbook.
type workbookCheck struct {
	sheets   []sheetEntry // in workbook order, chart sheets included
	date1904 bool         // the workbook counts dates from 1904
	propsOK  bool         // its workbookPr properties parse, as excelize requires
}

// sheetEntry is one sheet of the workbook.
type sheetEntry struct {
	name      string
	part      string // the worksheet's zip entry; "" for a chart or other sheet
	hidden    bool
	counts    sheetCounts
	worksheet bool
}

// unzipBudget counts decompressed bytes against Limits.MaxUnzippedBytes.
type unzipBudget struct{ left int64 }

// budgetReader reads through an unzipBudget and fails once it is spent.
type budgetReader struct {
	r io.Reader
	b *unzipBudget
}

func (r budgetReader) Read(p []byte) (int, error) {
	// Read at most one byte past the budget: enough to tell a part that ends
	// exactly at the limit from one that goes over it.
	if int64(len(p)) > r.b.left+1 {
		p = p[:max(r.b.left+1, 1)]
	}
	n, err := r.r.Read(p)
	r.b.left -= int64(n)
	if r.b.left < 0 {
		return 0, errUnzipBudget
	}
	return n, err
}

// zipPackage is an opened zip with its entries by name.
type zipPackage struct {
	name    string // the upload's name, for messages
	lim     Limits
	budget  *unzipBudget
	entries map[string]*zip.File // by name, with '\' read as '/'
	lower   map[string]*zip.File // by lower-case name
}

// checkWorkbookZip validates the zip at path before sheetReader sees it: the
// sizes its entries declare, every entry read to its end (so a CRC error or
// an entry longer than declared shows), what kind of document it is, and the
// rows and cells of every worksheet, counted the way excelize reads them (and
// so sheetReader, which follows excelize's rules).
func checkWorkbookZip(path, name string, lim Limits) (*workbookCheck, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, damagedError(name, "the end of the file is missing or scrambled")
	}
	defer zr.Close()
	pkg, err := newZipPackage(zr.File, name, lim)
	if err != nil {
		return nil, err
	}
	if err := pkg.checkOpenDocument(); err != nil {
		return nil, err
	}
	wb, err := pkg.readStructure()
	if err != nil {
		return nil, err
	}
	if err := pkg.readParts(wb, zr.File); err != nil {
		return nil, err
	}
	return wb, nil
}

// newZipPackage indexes the entries and refuses archives that declare too
// much: too many entries, or more decompressed bytes than the limit.
func newZipPackage(files []*zip.File, name string, lim Limits) (*zipPackage, error) {
	if len(files) > maxZipEntries {
		return nil, tooBigError(name, fmt.Sprintf("it holds %s parts and at most %s are allowed",
			thousands(len(files)), thousands(maxZipEntries)))
	}
	pkg := &zipPackage{name: name, lim: lim, budget: &unzipBudget{left: lim.MaxUnzippedBytes},
		entries: make(map[string]*zip.File, len(files)), lower: make(map[string]*zip.File, len(files))}
	var declared uint64
	for _, f := range files {
		declared += f.UncompressedSize64
		if declared > uint64(lim.MaxUnzippedBytes) || f.UncompressedSize64 > uint64(lim.MaxUnzippedBytes) {
			return nil, tooBigError(name, fmt.Sprintf("it expands to more than %s when unzipped",
				byteSize(lim.MaxUnzippedBytes)))
		}
		n := strings.ReplaceAll(f.Name, `\`, "/")
		if _, dup := pkg.lower[strings.ToLower(n)]; dup {
			return nil, damagedError(name, fmt.Sprintf("the part %q appears twice", n))
		}
		pkg.entries[n], pkg.lower[strings.ToLower(n)] = f, f
	}
	return pkg, nil
}

// open returns a reader of entry f's decompressed bytes, within the budget.
func (p *zipPackage) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, p.partError(f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{budgetReader{rc, p.budget}, rc}, nil
}

// partError explains a failure to read one entry.
func (p *zipPackage) partError(part string, err error) error {
	if ie := (*analytics.ImportError)(nil); errors.As(err, &ie) {
		return ie
	}
	switch {
	case errors.Is(err, errUnzipBudget):
		return tooBigError(p.name, fmt.Sprintf("it expands to more than %s when unzipped",
			byteSize(p.lim.MaxUnzippedBytes)))
	case errors.Is(err, zip.ErrChecksum):
		return damagedError(p.name, fmt.Sprintf("the part %q fails its checksum", part))
	case errors.Is(err, zip.ErrAlgorithm):
		return damagedError(p.name, fmt.Sprintf("the part %q is compressed in a way that cannot be read", part))
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.ErrUnexpectedEOF):
		return damagedError(p.name, fmt.Sprintf("the part %q is not the size the archive says", part))
	case errors.Is(err, errDoctype):
		return unusualError(p.name, "", 0, fmt.Sprintf("the part %q declares an XML document type", part))
	case errors.As(err, new(*xml.SyntaxError)):
		return damagedError(p.name, fmt.Sprintf("the part %q is not valid XML", part))
	case errors.Is(err, errSharedStringsBudget):
		return tooBigError(p.name, fmt.Sprintf("its table of shared text has so many entries that, at about %d bytes "+
			"each to read, with the rest of the workbook it comes to more than %s when unzipped, the limit",
			sharedStringCost, byteSize(p.lim.MaxUnzippedBytes)))
	case errors.Is(err, errXMLTooDeep):
		return unusualError(p.name, "", 0, fmt.Sprintf("the part %q nests XML elements more than %d deep, "+
			"the most allowed; Excel nests them at most about 15 deep", part, maxXMLDepth))
	case errors.Is(err, errTagTooLong):
		return unusualError(p.name, "", 0, fmt.Sprintf("the part %q has an XML tag longer than 1 MB", part))
	}
	return damagedError(p.name, fmt.Sprintf("the part %q cannot be read", part))
}

// readAll reads entry f to its end, handing its bytes to scan when not nil.
func (p *zipPackage) readAll(f *zip.File, scan func(io.Reader) error) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	if scan != nil {
		err = scan(rc)
	} else {
		_, err = io.Copy(io.Discard, rc)
	}
	if err != nil {
		return p.partError(f.Name, err)
	}
	return nil
}

// checkOpenDocument refuses LibreOffice/OpenOffice files, which say what they
// are in an entry called mimetype.
func (p *zipPackage) checkOpenDocument() error {
	f := p.entries["mimetype"]
	if f == nil {
		return nil
	}
	var mime []byte
	err := p.readAll(f, func(r io.Reader) error {
		var err error
		mime, err = io.ReadAll(io.LimitReader(r, 256))
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case bytes.HasPrefix(mime, []byte("application/vnd.oasis.opendocument.spreadsheet")):
		return fileError(p.name, msgODS)
	case bytes.HasPrefix(mime, []byte("application/vnd.oasis.opendocument")):
		return fileError(p.name, msgNotWorkbook+" (it is an OpenDocument file)")
	}
	return nil
}

// decodePart decodes a small XML entry (a relationships list or the
// workbook) with encoding/xml, which expands no entities it was not told of.
func (p *zipPackage) decodePart(f *zip.File, v any) error {
	// encoding/xml keeps every open element on a stack: check the nesting
	// first, so a part nesting millions of elements costs no memory.
	if err := p.readAll(f, func(r io.Reader) error { return checkNesting(r, f.UncompressedSize64) }); err != nil {
		return err
	}
	return p.readAll(f, func(r io.Reader) error {
		d := xml.NewDecoder(io.LimitReader(r, 64<<20))
		d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
			if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "utf8") {
				return in, nil
			}
			return nil, fmt.Errorf("XML encoding %q", label)
		}
		if err := d.Decode(v); err != nil {
			return fmt.Errorf("decode %s: %w", f.Name, err)
		}
		return nil
	})
}

// resolve turns a relationship target into an entry name, as excelize does:
// relative to the source part's folder, or from the root when it starts "/".
func resolve(fromDir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(fromDir+"/"+target), "/")
}
