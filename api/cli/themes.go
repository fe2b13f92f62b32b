package cli

import (
	"context"
	"flag"
	"strings"

	"github.com/heard-council/heard/analytics/themes"
	"github.com/heard-council/heard/importers"
	"github.com/heard-council/heard/importers/table"
)

// RunThemes is `heard themes`: train theme models from labelled comments,
// classify and evaluate files of comments with them, list and delete them,
// and choose the one a survey's comments are classified with.
func RunThemes(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "themes", args, []subcommand{
		{[]string{"train"}, plain(runThemesTrain)}, {[]string{"retrain"}, plain(runThemesRetrain)},
		{[]string{"classify"}, plain(runThemesClassify)}, {[]string{"evaluate"}, plain(runThemesEvaluate)},
		{[]string{"list"}, plain(runThemesList)}, {[]string{"delete"}, plain(runThemesDelete)},
		{[]string{"use"}, plain(runThemesUse)},
	})
}

// commentFileFlags are the flags that say where a file's comments and
// labels are.
type commentFileFlags struct {
	file, text, labels, labelColumns, separator, sentiment, sheet *string
}

// addCommentFileFlags adds --file, --text and --sheet, and with labelled
// the flags of themes and sentiment.
func addCommentFileFlags(fs *flag.FlagSet, labelled bool) commentFileFlags {
	f := commentFileFlags{
		file:  fs.String("file", "", "a CSV or Excel file of comments, with a heading row"),
		text:  fs.String("text", "", "the heading of the column of comments"),
		sheet: fs.String("sheet", "", "worksheet of an Excel file to read (default: the first with data)"),
	}
	none := ""
	f.labels, f.labelColumns, f.separator, f.sentiment = &none, &none, &none, &none
	if labelled {
		f.labels = fs.String("labels", "", "the heading of the column of each comment's themes, separated by --separator")
		f.labelColumns = fs.String("label-columns", "", "instead of --labels: the headings of the columns that are "+
			"one theme each, separated by commas ('Staff,Waiting times'); a cell of 1, x, yes or true marks the theme")
		f.separator = fs.String("separator", ";", "what separates the themes in the --labels column")
		f.sentiment = fs.String("sentiment", "", "the heading of a column of positive, mixed or negative, or the NHS codes 1-5 (optional)")
	}
	return f
}

// check says what is missing, "" when nothing.
func (f commentFileFlags) check(labelled bool) string {
	switch {
	case strings.TrimSpace(*f.file) == "":
		return "name the file of comments with --file"
	case strings.TrimSpace(*f.text) == "":
		return "name the column of comments with --text"
	case labelled && *f.labels == "" && *f.labelColumns == "":
		return "say where the themes are: --labels COLUMN (themes separated by ;) or --label-columns 'THEME A,THEME B'"
	case *f.labels != "" && *f.labelColumns != "":
		return "give --labels or --label-columns, not both"
	case *f.separator == "" && *f.labels != "":
		return "--separator cannot be empty"
	}
	return ""
}

// read reads the file's comments.
func (f commentFileFlags) read() ([]importers.CommentRow, error) {
	var columns []string
	if *f.labelColumns != "" {
		columns = strings.Split(*f.labelColumns, ",")
	}
	return importers.ReadComments(*f.file, *f.file, importers.CommentColumns{Text: *f.text, Labels: *f.labels,
		LabelColumns: columns, Separator: *f.separator, Sentiment: *f.sentiment, Sheet: *f.sheet, Limits: table.DefaultLimits()})
}

// labelledExamples keeps the rows that can teach or test a model: those
// with themes, and those whose comment says nothing ("N/A"), which should
// get none. It returns how many rows it left out: blank comments, and
// comments with no theme given.
func labelledExamples(rows []importers.CommentRow) ([]themes.Example, int) {
	var out []themes.Example
	for _, r := range rows {
		if strings.TrimSpace(r.Example.Text) == "" || (len(r.Example.Themes) == 0 && !themes.SaysNothing(r.Example.Text)) {
			continue
		}
		out = append(out, r.Example)
	}
	return out, len(rows) - len(out)
}

// modelFlag adds --name.
func modelFlag(fs *flag.FlagSet) *string {
	return fs.String("name", "", "the theme model's name ("+themes.BuiltInName+" is the built-in NHS model)")
}
