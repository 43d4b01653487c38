package models

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// schemeRe matches a path that starts like an absolute URL ("http:", "file:").
var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// HTTPPathProblem says why an HTTP connector query's path could leave the
// connector's base path, or "" when it cannot. Only the part before the
// first ? or # is a path; the query string is not checked. The path is
// checked as written and once percent-decoded, so that "..", "%2e%2e",
// "%2E%2e" and "..%2f" are refused alike, and a path still holding
// %2e, %2f or %5c after one decoding (written "%252e") is refused as
// encoded twice. Backslashes (which some servers read as /), a leading
// "//" or any empty segment (which can name another host), and absolute
// URLs are refused too.
func HTTPPathProblem(path string) string {
	p := path
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if p == "" {
		return ""
	}
	if strings.Contains(p, `\`) {
		return "has a backslash, which some servers read as /"
	}
	if strings.Contains(p, "://") || schemeRe.MatchString(p) && !strings.HasPrefix(p, "/") {
		return "is an absolute URL; the host comes from the connector's url"
	}
	dec, err := url.PathUnescape(p)
	if err != nil {
		return "has a malformed %-escape"
	}
	if !utf8.ValidString(dec) {
		return "decodes to bytes that are not UTF-8"
	}
	if strings.Contains(dec, `\`) {
		return "has an encoded backslash (%5C), which some servers read as /"
	}
	if strings.Contains(dec, "://") {
		return "is an encoded absolute URL; the host comes from the connector's url"
	}
	low := strings.ToLower(dec)
	for _, enc := range []string{"%2e", "%2f", "%5c"} {
		if strings.Contains(low, enc) {
			return "is percent-encoded twice (" + enc + " after one decoding)"
		}
	}
	if strings.Contains(dec, "//") {
		return "has an empty segment (//), which can name another host"
	}
	for _, seg := range strings.Split(dec, "/") {
		// "..;x" is ".." to servers that drop path parameters.
		if before, _, _ := strings.Cut(seg, ";"); before == ".." {
			return "has a .. segment"
		}
	}
	return ""
}

// CheckHTTPPath returns a FieldError on path when the path could leave the
// connector's base path; what says which path it is ("" for the path as
// written, or e.g. "after its macros are replaced").
func CheckHTTPPath(path, what string) error {
	problem := HTTPPathProblem(path)
	if problem == "" {
		return nil
	}
	shown := path
	if len(shown) > 120 {
		shown = shown[:120] + "…"
	}
	if what != "" {
		what = " " + what
	}
	return QueryFieldError("path", fmt.Sprintf("%q%s %s: a path must stay below the connector's url, so give a relative path such as /tickets.json (macros that may hold / or .. belong in the query string, e.g. ?contract=$__key)", shown, what, problem))
}
