package importers

import (
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
)

// Format is the survey tool whose export layout a file follows.
type Format string

// The formats heard reads. FormatAuto asks DetectLayout to decide from the
// file's first rows; FormatGeneric is a council's own sheet with one header row.
const (
	FormatAuto           Format = "auto"
	FormatQualtrics      Format = "qualtrics"
	FormatSurveyMonkey   Format = "surveymonkey"
	FormatSmartSurvey    Format = "smartsurvey"
	FormatMicrosoftForms Format = "microsoft-forms"
	FormatGoogleForms    Format = "google-forms"
	FormatLimeSurvey     Format = "limesurvey"
	FormatKoboToolbox    Format = "kobotoolbox"
	FormatGeneric        Format = "generic"
)

// Formats lists every format word the --format flag accepts, FormatAuto first.
func Formats() []Format {
	return []Format{FormatAuto, FormatQualtrics, FormatSurveyMonkey, FormatSmartSurvey,
		FormatMicrosoftForms, FormatGoogleForms, FormatLimeSurvey, FormatKoboToolbox, FormatGeneric}
}

// ParseFormat reads a --format flag value. Case and surrounding spaces do not
// matter, and a few everyday spellings ("ms-forms", "google", "kobo", "lime")
// are accepted; anything else is an error that lists the valid words.
func ParseFormat(s string) (Format, error) {
	w := strings.ToLower(strings.TrimSpace(s))
	w = strings.NewReplacer("_", "-", " ", "-").Replace(w)
	switch w {
	case "", "auto":
		return FormatAuto, nil
	case "msforms", "ms-forms", "microsoftforms", "forms":
		return FormatMicrosoftForms, nil
	case "google", "googleforms", "google-form":
		return FormatGoogleForms, nil
	case "kobo", "kobo-toolbox", "kobotoolbox":
		return FormatKoboToolbox, nil
	case "lime", "lime-survey":
		return FormatLimeSurvey, nil
	case "survey-monkey", "monkey":
		return FormatSurveyMonkey, nil
	case "smart-survey":
		return FormatSmartSurvey, nil
	}
	for _, f := range Formats() {
		if w == string(f) {
			return f, nil
		}
	}
	words := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		words = append(words, string(f))
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(words, ", "))
}

// String returns the format's flag word.
func (f Format) String() string { return string(f) }

// Label is the format's name as a person writes it, for previews and messages.
func (f Format) Label() string {
	switch f {
	case FormatQualtrics:
		return "Qualtrics"
	case FormatSurveyMonkey:
		return "SurveyMonkey"
	case FormatSmartSurvey:
		return "SmartSurvey"
	case FormatMicrosoftForms:
		return "Microsoft Forms"
	case FormatGoogleForms:
		return "Google Forms"
	case FormatLimeSurvey:
		return "LimeSurvey"
	case FormatKoboToolbox:
		return "KoboToolbox"
	case FormatAuto:
		return "automatic"
	}
	return "generic spreadsheet"
}

// CellFixer returns the function that undoes a format's own escaping of cell
// text, to apply to every cell (header and data) before anything else reads
// it, or nil when the format needs none. SmartSurvey's CSV export writes an
// apostrophe as "@SQ@".
func (f Format) CellFixer() func(string) string {
	if f == FormatSmartSurvey {
		return fixSmartSurveyCell
	}
	return nil
}

func fixSmartSurveyCell(s string) string {
	if !strings.Contains(s, "@SQ@") {
		return s
	}
	return strings.ReplaceAll(s, "@SQ@", "'")
}

// IsComplete reports whether the value of a mapping's RoleComplete column
// says the response is complete: Qualtrics' Finished ("1", "True"),
// SmartSurvey's status ("Completed"), or a generic "Yes"/"Complete". A blank
// cell, "0", "False", "Partial", "Incomplete" and anything unrecognised are
// partial. The format is accepted for future format-specific wordings.
func IsComplete(format Format, value string) bool {
	_ = format
	switch optionKey(value) {
	case "1", "true", "yes", "y", "complete", "completed", "finished", "submitted", "done":
		return true
	}
	return false
}

// CompleteFunc returns how to tell, from a data row, whether a response of
// mapping m is complete:
//   - with a RoleComplete column, IsComplete on its value;
//   - for LimeSurvey without one, the submitted column is non-blank (LimeSurvey
//     leaves submitdate empty for an unfinished response);
//   - otherwise every response counts as complete.
func CompleteFunc(m analytics.Mapping) func(row []string) bool {
	format := Format(m.Format)
	for _, c := range m.Columns {
		if c.Role == analytics.RoleComplete {
			idx := c.Index
			return func(row []string) bool {
				return idx < len(row) && IsComplete(format, row[idx])
			}
		}
	}
	if format == FormatLimeSurvey {
		for _, c := range m.Columns {
			if c.Role == analytics.RoleSubmitted {
				idx := c.Index
				return func(row []string) bool {
					return idx < len(row) && strings.TrimSpace(row[idx]) != ""
				}
			}
		}
	}
	return func([]string) bool { return true }
}

// nameRole is a column name and the role it gives a column.
type nameRole struct {
	key  string
	role analytics.Role
}

// claim is what a column's name says it is. Among columns claiming the
// respondent id, submitted, started or complete role, the lowest rank wins;
// a loser whose claim came from its format's own names is ignored, other
// losers are read as questions.
type claim struct {
	role       analytics.Role
	rank       int
	fromFormat bool
}

const (
	rID   = analytics.RoleRespondentID
	rSub  = analytics.RoleSubmitted
	rSta  = analytics.RoleStarted
	rComp = analytics.RoleComplete
	rPers = analytics.RolePersonal
	rIgn  = analytics.RoleIgnore
)

// formatNames are each format's own metadata columns, by squashed name
// (KoboToolbox by lower-case name, as its underscores matter), in rank order.
func formatNames(f Format) []nameRole {
	switch f {
	case FormatQualtrics:
		return []nameRole{{"responseid", rID}, {"enddate", rSub}, {"recordeddate", rSub}, {"startdate", rSta},
			{"finished", rComp}, {"status", rIgn}, {"responseset", rIgn}, {"progress", rIgn},
			{"durationinseconds", rIgn}, {"name", rPers}, {"emailaddress", rPers}}
	case FormatSurveyMonkey:
		return []nameRole{{"respondentid", rID}, {"enddate", rSub}, {"startdate", rSta}, {"collectorid", rIgn}}
	case FormatSmartSurvey:
		return []nameRole{{"responseid", rID}, {"dateended", rSub}, {"datesubmitted", rSub}, {"ended", rSub},
			{"submitted", rSub}, {"datestarted", rSta}, {"started", rSta}, {"completionstatus", rComp},
			{"status", rComp}, {"uniqueid", rIgn}, {"timetaken", rIgn}}
	case FormatMicrosoftForms:
		return []nameRole{{"id", rID}, {"completiontime", rSub}, {"starttime", rSta}, {"email", rPers},
			{"name", rPers}, {"lastmodifiedtime", rIgn}, {"totalpoints", rIgn}, {"quizfeedback", rIgn}}
	case FormatGoogleForms:
		return []nameRole{{"timestamp", rSub}, {"marcatemporal", rSub}, {"horodateur", rSub},
			{"zeitstempel", rSub}, {"emailaddress", rPers}, {"score", rIgn}}
	case FormatLimeSurvey:
		return []nameRole{{"id", rID}, {"responseid", rID}, {"submitdate", rSub}, {"datesubmitted", rSub},
			{"startdate", rSta}, {"datestarted", rSta}, {"lastpage", rIgn}, {"startlanguage", rIgn},
			{"seed", rIgn}, {"datestamp", rIgn}, {"datelastaction", rIgn}, {"refurl", rIgn},
			{"referrerurl", rIgn}, {"ipaddr", rPers}, {"token", rIgn}, {"interviewtime", rIgn}, {"totaltime", rIgn}}
	case FormatKoboToolbox:
		return []nameRole{{"_uuid", rID}, {"_submission_time", rSub}, {"start", rSta}, {"end", rIgn},
			{"today", rIgn}, {"deviceid", rIgn}, {"simserial", rIgn}, {"subscriberid", rIgn}, {"audit", rIgn},
			{"__version__", rIgn}, {"meta/instanceid", rIgn}, {"formhub/uuid", rIgn}, {"instanceid", rIgn},
			{"phonenumber", rPers}, {"username", rPers}, {"_submitted_by", rPers}, {"_geolocation", rPers}}
	}
	return nil
}

// genericNames are names any file may use, by squashed name, in rank order.
func genericNames() []nameRole {
	var out []nameRole
	add := func(role analytics.Role, keys ...string) {
		for _, k := range keys {
			out = append(out, nameRole{k, role})
		}
	}
	add(rID, "respondentid", "responseid", "id", "respondent", "responsenumber", "respondentnumber", "序号")
	add(rSub, "datesubmitted", "submitted", "submissiondate", "submissiontime", "submittedat", "submittedon",
		"timestamp", "enddate", "endtime", "dateended", "completiontime", "datecompleted", "completeddate",
		"completiondate", "recordeddate", "responsedate", "dateofresponse", "dateoffeedback", "feedbackdate",
		"datereceived", "receiveddate", "surveydate", "dateofsurvey", "date", "time", "datetime",
		"提交答卷时间", "提交时间")
	add(rSta, "startdate", "starttime", "started", "startedat", "startedon", "datestarted", "开始时间")
	add(rComp, "finished", "completionstatus", "responsestatus", "iscomplete", "complete")
	add(rPers, "name", "fullname", "yourname", "firstname", "lastname", "surname", "forename", "forenames",
		"givenname", "familyname", "recipientfirstname", "recipientlastname", "ipaddress", "ipaddr", "ip",
		"telephone", "telephonenumber", "phonenumber", "mobilenumber", "address", "postcode", "zipcode",
		"dateofbirth", "dob", "nhsnumber", "username", "submittedby", "来自ip", "姓名")
	add(rIgn, "responseset", "externaldatareference", "externalreference", "locationaccuracy",
		"distributionchannel", "userlanguage", "collectorid", "lastmodifiedtime", "totalpoints", "quizfeedback",
		"rowindex", "所用时间", "来源", "来源详情")
	return out
}

// nameClaim says what a column's header and code alone make it, if anything.
func nameClaim(f Format, header, code string) (claim, bool) {
	keys := []string{squash(header), squash(code)}
	if f == FormatKoboToolbox {
		keys = []string{strings.ToLower(strings.TrimSpace(header)), strings.ToLower(strings.TrimSpace(code))}
	}
	for rank, nr := range formatNames(f) {
		if nr.key == keys[0] || (keys[1] != "" && nr.key == keys[1]) {
			return claim{role: nr.role, rank: rank, fromFormat: true}, true
		}
	}
	if formatIgnores(f, header, code) {
		return claim{role: rIgn, fromFormat: true}, true
	}
	k := squash(header)
	for rank, nr := range genericNames() {
		if nr.key == k || (code != "" && nr.key == squash(code)) {
			return claim{role: nr.role, rank: 1000 + rank}, true
		}
	}
	if words := strings.Fields(strings.ToLower(header)); len(words) > 1 && (words[len(words)-1] == "id" ||
		words[len(words)-1] == "uuid") || strings.HasSuffix(strings.ToLower(header), "_id") {
		return claim{role: rIgn}, true // another record's identifier ("Comment ID", "Collector ID")
	}
	if words := strings.Fields(strings.ToLower(header)); len(words) > 1 && len(words) <= 3 &&
		words[len(words)-1] == "name" && headerDimension(header) == "" {
		return claim{role: rPers}, true // "Client name", "Carer's name"; not "Team name"
	}
	for _, part := range []string{"email", "latitude", "longitude", "ipaddress"} {
		if strings.Contains(k, part) {
			return claim{role: rPers}, true
		}
	}
	return claim{}, false
}

// formatIgnores spots a format's families of metadata columns: Qualtrics'
// Q_ columns and timing, SurveyMonkey's custom data, Microsoft Forms' quiz
// points, LimeSurvey's timings, KoboToolbox's underscore columns.
func formatIgnores(f Format, header, code string) bool {
	switch f {
	case FormatQualtrics:
		for _, suffix := range []string{"_First Click", "_Last Click", "_Page Submit", "_Click Count"} {
			if strings.HasSuffix(code, suffix) {
				return true
			}
		}
		return strings.HasPrefix(code, "Q_") || strings.HasPrefix(header, "Timing - ")
	case FormatSurveyMonkey:
		return strings.HasPrefix(squash(header), "customdata")
	case FormatMicrosoftForms:
		return strings.HasPrefix(header, "Points - ") || strings.HasPrefix(header, "Feedback - ")
	case FormatLimeSurvey:
		name := code
		if name == "" {
			name = header
		}
		return strings.HasPrefix(header, "Group time:") || strings.HasPrefix(header, "Question time:") ||
			(len(name) > 4 && strings.HasSuffix(name, "Time") && !strings.ContainsAny(name, " [")) ||
			strings.HasPrefix(name, "groupTime")
	case FormatKoboToolbox:
		return strings.HasPrefix(strings.TrimSpace(header), "_")
	}
	return false
}
