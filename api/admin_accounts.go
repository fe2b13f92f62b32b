package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/account"
)

// The accounts page's forms: an admin adds accounts, changes their role,
// disables and enables them. The rules live where the command line finds
// them too: the password rules and hashing in api/account, the email and
// last-admin rules in the store, which records each change in the audit
// log with who made it. A refusal is recorded here.

// adminUsersView is the accounts page.
type adminUsersView struct {
	layout
	Users []accountRow
	// Roles are the choices of the add form, with what each may do.
	Roles []choice
	// Form is what the add form holds after a refusal; never a password.
	Form addAccountForm
	// Problem says why the last form was refused; Done what it changed.
	Problem, Done string
	// Created is the account just added, with its password when heard
	// made it up: shown on this answer only.
	Created *createdAccount
}

// accountRow is one account in the list, with the choices of its role.
type accountRow struct {
	analytics.User
	RoleLabel string
	Roles     []choice
	// Self marks the signed-in admin's own account.
	Self bool
}

// addAccountForm is the add form's fields but the password.
type addAccountForm struct{ Email, Name, Role string }

// createdAccount is an account just added.
type createdAccount struct {
	Email, RoleLabel string
	// Password is the generated password, shown once; "" when the admin
	// chose it.
	Password string
}

// roleLabels says what each role is, for people choosing one.
var roleLabels = map[analytics.UserRole]string{
	analytics.RoleAdmin:   "Admin: accounts, surveys, retention and the audit log, and all an analyst does",
	analytics.RoleAnalyst: "Analyst: uploads files and sees everything of their surveys",
	analytics.RoleViewer:  "Viewer: staff who read figures and comments, without changing anything",
	analytics.RoleBoard:   "Board member: figures with small numbers hidden, never comments",
}

// roleName is a role's short name for a table.
func roleName(r analytics.UserRole) string {
	label, _, _ := strings.Cut(roleLabels[r], ":")
	if label == "" {
		return string(r)
	}
	return label
}

// roleChoices are the roles to choose from, r selected.
func roleChoices(r analytics.UserRole, short bool) []choice {
	var list []choice
	for _, role := range analytics.UserRoles() {
		label := roleLabels[role]
		if short {
			label = roleName(role)
		}
		list = append(list, choice{Value: string(role), Label: label, Selected: role == r})
	}
	return list
}

// adminUsers is GET /admin/users: the accounts with their roles and the
// forms to change them. ?done=role|disabled|enabled&id=N says what the
// last form changed.
func (s *Server) adminUsers(c *gin.Context) error {
	v, err := s.accountsView(c)
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(c.Query("id"), 10, 64); err == nil {
		for _, u := range v.Users {
			if u.ID == id {
				v.Done = doneMessage(c.Query("done"), u)
			}
		}
	}
	s.audit(c, analytics.AuditList, "accounts", analytics.OutcomeOK, "")
	return s.render(c, http.StatusOK, "admin_users.html", v)
}

// doneMessage says what a form changed on account u.
func doneMessage(done string, u accountRow) string {
	switch done {
	case "role":
		return fmt.Sprintf("The account %s is now %s.", u.Email, strings.ToLower(u.RoleLabel))
	case "disabled":
		return fmt.Sprintf("The account %s is disabled: it is signed out and its API tokens stop working.", u.Email)
	case "enabled":
		return fmt.Sprintf("The account %s is enabled again: it can sign in, and its API tokens work again.", u.Email)
	}
	return ""
}

// accountsView reads the accounts for the page.
func (s *Server) accountsView(c *gin.Context) (*adminUsersView, error) {
	list, err := s.store.Users(c.Request.Context())
	if err != nil {
		return nil, err
	}
	me, _ := requestUser(c)
	v := &adminUsersView{layout: layout{Title: "Accounts", AssetVersion: s.assetVersion},
		Roles: roleChoices(analytics.RoleViewer, false), Form: addAccountForm{Role: string(analytics.RoleViewer)}}
	for _, u := range list {
		v.Users = append(v.Users, accountRow{User: u, RoleLabel: roleName(u.Role), Roles: roleChoices(u.Role, true),
			Self: u.ID == me.ID})
	}
	return v, nil
}

// refuseAccount records a refused form in the audit log and shows the
// accounts page again, status 422, saying why.
func (s *Server) refuseAccount(c *gin.Context, action analytics.AuditAction, object, why string, form addAccountForm) error {
	s.audit(c, action, object, analytics.OutcomeRefused, why)
	v, err := s.accountsView(c)
	if err != nil {
		return err
	}
	v.Problem = sentence(why)
	if form != (addAccountForm{}) {
		v.Form, v.Roles = form, roleChoices(analytics.UserRole(form.Role), false)
	}
	return s.render(c, http.StatusUnprocessableEntity, "admin_users.html", v)
}

// addAccount is POST /admin/users: fields email, name, role and password,
// empty for heard to make one up and show it once.
func (s *Server) addAccount(c *gin.Context) error {
	form := addAccountForm{Email: strings.TrimSpace(c.PostForm("email")), Name: strings.TrimSpace(c.PostForm("name")),
		Role: c.PostForm("role")}
	object := "user " + form.Email
	email, err := store.NormalEmail(form.Email)
	if err != nil {
		return s.refuseAccount(c, analytics.AuditUserCreate, object, err.Error(), form)
	}
	role, err := analytics.ParseUserRole(form.Role)
	if err != nil {
		return s.refuseAccount(c, analytics.AuditUserCreate, object, "choose the account's role from the list", form)
	}
	password, generated := c.PostForm("password"), false
	if password == "" {
		password, generated = account.GeneratePassword(), true
	}
	hash, err := s.hashPassword(c, password)
	var pe *analytics.ParamError
	if errors.As(err, &pe) {
		return s.refuseAccount(c, analytics.AuditUserCreate, object, pe.Msg, form)
	}
	if err != nil {
		return err
	}
	u, err := s.store.CreateUser(c.Request.Context(), analytics.User{Email: email, Name: form.Name, Role: role}, hash, actor(c))
	if errors.Is(err, store.ErrExists) {
		return s.refuseAccount(c, analytics.AuditUserCreate, object,
			fmt.Sprintf("there is already an account with the email %s", email), form)
	}
	if err != nil {
		return err
	}
	v, err := s.accountsView(c)
	if err != nil {
		return err
	}
	v.Created = &createdAccount{Email: u.Email, RoleLabel: strings.ToLower(roleName(u.Role))}
	if generated {
		v.Created.Password = password
	}
	return s.render(c, http.StatusOK, "admin_users.html", v)
}

// hashPassword hashes a new password, sharing the bound on the Argon2id
// runs at once with the sign-in's checks (each holds tens of MiB).
func (s *Server) hashPassword(c *gin.Context, password string) (string, error) {
	if err := account.CheckPasswordRules(password); err != nil {
		return "", err
	}
	select {
	case s.hashing <- struct{}{}:
	case <-c.Request.Context().Done():
		return "", fmt.Errorf("hash a password: %w", c.Request.Context().Err())
	}
	defer func() { <-s.hashing }()
	return account.HashPassword(password)
}

// formAccount reads the account named by the route's :id.
func (s *Server) formAccount(c *gin.Context) (analytics.User, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return analytics.User{}, fmt.Errorf("account %q: %w", c.Param("id"), store.ErrNotFound)
	}
	return s.store.User(c.Request.Context(), id)
}

// accountObject names an account in the audit log, as the store does.
func accountObject(u analytics.User) string { return fmt.Sprintf("user %d %s", u.ID, u.Email) }

// changeRole is POST /admin/users/:id/role: field role.
func (s *Server) changeRole(c *gin.Context) error {
	u, err := s.formAccount(c)
	if err != nil {
		return err
	}
	role, err := analytics.ParseUserRole(c.PostForm("role"))
	if err != nil {
		return s.refuseAccount(c, analytics.AuditUserRole, accountObject(u), "choose the account's new role from the list", addAccountForm{})
	}
	err = s.store.SetUserRole(c.Request.Context(), u.ID, role, actor(c))
	if errors.Is(err, store.ErrLastAdmin) {
		return s.refuseAccount(c, analytics.AuditUserRole, accountObject(u), lastAdmin(u, "stay an admin"), addAccountForm{})
	}
	if err != nil {
		return err
	}
	if me, _ := requestUser(c); me.ID == u.ID && role != analytics.RoleAdmin {
		c.Redirect(http.StatusSeeOther, "/") // no longer allowed on the accounts page
		return nil
	}
	c.Redirect(http.StatusSeeOther, "/admin/users?done=role&id="+strconv.FormatInt(u.ID, 10))
	return nil
}

// lastAdmin says why the last enabled admin cannot lose the role.
func lastAdmin(u analytics.User, must string) string {
	return fmt.Sprintf("the account %s is the only enabled admin account, so it must %s: otherwise nobody could manage accounts. "+
		"Make another account admin first", u.Email, must)
}

// disableAccount is POST /admin/users/:id/disable. The account's sessions
// end at their next request and its API tokens stop working at once: both
// read the account afresh each time.
func (s *Server) disableAccount(c *gin.Context) error { return s.setDisabled(c, true) }

// enableAccount is POST /admin/users/:id/enable.
func (s *Server) enableAccount(c *gin.Context) error { return s.setDisabled(c, false) }

// setDisabled disables or enables the route's account. An admin cannot
// disable their own account from the page, nor the last enabled admin.
func (s *Server) setDisabled(c *gin.Context, disabled bool) error {
	u, err := s.formAccount(c)
	if err != nil {
		return err
	}
	action, done := analytics.AuditUserEnable, "enabled"
	if disabled {
		action, done = analytics.AuditUserDisable, "disabled"
	}
	if me, _ := requestUser(c); disabled && me.ID == u.ID {
		return s.refuseAccount(c, action, accountObject(u),
			"you cannot disable the account you are signed in with: ask another admin to do it", addAccountForm{})
	}
	err = s.store.SetUserDisabled(c.Request.Context(), u.ID, disabled, actor(c))
	if errors.Is(err, store.ErrLastAdmin) {
		return s.refuseAccount(c, action, accountObject(u), lastAdmin(u, "stay enabled"), addAccountForm{})
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/users?done="+done+"&id="+strconv.FormatInt(u.ID, 10))
	return nil
}
