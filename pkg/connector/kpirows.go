package connector

import (
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// ReadKPIRows reads the columns named time and value (case-insensitive) of a
// KPI query, and status when there is one (requests still in progress, for
// occurrence compliance); other columns are ignored. A null value is kept as
// NaN (a row that counts for count and for nothing else).
func ReadKPIRows(rows *sql.Rows) (kpi.Rows, error) { return readRows(rows, nil) }

// readRows is ReadKPIRows; for a business-time KPI (b set) it reads the column
// end instead of value, and a row's value is the business time from its time
// to its end (NaN while end is null: the row is still open).
func readRows(rows *sql.Rows, b *Business) (kpi.Rows, error) {
	var out kpi.Rows
	err := eachRow(rows, b, true, func(ns int64, v float64, status bool, open bool) bool {
		out.Times = append(out.Times, ns)
		out.Values = append(out.Values, v)
		if status {
			out.Open = append(out.Open, open)
		}
		return true
	})
	if err != nil {
		return kpi.Rows{}, err
	}
	return out, nil
}

// eachRow reads a KPI query's rows as readRows does, one at a time, and calls
// fn with each row's time in Unix nanoseconds and value; with withStatus,
// status says whether the query returns a status column and open what it
// says of the row (kpi.IsOpenStatus). fn returns false to stop. Only the
// current row is held.
func eachRow(rows *sql.Rows, b *Business, withStatus bool, fn func(ns int64, v float64, status, open bool) bool) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	valueCol := "value"
	if b != nil {
		valueCol = "end"
	}
	ti, vi, si := -1, -1, -1
	for i, c := range cols {
		switch strings.ToLower(c) {
		case "time":
			ti = i
		case valueCol:
			vi = i
		case "status":
			si = i
		}
	}
	if b != nil && ti >= 0 && vi < 0 {
		return fmt.Errorf("%w: the query returns no end column (its columns are %s): a business-time KPI returns time (the start) and end (null while still open), e.g. SELECT opened_at AS time, answered_at AS \"end\" FROM tickets WHERE $__timeFilter(opened_at)", models.ErrConnector, strings.Join(cols, ", "))
	}
	if ti < 0 || vi < 0 {
		return missingColumn(ti >= 0, cols)
	}
	if !withStatus {
		si = -1
	}
	cells := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	for n := 1; rows.Next(); n++ {
		if n > models.MaxKPIRows {
			return models.LimitError("rawSql", "returns", models.MaxKPIRows, "rows", "the plugin would aggregate them all in memory: filter with $__timeFilter, or let the database aggregate (a time column of a timestamp or number type is pushed down)")
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		t, ok, err := toTime(cells[ti])
		if err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("the time is null")
			}
			return fmt.Errorf("%w: row %d, column time: %v: return Unix seconds, Unix milliseconds or ISO 8601 text", models.ErrConnector, n, err)
		}
		var v float64
		if b != nil {
			v, err = businessValue(b, t, cells[vi])
			if err != nil {
				return fmt.Errorf("%w: row %d, column end: %v: return a time at or after the row's time (Unix seconds, Unix milliseconds or ISO 8601 text), or null while it is open", models.ErrConnector, n, err)
			}
		} else if v, err = toValue(cells[vi]); err != nil {
			return fmt.Errorf("%w: row %d, column value: %v: return a number or null", models.ErrConnector, n, err)
		}
		open := false
		if si >= 0 {
			status := ""
			switch x := cells[si].(type) {
			case string:
				status = x
			case []byte:
				status = string(x)
			}
			open = kpi.IsOpenStatus(status)
		}
		if !fn(t.UnixNano(), v, si >= 0, open) {
			return nil
		}
	}
	return rows.Err()
}

// businessValue is the business time from start to the end cell (NaN when null).
func businessValue(b *Business, start time.Time, cell any) (float64, error) {
	end, ok, err := toTime(cell)
	if err != nil || !ok {
		return math.NaN(), err
	}
	return b.Value(start, end)
}

func toValue(v any) (float64, error) {
	switch x := v.(type) {
	case nil:
		return math.NaN(), nil
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	case []byte:
		return toValue(string(x))
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", x)
		}
		return f, nil
	}
	return 0, fmt.Errorf("%v (%T) is not a number", v, v)
}
