package account

import (
	"context"
	"fmt"
	"strings"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// DefaultAdminEmail is the sign-in name of the admin account heard creates
// on its first start, unless HEARD_ADMIN_EMAIL names another.
const DefaultAdminEmail = "admin@localhost"

// BootstrapResult says whether Bootstrap created the first admin account.
type BootstrapResult struct {
	Created bool
	Email   string
	// Password is the new account's password when heard generated it, to
	// be shown once; empty when it came from HEARD_ADMIN_PASSWORD.
	Password string
}

// Message is what to print on the console after Bootstrap: the generated
// password once, or nothing when no account was created.
func (r BootstrapResult) Message() string {
	switch {
	case !r.Created:
		return ""
	case r.Password == "":
		return fmt.Sprintf("heard: created the admin account %s with the password in HEARD_ADMIN_PASSWORD.\n", r.Email)
	}
	return fmt.Sprintf("heard: created the admin account %s with the password\n\n    %s\n\n"+
		"This is the only time it is shown. Sign in and keep it somewhere safe, or set a new one with\n"+
		"`heard user password --email %s --password-stdin`.\n", r.Email, r.Password, r.Email)
}

// Bootstrap creates the admin account on a database without accounts: its
// email is HEARD_ADMIN_EMAIL (default admin@localhost) and its password
// HEARD_ADMIN_PASSWORD, or a random one returned in the result to be
// printed once. With accounts present it does nothing. Several processes
// starting at once create one account between them.
func Bootstrap(ctx context.Context, st *store.Store, getenv func(string) string) (BootstrapResult, error) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return BootstrapResult{}, err
	}
	email := strings.TrimSpace(getenv("HEARD_ADMIN_EMAIL"))
	if email == "" {
		email = DefaultAdminEmail
	}
	password, generated := getenv("HEARD_ADMIN_PASSWORD"), false
	if password == "" {
		password, generated = GeneratePassword(), true
	}
	hash, err := HashPassword(password)
	if err != nil {
		return BootstrapResult{}, fmt.Errorf("HEARD_ADMIN_PASSWORD: %w", err)
	}
	by := analytics.Actor{Who: "first start", From: analytics.CommandLineSource}
	u, created, err := st.CreateFirstAdmin(ctx, analytics.User{Email: email, Name: "admin"}, hash, by)
	if err != nil || !created {
		return BootstrapResult{}, err
	}
	res := BootstrapResult{Created: true, Email: u.Email}
	if generated {
		res.Password = password
	}
	return res, nil
}
