package connector

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

type pgDialect struct{}

func (pgDialect) Placeholder(n int) string { return "$" + string(rune('0'+n)) }
func (pgDialect) TimeArg(t time.Time) any  { return t }

func TestExpandMacros(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(time.Hour)
	tests := []struct {
		name     string
		sql      string
		d        Dialect
		want     string
		wantArgs []any
		wantErr  string
	}{
		{name: "no macros", sql: "SELECT 1", d: SQLiteUnixDialect{}, want: "SELECT 1"},
		{name: "time filter and key", sql: "SELECT * FROM t WHERE $__timeFilter(ts) AND k = $__key", d: SQLiteUnixDialect{},
			want: "SELECT * FROM t WHERE (ts >= ? AND ts < ?) AND k = ?", wantArgs: []any{from.Unix(), to.Unix(), "o'brien"}},
		{name: "qualified column", sql: "WHERE $__timeFilter( t.time )", d: SQLiteUnixDialect{},
			want: "WHERE (t.time >= ? AND t.time < ?)", wantArgs: []any{from.Unix(), to.Unix()}},
		{name: "from and to numbered", sql: "BETWEEN $__timeFrom AND $__timeTo", d: pgDialect{},
			want: "BETWEEN $1 AND $2", wantArgs: []any{from, to}},
		{name: "unknown macro", sql: "SELECT $__unixEpochFilter(t)", d: SQLiteUnixDialect{}, wantErr: "unknown macro $__unixEpochFilter"},
		{name: "filter without column", sql: "WHERE $__timeFilter()", d: SQLiteUnixDialect{}, wantErr: "$__timeFilter needs one column name"},
		{name: "filter with an expression", sql: "WHERE $__timeFilter(1); DROP TABLE x)", d: SQLiteUnixDialect{}, wantErr: "needs one column name"},
		{name: "key with arguments", sql: "WHERE k = $__key(x)", d: SQLiteUnixDialect{}, wantErr: "$__key takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, args, err := ExpandMacros(tt.sql, from, to, "o'brien", tt.d)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, models.ErrInvalidQuery) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an invalid-query error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("sql %q, want %q", got, tt.want)
			}
			if len(args) != len(tt.wantArgs) || (len(args) > 0 && !reflect.DeepEqual(args, tt.wantArgs)) {
				t.Fatalf("args %v, want %v", args, tt.wantArgs)
			}
		})
	}
}
