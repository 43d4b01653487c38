package connector

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/covenant/contracts/pkg/models"
)

// The SQLite connectors (the embedded demo and SQLite files) run KPI SQL in
// the plugin's own process, next to Grafana's files, so their connections
// are locked down when they are opened, whatever SQL comes later:
//   - an authorizer lets a statement read tables and call functions, and
//     denies everything else (writes, ATTACH and DETACH, PRAGMA, schema
//     changes, transactions), plus the few functions that reach the file
//     system or load code;
//   - ATTACH is also limited to no database at all, and a string or blob is
//     limited to maxSQLiteValueBytes, so zeroblob(1e9) cannot exhaust memory;
//   - the connection is query_only, and files are opened read-only.

// maxSQLiteValueBytes bounds one string or blob a KPI query can make.
const maxSQLiteValueBytes = 16 << 20

// deniedSQLiteFunctions reach outside the database or load code.
var deniedSQLiteFunctions = map[string]bool{
	"load_extension": true, "readfile": true, "writefile": true, "edit": true,
	"fts3_tokenizer": true, "lsdir": true,
}

// openReadOnlySQLite opens dsn through the guarded connector.
func openReadOnlySQLite(dsn string) (*sql.DB, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: open SQLite: %v", models.ErrConnector, err)
	}
	return sql.OpenDB(guardedSQLite{base}), nil
}

// guardedSQLite opens connections with the read-only guard installed.
type guardedSQLite struct{ driver.Connector }

// Connect implements driver.Connector.
func (g guardedSQLite) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := g.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := installReadGuard(conn); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// sqliteHandle finds the SQLite handle and thread state of a connection of
// the modernc driver, which does not export them. A driver whose connection
// no longer has them fails here, so the guard is never silently missing
// (TestSQLiteGuard* would fail first on an upgrade).
func sqliteHandle(conn driver.Conn) (uintptr, *libc.TLS, error) {
	v := reflect.ValueOf(conn)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return 0, nil, fmt.Errorf("%w: unexpected SQLite connection %T: cannot install the read-only guard", models.ErrConnector, conn)
	}
	e := v.Elem()
	db, tls := e.FieldByName("db"), e.FieldByName("tls")
	if !db.IsValid() || db.Kind() != reflect.Uintptr || !tls.IsValid() || tls.Type() != reflect.TypeOf((*libc.TLS)(nil)) {
		return 0, nil, fmt.Errorf("%w: the SQLite driver's connection changed shape: cannot install the read-only guard", models.ErrConnector)
	}
	h := *(*uintptr)(unsafe.Pointer(db.UnsafeAddr()))
	t := *(**libc.TLS)(unsafe.Pointer(tls.UnsafeAddr()))
	if h == 0 || t == nil {
		return 0, nil, fmt.Errorf("%w: the SQLite connection is not open: cannot install the read-only guard", models.ErrConnector)
	}
	return h, t, nil
}

// installReadGuard sets the authorizer and the limits on one connection.
func installReadGuard(conn driver.Conn) error {
	db, tls, err := sqliteHandle(conn)
	if err != nil {
		return err
	}
	sqlite3.Xsqlite3_limit(tls, db, sqlite3.SQLITE_LIMIT_ATTACHED, 0)
	sqlite3.Xsqlite3_limit(tls, db, sqlite3.SQLITE_LIMIT_LENGTH, maxSQLiteValueBytes)
	if rc := sqlite3.Xsqlite3_set_authorizer(tls, db, readAuthorizerPtr, 0); rc != sqlite3.SQLITE_OK {
		return fmt.Errorf("%w: cannot install the SQLite read-only guard (code %d)", models.ErrConnector, rc)
	}
	return nil
}

// readAuthorizerPtr is readAuthorizer as the C function pointer SQLite calls
// (a Go func value is a pointer to its code, which the transpiled SQLite calls
// through the same representation).
var readAuthorizerPtr = *(*uintptr)(unsafe.Pointer(&struct {
	f func(*libc.TLS, uintptr, int32, uintptr, uintptr, uintptr, uintptr) int32
}{readAuthorizer}))

// readAuthorizer permits reading and calling functions (but not those that
// reach files or load code); everything else is denied, so the statement
// fails to prepare with "not authorized".
func readAuthorizer(_ *libc.TLS, _ uintptr, action int32, _, arg2, _, _ uintptr) int32 {
	switch action {
	case sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE:
		return sqlite3.SQLITE_OK
	case sqlite3.SQLITE_FUNCTION:
		if deniedSQLiteFunctions[strings.ToLower(libc.GoString(arg2))] {
			return sqlite3.SQLITE_DENY
		}
		return sqlite3.SQLITE_OK
	}
	return sqlite3.SQLITE_DENY
}
