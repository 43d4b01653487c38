package connector

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// Push-down: a tracker's buckets are computed by the database in one
// GROUP BY query over the KPI's SQL as a subquery. The bucket boundaries
// come from the engine (kpi.Buckets) and are bound as parameters, so the
// database and the in-process engine bucket on exactly the same instants in
// any time zone; each dialect finds a row's bucket by binary search over
// them (PostgreSQL width_bucket, MySQL INTERVAL, on SQLite the function
// covenant_bucket that Covenant registers with the embedded driver).

// timeKind is how a KPI query's time column can be compared in SQL.
type timeKind int

const (
	timeOther     timeKind = iota // text and the rest: aggregate in process
	timeTimestamp                 // a timestamp type: compare with bound instants
	timeNumber                    // Unix seconds or milliseconds (>= 1e11 means milliseconds)
)

// column is a probed result column of a KPI query.
type column struct {
	name   string
	dbType string // upper case
	time   timeKind
	value  bool // numeric (or boolean), usable as a value
}

// shape is what the push-down needs to know of a KPI query's result.
type shape struct {
	time, value column
	end         column // a business-time KPI's end (name "" when there is none)
	err         error  // no time or no value column: the same error ReadKPIRows gives
	cols        []string
}

// pushDialect builds a dialect's aggregate query.
type pushDialect interface {
	Dialect
	// classify tells how a column of this database type can be used.
	classify(dbType string) (timeKind, bool)
	// quote quotes an identifier.
	quote(name string) string
	// aggregateSQL returns the query over inner (whose own parameters are
	// innerArgs), all its args, and what to release after it ran (or nil);
	// false when it cannot.
	aggregateSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition) (string, []any, func(), bool)
}

// pusher runs push-down queries for a SQL connector.
type pusher struct {
	*sqlConnector
	d pushDialect

	mu     sync.Mutex
	shapes map[string]shape // by expanded SQL
}

const maxShapes = 512

// probe finds the time and value columns of a query and their types, by
// running it with LIMIT 0 (which the databases answer without reading rows).
func (p *pusher) probe(ctx context.Context, query string, args []any) (shape, error) {
	p.mu.Lock()
	s, ok := p.shapes[query]
	p.mu.Unlock()
	if ok {
		return s, nil
	}
	rows, done, err := p.query(ctx, "SELECT * FROM ("+query+") AS covenant_probe LIMIT 0", args...)
	if err != nil {
		return shape{}, sqlError(ctx, err)
	}
	defer done()
	types, err := rows.ColumnTypes()
	if err != nil {
		return shape{}, sqlError(ctx, err)
	}
	names := make([]string, len(types))
	s = shape{}
	for i, ct := range types {
		names[i] = ct.Name()
		dbType := strings.ToUpper(ct.DatabaseTypeName())
		tk, num := p.d.classify(dbType)
		switch strings.ToLower(ct.Name()) {
		case "time":
			s.time = column{name: ct.Name(), dbType: dbType, time: tk}
		case "value":
			s.value = column{name: ct.Name(), dbType: dbType, value: num}
		case "end":
			s.end = column{name: ct.Name(), dbType: dbType, time: tk}
		}
	}
	s.cols = names
	if s.time.name == "" || s.value.name == "" {
		s.err = missingColumn(s.time.name != "", names)
	}
	p.mu.Lock()
	if p.shapes == nil || len(p.shapes) >= maxShapes {
		p.shapes = map[string]shape{}
	}
	p.shapes[query] = s
	p.mu.Unlock()
	return s, nil
}

// missingColumn is the error for a KPI query without a time or value column.
func missingColumn(hasTime bool, cols []string) error {
	missing := "time"
	if hasTime {
		missing = "value"
	}
	return fmt.Errorf("%w: the KPI query returns no column named %s (it returns %s): alias the columns, e.g. SELECT opened_at AS time, minutes AS value",
		models.ErrConnector, missing, strings.Join(cols, ", "))
}

// Aggregate implements Aggregator.
func (p *pusher) Aggregate(ctx context.Context, r Request, starts []time.Time, m kpi.Method, cond *models.Condition) ([]float64, bool, error) {
	if len(starts) < 2 {
		return make([]float64, 0), true, nil
	}
	if err := r.Check(p.kind); err != nil {
		return nil, false, err
	}
	inner, args, err := ExpandMacros(r.RawSQL, r.From, r.To, r.Key, p.d)
	if err != nil {
		return nil, false, err
	}
	s, err := p.probe(ctx, inner, args)
	if err != nil {
		return nil, false, err
	}
	var (
		query   string
		all     []any
		release func()
		ok      bool
	)
	if r.Business != nil {
		query, all, ok = p.businessSQL(inner, args, s, starts, m, cond, r.Business)
	} else {
		if s.err != nil {
			return nil, false, s.err
		}
		if s.time.time == timeOther || !s.value.value {
			return nil, false, nil
		}
		query, all, release, ok = p.d.aggregateSQL(inner, args, s, starts, m, cond)
	}
	if !ok {
		return nil, false, nil
	}
	if release != nil {
		defer release()
	}
	rows, done, err := p.query(ctx, query, all...)
	if err != nil {
		// The columns' types may have changed since the probe: probe again next time.
		p.mu.Lock()
		delete(p.shapes, inner)
		p.mu.Unlock()
		return nil, false, sqlError(ctx, err)
	}
	defer done()
	out := make([]float64, len(starts)-1)
	for i := range out {
		out[i] = math.NaN()
		if m == kpi.Count {
			out[i] = 0
		}
	}
	cols, err := rows.Columns()
	if err != nil {
		return nil, false, sqlError(ctx, err)
	}
	for rows.Next() {
		// b: the 1-based bucket; 0 outside the range; -1 a row the database cannot
		// judge (SQLite's per-value types), as is a bucket whose bad count is not 0:
		// those queries are aggregated in process, which reads or rejects such rows.
		var b int64
		var v sql.NullFloat64
		var bad sql.NullInt64
		dest := []any{&b, &v}
		if len(cols) == 3 {
			dest = append(dest, &bad)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, false, sqlError(ctx, err)
		}
		switch {
		case b == -1 || bad.Int64 > 0:
			return nil, false, nil
		case b == 0:
			continue
		case b < 0 || int(b) > len(out):
			return nil, false, fmt.Errorf("%w: the database put rows in bucket %d of %d: report this as a Covenant bug", models.ErrConnector, b, len(out))
		}
		if v.Valid {
			out[b-1] = v.Float64
		}
	}
	if err := rows.Err(); err != nil {
		return nil, false, sqlError(ctx, err)
	}
	return out, true, nil
}

// businessDialect is a dialect that can push a business-time KPI down
// (businesspush.go).
type businessDialect interface {
	// businessSQL is aggregateSQL for a business-time KPI: each row's value
	// is its business time under w, and the query returns a third column, the
	// rows of the bucket that w cannot measure; false when it cannot.
	businessSQL(inner string, innerArgs []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition, w *businessWindows) (string, []any, bool)
}

// businessSQL builds the push-down query of a business-time KPI; false when
// the dialect or the query's columns or the calendar do not allow it (the
// KPI is then aggregated in process, which also reports a missing end
// column).
func (p *pusher) businessSQL(inner string, args []any, s shape, starts []time.Time, m kpi.Method, cond *models.Condition, b *Business) (string, []any, bool) {
	d, ok := p.d.(businessDialect)
	if !ok || s.time.name == "" || s.end.name == "" {
		return "", nil, false
	}
	w, ok := planBusiness(b, starts[0], starts[len(starts)-1], time.Now(), maxBusinessWindows)
	if !ok {
		return "", nil, false
	}
	return d.businessSQL(inner, args, s, starts, m, cond, w)
}

// boundsSeconds is the bucket boundaries as Unix seconds.
func boundsSeconds(starts []time.Time) []float64 {
	out := make([]float64, len(starts))
	for i, s := range starts {
		out[i] = float64(s.UnixNano()) / 1e9
	}
	return out
}

// aggParts are the dialect's pieces of an aggregate expression.
type aggParts struct {
	// ok keeps a value for every method but count: not null and, where the database has them, not NaN.
	ok        string
	threshold string              // bind marker of the ratio threshold
	double    func(string) string // makes an expression double precision
}

// aggregateExpr is the SQL of a method over columns t (time), v (value) and
// rn (row order, for last); percentile and last need dialect help (pct, last).
func aggregateExpr(m kpi.Method, a aggParts, cond *models.Condition, pct func(p float64) string, last string) (string, bool) {
	switch m {
	case kpi.Sum, kpi.Avg, kpi.Min, kpi.Max:
		return fmt.Sprintf("%s(CASE WHEN %s THEN v END)", strings.ToUpper(string(m)), a.ok), true
	case kpi.Count:
		return "COUNT(*)", true
	case kpi.Ratio:
		if cond == nil {
			return "", false
		}
		hits := a.double(fmt.Sprintf("SUM(CASE WHEN %s AND v %s %s THEN 1 ELSE 0 END)", a.ok, sqlOp(cond.Op), a.threshold))
		return fmt.Sprintf("%s / NULLIF(SUM(CASE WHEN %s THEN 1 ELSE 0 END), 0) * 100", hits, a.ok), true
	case kpi.Last:
		return last, last != ""
	case kpi.P50, kpi.P90, kpi.P95, kpi.P99:
		if pct == nil {
			return "", false
		}
		return pct(m.Percentile()), true
	}
	return "", false
}

// sqlOp is a condition operator in SQL (the model allows only these).
func sqlOp(op string) string {
	if op == "!=" {
		return "<>"
	}
	return op
}
