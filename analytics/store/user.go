package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/heard-council/heard/analytics"
)

// ErrExists is returned when creating something that exists already, such
// as an account with an email in use.
var ErrExists = analytics.ErrExists

// ErrLastAdmin is returned when a change would leave no enabled admin
// account, and so nobody able to manage accounts from the web.
var ErrLastAdmin = errors.New("this is the last enabled admin account: make another account admin first")

// maxEmail is the longest email address accepted (RFC 5321's path limit).
const maxEmail = 254

// userRow is a row of users.
type userRow struct {
	ID           int64  `gorm:"column:id;primaryKey"`
	Email        string `gorm:"column:email"`
	Name         string `gorm:"column:name"`
	Role         string `gorm:"column:role"`
	PasswordHash string `gorm:"column:password_hash"`
	Disabled     bool   `gorm:"column:disabled"`
	CreatedAt    string `gorm:"column:created_at"`
	UpdatedAt    string `gorm:"column:updated_at"`
	LastSignIn   string `gorm:"column:last_sign_in"`
}

// TableName tells gorm the table.
func (userRow) TableName() string { return "users" }

func (r userRow) user() analytics.User {
	return analytics.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: analytics.UserRole(r.Role), Disabled: r.Disabled,
		CreatedAt: parseTime(r.CreatedAt), UpdatedAt: parseTime(r.UpdatedAt), LastSignIn: parseTime(r.LastSignIn)}
}

// NormalEmail checks an email address as an account's sign-in name and
// returns it trimmed and in lower case.
func NormalEmail(email string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(email))
	local, domain, ok := strings.Cut(e, "@")
	switch {
	case e == "":
		return "", errors.New("give an email address")
	case len(e) > maxEmail:
		return "", fmt.Errorf("the email address is longer than %d characters", maxEmail)
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.ContainsFunc(e, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return "", fmt.Errorf("%q is not an email address (name@example.org)", email)
	}
	return e, nil
}

// CreateUser creates an account with a password hash made by the caller
// (heard uses Argon2id) and records it in the audit log. An email in use
// gives an error wrapping ErrExists.
func (s *Store) CreateUser(ctx context.Context, u analytics.User, passwordHash string, by analytics.Actor) (analytics.User, error) {
	var created analytics.User
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		var err error
		created, err = createUser(ctx, tx, u, passwordHash, by)
		return err
	})
	return created, err
}

// CreateFirstAdmin creates u as an admin when there is no account at all,
// and reports whether it did. Several processes starting on a new database
// at once create one account between them.
func (s *Store) CreateFirstAdmin(ctx context.Context, u analytics.User, passwordHash string, by analytics.Actor) (
	analytics.User, bool, error) {
	var created analytics.User
	made := false
	err := s.writeTx(ctx, func(tx *gorm.DB) error {
		n, err := gorm.G[userRow](tx).Count(ctx, "id")
		if err != nil || n > 0 {
			return err
		}
		u.Role = analytics.RoleAdmin
		created, err = createUser(ctx, tx, u, passwordHash, by)
		made = err == nil
		return err
	})
	if err != nil {
		return analytics.User{}, false, fmt.Errorf("create the first admin account: %w", err)
	}
	return created, made, nil
}

// createUser is CreateUser inside its transaction.
func createUser(ctx context.Context, tx *gorm.DB, u analytics.User, passwordHash string, by analytics.Actor) (analytics.User, error) {
	email, err := NormalEmail(u.Email)
	if err != nil {
		return analytics.User{}, err
	}
	if _, err := analytics.ParseUserRole(string(u.Role)); err != nil {
		return analytics.User{}, err
	}
	if passwordHash == "" {
		return analytics.User{}, errors.New("create account: no password hash given")
	}
	now := formatTime(tx.NowFunc())
	row := userRow{Email: email, Name: strings.TrimSpace(u.Name), Role: string(u.Role), PasswordHash: passwordHash,
		Disabled: u.Disabled, CreatedAt: now, UpdatedAt: now}
	if err := gorm.G[userRow](tx).Create(ctx, &row); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return analytics.User{}, fmt.Errorf("an account with the email %s: %w", email, ErrExists)
		}
		return analytics.User{}, fmt.Errorf("create account %s: %w", email, err)
	}
	e := analytics.NewAuditEvent(by, analytics.AuditUserCreate, userObject(row), analytics.OutcomeOK, "role "+row.Role)
	if err := writeAudit(ctx, tx, e); err != nil {
		return analytics.User{}, err
	}
	return row.user(), nil
}

// userObject names an account in the audit log.
func userObject(r userRow) string { return fmt.Sprintf("user %d %s", r.ID, r.Email) }

// User returns the account with this id, or an error wrapping ErrNotFound.
func (s *Store) User(ctx context.Context, id int64) (analytics.User, error) {
	row, err := findUser(ctx, s.db, "id = ?", id)
	if err != nil {
		return analytics.User{}, err
	}
	return row.user(), nil
}

// UserByEmail returns the account with this email (case ignored), or an
// error wrapping ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (analytics.User, error) {
	row, err := findUser(ctx, s.db, "email = ?", strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return analytics.User{}, err
	}
	return row.user(), nil
}

// UserPasswordHash returns the account with this email and its password
// hash, for signing in, or an error wrapping ErrNotFound. A disabled
// account is returned too: the caller refuses it.
func (s *Store) UserPasswordHash(ctx context.Context, email string) (analytics.User, string, error) {
	row, err := findUser(ctx, s.db, "email = ?", strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return analytics.User{}, "", err
	}
	return row.user(), row.PasswordHash, nil
}

// findUser returns the one account matching where.
func findUser(ctx context.Context, db *gorm.DB, where string, arg any) (userRow, error) {
	rows, err := gorm.G[userRow](db).Where(where, arg).Limit(1).Find(ctx)
	if err != nil {
		return userRow{}, fmt.Errorf("read accounts: %w", err)
	}
	if len(rows) == 0 {
		return userRow{}, fmt.Errorf("account %v: %w", arg, ErrNotFound)
	}
	return rows[0], nil
}

// CountUsers returns how many accounts there are, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := gorm.G[userRow](s.db).Count(ctx, "id")
	if err != nil {
		return 0, fmt.Errorf("count accounts: %w", err)
	}
	return n, nil
}

// Users lists the accounts by email.
func (s *Store) Users(ctx context.Context) ([]analytics.User, error) {
	rows, err := gorm.G[userRow](s.db).Order("email").Find(ctx)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	list := make([]analytics.User, len(rows))
	for i, r := range rows {
		list[i] = r.user()
	}
	return list, nil
}

// SetUserDisabled disables or enables an account. A disabled account
// cannot sign in, its sessions stop at their next request (the caller
// checks the account on each request) and its API tokens stop working.
// Disabling the last enabled admin gives ErrLastAdmin.
func (s *Store) SetUserDisabled(ctx context.Context, id int64, disabled bool, by analytics.Actor) error {
	action := analytics.AuditUserEnable
	if disabled {
		action = analytics.AuditUserDisable
	}
	return s.updateUser(ctx, id, action, by, func(tx *gorm.DB, row *userRow) (string, error) {
		if disabled && !row.Disabled && row.Role == string(analytics.RoleAdmin) {
			if err := otherAdmin(ctx, tx, row.ID); err != nil {
				return "", err
			}
		}
		row.Disabled = disabled
		return "", nil
	})
}

// SetUserRole changes an account's role. Taking admin away from the last
// enabled admin gives ErrLastAdmin.
func (s *Store) SetUserRole(ctx context.Context, id int64, role analytics.UserRole, by analytics.Actor) error {
	if _, err := analytics.ParseUserRole(string(role)); err != nil {
		return err
	}
	return s.updateUser(ctx, id, analytics.AuditUserRole, by, func(tx *gorm.DB, row *userRow) (string, error) {
		if row.Role == string(analytics.RoleAdmin) && role != analytics.RoleAdmin && !row.Disabled {
			if err := otherAdmin(ctx, tx, row.ID); err != nil {
				return "", err
			}
		}
		detail := fmt.Sprintf("role %s to %s", row.Role, role)
		row.Role = string(role)
		return detail, nil
	})
}

// SetUserPassword replaces an account's password hash.
func (s *Store) SetUserPassword(ctx context.Context, id int64, passwordHash string, by analytics.Actor) error {
	if passwordHash == "" {
		return errors.New("set password: no password hash given")
	}
	return s.updateUser(ctx, id, analytics.AuditUserPassword, by, func(_ *gorm.DB, row *userRow) (string, error) {
		row.PasswordHash = passwordHash
		return "", nil
	})
}

// UpgradePasswordHash replaces account id's password hash made with older
// Argon2id parameters by newHash, a hash of the same password, when the
// stored hash is still old. It is not a change of password, so it writes
// no audit event; and it is done only when the database is free, never
// waiting for an import: the next sign-in tries again. It reports whether
// the hash was replaced.
func (s *Store) UpgradePasswordHash(ctx context.Context, id int64, old, newHash string) (bool, error) {
	if old == "" || newHash == "" {
		return false, errors.New("upgrade password hash: no hash given")
	}
	if !s.tryLockWriter() {
		return false, nil
	}
	defer s.unlockWriter()
	n, err := gorm.G[userRow](s.db.WithContext(ctx)).Where("id = ? AND password_hash = ?", id, old).
		Update(ctx, "password_hash", newHash)
	if err != nil {
		return false, fmt.Errorf("upgrade password hash: %w", err)
	}
	return n == 1, nil
}

// RecordSignIn notes a successful sign-in to account id from a client
// address: its last sign-in time and an audit event. While another write
// holds the database (an import), both are kept in the pending journal and
// moved in when that write ends.
func (s *Store) RecordSignIn(ctx context.Context, id int64, from string) error {
	if release, ok := s.trySmallWrite(); ok {
		defer release()
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			row, err := findUser(ctx, tx, "id = ?", id)
			if err != nil {
				return err
			}
			if _, err := gorm.G[userRow](tx).Where("id = ?", id).Update(ctx, "last_sign_in", formatTime(tx.NowFunc())); err != nil {
				return fmt.Errorf("record sign-in: %w", err)
			}
			by := analytics.UserActor(row.user(), from)
			return writeAudit(ctx, tx, analytics.NewAuditEvent(by, analytics.AuditSignIn, userObject(row), analytics.OutcomeOK, ""))
		})
	}
	row, err := findUser(ctx, s.db, "id = ?", id)
	if err != nil {
		return err
	}
	if err := s.pending.exec(ctx, "INSERT INTO sign_ins (user_id, at) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET at = excluded.at",
		id, formatTime(s.db.NowFunc())); err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	by := analytics.UserActor(row.user(), from)
	return s.auditPending(ctx, analytics.NewAuditEvent(by, analytics.AuditSignIn, userObject(row), analytics.OutcomeOK, ""))
}

// updateUser changes account id through change, which returns the audit
// event's detail, and records the event, in one transaction.
func (s *Store) updateUser(ctx context.Context, id int64, action analytics.AuditAction, by analytics.Actor,
	change func(tx *gorm.DB, row *userRow) (string, error)) error {
	return s.writeTx(ctx, func(tx *gorm.DB) error {
		row, err := findUser(ctx, tx, "id = ?", id)
		if err != nil {
			return err
		}
		detail, err := change(tx, &row)
		if err != nil {
			return err
		}
		row.UpdatedAt = formatTime(tx.NowFunc())
		_, err = gorm.G[userRow](tx).Where("id = ?", id).
			Select("role", "password_hash", "disabled", "updated_at").Updates(ctx, row)
		if err != nil {
			return fmt.Errorf("update account %s: %w", row.Email, err)
		}
		return writeAudit(ctx, tx, analytics.NewAuditEvent(by, action, userObject(row), analytics.OutcomeOK, detail))
	})
}

// otherAdmin returns ErrLastAdmin unless an enabled admin other than
// account id exists.
func otherAdmin(ctx context.Context, tx *gorm.DB, id int64) error {
	n, err := gorm.G[userRow](tx).Where("role = ? AND disabled = ? AND id <> ?", string(analytics.RoleAdmin), false, id).Count(ctx, "id")
	if err != nil {
		return fmt.Errorf("count admin accounts: %w", err)
	}
	if n == 0 {
		return ErrLastAdmin
	}
	return nil
}
