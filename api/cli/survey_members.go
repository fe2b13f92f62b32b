package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/report"
)

// RunSurvey is `heard survey`: list a survey's members, and add or remove
// one. Members are the analysts who may change the survey and read its
// comments.
func RunSurvey(ctx context.Context, env Env, args []string) int {
	env = env.terminal()
	return dispatch(ctx, env, "survey", args, []subcommand{
		{[]string{"members"}, plain(runSurveyMembers)}, {[]string{"add-member", "remove-member"}, runSurveyMember},
		{[]string{"disclosure"}, plain(runSurveyDisclosure)}, {[]string{"headline"}, plain(runSurveyHeadline)},
		{[]string{"rename"}, plain(runSurveyRename)}, {[]string{"delete"}, plain(runSurveyDelete)},
		{[]string{"relabel"}, plain(runSurveyRelabel)}, {[]string{"column"}, plain(runSurveyColumn)},
		{[]string{"scale"}, plain(runSurveyScale)},
	})
}

func runSurveyMembers(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("survey members", "survey members --survey NAME [--json] [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	asJSON := fs.Bool("json", false, "print a JSON array")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		object := fmt.Sprintf("members of survey %q", *survey)
		s, err := surveyNamed(ctx, st, *survey)
		var list []store.SurveyMember
		if err == nil {
			list, err = st.SurveyMembers(ctx, s.ID)
		}
		if err != nil {
			return commandFailed(ctx, env, st, analytics.AuditList, object, err)
		}
		if err := st.Audit(ctx, analytics.NewAuditEvent(cliActor(env), analytics.AuditList, object, analytics.OutcomeOK, "")); err != nil {
			return reportFailed(env, err)
		}
		if *asJSON {
			return printJSON(env, report.NonNil(list))
		}
		if len(list) == 0 {
			fmt.Fprint(env.Stdout, terminalSafe(fmt.Sprintf("Survey %q has no members: only admins may change it. "+
				"Add an analyst with `heard survey add-member --survey %q --email EMAIL`.\n", s.Name, s.Name)))
			return ExitOK
		}
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tROLE\tSTATE\tADDED BY\tADDED AT (UTC)")
		for _, m := range list {
			state := "enabled"
			if m.Disabled {
				state = "disabled"
			}
			cliTableRow(tw, m.Email, string(m.Role), state, dash(m.AddedBy), dash(utcText(m.AddedAt)))
		}
		tw.Flush()
		return ExitOK
	})
}

// runSurveyMember is `heard survey add-member` and `remove-member`.
func runSurveyMember(ctx context.Context, env Env, sub string, args []string) int {
	fs := newFlagSet("survey "+sub, "survey "+sub+" --survey NAME --email EMAIL [--db PATH]", env)
	db := dbFlag(fs, env)
	survey := fs.String("survey", "", "the survey's name")
	email := fs.String("email", "", "the account's email")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if *survey == "" || *email == "" || fs.NArg() > 0 {
		return usage(env, fs, "give --survey and --email")
	}
	return withStore(ctx, env, *db, func(st *store.Store) int {
		action, object := analytics.AuditMemberAdd, fmt.Sprintf("survey %q, account %s", *survey, *email)
		if sub == "remove-member" {
			action = analytics.AuditMemberRemove
		}
		msg, err := changeMember(ctx, env, st, sub, *survey, *email)
		if err != nil {
			return commandFailed(ctx, env, st, action, object, err)
		}
		fmt.Fprint(env.Stdout, terminalSafe(msg))
		return ExitOK
	})
}

// changeMember adds or removes a member and says what it did.
func changeMember(ctx context.Context, env Env, st *store.Store, sub, survey, email string) (string, error) {
	s, err := surveyNamed(ctx, st, survey)
	if err != nil {
		return "", err
	}
	u, err := st.UserByEmail(ctx, email)
	if err != nil {
		return "", noAccount(email, err)
	}
	if sub == "remove-member" {
		err := st.RemoveSurveyMember(ctx, s.ID, u.ID, cliActor(env))
		if errors.Is(err, store.ErrNotFound) {
			return "", analytics.NotFound(fmt.Sprintf("%s is not a member of survey %q; `heard survey members --survey %q` lists them",
				u.Email, s.Name, s.Name))
		}
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s is no longer a member of survey %q.\n", u.Email, s.Name), nil
	}
	if err := st.AddSurveyMember(ctx, s.ID, u.ID, cliActor(env)); err != nil {
		return "", err
	}
	msg := fmt.Sprintf("%s is now a member of survey %q.\n", u.Email, s.Name)
	switch u.Role {
	case analytics.RoleAnalyst:
	case analytics.RoleAdmin:
		msg += "Admins may change every survey anyway; membership changes nothing for them.\n"
	default:
		msg += fmt.Sprintf("A %s may not change surveys whatever their membership; change the role with `heard user role` if needed.\n", u.Role)
	}
	return msg, nil
}
