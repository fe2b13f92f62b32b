package analytics

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// UserRole is what a person signed in to heard may do. heard denies by
// default: a role grants exactly the permissions UserRole.Can lists for it,
// and an unknown role grants none. (Role, without "User", is what a file's
// column becomes.)
type UserRole string

// The four roles.
const (
	// RoleAdmin manages accounts, API tokens, surveys, retention and
	// backups, reads the audit log, and may do everything an analyst may.
	RoleAdmin UserRole = "admin"
	// RoleAnalyst uploads files, deletes imports, edits mappings and
	// metrics, and sees everything of the surveys, comments included, with
	// the personal details people wrote in them.
	RoleAnalyst UserRole = "analyst"
	// RoleViewer is staff with read-only access: figures without
	// disclosure control, breakdowns and comments, with the personal
	// details in comments redacted.
	RoleViewer UserRole = "viewer"
	// RoleBoard is a member of the people involvement board: aggregates
	// with disclosure control only, never comments or unsuppressed counts.
	RoleBoard UserRole = "board"
)

// UserRoles lists the roles, most powerful first.
func UserRoles() []UserRole { return []UserRole{RoleAdmin, RoleAnalyst, RoleViewer, RoleBoard} }

// ParseUserRole reads a role name, ignoring case and surrounding spaces.
func ParseUserRole(s string) (UserRole, error) {
	r := UserRole(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(UserRoles(), r) {
		return "", fmt.Errorf("%q is not a role: use admin, analyst, viewer or board", s)
	}
	return r, nil
}

// Permission is one thing a role may be allowed to do.
type Permission string

// The permissions, checked by every route and command that needs one.
const (
	// PermManageUsers: create and disable accounts, change roles,
	// create, list and revoke API tokens.
	PermManageUsers Permission = "manage-users"
	// PermManageSurveys: set surveys' retention period and purge, set
	// their board publication, take backups (an admin also sets up every
	// survey, through PermUpload).
	PermManageSurveys Permission = "manage-surveys"
	// PermReadAudit: read the audit log.
	PermReadAudit Permission = "read-audit"
	// PermUpload: upload files, delete imports, edit mappings and saved
	// metrics, and set up the surveys one may change (an analyst's own,
	// every survey for an admin): rename, relabel, column kinds, scales,
	// delete.
	PermUpload Permission = "upload"
	// PermReadStaff: figures without disclosure control (small counts
	// shown), breakdowns, imports history.
	PermReadStaff Permission = "read-staff"
	// PermReadComments: free-text answers, which may hold personal data.
	PermReadComments Permission = "read-comments"
	// PermReadPersonal: the personal details in free-text answers as
	// people wrote them (names, emails, phone numbers, NHS numbers,
	// postcodes, addresses, dates of birth). Without it every comment a
	// page, download or API answer shows is redacted first ("[name]").
	PermReadPersonal Permission = "read-personal"
	// PermReadAggregates: disclosure-controlled figures and downloads,
	// the board's view.
	PermReadAggregates Permission = "read-aggregates"
)

// Can reports whether role r grants permission p. Anything not listed
// here is denied.
func (r UserRole) Can(p Permission) bool {
	switch r {
	case RoleAdmin:
		return slices.Contains([]Permission{PermManageUsers, PermManageSurveys, PermReadAudit, PermUpload,
			PermReadStaff, PermReadComments, PermReadPersonal, PermReadAggregates}, p)
	case RoleAnalyst:
		return slices.Contains([]Permission{PermUpload, PermReadStaff, PermReadComments, PermReadPersonal, PermReadAggregates}, p)
	case RoleViewer:
		return slices.Contains([]Permission{PermReadStaff, PermReadComments, PermReadAggregates}, p)
	case RoleBoard:
		return p == PermReadAggregates
	}
	return false
}

// User is a local account. Its password hash is kept by the store and
// never travels with it.
type User struct {
	ID int64 `json:"id"`
	// Email is the sign-in name, stored in lower case.
	Email string `json:"email"`
	// Name is how the person is shown; it may be empty.
	Name     string   `json:"name,omitempty"`
	Role     UserRole `json:"role"`
	Disabled bool     `json:"disabled"`
	// CreatedAt, UpdatedAt and LastSignIn are UTC; LastSignIn is zero
	// until the first sign-in.
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	LastSignIn time.Time `json:"last_sign_in,omitzero"`
}

// Token is an API token for automation. Its secret is shown once, when it
// is created; heard keeps only a hash of it.
type Token struct {
	ID     int64 `json:"id"`
	UserID int64 `json:"user_id"`
	// Email is the email of the account the token acts as.
	Email string `json:"email"`
	// Name says what the token is for, such as "monthly upload script".
	Name string `json:"name,omitempty"`
	// Prefix is the start of the secret, enough to recognise a token in a
	// list without being able to use it.
	Prefix    string    `json:"prefix"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by"`
	// LastUsed is zero when the token was never used; it is updated at
	// most every few minutes.
	LastUsed  time.Time `json:"last_used,omitzero"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Revoked reports whether the token has been revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// CommandLineSource is the "from where" of actions taken with the heard
// command on the server itself.
const CommandLineSource = "command line"

// Actor is who does something and from where, as the audit log records it.
type Actor struct {
	// UserID is the account acting, or 0 for the command line or an
	// unknown account.
	UserID int64
	// Who is the account's email, or "command line:" and the operating
	// system user for the heard command.
	Who string
	// From is the client address, or CommandLineSource.
	From string
}

// CommandLine is the actor of the heard command run by the operating
// system user osUser.
func CommandLine(osUser string) Actor {
	if osUser == "" {
		osUser = "unknown"
	}
	return Actor{Who: "command line:" + osUser, From: CommandLineSource}
}

// UserActor is the actor of a signed-in user (or a token acting as one)
// at client address from.
func UserActor(u User, from string) Actor { return Actor{UserID: u.ID, Who: u.Email, From: from} }

// AuditAction names what an audit event records.
type AuditAction string

// The audited actions.
const (
	AuditSignIn         AuditAction = "sign-in"
	AuditSignOut        AuditAction = "sign-out"
	AuditUserCreate     AuditAction = "user-create"
	AuditUserDisable    AuditAction = "user-disable"
	AuditUserEnable     AuditAction = "user-enable"
	AuditUserRole       AuditAction = "user-role"
	AuditUserPassword   AuditAction = "user-password"
	AuditTokenCreate    AuditAction = "token-create"
	AuditTokenRevoke    AuditAction = "token-revoke"
	AuditImport         AuditAction = "import"
	AuditImportDelete   AuditAction = "import-delete"
	AuditDownload       AuditAction = "download"
	AuditRetentionSet   AuditAction = "retention-set"
	AuditRetentionPurge AuditAction = "retention-purge"
	AuditBackup         AuditAction = "backup"
	// AuditMemberAdd and AuditMemberRemove are an account added to or
	// removed from a survey's members.
	AuditMemberAdd    AuditAction = "survey-member-add"
	AuditMemberRemove AuditAction = "survey-member-remove"
	// AuditList is a list of accounts, tokens, imports or retention
	// periods read; Object says which.
	AuditList AuditAction = "list"
	// AuditRead is the audit log read.
	AuditRead         AuditAction = "audit-read"
	AuditAccessDenied AuditAction = "access-denied"
)

// auditWords are the audited actions in plain words, for people reading
// the audit log; the set-up actions are the store's.
var auditWords = []struct {
	action AuditAction
	words  string
}{
	{AuditSignIn, "Signed in"}, {AuditSignOut, "Signed out"},
	{AuditUserCreate, "Account added"}, {AuditUserDisable, "Account disabled"}, {AuditUserEnable, "Account enabled"},
	{AuditUserRole, "Role changed"}, {AuditUserPassword, "Password set"},
	{AuditTokenCreate, "API token made"}, {AuditTokenRevoke, "API token revoked"},
	{AuditImport, "File imported"}, {AuditImportDelete, "Import deleted"}, {AuditDownload, "Download"},
	{AuditRetentionSet, "Retention set"}, {AuditRetentionPurge, "Old responses deleted"}, {AuditBackup, "Backup"},
	{AuditMemberAdd, "Survey member added"}, {AuditMemberRemove, "Survey member removed"},
	{AuditList, "List read"}, {AuditRead, "Audit log read"}, {AuditAccessDenied, "Access refused"},
	{"survey-setting", "Survey setting changed"}, {"survey-rename", "Survey renamed"}, {"survey-delete", "Survey deleted"},
	{"survey-relabel", "Question relabelled"}, {"survey-column", "Column changed"}, {"survey-scale", "Scale changed"},
	{"framework-import", "Framework imported"}, {"framework-delete", "Framework deleted"},
	{"statement-tag", "Tagged with a statement"}, {"statement-untag", "Statement tag removed"},
	{"action-add", "Action recorded"}, {"action-edit", "Action changed"}, {"action-delete", "Action deleted"},
	{"theme-model-save", "Theme model saved"}, {"theme-model-delete", "Theme model deleted"},
	{"comment-themes", "Comment themes corrected"},
	{"database-copy", "Database copied"},
}

// Words says what the action is in plain words ("Account added"); an
// action heard does not know is given as it is.
func (a AuditAction) Words() string {
	for _, w := range auditWords {
		if w.action == a {
			return w.words
		}
	}
	return string(a)
}

// AuditActions lists the audited actions, in the order of auditWords.
func AuditActions() []AuditAction {
	out := make([]AuditAction, len(auditWords))
	for i, w := range auditWords {
		out[i] = w.action
	}
	return out
}

// Outcome says how an audited action ended.
type Outcome string

// The outcomes.
const (
	OutcomeOK = Outcome("ok")
	// OutcomeFailed is a failed attempt: a wrong password, an error.
	OutcomeFailed = Outcome("failed")
	// OutcomeRefused is an attempt heard turned down on purpose: a file
	// refused at import, a rate-limited sign-in, a disabled account.
	OutcomeRefused = Outcome("refused")
)

// AuditEvent is one line of the audit log: who did what to which object,
// when, from where, and how it ended. It never holds personal data from
// the surveys (file contents, answers, comments): Object names things by
// id, file name or survey name, and Detail holds counts and settings.
type AuditEvent struct {
	ID int64 `json:"id"`
	// At is UTC.
	At      time.Time   `json:"at"`
	UserID  int64       `json:"user_id,omitempty"`
	Who     string      `json:"who"`
	From    string      `json:"from"`
	Action  AuditAction `json:"action"`
	Object  string      `json:"object,omitempty"`
	Outcome Outcome     `json:"outcome"`
	Detail  string      `json:"detail,omitempty"`
}

// NewAuditEvent is an event of action on object by a, ending in outcome.
func NewAuditEvent(a Actor, action AuditAction, object string, outcome Outcome, detail string) AuditEvent {
	return AuditEvent{UserID: a.UserID, Who: a.Who, From: a.From, Action: action, Object: object,
		Outcome: outcome, Detail: detail}
}
