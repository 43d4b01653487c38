package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	// Pure-Go SQLite driver, registered as "sqlite" (no cgo: cross-compiled binaries keep working).
	_ "modernc.org/sqlite"
)

// OpenSQLite opens (creating if needed) the SQLite store at path, for the
// datasource of scope, and migrates it.
func OpenSQLite(ctx context.Context, path string, scope Scope) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: cannot create the folder of %s: %w: set storePath in the datasource settings to a writable folder", path, err)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, dialect: sqliteDialect, scope: scope.key()}
	if err := s.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("%w (store file %s)", err, path)
	}
	return s, nil
}

// OpenPostgres opens the registry of the datasource of scope in a PostgreSQL
// database (for Grafana in HA: every server's plugin process shares it; other
// datasources may keep their registries in the same database) and migrates it.
func OpenPostgres(ctx context.Context, dsn string, scope Scope) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxOpenConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, dialect: postgresDialect, scope: scope.key()}
	if err := s.Migrate(ctx); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// DefaultDir is where stores live unless the datasource's storePath says
// otherwise: $GF_PLUGIN_STORE_DIR (set in grafana.ini as
// [plugin.covenant-kpi-datasource] store_dir), else $GF_PATHS_DATA/covenant
// (Grafana's data folder, set in its official images), else the user's config
// folder. Never the plugin's folder or a temp folder: both are replaced on upgrade or reboot.
func DefaultDir() (string, error) {
	if d := os.Getenv("GF_PLUGIN_STORE_DIR"); d != "" {
		return d, nil
	}
	if d := os.Getenv("GF_PATHS_DATA"); d != "" {
		return filepath.Join(d, "covenant"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("store: no folder for the registry (%v): set storePath in the datasource settings", err)
	}
	return filepath.Join(d, "covenant-contracts"), nil
}

// FileName is a datasource instance's store file: the numeric datasource id
// is unique across orgs, so one org never opens another's store.
func FileName(datasourceID int64, uid string) string {
	return fmt.Sprintf("registry-ds%d-%s.db", datasourceID, safe(uid))
}

func safe(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// Diff lists the top-level fields that changed between two JSON objects, as
// {"field": {"old": …, "new": …}}.
func Diff(oldBody, newBody []byte) string {
	var a, b map[string]any
	_ = json.Unmarshal(oldBody, &a)
	_ = json.Unmarshal(newBody, &b)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	out := map[string]map[string]any{}
	for _, k := range names {
		if !reflect.DeepEqual(a[k], b[k]) {
			out[k] = map[string]any{"old": a[k], "new": b[k]}
		}
	}
	raw, _ := json.Marshal(out)
	return string(raw)
}
