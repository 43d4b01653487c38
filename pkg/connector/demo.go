package connector

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"

	// Pure-Go SQLite driver (no cgo), registered as "sqlite".
	_ "modernc.org/sqlite"
)

// DemoTable describes one table of the demo connector for editors and docs.
type DemoTable struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Columns     []string `json:"columns"`
	Example     string   `json:"example"`
}

// DemoTables lists the demo connector's tables. Every time column holds Unix seconds (UTC).
var DemoTables = []DemoTable{
	{Name: "contracts", Description: "The three demo contracts", Columns: []string{"key", "name", "counterparty", "owner", "description", "start_date", "end_date", "renewal_date", "notice_days", "value", "currency", "status"},
		Example: "SELECT key, name, counterparty, renewal_date FROM contracts"},
	{Name: "tickets", Description: "Service desk tickets: time opened, minutes to first response (null until answered), status resolved or in_progress", Columns: []string{"id", "contract", "time", "priority", "response_minutes", "resolved_at", "status"},
		Example: "SELECT time, response_minutes AS value, contract AS key, status FROM tickets WHERE $__timeFilter(time) AND contract = $__key ORDER BY time"},
	{Name: "uptime", Description: "Hourly availability in percent", Columns: []string{"contract", "time", "uptime_pct"},
		Example: "SELECT time, uptime_pct AS value, contract AS key FROM uptime WHERE $__timeFilter(time) AND contract = $__key ORDER BY time"},
	{Name: "deliveries", Description: "Deliveries: due time, delivered time, on_time 1/0, minutes late", Columns: []string{"id", "contract", "time", "delivered_at", "on_time", "late_minutes", "site"},
		Example: "SELECT time, on_time * 100.0 AS value, contract AS key FROM deliveries WHERE $__timeFilter(time) ORDER BY time"},
	{Name: "invoices", Description: "Invoices: amount, accurate 1/0, amount in error", Columns: []string{"id", "contract", "time", "amount", "accurate", "error_amount"},
		Example: "SELECT time, accurate * 100.0 AS value, contract AS key FROM invoices WHERE $__timeFilter(time) ORDER BY time"},
}

const demoSchema = `
CREATE TABLE contracts (key TEXT PRIMARY KEY, name TEXT NOT NULL, counterparty TEXT NOT NULL, owner TEXT, description TEXT,
  start_date TEXT, end_date TEXT, renewal_date TEXT, notice_days INTEGER, value REAL, currency TEXT, status TEXT);
CREATE TABLE tickets (id INTEGER PRIMARY KEY, contract TEXT NOT NULL, time INTEGER NOT NULL, priority TEXT,
  response_minutes REAL, resolved_at INTEGER, status TEXT NOT NULL);
CREATE TABLE uptime (contract TEXT NOT NULL, time INTEGER NOT NULL, uptime_pct REAL);
CREATE TABLE deliveries (id INTEGER PRIMARY KEY, contract TEXT NOT NULL, time INTEGER NOT NULL, delivered_at INTEGER,
  on_time INTEGER, late_minutes REAL, site TEXT);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, contract TEXT NOT NULL, time INTEGER NOT NULL, amount REAL,
  accurate INTEGER, error_amount REAL);
`

const demoIndexes = `
CREATE INDEX tickets_time ON tickets (contract, time);
CREATE INDEX uptime_time ON uptime (contract, time);
CREATE INDEX deliveries_time ON deliveries (contract, time);
CREATE INDEX invoices_time ON invoices (contract, time);
`

// DemoDB is the embedded demo dataset: an in-memory SQLite database built from
// the deterministic generator, opened read-only for queries.
type DemoDB struct {
	writer    *sql.DB // keeps the in-memory database alive
	reader    *sql.DB // query_only connections used for every query
	conn      *pusher // SQL and push-down on reader
	Generated time.Time
	RowCount  int
	From, To  time.Time
	Contracts []DemoContract
}

var demoSeq atomic.Int64

// OpenDemo generates the demo data up to end and loads it into a new in-memory database.
func OpenDemo(ctx context.Context, end time.Time) (*DemoDB, error) {
	name := fmt.Sprintf("covenant-demo-%d-%d", time.Now().UnixNano(), demoSeq.Add(1))
	writer, err := sql.Open("sqlite", "file:"+name+"?mode=memory&cache=shared")
	if err != nil {
		return nil, fmt.Errorf("open demo database: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetMaxIdleConns(1)
	rows := generateDemo(end)
	n, err := loadDemo(ctx, writer, rows)
	if err != nil {
		_ = writer.Close()
		return nil, err
	}
	reader, err := openReadOnlySQLite("file:" + name + "?mode=memory&cache=shared&_pragma=query_only(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		_ = writer.Close()
		return nil, fmt.Errorf("open demo database for reading: %w", err)
	}
	reader.SetMaxOpenConns(4)
	sc := &sqlConnector{kind: models.ConnectorDemo, name: models.DemoConnector, db: reader, dialect: SQLiteUnixDialect{}, syntax: syntaxSQLite}
	return &DemoDB{
		writer: writer, reader: reader, conn: &pusher{sqlConnector: sc, d: SQLiteUnixDialect{}}, Generated: end.UTC(), RowCount: n,
		From: end.UTC().Truncate(24*time.Hour).AddDate(0, 0, -DemoHistoryDays), To: end.UTC(),
		Contracts: rows.contracts,
	}, nil
}

// Close releases the database.
func (d *DemoDB) Close() error {
	err1 := d.reader.Close()
	err2 := d.writer.Close()
	if err1 != nil {
		return err1
	}
	return err2
}

func loadDemo(ctx context.Context, db *sql.DB, r *demoRows) (int, error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, demoSchema); err != nil {
		return 0, fmt.Errorf("create demo schema: %w", err)
	}
	n := 0
	insert := func(query string, count int, args func(i int) []any) error {
		st, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer func() { _ = st.Close() }()
		for i := 0; i < count; i++ {
			if _, err := st.ExecContext(ctx, args(i)...); err != nil {
				return err
			}
		}
		n += count
		return nil
	}
	steps := []struct {
		q     string
		count int
		args  func(i int) []any
	}{
		{`INSERT INTO contracts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, len(r.contracts), func(i int) []any {
			c := r.contracts[i]
			return []any{c.Key, c.Name, c.Counterparty, c.Owner, c.Description, c.StartDate, c.EndDate, c.RenewalDate, c.NoticeDays, c.Value, c.Currency, c.Status}
		}},
		{`INSERT INTO tickets (contract, time, priority, response_minutes, resolved_at, status) VALUES (?,?,?,?,?,?)`, len(r.tickets), func(i int) []any {
			t := r.tickets[i]
			return []any{t.contract, t.opened, t.priority, t.responseMinutes, t.resolved, t.status}
		}},
		{`INSERT INTO uptime VALUES (?,?,?)`, len(r.uptime), func(i int) []any {
			u := r.uptime[i]
			return []any{u.contract, u.hour, u.pct}
		}},
		{`INSERT INTO deliveries (contract, time, delivered_at, on_time, late_minutes, site) VALUES (?,?,?,?,?,?)`, len(r.deliveries), func(i int) []any {
			d := r.deliveries[i]
			return []any{d.contract, d.due, d.delivered, d.onTime, d.lateMinutes, d.site}
		}},
		{`INSERT INTO invoices (contract, time, amount, accurate, error_amount) VALUES (?,?,?,?,?)`, len(r.invoices), func(i int) []any {
			v := r.invoices[i]
			return []any{v.contract, v.issued, v.amount, v.accurate, v.errorAmount}
		}},
	}
	for _, s := range steps {
		if err := insert(s.q, s.count, s.args); err != nil {
			return 0, fmt.Errorf("load demo rows: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, demoIndexes); err != nil {
		return 0, fmt.Errorf("index demo rows: %w", err)
	}
	return n, tx.Commit()
}

var (
	_ Connector   = (*DemoDB)(nil)
	_ Aggregator  = (*DemoDB)(nil)
	_ RowStreamer = (*DemoDB)(nil)
)

// Type implements Connector.
func (d *DemoDB) Type() models.ConnectorType { return models.ConnectorDemo }

// Preview implements Connector.
func (d *DemoDB) Preview(ctx context.Context, r Request, limit int) (*data.Frame, error) {
	return d.conn.Preview(ctx, r, limit)
}

// Rows implements Connector.
func (d *DemoDB) Rows(ctx context.Context, r Request) (kpi.Rows, error) { return d.conn.Rows(ctx, r) }

// EachRow implements RowStreamer.
func (d *DemoDB) EachRow(ctx context.Context, r Request, fn func(ns int64, v float64) bool) error {
	return d.conn.EachRow(ctx, r, fn)
}

// Aggregate implements Aggregator.
func (d *DemoDB) Aggregate(ctx context.Context, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) ([]float64, bool, error) {
	return d.conn.Aggregate(ctx, r, starts, m, cond)
}

// Check implements Connector.
func (d *DemoDB) Check(ctx context.Context) (string, error) {
	var n int
	if err := d.reader.QueryRowContext(ctx, "SELECT COUNT(*) FROM contracts").Scan(&n); err != nil {
		return "", sqlError(ctx, err)
	}
	return fmt.Sprintf("%d contracts, %d rows from %s to %s", n, d.RowCount, d.From.Format(time.DateOnly), d.To.Format(time.DateOnly)), nil
}

// Query runs a connector query on the demo data and returns its rows as a frame.
// Macros are expanded to bound parameters; at most limit rows are read.
func (d *DemoDB) Query(ctx context.Context, rawSQL string, from, to time.Time, key string, limit int) (*data.Frame, error) {
	return d.Preview(ctx, demoRequest(rawSQL, from, to, key), limit)
}

// KPIRows runs a KPI query on the demo data and returns its (time, value) rows in columns.
func (d *DemoDB) KPIRows(ctx context.Context, rawSQL string, from, to time.Time, key string) (kpi.Rows, error) {
	return d.Rows(ctx, demoRequest(rawSQL, from, to, key))
}

func demoRequest(rawSQL string, from, to time.Time, key string) Request {
	return Request{ConnectorQuery: models.ConnectorQuery{Connector: models.DemoConnector, RawSQL: rawSQL}, From: from, To: to, Key: key}
}

// demo is the process-wide demo dataset: the data is the same for every datasource instance.
var demo struct {
	mu sync.Mutex
	db atomic.Pointer[DemoDB]
}

// Demo returns the shared demo dataset, generating it up to now on first use.
func Demo(ctx context.Context) (*DemoDB, error) {
	if db := demo.db.Load(); db != nil {
		return db, nil
	}
	demo.mu.Lock()
	defer demo.mu.Unlock()
	if db := demo.db.Load(); db != nil {
		return db, nil
	}
	db, err := OpenDemo(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	demo.db.Store(db)
	return db, nil
}

// ReloadDemo regenerates the demo dataset up to now and swaps it in; queries
// already running finish on the old data.
func ReloadDemo(ctx context.Context) (*DemoDB, error) {
	db, err := OpenDemo(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	demo.mu.Lock()
	old := demo.db.Swap(db)
	demo.mu.Unlock()
	if old != nil {
		go func() {
			time.Sleep(time.Minute) // let in-flight queries on the old data finish
			_ = old.Close()
		}()
	}
	return db, nil
}

// UseDemo makes db the shared demo dataset (tests pin its end time with it)
// and returns a function that restores the previous one.
func UseDemo(db *DemoDB) (restore func()) {
	demo.mu.Lock()
	old := demo.db.Swap(db)
	demo.mu.Unlock()
	return func() {
		demo.mu.Lock()
		demo.db.Store(old)
		demo.mu.Unlock()
	}
}

// Counterparty returns a demo contract's counterparty, or "" for an unknown key.
func (d *DemoDB) Counterparty(key string) string {
	for _, c := range d.Contracts {
		if c.Key == key {
			return c.Counterparty
		}
	}
	return ""
}
