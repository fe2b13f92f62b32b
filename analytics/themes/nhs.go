package themes

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"
)

// BuiltInName is the name of the built-in model, for the NHS England
// patient-experience framework version 6.
const BuiltInName = "nhs-v6"

// builtInSeed is the seed BuiltIn trains with.
const builtInSeed = 20230831

//go:embed data/v6framework_230831.csv.gz
var nhsFile []byte

// The columns of the NHS file that are not themes though they sit among
// them, and the label that means no theme could be given.
var (
	nhsNotThemes   = map[string]bool{"Not assigned": true, "Person identifiable info?": true, "Comment sentiment": true, "Safeguarding concerns?": true}
	nhsUnlabelable = "Labelling not possible"
)

// NHSExamples are the labelled comments of the NHS England
// patient-experience framework, version 6 (v6framework_230831.csv, from
// The Strategy Unit's pxtextmining, MIT licence; see data/NOTICE.md): the
// rows with a comment and at least one theme other than "Labelling not
// possible", with the sentiment (1-2 positive, 3 mixed, 4-5 negative) and
// the respondent as Group. Themes are in the file's column order.
func NHSExamples() ([]Example, error) {
	zr, err := gzip.NewReader(bytes.NewReader(nhsFile))
	if err != nil {
		return nil, fmt.Errorf("read the built-in NHS comments: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read the built-in NHS comments: %w", err)
	}
	return readNHS(raw)
}

func readNHS(raw []byte) ([]Example, error) {
	r := csv.NewReader(bytes.NewReader(raw))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("read the NHS comments' header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[clean(h)] = i
	}
	first, okFirst := col["Organisation & efficiency"]
	last, okLast := col["Positive experience & gratitude"]
	for _, name := range []string{"FFT answer", "Comment sentiment", "Respondent ID"} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("the NHS comments have no column %q", name)
		}
	}
	if !okFirst || !okLast || last < first {
		return nil, fmt.Errorf("the NHS comments' theme columns are not where expected")
	}
	type themeCol struct {
		name string
		i    int
	}
	var themeCols []themeCol
	for i := first; i <= last; i++ {
		name := clean(header[i])
		if nhsNotThemes[name] || name == nhsUnlabelable {
			continue
		}
		themeCols = append(themeCols, themeCol{name, i})
	}
	var out []Example
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the NHS comments, line %d: %w", line, err)
		}
		text := strings.TrimSpace(clean(rec[col["FFT answer"]]))
		if text == "" {
			continue
		}
		ex := Example{Text: text, Themes: []string{}, Group: clean(rec[col["Respondent ID"]])}
		for _, tc := range themeCols {
			if strings.TrimSpace(rec[tc.i]) == "1" {
				ex.Themes = append(ex.Themes, tc.name)
			}
		}
		if len(ex.Themes) == 0 {
			continue
		}
		ex.Sentiment, _ = ParseSentiment(rec[col["Comment sentiment"]])
		out = append(out, ex)
	}
	return out, nil
}

// clean is s with CRLF as LF and no-break spaces as spaces, trimmed.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.TrimSpace(s)
}

// builtInModel is the built-in model as TrainBuiltIn makes it and
// MarshalBinary encodes it, made by `go generate ./analytics/themes` and
// checked by TestBuiltInIsTrainedFromTheShippedFile: training takes tens of
// seconds of processor time, reading it a fraction of one.
//
//go:generate go run ../../cmd/themesbuiltin -out data/nhs-v6.model
//go:embed data/nhs-v6.model
var builtInModel []byte

var builtIn struct {
	once  sync.Once
	model *Model
	err   error
}

// BuiltIn is the model for the NHS framework (BuiltInName): TrainBuiltIn's
// model, read from its encoding in the binary once a process.
func BuiltIn() (*Model, error) {
	builtIn.once.Do(func() {
		m := new(Model)
		if err := m.UnmarshalBinary(builtInModel); err != nil {
			builtIn.err = fmt.Errorf("the built-in theme model: %w", err)
			return
		}
		builtIn.model = m
	})
	return builtIn.model, builtIn.err
}

// BuiltInBytes is the built-in model's encoding (MarshalBinary of
// BuiltIn's model), for storing it without encoding it again.
func BuiltInBytes() []byte { return builtInModel }

// TrainBuiltIn trains the built-in model from NHSExamples with its fixed
// seed: the same model, byte for byte, every time.
func TrainBuiltIn() (*Model, error) {
	ex, err := NHSExamples()
	if err != nil {
		return nil, err
	}
	return Train(ex, Options{Seed: builtInSeed})
}
