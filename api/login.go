package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/account"
	"github.com/heard-council/heard/dashboards"
)

// wrongSignIn is the one message for a wrong email or password, so that
// sign-in does not tell which emails have accounts.
const wrongSignIn = "Wrong email or password. Check both and try again."

// loginView is the sign-in page.
type loginView struct {
	layout
	Next, Email, Problem string
}

// safeNext returns where to go after signing in: a path of this site, or
// the list of surveys. It never sends the browser to another host (see
// sameSitePath), nor back to the sign-in page.
func safeNext(next string) string {
	if !sameSitePath(next) || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

// sameSitePath reports whether p is a path of this site as every browser
// reads it: printable ASCII only (heard's own links escape the rest), so
// no control character (C0, DEL, and C1 or bidi controls, which are not
// ASCII) and no space that a browser would strip; starting with one slash,
// with no backslash (browsers read it as a slash) and no "." or ".." path
// segment; and the same once its percent-escapes are decoded, twice over,
// and normalised (NFKC turns a fullwidth solidus into a slash).
func sameSitePath(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] >= 0x7f {
			return false
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return false
	}
	for form, i := p, 0; i < 3; i++ {
		if !plainPath(form) || !plainPath(norm.NFKC.String(form)) {
			return false
		}
		next, err := url.PathUnescape(form)
		if err != nil || !utf8.ValidString(next) {
			return false
		}
		if next == form {
			break
		}
		form = next
	}
	return true
}

// plainPath reports whether p starts with one slash and holds no control
// character, no backslash and no dot segment in its path.
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, r := range p {
		if unicode.IsControl(r) {
			return false
		}
	}
	path, _, _ := strings.Cut(p, "?")
	path, _, _ = strings.Cut(path, "#")
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// loginForm is GET /login: the sign-in page, or the next page for a
// signed-in account.
func (s *Server) loginForm(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	next := safeNext(c.Query("next"))
	if _, ok := requestUser(c); ok {
		c.Redirect(http.StatusSeeOther, next)
		return nil
	}
	return s.render(c, http.StatusOK, "login.html", &loginView{layout: layout{Title: "Sign in", AssetVersion: s.assetVersion}, Next: next})
}

// login is POST /login: check the email and password, within the rate
// limits, and start a new session.
func (s *Server) login(c *gin.Context) error {
	c.Header("Cache-Control", "no-store")
	ctx, from := c.Request.Context(), c.ClientIP()
	email, password := strings.TrimSpace(c.PostForm("email")), c.PostForm("password")
	view := loginView{layout: layout{Title: "Sign in", AssetVersion: s.assetVersion},
		Next: safeNext(c.PostForm("next")), Email: email}
	anon := analytics.Actor{Who: "anonymous", From: from}
	ok, wait, err := s.limiter.Allow(ctx, email, from)
	if err != nil {
		return err // a limit that cannot be read is no limit: refuse
	}
	if !ok {
		s.auditAs(c, anon, analytics.AuditSignIn, s.signInObject(c, email), analytics.OutcomeRefused, "too many failed sign-ins")
		minutes := int(math.Ceil(wait.Minutes()))
		view.Problem = fmt.Sprintf("Too many failed sign-ins. Wait %s and try again.", dashboards.Plural(minutes, "minute"))
		c.Header("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		return s.render(c, http.StatusTooManyRequests, "login.html", &view)
	}
	u, hash, err := s.store.UserPasswordHash(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	select { // bound the Argon2id checks (19 MiB each) running at once
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("sign in: %w", ctx.Err())
	}
	ok, err = account.CheckPassword(password, hash)
	<-s.hashing
	if err != nil {
		return err
	}
	if !ok || u.Disabled {
		if err := s.limiter.Fail(ctx, email, from); err != nil {
			return err // an uncounted failure would let guessing go on unlimited
		}
		outcome, detail := analytics.OutcomeFailed, "wrong email or password"
		if ok {
			outcome, detail = analytics.OutcomeRefused, "disabled account"
		}
		s.auditAs(c, anon, analytics.AuditSignIn, s.signInObject(c, email), outcome, detail)
		view.Problem = wrongSignIn
		return s.render(c, http.StatusUnauthorized, "login.html", &view)
	}
	if err := s.limiter.Succeed(ctx, email); err != nil {
		// The sign-in is right; the account's old failures just still
		// count, until their window ends.
		s.logger.Error("clear failed sign-ins", "err", err)
	}
	sm := s.sessions.For(c.Request)
	if err := sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("new session: %w", err)
	}
	if err := s.store.RecordSignIn(ctx, u.ID, from); err != nil {
		return err // not signed in: no sign-in goes unrecorded
	}
	sm.Put(ctx, sessionUserKey, u.ID)
	s.upgradeHash(ctx, u.ID, hash, password)
	c.Redirect(http.StatusSeeOther, view.Next)
	return nil
}

// upgradeHash replaces an account's password hash made with older Argon2id
// parameters after a successful sign-in, when the database is free; a
// failure is logged, never shown: the sign-in has succeeded.
func (s *Server) upgradeHash(ctx context.Context, id int64, hash, password string) {
	if !account.PasswordNeedsRehash(hash) {
		return
	}
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return
	}
	newHash, err := account.HashPassword(password)
	<-s.hashing
	if err != nil { // a password set before today's rules keeps its old hash
		s.logger.Info("password hash kept with old parameters", "user", id, "reason", err)
		return
	}
	if _, err := s.store.UpgradePasswordHash(ctx, id, hash, newHash); err != nil {
		s.logger.Error("upgrade a password hash", "user", id, "err", err)
	}
}

// signInObject names the account of a sign-in attempt for the audit log:
// an existing account by id and email; an unknown one not at all, since
// people sometimes type their password into the email box.
func (s *Server) signInObject(c *gin.Context, email string) string {
	u, err := s.store.UserByEmail(c.Request.Context(), email)
	if err != nil {
		return "unknown account"
	}
	return fmt.Sprintf("user %d %s", u.ID, u.Email)
}

// logout is POST /logout: end the session.
func (s *Server) logout(c *gin.Context) error {
	u, _ := requestUser(c)
	s.audit(c, analytics.AuditSignOut, fmt.Sprintf("user %d %s", u.ID, u.Email), analytics.OutcomeOK, "")
	if _, viaToken := bearerToken(c.GetHeader("Authorization")); !viaToken {
		if err := s.sessions.For(c.Request).Destroy(c.Request.Context()); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
	}
	c.Redirect(http.StatusSeeOther, "/login")
	return nil
}

// auditAs records an event made by a, logging a failure to record it.
func (s *Server) auditAs(c *gin.Context, a analytics.Actor, action analytics.AuditAction, object string,
	outcome analytics.Outcome, detail string) {
	if err := s.store.Audit(c.Request.Context(), analytics.NewAuditEvent(a, action, object, outcome, detail)); err != nil {
		s.logger.Error("write the audit log", "action", action, "err", err)
	}
}
