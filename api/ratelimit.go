package api

import (
	"context"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/heard-council/heard/analytics/store"
)

// LoginLimits bound failed sign-ins: at most PerAccount failures for one
// account and PerAddress from one client address within Window. Past
// either, sign-ins are refused until the oldest failure is Window old.
type LoginLimits struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
	// MaxKeys bounds the accounts and addresses tracked, so that a flood
	// of made-up emails cannot grow the database without bound; past it,
	// the counters least recently failed are forgotten. Expired ones go
	// as failures are written.
	MaxKeys int
}

// DefaultLoginLimits are 5 failures per account and 20 per address in 15
// minutes, tracking up to 100,000 accounts and addresses.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute, MaxKeys: 100_000}
}

// LoginLimiter counts failed sign-ins per account and per client address
// in the database (store.RecordSignInFailure), so that every heard process
// on one database shares the counts: two instances behind a load balancer
// allow the limits once between them, not once each. It is safe for
// concurrent use.
type LoginLimiter struct {
	store  *store.Store
	limits LoginLimits
	now    func() time.Time
	// sinceTrim counts the failures this process has written since it
	// last checked the number of counters against MaxKeys.
	sinceTrim atomic.Int64
}

// NewLoginLimiter returns a limiter over st with the given limits; zero
// fields take DefaultLoginLimits' values.
func NewLoginLimiter(st *store.Store, l LoginLimits) *LoginLimiter {
	d := DefaultLoginLimits()
	if l.PerAccount <= 0 {
		l.PerAccount = d.PerAccount
	}
	if l.PerAddress <= 0 {
		l.PerAddress = d.PerAddress
	}
	if l.Window <= 0 {
		l.Window = d.Window
	}
	if l.MaxKeys <= 0 {
		l.MaxKeys = d.MaxKeys
	}
	lim := &LoginLimiter{store: st, limits: l, now: time.Now}
	// The first failure of a process checks the bound: the counters
	// other processes left may be near it.
	lim.sinceTrim.Store(lim.trimEvery())
	return lim
}

// accountKey and addressKey name the counters of an account (its email,
// case ignored) and of a client address (an IPv6 address by its /64, which
// one client usually holds whole).
func accountKey(account string) string {
	return "account " + strings.ToLower(strings.TrimSpace(account))
}

func addressKey(address string) string {
	ip, err := netip.ParseAddr(strings.TrimSpace(address))
	if err != nil {
		if ap, err2 := netip.ParseAddrPort(strings.TrimSpace(address)); err2 == nil {
			ip, err = ap.Addr(), nil
		}
	}
	if err != nil {
		return "address " + address
	}
	ip = ip.Unmap()
	if ip.Is6() {
		if p, err := ip.Prefix(64); err == nil {
			return "address " + p.String()
		}
	}
	return "address " + ip.String()
}

// Allow reports whether a sign-in to account from address may be tried
// now, and when refused, how long until it may.
func (l *LoginLimiter) Allow(ctx context.Context, account, address string) (bool, time.Duration, error) {
	now := l.now()
	var wait time.Duration
	for _, c := range []struct {
		key   string
		limit int
	}{{accountKey(account), l.limits.PerAccount}, {addressKey(address), l.limits.PerAddress}} {
		list, err := l.store.SignInFailures(ctx, c.key, now.Add(-l.limits.Window))
		if err != nil {
			return false, 0, err
		}
		if len(list) >= c.limit {
			wait = max(wait, list[len(list)-c.limit].Add(l.limits.Window).Sub(now))
		}
	}
	return wait == 0, wait, nil
}

// Fail counts a failed sign-in to account from address. Count every
// failure, for an unknown account too, so that guessing emails is limited
// like guessing passwords.
func (l *LoginLimiter) Fail(ctx context.Context, account, address string) error {
	now := l.now()
	if err := l.store.RecordSignInFailure(ctx, []string{accountKey(account), addressKey(address)}, now,
		now.Add(-l.limits.Window)); err != nil {
		return err
	}
	// Each failure adds at most two counters: checking every MaxKeys/20
	// failures and trimming to nine tenths of MaxKeys keeps this process
	// within MaxKeys without counting them on every failure.
	if l.sinceTrim.Add(1) >= l.trimEvery() {
		l.sinceTrim.Store(0)
		n, err := l.store.SignInFailureSubjects(ctx)
		if err != nil {
			return err
		}
		if target := l.limits.MaxKeys - max(1, l.limits.MaxKeys/10); n > target {
			return l.store.TrimSignInFailures(ctx, target)
		}
	}
	return nil
}

// trimEvery is how many failures pass between checks of MaxKeys.
func (l *LoginLimiter) trimEvery() int64 {
	return int64(max(1, l.limits.MaxKeys/20))
}

// Succeed clears the failures of an account after a successful sign-in.
// Its address keeps its count: one address guessing at many accounts
// stays limited.
func (l *LoginLimiter) Succeed(ctx context.Context, account string) error {
	return l.store.ClearSignInFailures(ctx, accountKey(account), l.now())
}
