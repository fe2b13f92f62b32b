package account

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/heard-council/heard/analytics"
)

func TestPasswordRoundTrip(t *testing.T) {
	tests := []struct {
		name, password, other string
	}{
		{"ascii passphrase", "correct horse battery staple", "correct horse battery stapl"},
		{"exactly twelve", "abcdefghijkl", "abcdefghijkL"},
		{"accents composed or not", "caf\u00e9 au lait, s'il vous pla\u00eet", "cafe au lait, s'il vous plait"},
		{"longest", strings.Repeat("x", MaxPasswordBytes), strings.Repeat("x", MaxPasswordBytes-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash, err := HashPassword(tt.password)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, tt.password) {
				t.Fatalf("hash %q", hash)
			}
			if ok, err := CheckPassword(tt.password, hash); !ok || err != nil {
				t.Errorf("the right password fails: %v, %v", ok, err)
			}
			if ok, err := CheckPassword(tt.other, hash); ok || err != nil {
				t.Errorf("a wrong password passes: %v, %v", ok, err)
			}
			if PasswordNeedsRehash(hash) {
				t.Error("a new hash needs rehashing")
			}
		})
	}
	// The same password twice gets two salts.
	a, _ := HashPassword("correct horse battery staple")
	b, _ := HashPassword("correct horse battery staple")
	if a == b {
		t.Error("two hashes of one password are equal: no salt")
	}
	// NFKC: the decomposed e + combining acute matches the composed é.
	h, _ := HashPassword("caf\u00e9 au lait please")
	if ok, _ := CheckPassword("cafe\u0301 au lait please", h); !ok {
		t.Error("a decomposed accent does not match the composed one")
	}
}

func TestPasswordRules(t *testing.T) {
	tests := []struct {
		name, password string
		ok             bool
	}{
		{"empty", "", false},
		{"eleven", "abcdefghijk", false},
		{"eleven with accents is eleven characters", "ééééééééééé", false},
		{"twelve accented characters", "éééééééééééé", true},
		{"no composition rules", "aaaaaaaaaaaa", true},
		{"too long", strings.Repeat("x", MaxPasswordBytes+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPasswordRules(tt.password)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckPasswordRules = %v, want ok %v", err, tt.ok)
			}
			if _, herr := HashPassword(tt.password); (herr == nil) != tt.ok {
				t.Fatalf("HashPassword error %v, want ok %v", herr, tt.ok)
			}
			var ue *analytics.ParamError
			if err != nil && !errors.As(err, &ue) {
				t.Errorf("error %T is not a *analytics.ParamError", err)
			}
		})
	}
}

func TestCheckPasswordOddHashes(t *testing.T) {
	if ok, err := CheckPassword("anything at all", ""); ok || err != nil {
		t.Errorf("an unknown account passes: %v, %v", ok, err)
	}
	for _, bad := range []string{
		"plain text", "$2a$10$bcrypt.hash.here",
		"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",                                                // salt and key too short
		"$argon2id$v=19$m=4194304,t=3,p=4$" + strings.Repeat("A", 22) + "$" + strings.Repeat("A", 43), // 4 GiB
		"$argon2i$v=19$m=65536,t=3,p=4$" + strings.Repeat("A", 22) + "$" + strings.Repeat("A", 43),
	} {
		if ok, err := CheckPassword("anything at all", bad); ok || err == nil {
			t.Errorf("CheckPassword against %q = %v, %v; want an error", bad, ok, err)
		}
		if !PasswordNeedsRehash(bad) {
			t.Errorf("%q does not need rehashing", bad)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := make(map[string]bool)
	for range 50 {
		p := GeneratePassword()
		if len(p) != 29 || strings.Count(p, "-") != 5 || strings.ToLower(p) != p || CheckPasswordRules(p) != nil || seen[p] {
			t.Fatalf("generated %q", p)
		}
		seen[p] = true
	}
}

// TestOldParametersStillSignIn: a hash made with RFC 9106's second
// option, which heard used before, still checks and is marked for
// replacing, while the dummy hash is made with today's parameters so that
// an unknown email takes as long as a known one.
func TestOldParametersStillSignIn(t *testing.T) {
	salt := []byte("sixteen byte sal")
	key := argon2.IDKey([]byte("correct horse battery staple"), salt, 3, 64*1024, 4, 32)
	old := fmt.Sprintf("$argon2id$v=19$m=65536,t=3,p=4$%s$%s",
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
	if ok, err := CheckPassword("correct horse battery staple", old); !ok || err != nil {
		t.Fatalf("the right password against an old hash: %v, %v", ok, err)
	}
	if ok, _ := CheckPassword("correct horse battery stapler", old); ok {
		t.Fatal("a wrong password passes an old hash")
	}
	if !PasswordNeedsRehash(old) {
		t.Error("an old hash does not need rehashing")
	}
	if PasswordNeedsRehash(dummyHash) {
		t.Error("the dummy hash is not made with today's parameters")
	}
}
