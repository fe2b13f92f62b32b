package table

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// xmlRelationships is a package relationships part (_rels/*.rels).
type xmlRelationships struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xmlWorkbook is the part of xl/workbook.xml that lists the sheets.
type xmlWorkbook struct {
	XMLName xml.Name
	Sheets  []struct {
		Name  string `xml:"name,attr"`
		State string `xml:"state,attr"`
		RID   string `xml:"id,attr"` // r:id, in whichever namespace
	} `xml:"sheets>sheet"`
	Props []struct {
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"workbookPr"`
}

// workbookPrBools are the attributes of workbookPr that excelize reads as
// booleans: one that does not parse makes it fail to read the workbook.
var workbookPrBools = map[string]int{"date1904": attrBool, "showBorderUnselectedTables": attrBool,
	"filterPrivacy": attrBool, "promptedSolutions": attrBool, "showInkAnnotation": attrBool,
	"backupFile": attrBool, "saveExternalLinkValues": attrBool, "hidePivotFieldList": attrBool,
	"showPivotChartFilter": attrBool, "allowRefreshQuery": attrBool, "publishItems": attrBool,
	"checkCompatibility": attrBool, "autoCompressPictures": attrBool, "refreshAllConnections": attrBool}

// dateSystem reads the workbook's date1904 property as excelize does: the
// last one given wins; ok is false when a property does not parse.
func (wb *xmlWorkbook) dateSystem() (date1904, ok bool) {
	for _, pr := range wb.Props {
		for _, a := range pr.Attrs {
			if t := workbookPrBools[a.Name.Local]; t != 0 && a.Value != "" && !valueParses([]byte(a.Value), t) {
				return false, false
			}
			if a.Name.Local == "date1904" {
				date1904 = a.Value != "" && valueParses([]byte(a.Value), attrBool) && parseBoolTrim(a.Value)
			}
		}
	}
	return date1904, true
}

// readStructure finds the workbook part, its sheets and where each
// worksheet's XML is, refusing zips that are not Excel workbooks.
func (p *zipPackage) readStructure() (*workbookCheck, error) {
	wbPath, err := p.workbookPath()
	if err != nil {
		return nil, err
	}
	f := p.entries[wbPath]
	switch {
	case f == nil:
		return nil, fileError(p.name, msgNotWorkbook)
	case strings.HasSuffix(strings.ToLower(wbPath), ".bin"):
		return nil, fileError(p.name, msgNotWorkbook+
			" (it is an Excel Binary Workbook, .xlsb; open it in Excel and save it as .xlsx)")
	}
	var wb xmlWorkbook
	if err := p.decodePart(f, &wb); err != nil {
		return nil, err
	}
	if wb.XMLName.Local != "workbook" {
		return nil, fileError(p.name, msgNotWorkbook)
	}
	relsPath := resolve(path.Dir(wbPath), "_rels/"+path.Base(wbPath)+".rels")
	rf := p.entries[relsPath]
	if rf == nil {
		return nil, damagedError(p.name, "the list of where its sheets are kept is missing")
	}
	var rels xmlRelationships
	if err := p.decodePart(rf, &rels); err != nil {
		return nil, err
	}
	out, err := p.sheetEntries(wb, rels, path.Dir(wbPath))
	if err != nil {
		return nil, err
	}
	out.date1904, out.propsOK = wb.dateSystem()
	return out, nil
}

// workbookPath reads the package relationships for the main document,
// falling back to where Excel always puts it.
func (p *zipPackage) workbookPath() (string, error) {
	f := p.entries["_rels/.rels"]
	if f == nil {
		return "xl/workbook.xml", nil
	}
	var rels xmlRelationships
	if err := p.decodePart(f, &rels); err != nil {
		return "", err
	}
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			return resolve("", r.Target), nil
		}
	}
	return "xl/workbook.xml", nil
}

// sheetEntries pairs each sheet with its part and checks the worksheets exist.
func (p *zipPackage) sheetEntries(wb xmlWorkbook, rels xmlRelationships, dir string) (*workbookCheck, error) {
	targets := make(map[string]int, len(rels.Rels))
	for i, r := range rels.Rels {
		targets[r.ID] = i
	}
	out := &workbookCheck{}
	worksheets := 0
	for _, s := range wb.Sheets {
		e := sheetEntry{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden"}
		i, ok := targets[s.RID]
		if !ok {
			return nil, damagedError(p.name, fmt.Sprintf("the sheet %q has no contents", s.Name))
		}
		if r := rels.Rels[i]; strings.HasSuffix(r.Type, "/worksheet") {
			e.part, e.worksheet = resolve(dir, r.Target), true
			if p.entries[e.part] == nil {
				return nil, damagedError(p.name, fmt.Sprintf("the sheet %q is missing", s.Name))
			}
			worksheets++
		}
		out.sheets = append(out.sheets, e)
	}
	if worksheets == 0 {
		return nil, damagedError(p.name, "it has no worksheets")
	}
	return out, nil
}

// readParts reads every entry to its end: the shared strings first, then
// each worksheet through scanSheet, then everything else, so that a damaged
// part anywhere is found now rather than silently skipped by excelize.
func (p *zipPackage) readParts(wb *workbookCheck, files []*zip.File) error {
	sst := &sharedStrings{}
	// excelize reads shared strings from this fixed path, whatever the
	// relationships say, so that is the part whose entries count.
	sstFile := p.lower["xl/sharedstrings.xml"]
	if sstFile != nil {
		err := p.readAll(sstFile, func(r io.Reader) error {
			var err error
			sst, err = scanSharedStrings(r, sstFile.UncompressedSize64, p.budget)
			return err
		})
		if err != nil {
			return err
		}
	}
	byPart := make(map[string]int, len(wb.sheets))
	for i, s := range wb.sheets {
		if s.worksheet {
			byPart[s.part] = i
		}
	}
	for _, f := range files {
		if f == sstFile {
			continue
		}
		i, ok := byPart[strings.ReplaceAll(f.Name, `\`, "/")]
		if !ok {
			if err := p.readAll(f, otherPartScan(f)); err != nil {
				return err
			}
			continue
		}
		err := p.readAll(f, func(r io.Reader) error {
			var err error
			wb.sheets[i].counts, err = scanSheet(r, f.UncompressedSize64, sst, p.lim, p.budget)
			if ce := (*cellError)(nil); errors.As(err, &ce) {
				return p.refuseAtCell(wb.sheets[i].name, ce)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
