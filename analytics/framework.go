package analytics

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Framework is a set of statements a council is assessed against, or holds
// itself to: the CQC assessment framework for local authorities, Think
// Local Act Personal's Making It Real, or a council's own "I" and "We"
// statements loaded from a file. Questions and comment themes are tagged
// with its statements, and results are shown by statement.
type Framework struct {
	// Name is the framework's short, stable id ("cqc", "mir", "ours"): how
	// a tag names it (FRAMEWORK:ID).
	Name string `json:"name"`
	// Title is the framework's name in words.
	Title string `json:"title"`
	// BuiltIn marks the frameworks heard ships; they cannot be replaced or
	// deleted.
	BuiltIn bool `json:"built_in"`
	// Statements are in the order the framework lists them.
	Statements []Statement `json:"statements"`
}

// Statement is one statement of a framework.
type Statement struct {
	// ID is the statement's short, stable id within its framework.
	ID string `json:"id"`
	// Theme is the theme the statement belongs to.
	Theme string `json:"theme"`
	// Text is the statement in words.
	Text string `json:"statement"`
	// Parent is the statement of another framework this one refines, as
	// FRAMEWORK:ID ("cqc:assessing-needs"), or "".
	Parent string `json:"parent,omitempty"`
}

// Statement returns the framework's statement with the id, if any.
func (f Framework) Statement(id string) (Statement, bool) {
	for _, s := range f.Statements {
		if s.ID == id {
			return s, true
		}
	}
	return Statement{}, false
}

// StatementIDs lists the ids of the framework's statements, in order.
func (f Framework) StatementIDs() []string {
	ids := make([]string, len(f.Statements))
	for i, s := range f.Statements {
		ids[i] = s.ID
	}
	return ids
}

// StatementRef names a statement of a framework: FRAMEWORK:ID.
type StatementRef struct {
	Framework string `json:"framework"`
	ID        string `json:"id"`
}

// String is the reference as FRAMEWORK:ID.
func (r StatementRef) String() string { return r.Framework + ":" + r.ID }

// Limits of what a framework file may hold.
const (
	// MaxStatementText is the longest statement, in characters.
	MaxStatementText = 1000
	// MaxThemeText is the longest theme name, in characters.
	MaxThemeText = 200
)

var (
	frameworkName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,39}$`)
	statementID   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
)

// CheckFrameworkName says what is wrong with a framework's name, or nil:
// lower-case letters, digits and hyphens, starting with a letter, at most
// 40 characters.
func CheckFrameworkName(name string) error {
	if !frameworkName.MatchString(name) {
		return fmt.Errorf("the framework name %q is not one heard can use: write lower-case letters, digits and "+
			"hyphens, starting with a letter, at most 40 characters (such as ours or tlap-i)", name)
	}
	return nil
}

// CheckStatementID says what is wrong with a statement's id, or nil:
// letters, digits, dots, hyphens and underscores, starting with a letter
// or digit, at most 64 characters.
func CheckStatementID(id string) error {
	if !statementID.MatchString(id) {
		return fmt.Errorf("the id %q is not one heard can use: write letters, digits, dots, hyphens or underscores, "+
			"starting with a letter or digit, at most 64 characters (such as I1 or assessing-needs)", id)
	}
	return nil
}

// ParseStatementRef reads FRAMEWORK:ID ("cqc:assessing-needs"). It checks
// the form only, not that the statement exists.
func ParseStatementRef(s string) (StatementRef, error) {
	fw, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || fw == "" || id == "" {
		return StatementRef{}, fmt.Errorf("%q does not name a statement: write FRAMEWORK:ID, such as cqc:assessing-needs", s)
	}
	if err := CheckFrameworkName(fw); err != nil {
		return StatementRef{}, err
	}
	if err := CheckStatementID(id); err != nil {
		return StatementRef{}, err
	}
	return StatementRef{Framework: fw, ID: id}, nil
}

// FindStatement returns the statement ref names among the frameworks, or
// an error saying which frameworks or statements there are.
func FindStatement(frameworks []Framework, ref StatementRef) (Statement, error) {
	names := make([]string, len(frameworks))
	for i, f := range frameworks {
		names[i] = f.Name
		if f.Name != ref.Framework {
			continue
		}
		if s, ok := f.Statement(ref.ID); ok {
			return s, nil
		}
		return Statement{}, NotFound(fmt.Sprintf("framework %q has no statement %q; its statements are %s",
			f.Name, ref.ID, strings.Join(f.StatementIDs(), ", ")))
	}
	return Statement{}, NotFound(fmt.Sprintf("there is no framework %q; the frameworks are %s (`heard framework list` lists them)",
		ref.Framework, strings.Join(names, ", ")))
}

// Validate checks a framework as a whole: its name, at least one
// statement, ids well formed and unique, every statement with a theme and
// words, and each parent a statement of another framework in known (or
// of f itself, but never the statement itself).
func (f Framework) Validate(known []Framework) error {
	if err := CheckFrameworkName(f.Name); err != nil {
		return err
	}
	if len(f.Statements) == 0 {
		return fmt.Errorf("framework %q has no statements", f.Name)
	}
	seen := map[string]bool{}
	others := slices.DeleteFunc(slices.Clone(known), func(k Framework) bool { return k.Name == f.Name })
	all := append(others, f)
	for _, s := range f.Statements {
		if err := CheckStatementID(s.ID); err != nil {
			return err
		}
		if seen[s.ID] {
			return fmt.Errorf("framework %q has statement %q twice", f.Name, s.ID)
		}
		seen[s.ID] = true
		if strings.TrimSpace(s.Theme) == "" || strings.TrimSpace(s.Text) == "" {
			return fmt.Errorf("statement %q of framework %q needs a theme and words", s.ID, f.Name)
		}
		if s.Parent == "" {
			continue
		}
		ref, err := ParseStatementRef(s.Parent)
		if err != nil {
			return fmt.Errorf("the parent of statement %q: %w", s.ID, err)
		}
		if ref == (StatementRef{Framework: f.Name, ID: s.ID}) {
			return fmt.Errorf("statement %q cannot refine itself", s.ID)
		}
		if _, err := FindStatement(all, ref); err != nil {
			return fmt.Errorf("the parent of statement %q: %w", s.ID, err)
		}
	}
	return nil
}

// StatementTag is a question, or a comment theme, of a survey tagged with
// a statement. Exactly one of Question and Theme is set.
type StatementTag struct {
	// Question is the tagged question's code.
	Question string `json:"question,omitempty"`
	// ThemeModel and Theme name a comment theme: the theme model's name
	// and the theme's name in it.
	ThemeModel string `json:"theme_model,omitempty"`
	Theme      string `json:"theme,omitempty"`
	// Statement is the statement the question or theme speaks to.
	Statement StatementRef `json:"statement"`
}

// Subject says what the tag is on, in words: `question "q3"` or `theme
// "Waiting" of model "nhs"`.
func (t StatementTag) Subject() string {
	if t.Question != "" {
		return fmt.Sprintf("question %q", t.Question)
	}
	return fmt.Sprintf("comment theme %q of model %q", t.Theme, t.ThemeModel)
}

// ErrInUse is a framework, or statements of one, that tags or other
// frameworks still use.
var ErrInUse = errors.New("in use")

// InUseError says which tags and statements of other frameworks use the
// statements a change would remove, so that nothing is left pointing at a
// statement that is gone. It is ErrInUse.
type InUseError struct {
	// What says what could not be done: `heard cannot delete framework
	// "ours"`.
	What string
	// Uses say, one each, what uses a statement: `survey "S", question
	// "q3" is tagged with ours:I3`.
	Uses []string
	// Advice says what to do.
	Advice string
}

func (e *InUseError) Error() string {
	const most = 10
	uses := e.Uses
	more := ""
	if len(uses) > most {
		more = fmt.Sprintf("; and %d more", len(uses)-most)
		uses = uses[:most]
	}
	return fmt.Sprintf("%s: %s%s. %s", e.What, strings.Join(uses, "; "), more, e.Advice)
}

// Unwrap makes the error ErrInUse.
func (e *InUseError) Unwrap() error { return ErrInUse }
