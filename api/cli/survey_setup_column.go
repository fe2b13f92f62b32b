package cli

import (
	"context"
	"fmt"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
	"github.com/heard-council/heard/dashboards"
)

// runSurveyColumn is `heard survey column --survey NAME --question CODE
// --kind question|dimension|text|ignore [--yes]`.
func runSurveyColumn(ctx context.Context, env Env, args []string) int {
	f := newSetupFlags(env, "survey column", "survey column --survey NAME --question CODE|LABEL "+
		"--kind question|dimension|text|ignore [--yes] [--db PATH]\n\n"+
		"Changes what a column is, converting its stored answers; the next file's column of the same header is\n"+
		"read the new way. Without --yes it shows the figure now and the answers the column would be made of,\n"+
		"and changes nothing.", true, true)
	kind := f.fs.String("kind", "", "question, dimension, text (free text) or ignore")
	if code, ok := f.parse(env, args); !ok {
		return code
	}
	to, err := store.ParseColumnKind(*kind)
	if err != nil {
		return usage(env, f.fs, "--kind: "+err.Error())
	}
	return withStore(ctx, env, *f.db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *f.survey)
		sv, err := surveyNamed(ctx, st, *f.survey)
		var q *analytics.Question
		var d *analytics.Dimension
		if err == nil {
			q, d, err = findColumn(ctx, st, sv, *f.question)
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyColumn, object, err)
		}
		code, label := "", ""
		if q != nil {
			code, label = q.Code, q.Text
		} else {
			code, label = d.Code, d.Name
		}
		if *f.yes {
			if err := st.SetColumnKind(ctx, sv.ID, code, to, cliActor(env)); err != nil {
				return commandFailed(ctx, env, st, store.AuditSurveyColumn, object, err)
			}
			say(env, "%q is now a %s column.", label, to)
			return ExitOK
		}
		vals, err := st.PreviewColumn(ctx, sv.ID, code, to)
		if err != nil {
			return reportFailed(env, err)
		}
		if q != nil && (q.Kind == analytics.KindScale || q.Kind == analytics.KindSingle) {
			h, err := report.Headline(ctx, st, sv.ID, *q)
			if err != nil {
				return reportFailed(env, err)
			}
			say(env, "Figure now: %s. After the change: no figure until answers are marked positive.", h)
		}
		if to == store.ColumnQuestion || to == store.ColumnDimension {
			say(env, "%q would be made a %s of these answers:", label, to)
			for _, v := range vals {
				say(env, "  %s  %s", dashboards.Thousands(v.N), v.Value)
			}
		}
		say(env, "Nothing is changed: run again with --yes to make %q a %s column.", label, to)
		return ExitOK
	})
}

// runSurveyScale is `heard survey scale --survey NAME --question CODE
// --positive LABELS [--negative LABELS] [--excluded LABELS] [--yes]`.
func runSurveyScale(ctx context.Context, env Env, args []string) int {
	f := newSetupFlags(env, "survey scale", "survey scale --survey NAME --question CODE|LABEL --positive \"LABEL,LABEL\" "+
		"[--negative \"LABEL,...\"] [--excluded \"LABEL,...\"] [--yes] [--db PATH]\n\n"+
		"Sets which answers of a question count as positive, negative, neutral (the others) or are left out of\n"+
		"the base. Without --yes it shows the question's figure before and after, and changes nothing.", true, true)
	positive := f.fs.String("positive", "", "the answers that count as positive, separated by commas")
	negative := f.fs.String("negative", "", "the answers that count as negative")
	excluded := f.fs.String("excluded", "", "the answers left out of the base (Don't know, Not applicable...)")
	if code, ok := f.parse(env, args); !ok {
		return code
	}
	return withStore(ctx, env, *f.db, func(st *store.Store) int {
		object := fmt.Sprintf("survey %q", *f.survey)
		sv, err := surveyNamed(ctx, st, *f.survey)
		var q *analytics.Question
		if err == nil {
			q, _, err = findColumn(ctx, st, sv, *f.question)
			if err == nil && q == nil {
				err = analytics.ParamErrorf("{question} names a dimension, whose answers have no polarity")
			}
		}
		var polarity []analytics.Polarity
		if err == nil {
			polarity, err = polaritiesOf(*q, *positive, *negative, *excluded)
		}
		var next analytics.Question
		if err == nil {
			next, err = store.WithPolarity(*q, polarity)
		}
		if err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyScale, object, err)
		}
		before, err := report.Headline(ctx, st, sv.ID, *q)
		if err != nil {
			return reportFailed(env, err)
		}
		after, err := report.Headline(ctx, st, sv.ID, next)
		if err != nil {
			return reportFailed(env, err)
		}
		say(env, "%q\n  before: %s\n  after:  %s", q.Text, before, after)
		if !*f.yes {
			say(env, "Nothing is changed: run again with --yes to save it.")
			return ExitOK
		}
		if err := st.SetScale(ctx, sv.ID, q.Code, polarity, cliActor(env)); err != nil {
			return commandFailed(ctx, env, st, store.AuditSurveyScale, object, err)
		}
		say(env, "Saved.")
		return ExitOK
	})
}

// polaritiesOf gives each option of q the polarity the flags list it
// under, neutral when none does.
func polaritiesOf(q analytics.Question, positive, negative, excluded string) ([]analytics.Polarity, error) {
	out := make([]analytics.Polarity, len(q.Options))
	for i := range out {
		out[i] = analytics.Neutral
	}
	for _, group := range []struct {
		flag, labels string
		p            analytics.Polarity
	}{{"positive", positive, analytics.Positive}, {"negative", negative, analytics.Negative}, {"excluded", excluded, analytics.Excluded}} {
		idx, err := report.FindOptions(group.flag, q, []string{group.labels})
		if err != nil {
			return nil, err
		}
		for _, i := range idx {
			out[i] = group.p
		}
	}
	return out, nil
}
