package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// heard runs on PostgreSQL when --db (or HEARD_DB) is a postgres:// URL.
// The store's SQL is written once, with '?' placeholders as SQLite and gorm
// take them; much of it goes to database/sql directly (report counts,
// inserts, the response tables), where pgx wants $1, $2... Rather than
// write every such query twice, the PostgreSQL connections heard opens
// rewrite '?' into $n as a query arrives (rebind). gorm's own queries
// already use $n and pass through unchanged.

// isPostgres says whether a --db value names a PostgreSQL database rather
// than a SQLite file.
func isPostgres(dsn string) bool {
	lower := strings.ToLower(dsn)
	return strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://")
}

// RedactDSN is a database address without its password, for messages and
// the audit log: a URL's user password or password parameter, or the
// password of a key=value connection string.
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.User != nil {
		dsn = u.Redacted()
	}
	return keywordPassword.ReplaceAllString(dsn, "${1}xxxxx")
}

// keywordPassword finds a password in a key=value connection string or in
// a URL's parameters.
var keywordPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|[^&\s]+)`)

// keywordDSN finds libpq's key=value form of a connection string
// ("host=db user=heard dbname=heard"), which heard does not take: given
// as --db it would otherwise name a new SQLite file.
var keywordDSN = regexp.MustCompile(`(?i)(^|\s)(host|hostaddr|port|dbname|user|password|sslmode|service)\s*=`)

// errKeywordDSN refuses a key=value connection string, naming the URL
// form heard takes instead.
func errKeywordDSN(dsn string) error {
	return fmt.Errorf("the database %q looks like a PostgreSQL connection string in key=value form, which heard "+
		"does not take (it would be read as the name of a new SQLite file): give PostgreSQL as a URL, "+
		"postgres://USER:PASSWORD@HOST:PORT/DBNAME?sslmode=require (see docs/deploy.md); nothing was created", RedactDSN(dsn))
}

// pgMaxConns bounds each process's connections to PostgreSQL, whose
// default limit (100) is shared by every instance and tool.
const pgMaxConns = 16

// openPostgres opens the PostgreSQL database at dsn and applies the
// migrations it lacks.
func openPostgres(ctx context.Context, dsn string, london *time.Location) (*Store, error) {
	name := RedactDSN(dsn)
	config, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", name, err)
	}
	// A writer waits as long for another's lock as it does on SQLite,
	// unless the URL says otherwise. (Times are text in heard's schema,
	// worked out in Go, so the session's time zone does not matter.)
	if _, set := config.RuntimeParams["lock_timeout"]; !set {
		config.RuntimeParams["lock_timeout"] = strconv.FormatInt(busyTimeout.Milliseconds(), 10)
	}
	sqlDB := sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(*config)})
	sqlDB.SetMaxOpenConns(pgMaxConns)
	sqlDB.SetMaxIdleConns(pgMaxConns / 2)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	db, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{
		TranslateError:         true,
		Logger:                 logger.Discard,
		PrepareStmt:            false,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", name, err), sqlDB.Close())
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("cannot reach the PostgreSQL database %s: %w", name, err), sqlDB.Close())
	}
	s := &Store{db: db, path: name, pg: true, london: london, writer: make(chan struct{}, 1),
		pending: &pending{}}
	if err := s.migrate(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("database %s: %w", name, err), s.Close())
	}
	return s, nil
}

// pgConnector makes the connections of a PostgreSQL store: pgx's, with
// queries rebound.
type pgConnector struct{ inner driver.Connector }

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		return nil, errors.Join(fmt.Errorf("pgx gave a %T, not a *stdlib.Conn", conn), conn.Close())
	}
	return &pgConn{Conn: sc}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is a pgx connection that takes '?' placeholders. Code holding a
// *sql.Conn reaches pgx itself (for COPY) through sql.Conn.Raw and
// PgxConn; see withPgx.
type pgConn struct{ *stdlib.Conn }

// PgxConn is the pgx connection underneath.
func (c *pgConn) PgxConn() *pgx.Conn { return c.Conn.Conn() }

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(context.Background(), rebind(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, rebind(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, rebind(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q := rebind(query)
	if selectsStar(q) {
		// pgx keeps a prepared statement per query text, and PostgreSQL
		// refuses to run a kept "SELECT *" once the table has gained a
		// column ("cached plan must not change result type"): the response
		// tables gain columns as imports bring new questions. Describe such
		// a query afresh each time instead.
		args = append([]driver.NamedValue{{Value: pgx.QueryExecModeDescribeExec}}, args...)
	}
	return c.Conn.QueryContext(ctx, q, args)
}

// CheckNamedValue passes values to pgx as they are, except booleans: the
// schema keeps flags as INTEGER 0/1 (as SQLite stores a bool), and pgx
// will not write a bool into an integer column.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	if b, ok := nv.Value.(bool); ok {
		if b {
			nv.Value = int64(1)
		} else {
			nv.Value = int64(0)
		}
	}
	return nil
}

// selectsStar says whether a query reads every column of a table.
func selectsStar(q string) bool {
	q = strings.TrimSpace(q)
	return len(q) > 8 && strings.EqualFold(q[:6], "SELECT") && strings.HasPrefix(strings.TrimSpace(q[6:]), "*")
}

// rebind turns the '?' placeholders of query into PostgreSQL's $1, $2...
// A '?' inside a quoted string or identifier, or in a comment, is text and
// stays. A query without '?' is returned as it is (gorm's own queries).
func rebind(query string) string {
	if strings.IndexByte(query, '?') < 0 {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// A quoted string or identifier; a doubled quote inside it is
			// an escaped quote, which the loop reads as the end and the
			// start of another quoted run, to the same effect.
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+1])
			i += j
		case c == '/' && i+1 < len(query) && query[i+1] == '*':
			j := strings.Index(query[i+2:], "*/")
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+4])
			i += j + 3
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// advisoryLock takes a PostgreSQL advisory lock for the rest of tx, so
// that processes sharing the database take turns where SQLite's single
// writer lock made them (key names what is locked). Imports and the
// writes of writeTx take "writer": as on SQLite, one process writes at a
// time, and a check made in the transaction (is this file imported, is
// this name taken) still holds when it commits. Sign-ins, sessions and
// audit events written on their own take no lock and never wait for an
// import. It does nothing on SQLite, whose write transactions already
// exclude each other.
func (s *Store) advisoryLock(tx *gorm.DB, key string) error {
	if !s.pg {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "heard "+key).Error; err != nil {
		return fmt.Errorf("wait for the %s lock: %w", key, err)
	}
	return nil
}

// advisoryLockTx is advisoryLock for a database/sql transaction. It waits
// as long as the connection's lock_timeout says (lockWait), and a lock not
// had in that time is an error isBusy knows.
func (s *Store) advisoryLockTx(ctx context.Context, tx *sql.Tx, key string) error {
	if !s.pg {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext(?))", "heard "+key); err != nil {
		return fmt.Errorf("wait for the %s lock: %w", key, err)
	}
	return nil
}

// pinnedConnKey keys the connection a transaction runs on, in its context.
type pinnedConnKey struct{}

// transactionOnOneConn runs fn in a transaction on a connection of its own,
// which fn's context carries (pinnedConn): code inside the transaction can
// reach the driver's connection it runs on, and on PostgreSQL use pgx
// itself (COPY, through withPgx) inside the same transaction. On SQLite it
// is an ordinary transaction.
func (s *Store) transactionOnOneConn(ctx context.Context, fn func(ctx context.Context, tx *gorm.DB) error) error {
	if !s.pg {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(ctx, tx) })
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx = context.WithValue(ctx, pinnedConnKey{}, conn)
	db := s.db.Session(&gorm.Session{NewDB: true, Context: ctx})
	db.Statement.ConnPool = conn
	return db.Transaction(func(tx *gorm.DB) error { return fn(ctx, tx) })
}

// withPgx runs fn with the pgx connection under the transaction that
// transactionOnOneConn gave ctx. It reports false, without running fn, on
// SQLite or outside such a transaction.
func withPgx(ctx context.Context, fn func(*pgx.Conn) error) (bool, error) {
	conn, ok := ctx.Value(pinnedConnKey{}).(*sql.Conn)
	if !ok {
		return false, nil
	}
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*pgConn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not heard's pgx connection", dc)
		}
		return fn(c.PgxConn())
	})
	return true, err
}

// pinConn puts the connection of conn (a gorm.DB from Connection) in ctx,
// where withPgx finds it.
func pinConn(ctx context.Context, conn *gorm.DB) context.Context {
	if c, ok := conn.Statement.ConnPool.(*sql.Conn); ok {
		return context.WithValue(ctx, pinnedConnKey{}, c)
	}
	return ctx
}
