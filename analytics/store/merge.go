package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// placed is a file's mapping placed against its survey's stored questions
// and dimensions, after anything new was stored.
type placed struct {
	// questions and dimensions are the request's, in the request's order,
	// as stored (IDs set, options merged).
	questions  []analytics.Question
	dimensions []analytics.Dimension
	// optionPos[i][j] is the stored position of option j of the request's
	// question i.
	optionPos [][]int
	// allQuestions and allDimensions are the survey's, in stored order.
	allQuestions  []analytics.Question
	allDimensions []analytics.Dimension
}

// placeMapping merges a file's mapping into its survey's stored questions
// and dimensions: matched by code, new ones appended; for a known question
// its options are matched by label and new ones appended, so that stored
// option positions never change.
func placeMapping(ctx context.Context, tx *gorm.DB, surveyID int64, file string, m analytics.Mapping) (placed, error) {
	stored, dims, err := loadQuestions(ctx, tx, surveyID)
	if err != nil {
		return placed{}, err
	}
	p := placed{optionPos: make([][]int, len(m.Questions))}
	byCode := make(map[string]int, len(stored))
	for i, q := range stored {
		byCode[q.Code] = i
	}
	for i, q := range m.Questions {
		at, known := byCode[q.Code]
		if !known {
			stored = append(stored, analytics.Question{
				Code: q.Code, Text: q.Text, Kind: q.Kind, Scale: q.Scale, Separator: q.Separator, Tags: q.Tags,
			})
			at = len(stored) - 1
			byCode[q.Code] = at
		} else if stored[at].Kind != q.Kind {
			return placed{}, &analytics.ImportError{File: file, Column: header(m, q.Code), Message: fmt.Sprintf(
				"question %q was a %s question in earlier files of this survey but is a %s question in this one; "+
					"change this file's mapping to match, or import it into a new survey", q.Code, stored[at].Kind, q.Kind)}
		}
		sq := &stored[at]
		p.optionPos[i], err = mergeQuestion(ctx, tx, surveyID, at, known, sq, q)
		if err != nil {
			return placed{}, err
		}
		p.questions = append(p.questions, *sq)
	}
	dimByCode := make(map[string]int, len(dims))
	for i, d := range dims {
		dimByCode[d.Code] = i
	}
	for _, d := range m.Dimensions {
		at, known := dimByCode[d.Code]
		if !known {
			d.ID = 0
			if err := createDimension(ctx, tx, surveyID, len(dims), &d); err != nil {
				return placed{}, err
			}
			dims = append(dims, d)
			at = len(dims) - 1
			dimByCode[d.Code] = at
		}
		p.dimensions = append(p.dimensions, dims[at])
	}
	p.allQuestions, p.allDimensions = stored, dims
	return p, nil
}

// mergeQuestion stores what is new of a file's question q in the stored
// question sq (all of it when sq is not stored yet) and returns where each
// of q's options is stored.
func mergeQuestion(ctx context.Context, tx *gorm.DB, surveyID int64, position int, known bool,
	sq *analytics.Question, q analytics.Question) ([]int, error) {
	old := len(sq.Options)
	pos := make([]int, len(q.Options))
	for j, o := range q.Options {
		k := slices.IndexFunc(sq.Options, func(s analytics.Option) bool { return s.Label == o.Label })
		if k < 0 {
			sq.Options = append(sq.Options, o)
			k = len(sq.Options) - 1
		}
		pos[j] = k
	}
	if !known {
		return pos, createQuestion(ctx, tx, surveyID, position, sq)
	}
	if err := addOptions(ctx, tx, sq.ID, old, sq.Options[old:]); err != nil {
		return nil, err
	}
	tags := sq.Tags
	for _, t := range q.Tags {
		if !slices.Contains(tags, t) {
			tags = append(slices.Clip(tags), t)
		}
	}
	if len(tags) != len(sq.Tags) {
		sq.Tags = tags
		return pos, setTags(ctx, tx, sq.ID, tags)
	}
	return pos, nil
}

// header returns the header of the file's column mapped to code.
func header(m analytics.Mapping, code string) string {
	for _, c := range m.Columns {
		if c.Code == code && (c.Role == analytics.RoleQuestion || c.Role == analytics.RoleDimension) {
			return c.Header
		}
	}
	return ""
}

// checkMapping refuses a mapping that cannot be stored: a question or
// dimension without a code, a code used twice, an unknown kind.
func checkMapping(m analytics.Mapping) error {
	seen := make(map[string]bool, len(m.Questions))
	for _, q := range m.Questions {
		switch {
		case q.Code == "":
			return fmt.Errorf("mapping: question %q has no code", q.Text)
		case seen[q.Code]:
			return fmt.Errorf("mapping: two questions have the code %q", q.Code)
		case columnType(q.Kind) == "":
			return fmt.Errorf("mapping: question %q has an unknown kind %q", q.Code, q.Kind)
		}
		seen[q.Code] = true
	}
	clear(seen)
	for _, d := range m.Dimensions {
		switch {
		case d.Code == "":
			return fmt.Errorf("mapping: dimension %q has no code", d.Name)
		case seen[d.Code]:
			return fmt.Errorf("mapping: two dimensions have the code %q", d.Code)
		}
		seen[d.Code] = true
	}
	return nil
}

// saveMapping stores the survey's mapping as of this file: the file's
// format and columns, plus the columns of earlier files that this one
// lacks (so that their roles are remembered). Questions and dimensions are
// kept in their own tables, not here.
func saveMapping(ctx context.Context, tx *gorm.DB, survey surveyRow, m analytics.Mapping) error {
	var saved analytics.Mapping
	if err := json.Unmarshal([]byte(survey.MappingJSON), &saved); err != nil {
		return fmt.Errorf("read saved mapping of survey %q: %w", survey.Name, err)
	}
	next := analytics.Mapping{
		Format: m.Format, HeaderRows: m.HeaderRows, DateOrder: m.DateOrder,
		Columns: slices.Clone(m.Columns),
	}
	if next.DateOrder == analytics.DateAuto {
		next.DateOrder = saved.DateOrder
	}
	for _, c := range saved.Columns {
		if !slices.ContainsFunc(m.Columns, func(n analytics.Column) bool { return n.Header == c.Header }) {
			next.Columns = append(next.Columns, c)
		}
	}
	data, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("encode mapping of survey %q: %w", survey.Name, err)
	}
	n, err := gorm.G[surveyRow](tx).Where("id = ?", survey.ID).Update(ctx, "mapping_json", string(data))
	if err != nil {
		return fmt.Errorf("save mapping of survey %q: %w", survey.Name, err)
	}
	if n != 1 {
		return errors.New("save mapping: survey row missing")
	}
	return nil
}
