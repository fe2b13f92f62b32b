package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
	"github.com/heard-council/heard/api/account"
)

// testAccount is an account made for a test, with an API token.
type testAccount struct {
	user  analytics.User
	token string
}

// createAccount makes an account with role and an API token for it. Its
// password hash is no hash at all, so nobody can sign in with a password:
// tests that sign in through the form use createSignIn.
func createAccount(t testing.TB, st *store.Store, email string, role analytics.UserRole) testAccount {
	t.Helper()
	ctx := context.Background()
	by := analytics.CommandLine("test")
	u, err := st.CreateUser(ctx, analytics.User{Email: email, Role: role}, "!", by)
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	_, secret, err := st.CreateToken(ctx, u.ID, "test", by)
	if err != nil {
		t.Fatalf("create a token for %s: %v", email, err)
	}
	return testAccount{user: u, token: secret}
}

// createSignIn makes an account with role and a real password.
func createSignIn(t testing.TB, st *store.Store, email, password string, role analytics.UserRole) analytics.User {
	t.Helper()
	hash, err := account.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(context.Background(), analytics.User{Email: email, Role: role}, hash, analytics.CommandLine("test"))
	if err != nil {
		t.Fatalf("create %s: %v", email, err)
	}
	return u
}

// withToken sends every request that carries no credentials of its own
// with an API token, so that tests of the pages need not sign in.
type withToken struct {
	h     http.Handler
	token string
}

func (w withToken) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" && len(r.Cookies()) == 0 {
		r.Header.Set("Authorization", "Bearer "+w.token)
	}
	w.h.ServeHTTP(rw, r)
}

// doReq serves one request and returns the response.
func doReq(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
