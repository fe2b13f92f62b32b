package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"

	"github.com/heard-council/heard/analytics"
)

// Password rules, after NIST SP 800-63B: a minimum length and no
// composition rules, and long passphrases welcome.
const (
	// MinPasswordLength is the fewest characters a password may have.
	MinPasswordLength = 12
	// MaxPasswordBytes is the most bytes a password may have, which bounds
	// the work of hashing one.
	MaxPasswordBytes = 256
)

// Argon2id parameters: the minimum configuration of the OWASP Password
// Storage Cheat Sheet (19 MiB of memory, 2 passes, 1 lane), which it rates
// as strong as its 46 MiB, 1-pass one; about 30 ms of one core here, and
// under 120 ms when the memory must first be fetched from the system (it
// is, now and then: the Go runtime gives idle memory back). RFC 9106's
// second option (64 MiB, 3 passes, 4 lanes), used before, took about
// 100 ms of both of a small server's cores, and 250 ms with fresh memory,
// so that a sign-in during an import waited over 200 ms; hashes made with
// it still check, and are replaced at the account's next sign-in. The
// sign-in handler bounds how many hashes run at once.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// dummyHash is checked against when an account does not exist, so that a
// wrong email takes as long to refuse as a wrong password. It is the hash
// of a password nobody knows.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$iemPEcMaMYeQ2L6DeiFdeQ$svOdlqwbipbXICJT6elq/z1k77I3bjzGIr92HTXKBr4"

// CheckPasswordRules says what is wrong with a new password, or returns
// nil. The error is an *analytics.ParamError.
func CheckPasswordRules(password string) error {
	p := norm.NFKC.String(password)
	switch {
	case utf8.RuneCountInString(p) < MinPasswordLength:
		return &analytics.ParamError{Param: "password", Msg: fmt.Sprintf("the password is too short: use at least %d characters (a few words together make a good one)", MinPasswordLength)}
	case len(p) > MaxPasswordBytes:
		return &analytics.ParamError{Param: "password", Msg: fmt.Sprintf("the password is too long: use at most %d bytes", MaxPasswordBytes)}
	case !utf8.ValidString(p):
		return &analytics.ParamError{Param: "password", Msg: "the password is not valid text (UTF-8)"}
	}
	return nil
}

// HashPassword checks a new password against the rules and returns its
// Argon2id hash in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash). The password is normalised
// (Unicode NFKC) first, so that it matches however a keyboard composes its
// accents.
func HashPassword(password string) (string, error) {
	if err := CheckPasswordRules(password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(norm.NFKC.String(password)), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// argonHash is a decoded PHC string.
type argonHash struct {
	memory, time uint32
	threads      uint8
	salt, key    []byte
}

// parseArgonHash decodes a hash written by HashPassword, refusing
// parameters that would make checking it unreasonably costly.
func parseArgonHash(encoded string) (argonHash, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return argonHash{}, errors.New("not an Argon2id hash")
	}
	var h argonHash
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.time, &h.threads); err != nil {
		return argonHash{}, fmt.Errorf("Argon2id parameters %q: %w", parts[3], err)
	}
	if h.memory < 8 || h.memory > 1<<20 || h.time < 1 || h.time > 20 || h.threads < 1 {
		return argonHash{}, fmt.Errorf("Argon2id parameters %q out of range", parts[3])
	}
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return argonHash{}, errors.New("Argon2id salt is malformed")
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return argonHash{}, errors.New("Argon2id hash is malformed")
	}
	return h, nil
}

// CheckPassword reports whether password matches the hash encoded. Give
// an empty hash for an account that does not exist: the check then takes
// as long as a real one and fails, so that timing does not tell which
// emails have accounts. An error means the stored hash is damaged.
func CheckPassword(password, encoded string) (bool, error) {
	known := encoded != ""
	if !known {
		encoded = dummyHash
	}
	h, err := parseArgonHash(encoded)
	if err != nil {
		return false, fmt.Errorf("check password: %w", err)
	}
	if len(password) > MaxPasswordBytes*4 {
		return false, nil // never hash an unbounded input; NFKC can grow text a little, not 4 times
	}
	key := argon2.IDKey([]byte(norm.NFKC.String(password)), h.salt, h.time, h.memory, h.threads, uint32(len(h.key)))
	return known && subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// PasswordNeedsRehash reports whether a stored hash was made with other
// parameters than HashPassword uses now, so that it can be replaced after
// the next successful sign-in.
func PasswordNeedsRehash(encoded string) bool {
	h, err := parseArgonHash(encoded)
	return err != nil || h.memory != argonMemory || h.time != argonTime || h.threads != argonThreads ||
		len(h.key) != argonKeyLen || len(h.salt) != argonSaltLen
}

// GeneratePassword returns a new random password of six groups of four
// lower-case letters and digits, such as "k3xq-7mbd-...": 120 random bits,
// easy to read out and type.
func GeneratePassword() string {
	text := strings.ToLower(rand.Text())[:24] // rand.Text gives 26 base32 characters
	groups := make([]string, 0, 6)
	for i := 0; i < len(text); i += 4 {
		groups = append(groups, text[i:i+4])
	}
	return strings.Join(groups, "-")
}
