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
	cols, err := rows.Columns()
	if err != nil {
		return kpi.Rows{}, err
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
		return kpi.Rows{}, fmt.Errorf("%w: the query returns no end column (its columns are %s): a business-time KPI returns time (the start) and end (null while still open), e.g. SELECT opened_at AS time, answered_at AS \"end\" FROM tickets WHERE $__timeFilter(opened_at)", models.ErrConnector, strings.Join(cols, ", "))
	}
	if ti < 0 || vi < 0 {
		return kpi.Rows{}, missingColumn(ti >= 0, cols)
	}
	cells := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	var out kpi.Rows
	for n := 1; rows.Next(); n++ {
		if n > models.MaxKPIRows {
			return kpi.Rows{}, models.LimitError("rawSql", "returns", models.MaxKPIRows, "rows", "the plugin would aggregate them all in memory: filter with $__timeFilter, or let the database aggregate (a time column of a timestamp or number type is pushed down)")
		}
		if err := rows.Scan(ptrs...); err != nil {
			return kpi.Rows{}, err
		}
		t, ok, err := toTime(cells[ti])
		if err != nil || !ok {
			if err == nil {
				err = fmt.Errorf("the time is null")
			}
			return kpi.Rows{}, fmt.Errorf("%w: row %d, column time: %v: return Unix seconds, Unix milliseconds or ISO 8601 text", models.ErrConnector, n, err)
		}
		var v float64
		if b != nil {
			v, err = businessValue(b, t, cells[vi])
			if err != nil {
				return kpi.Rows{}, fmt.Errorf("%w: row %d, column end: %v: return a time at or after the row's time (Unix seconds, Unix milliseconds or ISO 8601 text), or null while it is open", models.ErrConnector, n, err)
			}
		} else if v, err = toValue(cells[vi]); err != nil {
			return kpi.Rows{}, fmt.Errorf("%w: row %d, column value: %v: return a number or null", models.ErrConnector, n, err)
		}
		out.Times = append(out.Times, t.UnixNano())
		out.Values = append(out.Values, v)
		if si >= 0 {
			status := ""
			switch x := cells[si].(type) {
			case string:
				status = x
			case []byte:
				status = string(x)
			}
			out.Open = append(out.Open, kpi.IsOpenStatus(status))
		}
	}
	return out, rows.Err()
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
