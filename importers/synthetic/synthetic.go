// Package synthetic writes realistic generated survey exports: a council's
// people feedback survey with teams, the usual equality dimensions, scale
// questions in the common wordings and free-text comments. Tests and
// benchmarks use it to make files of any size; the output depends only on
// the seed.
package synthetic

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
)

// Columns is the number of columns of a generated survey.
const Columns = 25

var (
	teams       = []string{"North Locality Team", "South Locality Team", "East Locality Team", "West Locality Team", "Hospital Discharge Team", "Reablement", "Learning Disabilities Team", "Mental Health Team", "Sensory Impairment Team", "Carers Assessment Team"}
	localities  = []string{"Northgate", "Southfield", "Eastbrook", "Westmoor", "Central"}
	ageBands    = []string{"18-24", "25-44", "45-64", "65-74", "75-84", "85+", "Prefer not to say"}
	genders     = []string{"Woman", "Man", "Non-binary", "Prefer not to say"}
	ethnicities = []string{"White British", "White other", "Asian or Asian British", "Black or Black British", "Mixed or multiple", "Other ethnic group", "Prefer not to say"}
	yesNo       = []string{"Yes", "No", "Don't know"}
	satisfied7  = []string{"I am extremely satisfied", "I am very satisfied", "I am quite satisfied", "I am neither satisfied nor dissatisfied", "I am quite dissatisfied", "I am very dissatisfied", "I am extremely dissatisfied"}
	agree5      = []string{"Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree", "Don't know"}
	fft         = []string{"Very good", "Good", "Neither good nor poor", "Poor", "Very poor", "Don't know"}
	easy5       = []string{"Very easy", "Fairly easy", "Neither easy nor difficult", "Fairly difficult", "Very difficult"}
	openings    = []string{"The social worker listened to me and my daughter", "It took too long to hear back after the first call", "Very helpful, thank you", "I was not told what would happen next, and had to chase twice", "Staff were kind, but the paperwork was confusing", "Nobody rang me back for a week", "The carers were always on time", "I felt rushed at the assessment",
		"The carers never stayed the full half hour", "My medication was not always given at the right time",
		"The equipment for the bathroom took months to arrive", "Nobody explained the charges and the bill came as a shock",
		"The food at the day centre was cold", "I could not get through on the phone for days",
		"The care plan did not say what we had agreed", "The reablement team helped me get my confidence back",
		"The home was clean and I felt safe there", "Different carers came every day, so I had to explain everything again",
		"Thank you to Julie and the team, who went above and beyond", "Please ask Mr Ahmed to ring me back on 07700 900456",
		"The discharge from hospital was rushed and nothing was ready at home", "Staff did not understand my husband's dementia"}
	closings = []string{".", " when my needs changed.", " after I came home from hospital.", "; I needed help with the forms.", " during the first visit.", ", especially in the winter.", " and I am grateful.", " and my husband agrees."}
)

type column struct {
	header string
	values []string
	// skewed answers lean towards the first options, as real surveys do.
	skewed bool
	// comment columns hold free text, often left blank.
	comment bool
}

func layout() []column {
	return []column{
		{header: "Team", values: teams},
		{header: "Locality", values: localities},
		{header: "Age band", values: ageBands},
		{header: "Gender", values: genders},
		{header: "Ethnicity", values: ethnicities},
		{header: "Do you consider yourself to have a disability?", values: yesNo},
		{header: "Overall, how satisfied or dissatisfied are you with the assessment and care planning process?", values: satisfied7, skewed: true},
		{header: "Overall, how satisfied or dissatisfied are you with the care and support you receive?", values: satisfied7, skewed: true},
		{header: "I was listened to", values: agree5, skewed: true},
		{header: "I was treated with dignity and respect", values: agree5, skewed: true},
		{header: "I had enough information to make decisions", values: agree5, skewed: true},
		{header: "My views were included in my care plan", values: agree5, skewed: true},
		{header: "I know who to contact if my needs change", values: agree5, skewed: true},
		{header: "Overall, how was your experience of our service?", values: fft, skewed: true},
		{header: "How easy was it to contact us?", values: easy5, skewed: true},
		{header: "How easy was it to find information about support?", values: easy5, skewed: true},
		{header: "Were you offered a copy of your care plan?", values: yesNo, skewed: true},
		{header: "Were you involved as much as you wanted to be?", values: yesNo, skewed: true},
		{header: "Did the support help you stay independent?", values: yesNo, skewed: true},
		{header: "Is there anything we could have done better?", comment: true},
		{header: "Any other comments", comment: true},
	}
}

// Headers returns the generated survey's header row.
func Headers() []string {
	h := []string{"Response ID", "Date submitted", "Completion status"}
	for _, c := range layout() {
		h = append(h, c.header)
	}
	return append(h, "How many visits did you have?")
}

// Options change the shape of a generated survey; the zero value is the
// usual one, and a given seed gives the same answers whatever the options.
type Options struct {
	// DateOrder makes the submitted dates rise from row to row over the
	// two years, as in an export sorted by date; otherwise each row's date
	// falls at random in them. Benchmarks time both, because the order in
	// which rows reach a date index changes the cost of keeping it.
	DateOrder bool
	// SharedStrings makes WriteXLSXWith keep the text in the workbook's
	// shared string table, as Excel itself saves it; otherwise text is
	// written inline, as excelize's stream writer does. Readers take two
	// paths for the two.
	SharedStrings bool
}

// Rows calls emit with each of n generated rows, in order. The row slice is
// reused between calls.
func Rows(n int, seed uint64, emit func(row []string) error) error {
	return RowsWith(n, seed, Options{}, emit)
}

// RowsWith is Rows with options.
func RowsWith(n int, seed uint64, opt Options, emit func(row []string) error) error {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	cols := layout()
	start := time.Date(2023, 4, 1, 9, 0, 0, 0, time.UTC)
	span := int64(2 * 365 * 24 * time.Hour)
	row := make([]string, Columns)
	for i := range n {
		row[0] = "R" + strconv.FormatUint(seed, 10) + "-" + strconv.Itoa(100000+i)
		at := start.Add(time.Duration(rng.Int64N(span)))
		if opt.DateOrder {
			// The random draw above is still made, so that every other
			// cell of the row is the same in both orders.
			at = start.Add(time.Duration(span / int64(n) * int64(i)))
		}
		row[1] = at.Format("02/01/2006 15:04")
		row[2] = "Complete"
		if rng.IntN(20) == 0 {
			row[2] = "Partial"
		}
		for j, c := range cols {
			row[3+j] = pick(rng, c)
		}
		row[Columns-1] = strconv.Itoa(1 + rng.IntN(12))
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

func pick(rng *rand.Rand, c column) string {
	if c.comment {
		if rng.IntN(3) == 0 {
			return ""
		}
		return openings[rng.IntN(len(openings))] + closings[rng.IntN(len(closings))]
	}
	if !c.skewed {
		return c.values[rng.IntN(len(c.values))]
	}
	// Half the answers take the first option, a quarter the second...
	for i := range len(c.values) - 1 {
		if rng.IntN(2) == 0 {
			return c.values[i]
		}
	}
	return c.values[len(c.values)-1]
}

// WriteCSV writes a generated survey of n responses as a CSV export.
func WriteCSV(w io.Writer, n int, seed uint64) error {
	return WriteCSVWith(w, n, seed, Options{})
}

// WriteCSVWith is WriteCSV with options.
func WriteCSVWith(w io.Writer, n int, seed uint64, opt Options) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Headers()); err != nil {
		return err
	}
	if err := RowsWith(n, seed, opt, cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a generated survey of n responses as an Excel workbook
// at path, streamed so that memory stays flat. Text is written as inline
// strings (as excelize's stream writer does), the submitted date as an
// Excel serial number and the visit count as a number, as real workbooks
// hold them.
func WriteXLSX(path string, n int, seed uint64) error {
	return WriteXLSXWith(path, n, seed, Options{})
}

// WriteXLSXWith is WriteXLSX with options.
func WriteXLSXWith(path string, n int, seed uint64, opt Options) error {
	if opt.SharedStrings {
		return writeSharedXLSX(path, n, seed, opt)
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	cells := make([]any, Columns)
	write := func(rowNum int, row []string) error {
		for i, v := range row {
			cells[i] = v
		}
		if rowNum > 1 {
			at, err := time.Parse("02/01/2006 15:04", row[1])
			if err != nil {
				return err
			}
			cells[1] = excelSerial(at)
			cells[Columns-1], _ = strconv.Atoi(row[Columns-1])
		}
		axis, err := excelize.CoordinatesToCellName(1, rowNum)
		if err != nil {
			return err
		}
		return sw.SetRow(axis, cells)
	}
	if err := write(1, Headers()); err != nil {
		return err
	}
	r := 1
	if err := RowsWith(n, seed, opt, func(row []string) error { r++; return write(r, row) }); err != nil {
		return fmt.Errorf("write row %d: %w", r, err)
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// excelSerial is t as an Excel serial date in the 1900 system.
func excelSerial(t time.Time) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return t.Sub(epoch).Hours() / 24
}
