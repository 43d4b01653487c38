package connector

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// RowFunc receives one parsed row; it returns false to stop.
type RowFunc func(t time.Time, v float64, key string) bool

// ParseJSON streams the rows of a JSON document: the array at q.RowsPath (a
// dot path of object keys; "" for a top-level array), each element an object
// whose q.TimeField, q.ValueField and q.KeyField (dot paths) are read. Only
// one row is held in memory at a time.
func ParseJSON(r io.Reader, q models.ConnectorQuery, fn RowFunc) error {
	return parseJSON(r, q, numberValue(q), fn)
}

// valueReader reads a row's value from one field: a number (numberValue), or
// for a business-time KPI the business time from the row's time to the end
// its field holds (endValue).
type valueReader struct {
	field   string // the field's name or path
	setting string // the setting that names it: valueField, endField
	// read turns the field's content (nil when null or empty) into the value.
	read func(start time.Time, raw any) (float64, error)
	hint string // how to fix a content read refuses
}

func numberValue(q models.ConnectorQuery) valueReader {
	return valueReader{field: q.ValueField, setting: "valueField", hint: "give a number or null",
		read: func(_ time.Time, raw any) (float64, error) { return toValue(raw) }}
}

// endValue reads a business-time row's end: null (still open) has no value.
func endValue(q models.ConnectorQuery, b *Business) valueReader {
	field := q.EndField
	if field == "" {
		field = "end"
	}
	return valueReader{field: field, setting: "endField", hint: "give Unix seconds, Unix milliseconds or ISO 8601 text at or after the row's time, or null while it is open",
		read: func(start time.Time, raw any) (float64, error) {
			if s, ok := raw.(string); ok && (strings.TrimSpace(s) == "" || strings.EqualFold(strings.TrimSpace(s), "null")) {
				raw = nil
			}
			end, ok, err := toTime(raw)
			if err != nil || !ok {
				return math.NaN(), err
			}
			return b.Value(start, end)
		}}
}

func parseJSON(r io.Reader, q models.ConnectorQuery, vr valueReader, fn RowFunc) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := seekArray(dec, splitPath(q.RowsPath), q.RowsPath); err != nil {
		return err
	}
	tf, vf, kf := splitPath(q.TimeField), splitPath(vr.field), splitPath(q.KeyField)
	for n := 1; dec.More(); n++ {
		var row any
		if err := dec.Decode(&row); err != nil {
			return jsonError(err, dec)
		}
		obj, ok := row.(map[string]any)
		if !ok {
			return fmt.Errorf("%w: row %d of the JSON array is %s, not an object: point rowsPath at an array of objects", models.ErrConnector, n, jsonKind(row))
		}
		t, v, key, err := mapRow(n, func(path []string) (any, bool) { return lookup(obj, path) }, tf, vf, kf, q, vr)
		if err != nil {
			return err
		}
		if !fn(t, v, key) {
			return nil
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ]
		return jsonError(err, dec)
	}
	return nil
}

// mapRow reads the time, value and key of one row through get.
func mapRow(n int, get func(path []string) (any, bool), tf, vf, kf []string, q models.ConnectorQuery, vr valueReader) (time.Time, float64, string, error) {
	tv, ok := get(tf)
	if !ok {
		return time.Time{}, 0, "", fmt.Errorf("%w: row %d has no field %q: set timeField to the field that holds the row's time", models.ErrConnector, n, q.TimeField)
	}
	t, ok, err := toTime(jsonScalar(tv))
	if err != nil || !ok {
		if err == nil {
			err = errors.New("the time is null")
		}
		return time.Time{}, 0, "", fmt.Errorf("%w: row %d, field %s: %v: give Unix seconds, Unix milliseconds or ISO 8601 text", models.ErrConnector, n, q.TimeField, err)
	}
	vv, ok := get(vf)
	if !ok {
		return time.Time{}, 0, "", fmt.Errorf("%w: row %d has no field %q: set %s to the field that holds the row's %s", models.ErrConnector, n, vr.field, vr.setting, strings.TrimSuffix(vr.setting, "Field"))
	}
	v, err := vr.read(t, jsonScalar(vv))
	if err != nil {
		return time.Time{}, 0, "", fmt.Errorf("%w: row %d, field %s: %v: %s", models.ErrConnector, n, vr.field, err, vr.hint)
	}
	key := ""
	if len(kf) > 0 {
		kv, ok := get(kf)
		if !ok {
			return time.Time{}, 0, "", fmt.Errorf("%w: row %d has no field %q: set keyField to the field that holds the contract key, or clear it", models.ErrConnector, n, q.KeyField)
		}
		if kv != nil {
			key = toString(jsonScalar(kv))
		}
	}
	return t, v, key, nil
}

// jsonScalar turns decoded JSON into the kinds toTime and toValue read.
func jsonScalar(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, err := x.Float64()
		if err != nil {
			return string(x)
		}
		return f
	case map[string]any, []any:
		return fmt.Sprintf("a JSON %s", jsonKind(v))
	}
	return v
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func splitPath(p string) []string {
	p = strings.TrimSpace(p)
	if p == "" {
		return nil
	}
	return strings.Split(p, ".")
}

func lookup(obj map[string]any, path []string) (any, bool) {
	var cur any = obj
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// seekArray advances the decoder into the array at path (past its '[').
func seekArray(dec *json.Decoder, path []string, shown string) error {
	for depth := 0; ; depth++ {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err, dec)
		}
		if depth == len(path) {
			if d, ok := tok.(json.Delim); ok && d == '[' {
				return nil
			}
			where := "the top level"
			if shown != "" {
				where = "rowsPath " + shown
			}
			return fmt.Errorf("%w: %s of the JSON response is not an array: set rowsPath to the dot path of the array of rows, e.g. data.items", models.ErrConnector, where)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return fmt.Errorf("%w: rowsPath %s: %q is not inside a JSON object: check rowsPath", models.ErrConnector, shown, strings.Join(path[:depth], "."))
		}
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return jsonError(err, dec)
			}
			if kt == path[depth] {
				found = true
				break
			}
			if err := skipValue(dec); err != nil {
				return err
			}
		}
		if !found {
			return fmt.Errorf("%w: rowsPath %s: the response has no key %q there: check rowsPath", models.ErrConnector, shown, path[depth])
		}
	}
}

// skipValue skips one JSON value without keeping it.
func skipValue(dec *json.Decoder) error {
	level := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err, dec)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				level++
			} else {
				level--
			}
		}
		if level == 0 {
			return nil
		}
	}
}

func jsonError(err error, dec *json.Decoder) error {
	if errors.Is(err, models.ErrConnector) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: the JSON response ends early (at byte %d): check that the endpoint returns the whole document", models.ErrConnector, dec.InputOffset())
	}
	return fmt.Errorf("%w: the response is not valid JSON near byte %d: %v: check that the endpoint returns JSON", models.ErrConnector, dec.InputOffset(), err)
}

// ParseCSV streams the rows of a CSV document whose first record is a header;
// q.TimeField, q.ValueField and q.KeyField name columns (exactly, else
// ignoring case). An empty value is null.
func ParseCSV(r io.Reader, delim rune, q models.ConnectorQuery, fn RowFunc) error {
	return parseCSV(r, delim, q, csvNumberValue(q), fn)
}

// csvNumberValue is numberValue on CSV text: empty or null is null.
func csvNumberValue(q models.ConnectorQuery) valueReader {
	return valueReader{field: q.ValueField, setting: "valueField", hint: "give a number, or leave it empty for null",
		read: func(_ time.Time, raw any) (float64, error) {
			s := strings.TrimSpace(raw.(string))
			if s == "" || strings.EqualFold(s, "null") {
				return math.NaN(), nil
			}
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a number", s)
			}
			return f, nil
		}}
}

func parseCSV(r io.Reader, delim rune, q models.ConnectorQuery, vr valueReader, fn RowFunc) error {
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: the CSV response is empty: it needs a header row and rows", models.ErrConnector)
		}
		return csvError(err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	col := func(name, setting string) (int, error) {
		for i, h := range header {
			if h == name {
				return i, nil
			}
		}
		for i, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(name)) {
				return i, nil
			}
		}
		return -1, fmt.Errorf("%w: the CSV has no column %q (its header is %s): set %s to one of them", models.ErrConnector, name, strings.Join(header, string(delim)), setting)
	}
	ti, err := col(q.TimeField, "timeField")
	if err != nil {
		return err
	}
	vi, err := col(vr.field, vr.setting)
	if err != nil {
		return err
	}
	ki := -1
	if q.KeyField != "" {
		if ki, err = col(q.KeyField, "keyField"); err != nil {
			return err
		}
	}
	need := max(ti, vi, ki)
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(err)
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if len(rec) <= need {
			return fmt.Errorf("%w: CSV row %d has %d fields, fewer than the header's %d: check the delimiter (%q) and the data", models.ErrConnector, n, len(rec), len(header), string(delim))
		}
		t, ok, err := toTime(rec[ti])
		if err != nil || !ok {
			if err == nil {
				err = errors.New("the time is empty")
			}
			return fmt.Errorf("%w: CSV row %d, column %s: %v: give Unix seconds, Unix milliseconds or ISO 8601 text", models.ErrConnector, n, q.TimeField, err)
		}
		v, err := vr.read(t, rec[vi])
		if err != nil {
			return fmt.Errorf("%w: CSV row %d, column %s: %v: %s", models.ErrConnector, n, vr.field, err, vr.hint)
		}
		key := ""
		if ki >= 0 {
			key = rec[ki]
		}
		if !fn(t, v, key) {
			return nil
		}
	}
}

func csvError(err error) error {
	if errors.Is(err, models.ErrConnector) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%w: the CSV is malformed at line %d, column %d: %v: check quoting and the delimiter", models.ErrConnector, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%w: reading the CSV response: %v", models.ErrConnector, err)
}
