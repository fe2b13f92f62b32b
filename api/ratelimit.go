package api

import (
	"net/netip"
	"strings"
	"sync"
	"time"
)

// LoginLimits bound failed sign-ins: at most PerAccount failures for one
// account and PerAddress from one client address within Window. Past
// either, sign-ins are refused until the oldest failure is Window old.
type LoginLimits struct {
	PerAccount int
	PerAddress int
	Window     time.Duration
	// MaxKeys bounds the accounts and addresses tracked, so that a flood
	// of made-up emails cannot exhaust memory; past it, expired counters
	// and then arbitrary ones are forgotten.
	MaxKeys int
}

// DefaultLoginLimits are 5 failures per account and 20 per address in 15
// minutes, tracking up to 100,000 accounts and addresses.
func DefaultLoginLimits() LoginLimits {
	return LoginLimits{PerAccount: 5, PerAddress: 20, Window: 15 * time.Minute, MaxKeys: 100_000}
}

// LoginLimiter counts failed sign-ins in memory, per account and per
// client address. It is safe for concurrent use. One process keeps its own
// counts: several app instances each allow the limits.
type LoginLimiter struct {
	limits LoginLimits
	now    func() time.Time
	mu     sync.Mutex
	fails  map[string][]time.Time // oldest first
}

// NewLoginLimiter returns a limiter with the given limits; zero fields
// take DefaultLoginLimits' values.
func NewLoginLimiter(l LoginLimits) *LoginLimiter {
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
	return &LoginLimiter{limits: l, now: time.Now, fails: make(map[string][]time.Time)}
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
func (l *LoginLimiter) Allow(account, address string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, c := range []struct {
		key   string
		limit int
	}{{accountKey(account), l.limits.PerAccount}, {addressKey(address), l.limits.PerAddress}} {
		list := l.recent(c.key, now)
		if len(list) >= c.limit {
			wait = max(wait, list[len(list)-c.limit].Add(l.limits.Window).Sub(now))
		}
	}
	return wait == 0, wait
}

// Fail counts a failed sign-in to account from address. Count every
// failure, for an unknown account too, so that guessing emails is limited
// like guessing passwords.
func (l *LoginLimiter) Fail(account, address string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, key := range []string{accountKey(account), addressKey(address)} {
		list := l.recent(key, now)
		if len(list) == 0 && len(l.fails) >= l.limits.MaxKeys {
			l.makeRoom(now)
		}
		l.fails[key] = append(list, now)
	}
}

// Succeed clears the failures of an account after a successful sign-in.
// Its address keeps its count: one address guessing at many accounts
// stays limited.
func (l *LoginLimiter) Succeed(account string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, accountKey(account))
}

// recent returns the failures of key within the window, dropping older
// ones. The caller holds mu.
func (l *LoginLimiter) recent(key string, now time.Time) []time.Time {
	list := l.fails[key]
	i := 0
	for i < len(list) && !list[i].After(now.Add(-l.limits.Window)) {
		i++
	}
	if i == len(list) {
		delete(l.fails, key)
		return nil
	}
	list = list[i:]
	l.fails[key] = list
	return list
}

// makeRoom frees a tenth of MaxKeys for new counters: it drops every
// expired counter and then, if need be, arbitrary ones. Doing a tenth at a
// time keeps a flood of new keys from scanning the map on every failure.
// The caller holds mu.
func (l *LoginLimiter) makeRoom(now time.Time) {
	for key := range l.fails {
		l.recent(key, now)
	}
	target := l.limits.MaxKeys - max(1, l.limits.MaxKeys/10)
	for key := range l.fails {
		if len(l.fails) <= target {
			break
		}
		delete(l.fails, key)
	}
}
