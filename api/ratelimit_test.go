package api

import (
	"fmt"
	"testing"
	"time"
)

// limiterClock is a settable time for the limiter.
type limiterClock struct{ t time.Time }

func (c *limiterClock) now() time.Time { return c.t }

func newTestLimiter(l LoginLimits) (*LoginLimiter, *limiterClock) {
	c := &limiterClock{t: time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)}
	lim := NewLoginLimiter(l)
	lim.now = c.now
	return lim, c
}

func TestLoginLimiterPerAccount(t *testing.T) {
	lim, c := newTestLimiter(LoginLimits{})
	for i := range 5 {
		if ok, _ := lim.Allow("Ann@Council.gov.uk", fmt.Sprintf("192.0.2.%d", i)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
		lim.Fail("ann@council.gov.uk ", fmt.Sprintf("192.0.2.%d", i))
		c.t = c.t.Add(time.Minute)
	}
	// Five failures from five addresses lock the account, from anywhere.
	ok, wait := lim.Allow("ann@council.gov.uk", "198.51.100.1")
	if ok || wait != 10*time.Minute {
		t.Fatalf("sixth attempt: allowed %v, wait %v; want refused for 10 minutes (until the first failure is 15 minutes old)", ok, wait)
	}
	if ok, _ := lim.Allow("bob@council.gov.uk", "192.0.2.0"); !ok {
		t.Error("another account is locked too")
	}
	c.t = c.t.Add(wait)
	if ok, _ := lim.Allow("ann@council.gov.uk", "198.51.100.1"); !ok {
		t.Error("still refused when the oldest failure is 15 minutes old")
	}
	lim.Fail("ann@council.gov.uk", "198.51.100.1")
	if ok, _ := lim.Allow("ann@council.gov.uk", "198.51.100.1"); ok {
		t.Error("allowed with five failures in the window")
	}
	lim.Succeed("ANN@council.gov.uk")
	if ok, _ := lim.Allow("ann@council.gov.uk", "198.51.100.1"); !ok {
		t.Error("a successful sign-in did not clear the account's failures")
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
			lim, _ := newTestLimiter(LoginLimits{PerAddress: 20})
			for i := range 20 {
				lim.Fail(fmt.Sprintf("user%d@council.gov.uk", i), tt.addresses[0])
			}
			ok, _ := lim.Allow("new@council.gov.uk", tt.addresses[1])
			if ok == tt.limited {
				t.Errorf("allowed %v after 20 failures from %s, want limited %v", ok, tt.addresses[0], tt.limited)
			}
			// A success does not clear the address.
			lim.Succeed("user1@council.gov.uk")
			if ok, _ := lim.Allow("user1@council.gov.uk", tt.addresses[1]); ok == tt.limited {
				t.Errorf("after a success: allowed %v", ok)
			}
		})
	}
}

func TestLoginLimiterMemoryIsBounded(t *testing.T) {
	lim, c := newTestLimiter(LoginLimits{MaxKeys: 1000})
	for i := range 10_000 {
		lim.Fail(fmt.Sprintf("made-up-%d@example.org", i), fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		c.t = c.t.Add(time.Millisecond)
	}
	if n := len(lim.fails); n > 1000 {
		t.Fatalf("%d counters kept, want at most 1000", n)
	}
	// Counters past their window are dropped as they are looked at.
	c.t = c.t.Add(time.Hour)
	lim.Fail("x@example.org", "10.1.0.1")
	lim.makeRoom(c.t)
	if n := len(lim.fails); n != 2 {
		t.Errorf("%d counters after an hour, want 2", n)
	}
}
