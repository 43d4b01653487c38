package connector

import (
	"fmt"
	"strings"

	"github.com/covenant/contracts/pkg/models"
)

// KPI SQL is written by anyone who can send a query to the datasource,
// Viewers included, so it is treated as hostile. Each SQL connector makes it
// harmless by construction (a read-only transaction or an authorizer, see
// docs/security.md); this file adds what holds for every dialect: a query is
// exactly one statement that reads, which the scanner below checks on the
// query's tokens (strings, quoted names and comments are skipped, so a ';'
// or a keyword inside them does not count).

// syntax is the lexical flavour of a SQL dialect.
type syntax int

const (
	syntaxSQLite   syntax = iota // '…', "…", `…`, […], -- and /* */
	syntaxPostgres               // '…', E'…', "…", $tag$…$tag$, -- and nested /* */
	syntaxMySQL                  // '…' and "…" with backslash escapes, `…`, --, # and /* */
)

// readStarts are the keywords a reading statement may start with.
var readStarts = map[string]bool{"SELECT": true, "WITH": true, "VALUES": true, "TABLE": true}

// checkStatement refuses a query that is not exactly one statement starting
// with SELECT, WITH, VALUES or TABLE (a trailing ';' is allowed), and on
// MySQL a SELECT … INTO OUTFILE or DUMPFILE, which writes a file on the
// server. The error names rawSql.
func checkStatement(query string, sx syntax) error {
	toks, err := sqlTokens(query, sx)
	if err != nil {
		return models.QueryFieldError("rawSql", err.Error())
	}
	if len(toks) == 0 {
		return models.QueryFieldError("rawSql", "is empty: write one SELECT statement")
	}
	first := toks[0]
	for first == "(" && len(toks) > 1 { // (SELECT …) UNION …
		toks = toks[1:]
		first = toks[0]
	}
	if !readStarts[first] {
		return models.QueryFieldError("rawSql", fmt.Sprintf("starts with %s: only one SELECT (or WITH … SELECT) statement is run; KPI queries read, they never change data", first))
	}
	for i, t := range toks {
		if t == ";" {
			for _, rest := range toks[i+1:] {
				if rest != ";" {
					return models.QueryFieldError("rawSql", "holds more than one statement: remove everything after the first ';' (one SELECT per KPI query)")
				}
			}
			break
		}
		if sx == syntaxMySQL && t == "INTO" && i+1 < len(toks) && (toks[i+1] == "OUTFILE" || toks[i+1] == "DUMPFILE") {
			return models.QueryFieldError("rawSql", "writes a file (INTO "+toks[i+1]+"): KPI queries only read rows")
		}
	}
	return nil
}

// sqlTokens returns a query's words (upper case) and punctuation, one per
// token, without strings, quoted identifiers, numbers and comments (those
// are replaced by "'" so positions still count). An unterminated string or
// comment is an error: the database would read it differently.
func sqlTokens(q string, sx syntax) ([]string, error) {
	var out []string
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(q) && q[i+1] == '-', c == '#' && sx == syntaxMySQL:
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end, err := skipBlockComment(q, i, sx == syntaxPostgres)
			if err != nil {
				return nil, err
			}
			i = end
		case c == '\'' || c == '"' || (c == '`' && sx != syntaxPostgres):
			backslash := sx == syntaxMySQL && c != '`'
			if sx == syntaxPostgres && c == '\'' && i > 0 && (q[i-1] == 'E' || q[i-1] == 'e') && (len(out) == 0 || out[len(out)-1] == "E") {
				backslash = true
			}
			end, err := skipQuoted(q, i, c, backslash)
			if err != nil {
				return nil, err
			}
			if sx == syntaxPostgres && backslash && len(out) > 0 && out[len(out)-1] == "E" {
				out = out[:len(out)-1]
			}
			out = append(out, "'")
			i = end
		case c == '[' && sx == syntaxSQLite:
			end := strings.IndexByte(q[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("has a '[' name that is never closed: close it with ']'")
			}
			out = append(out, "'")
			i += end + 1
		case c == '$' && sx == syntaxPostgres && dollarTag(q[i:]) != "":
			tag := dollarTag(q[i:])
			end := strings.Index(q[i+len(tag):], tag)
			if end < 0 {
				return nil, fmt.Errorf("has a %s-quoted string that is never closed: close it with %s", tag, tag)
			}
			out = append(out, "'")
			i += len(tag) + end + len(tag)
		case isWordByte(c):
			j := i
			for j < len(q) && (isWordByte(q[j]) || q[j] == '$') {
				j++
			}
			out = append(out, strings.ToUpper(q[i:j]))
			i = j
		default:
			out = append(out, string(c))
			i++
		}
	}
	return out, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// skipQuoted returns the index after the quote that closes the one at i
// (a doubled quote stands for itself; with backslash, \x too).
func skipQuoted(q string, i int, quote byte, backslash bool) (int, error) {
	for j := i + 1; j < len(q); j++ {
		switch {
		case backslash && q[j] == '\\':
			j++
		case q[j] == quote:
			if j+1 < len(q) && q[j+1] == quote {
				j++
				continue
			}
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("has a %c that is never closed: close the string or name", quote)
}

// skipBlockComment returns the index after the comment opened at i;
// PostgreSQL nests them.
func skipBlockComment(q string, i int, nested bool) (int, error) {
	depth := 0
	for j := i; j+1 < len(q); j++ {
		switch {
		case q[j] == '/' && q[j+1] == '*' && (nested || depth == 0):
			depth++
			j++
		case q[j] == '*' && q[j+1] == '/':
			depth--
			j++
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("has a /* comment that is never closed: close it with */")
}

// dollarTag returns the $tag$ that opens a PostgreSQL dollar-quoted string at
// the start of s, or "" ($1 is a parameter, not a tag).
func dollarTag(s string) string {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1]
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 || (j > 1 && c >= '0' && c <= '9')) {
			return ""
		}
	}
	return ""
}
