package table

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// deflated compresses n zero bytes, the classic zip-bomb payload.
func deflated(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		tb.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for written := 0; written < n; written += len(zeros) {
		if _, err := w.Write(zeros[:min(len(zeros), n-written)]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// bombWorkbook is a valid little workbook plus one extra part whose
// compressed bytes are raw and whose header declares declared bytes.
func bombWorkbook(tb testing.TB, raw []byte, declared uint64, crc uint32) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range workbookParts(`<row r="1"><c r="A1"><v>1</v></c></row>`, "") {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			tb.Fatal(err)
		}
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/media/bomb.bin", Method: zip.Deflate,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: declared, CRC32: crc})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipBombs(t *testing.T) {
	const size = 64 << 20
	payload := deflated(t, size)
	crc := crc32.ChecksumIEEE(make([]byte, 0))
	tests := []struct {
		name     string
		declared uint64
		lim      Limits
		kind     string
	}{
		{"declares more than the limit", 4 << 30, Limits{}, "too-big"},
		{"declares its true size, over a lower limit", size, Limits{MaxUnzippedBytes: 16 << 20}, "too-big"},
		{"declares far less than it holds", 1000, Limits{}, "damaged"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeTemp(t, "bomb.xlsx", bombWorkbook(t, payload, tt.declared, crc))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := readTable(t, p, Options{Limits: tt.lim})
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("a zip bomb was read")
			}
			if k := messageKind(importError(t, err).Message); k != tt.kind {
				t.Errorf("kind %q (%v), want %q", k, err, tt.kind)
			}
			if elapsed > 2*time.Second {
				t.Errorf("refusing took %v", elapsed)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
				t.Errorf("refusing allocated %d MB", alloc>>20)
			}
		})
	}
}

func TestBudgetReader(t *testing.T) {
	b := &unzipBudget{left: 100}
	n, err := io.Copy(io.Discard, budgetReader{strings.NewReader(strings.Repeat("x", 100)), b})
	if n != 100 || err != nil {
		t.Fatalf("within the budget: %d, %v", n, err)
	}
	b = &unzipBudget{left: 100}
	n, err = io.Copy(io.Discard, budgetReader{strings.NewReader(strings.Repeat("x", 1<<20)), b})
	if !errors.Is(err, errUnzipBudget) || n > 101 {
		t.Fatalf("over the budget: read %d, err %v; want errUnzipBudget after at most 101 bytes", n, err)
	}
}

func TestDuplicatePartIsDamaged(t *testing.T) {
	parts := workbookParts(`<row r="1"><c r="A1"><v>1</v></c></row>`, "")
	parts = append(parts, zipPart{"XL/Worksheets/Sheet1.xml", "<worksheet/>"})
	wantKind(t, writeTemp(t, "dup.xlsx", buildZip(t, parts)), "damaged")
}
