package connector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
)

// isTimeColumn reports whether a result column holds the row's time.
func isTimeColumn(name, dbType string) bool {
	n := strings.ToLower(name)
	t := strings.ToUpper(dbType)
	return n == "time" || n == "ts" || n == "timestamp" || strings.Contains(t, "TIMESTAMP") || strings.Contains(t, "DATETIME")
}

// FrameFromRows reads up to limit rows into a frame, one field per column.
// A column named time (or typed as a timestamp) becomes a time field and
// accepts Unix seconds, Unix milliseconds or ISO 8601 text; other columns
// become nullable int64, float64 or string fields by what they hold.
func FrameFromRows(rows *sql.Rows, limit int) (*data.Frame, error) {
	cols, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	values := make([][]any, len(cols))
	truncated := false
	n, size := 0, 0
	for rows.Next() {
		if n == limit {
			truncated = true
			break
		}
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, c := range cells {
			values[i] = append(values[i], c)
			size += cellBytes(c)
		}
		if size > models.MaxPreviewBytes {
			return nil, models.LimitError("rawSql", fmt.Sprintf("returns rows that hold (by row %d)", n+1), models.MaxPreviewBytes, "bytes", "select fewer or narrower columns, or fewer rows")
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	frame := data.NewFrame("rows")
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	for i, c := range cols {
		f, err := buildField(c.Name(), c.DatabaseTypeName(), values[i], n)
		if err != nil {
			return nil, err
		}
		frame.Fields = append(frame.Fields, f)
	}
	if truncated {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: fmt.Sprintf("Showing the first %d rows: raise the query's limit to see more.", limit)})
	}
	return frame, nil
}

// cellBytes is what a scanned cell holds: strings and blobs by length, other values as 8 bytes.
func cellBytes(c any) int {
	switch x := c.(type) {
	case string:
		return len(x) + 8
	case []byte:
		return len(x) + 8
	}
	return 8
}

func buildField(name, dbType string, vals []any, n int) (*data.Field, error) {
	if isTimeColumn(name, dbType) {
		out := make([]*time.Time, n)
		for i, v := range vals {
			t, ok, err := toTime(v)
			if err != nil {
				return nil, fmt.Errorf("%w: column %q, row %d: %v: return Unix seconds, Unix milliseconds or ISO 8601 text", models.ErrConnector, name, i+1, err)
			}
			if ok {
				out[i] = &t
			}
		}
		return data.NewField(name, nil, out), nil
	}
	kind := "null"
	for _, v := range vals {
		switch v.(type) {
		case nil:
		case int64, bool:
			if kind == "null" {
				kind = "int"
			}
		case float64:
			if kind != "string" {
				kind = "float"
			}
		default:
			kind = "string"
		}
	}
	switch kind {
	case "int":
		out := make([]*int64, n)
		for i, v := range vals {
			switch x := v.(type) {
			case int64:
				out[i] = &x
			case bool:
				b := int64(0)
				if x {
					b = 1
				}
				out[i] = &b
			}
		}
		return data.NewField(name, nil, out), nil
	case "string":
		out := make([]*string, n)
		for i, v := range vals {
			if v != nil {
				s := toString(v)
				out[i] = &s
			}
		}
		return data.NewField(name, nil, out), nil
	}
	out := make([]*float64, n)
	for i, v := range vals {
		switch x := v.(type) {
		case int64:
			f := float64(x)
			out[i] = &f
		case float64:
			out[i] = &x
		case bool:
			f := 0.0
			if x {
				f = 1
			}
			out[i] = &f
		}
	}
	return data.NewField(name, nil, out), nil
}

func toString(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

// unixMillisThreshold separates Unix seconds from milliseconds: 1e11 s is the year 5138.
const unixMillisThreshold = 1e11

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", time.DateOnly}

func toTime(v any) (time.Time, bool, error) {
	switch x := v.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return x.UTC(), true, nil
	case int64:
		if math.Abs(float64(x)) >= unixMillisThreshold {
			return time.UnixMilli(x).UTC(), true, nil
		}
		return time.Unix(x, 0).UTC(), true, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return time.Time{}, false, fmt.Errorf("%v is not a time", x)
		}
		if math.Abs(x) >= unixMillisThreshold {
			return time.UnixMilli(int64(x)).UTC(), true, nil
		}
		sec, frac := math.Modf(x)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true, nil
	case []byte:
		return toTime(string(x))
	case string:
		s := strings.TrimSpace(x)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return toTime(i)
		}
		for _, l := range timeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t.UTC(), true, nil
			}
		}
		return time.Time{}, false, fmt.Errorf("%q is not a time", s)
	}
	return time.Time{}, false, fmt.Errorf("%v (%T) is not a time", v, v)
}

// sqlError turns a driver error into a connector error that says what to do.
func sqlError(ctx context.Context, err error) error {
	if errors.Is(err, models.ErrConnector) || errors.Is(err, models.ErrInvalidQuery) {
		return err
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: the query did not finish within the datasource's query timeout: narrow the time range, add a WHERE clause, or raise queryTimeoutSeconds", models.ErrConnector)
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("%w: the query was cancelled", models.ErrConnector)
	}
	msg := err.Error()
	for _, sign := range []string{"failed to connect", "connection refused", "dial tcp", "authentication failed", "access denied", "invalid connection", "bad connection", "no such host"} {
		if strings.Contains(strings.ToLower(msg), sign) {
			return connectError(ctx, "the database", err)
		}
	}
	if low := strings.ToLower(msg); strings.Contains(low, "readonly") || strings.Contains(low, "read-only") || strings.Contains(low, "read only") {
		return fmt.Errorf("%w: connectors are read-only (%s): use a SELECT", models.ErrConnector, msg)
	}
	// The SQL is at fault: name the field so that editors can mark it.
	return &models.FieldError{Field: "rawSql", Msg: "SQL error: " + msg + ": fix the query", Kind: models.ErrConnector}
}
