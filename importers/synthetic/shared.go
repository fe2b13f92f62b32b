package synthetic

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// writeSharedXLSX writes a generated survey as a workbook whose text cells
// point into the shared string table, as Excel saves them. excelize's
// stream writer only writes inline strings and its other writer holds the
// whole sheet in memory, so the few parts of the package are written here
// directly: the sheet streamed row by row, then the table of the distinct
// strings it used. Empty answers are left out of the sheet, as Excel does.
func writeSharedXLSX(path string, n int, seed uint64, opt Options) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	z := zip.NewWriter(out)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"xl/workbook.xml", workbook},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", styles},
	} {
		w, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, xml.Header+part.body); err != nil {
			return err
		}
	}

	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	sheet := bufio.NewWriterSize(w, 64<<10)
	index := make(map[string]int)
	var table []string
	refs := 0
	cols := make([]string, Columns)
	for i := range cols {
		cols[i] = columnName(i)
	}
	sheet.WriteString(xml.Header + `<worksheet xmlns="` + mainNS + `"><sheetData>`)
	r := 0
	writeRow := func(row []string) error {
		r++
		num := strconv.Itoa(r)
		sheet.WriteString(`<row r="` + num + `">`)
		for i, v := range row {
			ref := cols[i] + num
			if r > 1 && i == 1 {
				at, err := time.Parse("02/01/2006 15:04", v)
				if err != nil {
					return fmt.Errorf("row %d: %w", r, err)
				}
				sheet.WriteString(`<c r="` + ref + `"><v>` + serialText(excelSerial(at)) + `</v></c>`)
				continue
			}
			if r > 1 && i == Columns-1 {
				sheet.WriteString(`<c r="` + ref + `"><v>` + v + `</v></c>`)
				continue
			}
			if v == "" {
				continue
			}
			k, ok := index[v]
			if !ok {
				k = len(table)
				index[v] = k
				table = append(table, v)
			}
			refs++
			sheet.WriteString(`<c r="` + ref + `" t="s"><v>` + strconv.Itoa(k) + `</v></c>`)
		}
		_, err := sheet.WriteString(`</row>`)
		return err
	}
	if err := writeRow(Headers()); err != nil {
		return err
	}
	if err := RowsWith(n, seed, opt, writeRow); err != nil {
		return err
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	if err := sheet.Flush(); err != nil {
		return err
	}

	w, err = z.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	sst := bufio.NewWriterSize(w, 64<<10)
	fmt.Fprintf(sst, `%s<sst xmlns="%s" count="%d" uniqueCount="%d">`, xml.Header, mainNS, refs, len(table))
	for _, s := range table {
		sst.WriteString(`<si><t`)
		if strings.TrimSpace(s) != s {
			sst.WriteString(` xml:space="preserve"`)
		}
		sst.WriteString(`>`)
		if err := xml.EscapeText(sst, []byte(s)); err != nil {
			return err
		}
		sst.WriteString(`</t></si>`)
	}
	sst.WriteString(`</sst>`)
	return errors.Join(sst.Flush(), z.Close())
}

// serialText writes an Excel serial date with at most 15 significant
// digits, the precision Excel keeps, cut rather than rounded as excelize's
// writer cuts it, so that both kinds of workbook hold the same text.
func serialText(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	digits := 0
	for i, c := range s {
		if c < '0' || c > '9' || digits == 0 && c == '0' {
			continue
		}
		if digits++; digits > 15 {
			if dot := strings.IndexByte(s, '.'); dot >= 0 && i > dot {
				return strings.TrimSuffix(s[:i], ".")
			}
			break // never reached: serial dates have five digits before the point
		}
	}
	return s
}

// columnName is the letters of the 0-based column i (A, B, ... Z, AA...).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

const (
	mainNS       = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	relNS        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	contentTypes = `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`
	packageRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`
	workbook = `<workbook xmlns="` + mainNS + `" xmlns:r="` + relNS + `">` +
		`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`
	workbookRels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/>` +
		`<Relationship Id="rId3" Type="` + relNS + `/styles" Target="styles.xml"/>` +
		`</Relationships>`
	styles = `<styleSheet xmlns="` + mainNS + `">` +
		`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>` +
		`</styleSheet>`
)
