package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heard-council/heard/analytics"
	"github.com/heard-council/heard/analytics/store"
)

// limiterClock is a settable time for the limiter.
type limiterClock struct{ t time.Time }

func (c *limiterClock) now() time.Time { return c.t }

func newTestLimiter(t testing.TB, l LoginLimits) (*LoginLimiter, *limiterClock) {
	t.Helper()
	st, _ := newStore(t)
	return newTestLimiterOn(st, l)
}

// newTestLimiterOn is a limiter over st with a settable clock.
func newTestLimiterOn(st *store.Store, l LoginLimits) (*LoginLimiter, *limiterClock) {
	c := &limiterClock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
	lim := NewLoginLimiter(st, l)
	lim.now = c.now
	return lim, c
}

// allow is Allow, failing the test on an error.
func allow(t testing.TB, lim *LoginLimiter, account, address string) (bool, time.Duration) {
	t.Helper()
	ok, wait, err := lim.Allow(context.Background(), account, address)
	if err != nil {
		t.Fatal(err)
	}
	return ok, wait
}

func fail(t testing.TB, lim *LoginLimiter, account, address string) {
	t.Helper()
	if err := lim.Fail(context.Background(), account, address); err != nil {
		t.Fatal(err)
	}
}

func succeed(t testing.TB, lim *LoginLimiter, account string) {
	t.Helper()
	if err := lim.Succeed(context.Background(), account); err != nil {
		t.Fatal(err)
	}
}

func TestLoginLimiterPerAccount(t *testing.T) {
	lim, c := newTestLimiter(t, LoginLimits{})
	for i := range 5 {
		if ok, _ := allow(t, lim, "Ann@Council.gov.uk", fmt.Sprintf("192.0.2.%d", i)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		fail(t, lim, "ann@council.gov.uk ", fmt.Sprintf("192.0.2.%d", i))
		c.t = c.t.Add(time.Minute)
	}
	// Five failures from five addresses lock the account, from anywhere.
	ok, wait := allow(t, lim, "ann@council.gov.uk", "198.51.100.1")
	if ok || wait != 10*time.Minute {
		t.Fatalf("sixth attempt: allowed %v, wait %v; want refused for 10 minutes (until the first failure is 15 minutes old)", ok, wait)
	}
	if ok, _ := allow(t, lim, "bob@council.gov.uk", "192.0.2.0"); !ok {
		t.Error("another account is locked too")
	}
	c.t = c.t.Add(wait)
	if ok, _ := allow(t, lim, "ann@council.gov.uk", "198.51.100.1"); !ok {
		t.Error("still refused when the oldest failure is 15 minutes old")
	}
	fail(t, lim, "ann@council.gov.uk", "198.51.100.1")
	if ok, _ := allow(t, lim, "ann@council.gov.uk", "198.51.100.1"); ok {
		t.Error("allowed with five failures in the window")
	}
	succeed(t, lim, "ANN@council.gov.uk")
	if ok, _ := allow(t, lim, "ann@council.gov.uk", "198.51.100.1"); !ok {
		t.Error("a successful sign-in did not clear the account's failures")
	}
	// Failures after the success count from zero again, even within the
	// same millisecond.
	for range 4 {
		fail(t, lim, "ann@council.gov.uk", "198.51.100.1")
	}
	if ok, _ := allow(t, lim, "ann@council.gov.uk", "198.51.100.1"); !ok {
		t.Error("refused after 4 failures since a success")
	}
	fail(t, lim, "ann@council.gov.uk", "198.51.100.1")
	if ok, _ := allow(t, lim, "ann@council.gov.uk", "198.51.100.1"); ok {
		t.Error("allowed after 5 failures since a success")
	}
}

func TestLoginLimiterPerAddress(t *testing.T) {
	tests := []struct {
		name      string
		addresses [2]string // where the failures come from, where the next try comes from
		limited   bool
	}{
		{"same IPv4 address", [2]string{"192.0.2.1", "192.0.2.1"}, true},
		{"IPv4 with a port", [2]string{"192.0.2.1:5555", "192.0.2.1:6666"}, true},
		{"IPv4 mapped in IPv6", [2]string{"::ffff:192.0.2.1", "192.0.2.1"}, true},
		{"same IPv6 /64", [2]string{"2001:db8:1:2::1", "2001:db8:1:2:ffff::9"}, true},
		{"other IPv6 /64", [2]string{"2001:db8:1:2::1", "2001:db8:1:3::1"}, false},
		{"other IPv4 address", [2]string{"192.0.2.1", "192.0.2.2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim, _ := newTestLimiter(t, LoginLimits{PerAddress: 20})
			for i := range 20 {
				fail(t, lim, fmt.Sprintf("user%d@council.gov.uk", i), tt.addresses[0])
			}
			ok, _ := allow(t, lim, "new@council.gov.uk", tt.addresses[1])
			if ok == tt.limited {
				t.Errorf("allowed %v after 20 failures from %s, want limited %v", ok, tt.addresses[0], tt.limited)
			}
			// A success does not clear the address.
			succeed(t, lim, "user1@council.gov.uk")
			if ok, _ := allow(t, lim, "user1@council.gov.uk", tt.addresses[1]); ok == tt.limited {
				t.Errorf("after a success: allowed %v", ok)
			}
		})
	}
}

// TestLoginLimiterStorageIsBounded: a flood of made-up accounts keeps at
// most MaxKeys counters in the database, and counters past their window
// are deleted as failures are written.
func TestLoginLimiterStorageIsBounded(t *testing.T) {
	lim, c := newTestLimiter(t, LoginLimits{MaxKeys: 1000})
	counters := func() int {
		t.Helper()
		n, err := lim.store.SignInFailureSubjects(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for i := range 2000 { // 4,000 counters made, four times the bound
		fail(t, lim, fmt.Sprintf("made-up-%d@example.org", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		c.t = c.t.Add(time.Millisecond)
		if i%250 == 0 {
			if n := counters(); n > 1000 {
				t.Fatalf("%d counters kept after %d failures, want at most 1000", n, i+1)
			}
		}
	}
	if n := counters(); n > 1000 || n < 500 {
		t.Fatalf("%d counters kept, want at most 1000 (and the recent ones kept)", n)
	}
	// The most recent failures are the ones kept: 10.0.7.207 is the last
	// address (1999 = 7*256+207).
	if list, err := lim.store.SignInFailures(context.Background(), addressKey("10.0.7.207"), c.t.Add(-time.Hour)); err != nil || len(list) != 1 {
		t.Errorf("the newest counter: %v %v, want one failure", list, err)
	}
	c.t = c.t.Add(time.Hour)
	fail(t, lim, "x@example.org", "10.1.0.1")
	if n := counters(); n != 2 {
		t.Errorf("%d counters after an hour, want 2", n)
	}
}

// TestLoginLimiterSharedByInstances: two limiters over two stores opened
// on one database (two heard processes) count the same failures, so two
// instances allow the limit once between them.
func TestLoginLimiterSharedByInstances(t *testing.T) {
	st, path := newStore(t)
	other := openSameDatabase(t, path)
	a, ca := newTestLimiterOn(st, LoginLimits{PerAccount: 5})
	b, cb := newTestLimiterOn(other, LoginLimits{PerAccount: 5})
	for i := range 5 {
		lim := []*LoginLimiter{a, b}[i%2]
		if ok, _ := allow(t, lim, "ann@council.gov.uk", "192.0.2.1"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		fail(t, lim, "ann@council.gov.uk", "192.0.2.1")
		ca.t, cb.t = ca.t.Add(time.Second), cb.t.Add(time.Second)
	}
	for name, lim := range map[string]*LoginLimiter{"A": a, "B": b} {
		if ok, _ := allow(t, lim, "ann@council.gov.uk", "192.0.2.1"); ok {
			t.Errorf("instance %s allows a sixth attempt after 5 failures spread over both", name)
		}
	}
	succeed(t, b, "ann@council.gov.uk")
	if ok, _ := allow(t, a, "ann@council.gov.uk", "192.0.2.1"); !ok {
		t.Error("a success on instance B did not clear the failures for instance A")
	}
}

// TestLoginLimitBehindAProxy: behind a trusted proxy, failed sign-ins
// count against the client its X-Forwarded-For names, so one client's
// guesses do not lock out everyone else's sign-ins through the proxy;
// the header of a request from anywhere else is ignored.
func TestLoginLimitBehindAProxy(t *testing.T) {
	st, _ := newStore(t)
	createSignIn(t, st, "ann@example.org", testPassword, analytics.RoleAnalyst)
	srv, err := NewServerWith(st, slog.New(slog.NewTextHandler(io.Discard, nil)),
		ServerOptions{UploadDir: t.TempDir(), TrustedProxies: []string{"10.0.0.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	srv.limiter = NewLoginLimiter(st, LoginLimits{PerAccount: 100, PerAddress: 3})
	h := srv.Handler()
	signIn := func(from, forwarded, email, password string) int {
		form := url.Values{"email": {email}, "password": {password}}
		req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = from + ":40000"
		if forwarded != "" {
			req.Header.Set("X-Forwarded-For", forwarded)
		}
		return doReq(h, req).Code
	}
	for i := range 3 {
		if code := signIn("10.0.0.5", "198.51.100.7", fmt.Sprintf("guess%d@example.org", i), "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, code)
		}
	}
	if code := signIn("10.0.0.5", "198.51.100.7", "ann@example.org", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("the guessing client, through the proxy: %d, want 429", code)
	}
	if code := signIn("10.0.0.5", "203.0.113.9", "ann@example.org", testPassword); code != http.StatusSeeOther {
		t.Errorf("another client through the same proxy: %d, want 303 (signed in)", code)
	}
	// Not from a trusted proxy: the header is the client's own word.
	for i := range 3 {
		signIn("192.0.2.50", fmt.Sprintf("198.51.100.%d", 100+i), fmt.Sprintf("guess%d@example.org", i), "wrong")
	}
	if code := signIn("192.0.2.50", "198.51.100.200", "ann@example.org", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("a client naming a new address in X-Forwarded-For each time: %d, want 429", code)
	}
	if _, err := NewServerWith(st, slog.New(slog.NewTextHandler(io.Discard, nil)),
		ServerOptions{UploadDir: t.TempDir(), TrustedProxies: []string{"proxy.example"}}); err == nil {
		t.Error("a trusted proxy given by name was accepted")
	}
}
