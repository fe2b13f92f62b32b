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
)

// The API tokens page: an admin makes a token for an account, sees its
// secret once, and revokes tokens. The store makes the secret, keeps only
// its hash and records each change in the audit log, as for `heard token`.

// adminTokensView is the API tokens page.
type adminTokensView struct {
	layout
	Tokens []tokenRow
	// Accounts are the enabled accounts a token can be made for.
	Accounts []choice
	// Name is the create form's name after a refusal.
	Name string
	// Problem says why the last form was refused; Done what it changed.
	Problem, Done string
	// Created is the token just made, with its secret: shown on this
	// answer only.
	Created *createdToken
}

// tokenRow is one token in the list.
type tokenRow struct {
	analytics.Token
	// State says whether the token works, in words.
	State string
	// Active marks a token that can be revoked.
	Active bool
}

// createdToken is a token just made.
type createdToken struct {
	ID                        int64
	Email, Role, Secret, Name string
}

// adminTokens is GET /admin/tokens: every token, newest first, and the
// form to make one. ?revoked=N says the last form revoked token N.
func (s *Server) adminTokens(c *gin.Context) error {
	v, err := s.tokensView(c, 0)
	if err != nil {
		return err
	}
	if id, err := strconv.ParseInt(c.Query("revoked"), 10, 64); err == nil {
		for _, t := range v.Tokens {
			if t.ID == id && !t.Active {
				v.Done = fmt.Sprintf("Token %d of %s is revoked: it no longer works.", t.ID, t.Email)
			}
		}
	}
	s.audit(c, analytics.AuditList, "tokens", analytics.OutcomeOK, "")
	return s.render(c, http.StatusOK, "admin_tokens.html", v)
}

// tokensView reads the tokens and accounts for the page, the account
// selected chosen in the form.
func (s *Server) tokensView(c *gin.Context, selected int64) (*adminTokensView, error) {
	ctx := c.Request.Context()
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	tokens, err := s.store.Tokens(ctx, 0)
	if err != nil {
		return nil, err
	}
	v := &adminTokensView{layout: layout{Title: "API tokens", AssetVersion: s.assetVersion}}
	disabled := map[int64]bool{}
	for _, u := range users {
		disabled[u.ID] = u.Disabled
		if !u.Disabled {
			v.Accounts = append(v.Accounts, choice{Value: strconv.FormatInt(u.ID, 10),
				Label: fmt.Sprintf("%s (%s)", u.Email, strings.ToLower(roleName(u.Role))), Selected: u.ID == selected})
		}
	}
	for _, t := range tokens {
		row := tokenRow{Token: t, State: "works", Active: !t.Revoked()}
		switch {
		case t.Revoked():
			row.State = "revoked"
		case disabled[t.UserID]:
			row.State = "stopped: the account is disabled"
		}
		v.Tokens = append(v.Tokens, row)
	}
	return v, nil
}

// refuseToken records a refused form in the audit log and shows the
// tokens page again, status 422, saying why.
func (s *Server) refuseToken(c *gin.Context, action analytics.AuditAction, object, why string, selected int64) error {
	s.audit(c, action, object, analytics.OutcomeRefused, why)
	v, err := s.tokensView(c, selected)
	if err != nil {
		return err
	}
	v.Problem, v.Name = sentence(why), strings.TrimSpace(c.PostForm("name"))
	return s.render(c, http.StatusUnprocessableEntity, "admin_tokens.html", v)
}

// createToken is POST /admin/tokens: fields user (the account's id) and
// name, what the token is for. The answer shows the secret once.
func (s *Server) createToken(c *gin.Context) error {
	id, err := strconv.ParseInt(strings.TrimSpace(c.PostForm("user")), 10, 64)
	if err != nil || id <= 0 {
		return s.refuseToken(c, analytics.AuditTokenCreate, "token", "choose the account the token acts as", 0)
	}
	u, err := s.store.User(c.Request.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return s.refuseToken(c, analytics.AuditTokenCreate, "token", "that account no longer exists: choose another", 0)
	}
	if err != nil {
		return err
	}
	tok, secret, err := s.store.CreateToken(c.Request.Context(), u.ID, c.PostForm("name"), actor(c))
	var pe *analytics.ParamError
	if errors.As(err, &pe) {
		return s.refuseToken(c, analytics.AuditTokenCreate, "token for "+accountObject(u), pe.Msg, u.ID)
	}
	if err != nil {
		return err
	}
	v, err := s.tokensView(c, 0)
	if err != nil {
		return err
	}
	v.Created = &createdToken{ID: tok.ID, Email: u.Email, Role: strings.ToLower(roleName(u.Role)), Secret: secret,
		Name: tok.Name}
	return s.render(c, http.StatusOK, "admin_tokens.html", v)
}

// revokeToken is POST /admin/tokens/:id/revoke: the token stops working
// at once.
func (s *Server) revokeToken(c *gin.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("token %q: %w", c.Param("id"), store.ErrNotFound)
	}
	err = s.store.RevokeToken(c.Request.Context(), id, actor(c))
	if errors.Is(err, store.ErrNotFound) {
		s.audit(c, analytics.AuditTokenRevoke, fmt.Sprintf("token %d", id), analytics.OutcomeRefused, "no such token")
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/admin/tokens?revoked="+strconv.FormatInt(id, 10))
	return nil
}
