package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// TokenPrefix starts every API token's secret, so that a token pasted
// somewhere it should not be is easy to recognise (and to search for).
const TokenPrefix = "heard_"

// tokenBytes is the number of random bytes in a token's secret.
const tokenBytes = 32

// shownPrefix is how many characters of a secret a token list shows.
const shownPrefix = len(TokenPrefix) + 6

// tokenTouchEvery is how often a token's last use is written down at most,
// so that a busy script does not write to the database on every request.
const tokenTouchEvery = 5 * time.Minute

// tokenRow is a row of tokens.
type tokenRow struct {
	ID        int64  `gorm:"column:id;primaryKey"`
	UserID    int64  `gorm:"column:user_id"`
	Name      string `gorm:"column:name"`
	Hash      string `gorm:"column:hash"`
	Prefix    string `gorm:"column:prefix"`
	CreatedAt string `gorm:"column:created_at"`
	CreatedBy string `gorm:"column:created_by"`
	LastUsed  string `gorm:"column:last_used"`
	RevokedAt string `gorm:"column:revoked_at"`
}

// TableName tells gorm the table.
func (tokenRow) TableName() string { return "tokens" }

func (r tokenRow) token(email string) analytics.Token {
	return analytics.Token{ID: r.ID, UserID: r.UserID, Email: email, Name: r.Name, Prefix: r.Prefix,
		CreatedAt: parseTime(r.CreatedAt), CreatedBy: r.CreatedBy, LastUsed: parseTime(r.LastUsed), RevokedAt: parseTime(r.RevokedAt)}
}

// hashToken is the stored form of a token's secret. A secret has 256
// random bits, so one round of SHA-256 is enough: it cannot be guessed,
// only stolen, and the hash keeps a copy of the database from being used.
func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken creates an API token that acts as account userID and
// records it in the audit log. It returns the token and its secret, which
// is shown to the person once and never again. A name too long, or a
// disabled account, gives an *analytics.ParamError each front end words.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, by analytics.Actor) (analytics.Token, string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return analytics.Token{}, "", fmt.Errorf("create token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	name = strings.Join(strings.Fields(name), " ")
	if len(name) > 200 {
		return analytics.Token{}, "", &analytics.ParamError{Param: "name",
			Msg: "the token's name is longer than 200 characters: say what it is for in fewer words"}
	}
	var tok analytics.Token
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		user, err := findUser(ctx, tx, "id = ?", userID)
		if err != nil {
			return err
		}
		if user.Disabled {
			return &analytics.ParamError{Msg: fmt.Sprintf("the account %s is disabled: enable it before giving it a token", user.Email)}
		}
		row := tokenRow{UserID: userID, Name: name, Hash: hashToken(secret), Prefix: secret[:shownPrefix],
			CreatedAt: formatTime(tx.NowFunc()), CreatedBy: by.Who}
		if err := gorm.G[tokenRow](tx).Create(ctx, &row); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		tok = row.token(user.Email)
		e := analytics.NewAuditEvent(by, analytics.AuditTokenCreate, tokenObject(row.ID, row.Prefix), analytics.OutcomeOK,
			"for "+userObject(user))
		return writeAudit(ctx, tx, e)
	})
	if err != nil {
		return analytics.Token{}, "", err
	}
	return tok, secret, nil
}

// tokenObject names a token in the audit log.
func tokenObject(id int64, prefix string) string { return fmt.Sprintf("token %d %s…", id, prefix) }

// ResolveToken returns the account a presented token secret acts as, and
// the token. An unknown or revoked token, or one whose account is
// disabled, gives an error wrapping ErrNotFound. It notes the token's use
// at most every few minutes, and never waits for the database writer to
// do so.
func (s *Store) ResolveToken(ctx context.Context, secret string) (analytics.User, analytics.Token, error) {
	secret = strings.TrimSpace(secret)
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return analytics.User{}, analytics.Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	rows, err := gorm.G[tokenRow](s.db).Where("hash = ? AND revoked_at = ''", hashToken(secret)).Limit(1).Find(ctx)
	if err != nil {
		return analytics.User{}, analytics.Token{}, fmt.Errorf("read tokens: %w", err)
	}
	if len(rows) == 0 {
		return analytics.User{}, analytics.Token{}, fmt.Errorf("token: %w", ErrNotFound)
	}
	row := rows[0]
	user, err := findUser(ctx, s.db, "id = ?", row.UserID)
	if err != nil {
		return analytics.User{}, analytics.Token{}, err
	}
	if user.Disabled {
		return analytics.User{}, analytics.Token{}, fmt.Errorf("token of a disabled account: %w", ErrNotFound)
	}
	now := s.db.NowFunc()
	if last := parseTime(row.LastUsed); now.Sub(last) >= tokenTouchEvery {
		stamp := formatTime(now)
		done, err := s.tryWrite(ctx, "UPDATE tokens SET last_used = ? WHERE id = ?", stamp, row.ID)
		if err != nil {
			return analytics.User{}, analytics.Token{}, fmt.Errorf("note token use: %w", err)
		}
		if done {
			row.LastUsed = stamp
		}
	}
	return user.user(), row.token(user.Email), nil
}

// Tokens lists the API tokens, revoked ones included, of one account, or
// of every account when userID is 0, newest first.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]analytics.Token, error) {
	q := gorm.G[tokenRow](s.db).Order("id DESC")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	rows, err := q.Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	users, err := gorm.G[userRow](s.db).Select("id", "email").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	emails := make(map[int64]string, len(users))
	for _, u := range users {
		emails[u.ID] = u.Email
	}
	list := make([]analytics.Token, len(rows))
	for i, r := range rows {
		list[i] = r.token(emails[r.UserID])
	}
	return list, nil
}

// RevokeToken revokes token id at once and records it in the audit log. An
// unknown token gives an error wrapping ErrNotFound; revoking a revoked
// token changes nothing.
func (s *Store) RevokeToken(ctx context.Context, id int64, by analytics.Actor) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		rows, err := gorm.G[tokenRow](tx).Where("id = ?", id).Find(ctx)
		if err != nil {
			return fmt.Errorf("read tokens: %w", err)
		}
		if len(rows) == 0 {
			return fmt.Errorf("token %d: %w", id, ErrNotFound)
		}
		if rows[0].RevokedAt != "" {
			return nil
		}
		if _, err := gorm.G[tokenRow](tx).Where("id = ?", id).Update(ctx, "revoked_at", formatTime(tx.NowFunc())); err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		user, err := findUser(ctx, tx, "id = ?", rows[0].UserID)
		if err != nil {
			return err
		}
		e := analytics.NewAuditEvent(by, analytics.AuditTokenRevoke, tokenObject(id, rows[0].Prefix), analytics.OutcomeOK,
			"of "+userObject(user))
		return writeAudit(ctx, tx, e)
	})
}
