package connector

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Dialect says how a SQL database takes bound parameters and time values.
type Dialect interface {
	// Placeholder returns the bind marker for the n-th (1-based) parameter.
	Placeholder(n int) string
	// TimeArg converts an instant to the value bound for time macros.
	TimeArg(t time.Time) any
}

var macroRe = regexp.MustCompile(`\$__([A-Za-z]+)(\(([^()]*)\))?`)

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$`)

// ExpandMacros replaces Covenant's SQL macros with bind markers and returns
// the SQL and its arguments. Values are always bound, never spliced:
//
//	$__timeFrom            start of the query range
//	$__timeTo              end of the query range (exclusive)
//	$__timeFilter(column)  (column >= start AND column < end)
//	$__key                 the contract key
func ExpandMacros(sql string, from, to time.Time, key string, d Dialect) (string, []any, error) {
	var args []any
	var firstErr error
	bind := func(v any) string {
		args = append(args, v)
		return d.Placeholder(len(args))
	}
	out := macroRe.ReplaceAllStringFunc(sql, func(m string) string {
		if firstErr != nil {
			return m
		}
		parts := macroRe.FindStringSubmatch(m)
		name, hasArgs, arg := parts[1], parts[2] != "", strings.TrimSpace(parts[3])
		switch name {
		case "timeFrom", "timeTo", "key":
			if hasArgs {
				firstErr = models.QueryFieldError("rawSql", fmt.Sprintf("$__%s takes no arguments: write $__%s", name, name))
				return m
			}
			switch name {
			case "timeFrom":
				return bind(d.TimeArg(from))
			case "timeTo":
				return bind(d.TimeArg(to))
			}
			return bind(key)
		case "timeFilter":
			if !identRe.MatchString(arg) {
				firstErr = models.QueryFieldError("rawSql", fmt.Sprintf("$__timeFilter needs one column name, got %q: write $__timeFilter(time)", arg))
				return m
			}
			lo := bind(d.TimeArg(from))
			hi := bind(d.TimeArg(to))
			return "(" + arg + " >= " + lo + " AND " + arg + " < " + hi + ")"
		}
		firstErr = models.QueryFieldError("rawSql", fmt.Sprintf("unknown macro $__%s: use $__timeFrom, $__timeTo, $__timeFilter(column) or $__key", name))
		return m
	})
	if firstErr != nil {
		return "", nil, firstErr
	}
	return out, args, nil
}
