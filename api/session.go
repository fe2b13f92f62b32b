package api

import (
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/heard-council/heard/analytics/store"
)

// Session timeouts: a session ends after SessionIdleTimeout without a
// request, and SessionLifetime after sign-in whatever happens.
const (
	SessionIdleTimeout = 30 * time.Minute
	SessionLifetime    = 8 * time.Hour
)

// Cookie names. Browsers accept a __Host- cookie only with the Secure
// attribute, which they keep to HTTPS, so plain HTTP (heard's default on
// 127.0.0.1) uses another name.
const (
	secureCookieName = "__Host-heard"
	plainCookieName  = "heard_session"
)

// sessionUserKey is the session's key for the signed-in account's id.
const sessionUserKey = "user_id"

// sessionManagers are the two session managers over one store: one for
// requests over HTTPS (a __Host- cookie, Secure) and one for plain HTTP.
type sessionManagers struct {
	secure, plain *scs.SessionManager
	// alwaysSecure treats every request as HTTPS, for heard behind a
	// proxy that ends TLS.
	alwaysSecure bool
}

// newSessionManagers makes the session managers with the given timeouts.
func newSessionManagers(ss *store.SessionStore, idle, lifetime time.Duration, alwaysSecure bool) *sessionManagers {
	make1 := func(name string, secure bool) *scs.SessionManager {
		m := scs.New()
		m.Store = ss
		m.IdleTimeout, m.Lifetime = idle, lifetime
		m.HashTokenInStore = false // the store keeps a hash itself
		m.Cookie.Name, m.Cookie.Path, m.Cookie.Domain = name, "/", ""
		m.Cookie.HttpOnly, m.Cookie.Secure = true, secure
		m.Cookie.SameSite = http.SameSiteStrictMode
		m.Cookie.Persist = false
		return m
	}
	return &sessionManagers{secure: make1(secureCookieName, true), plain: make1(plainCookieName, false),
		alwaysSecure: alwaysSecure}
}

// For returns the manager of a request: the secure one over TLS.
func (sm *sessionManagers) For(r *http.Request) *scs.SessionManager {
	if sm.alwaysSecure || r.TLS != nil {
		return sm.secure
	}
	return sm.plain
}

// wrap loads and saves the session of every request handled by h.
func (sm *sessionManagers) wrap(h http.Handler) http.Handler {
	secure, plain := sm.secure.LoadAndSave(h), sm.plain.LoadAndSave(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if sm.For(r) == sm.secure {
			secure.ServeHTTP(w, r)
			return
		}
		plain.ServeHTTP(w, r)
	})
}

// SessionOptions configure the web sessions; zero fields take the
// defaults (SessionIdleTimeout, SessionLifetime, and the __Host- cookie
// over TLS only).
type SessionOptions struct {
	IdleTimeout, Lifetime time.Duration
	// SecureCookies marks every request as HTTPS, for heard behind a
	// reverse proxy that ends TLS: the cookie is then __Host-heard, Secure.
	SecureCookies bool
}

// SetSessionOptions changes the session settings; call it before Handler.
func (s *Server) SetSessionOptions(o SessionOptions) {
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = SessionIdleTimeout
	}
	if o.Lifetime <= 0 {
		o.Lifetime = SessionLifetime
	}
	s.sessions = newSessionManagers(s.store.Sessions(), o.IdleTimeout, o.Lifetime, o.SecureCookies)
}
