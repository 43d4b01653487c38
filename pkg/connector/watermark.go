package connector

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Watermarks (cache.go): what tells each connector's cached buckets apart
// from changed ones.

var (
	_ Watermarker = (*pusher)(nil)
	_ Watermarker = (*sqliteConnector)(nil)
	_ Watermarker = (*DemoDB)(nil)
)

// Watermark implements Watermarker for a SQL KPI query that declares a
// watermark column: the column's maximum over the range (quick: a row added
// or changed, with its watermark column set, changes it; an index on the
// column makes it a lookup) and, full, the query's row count too (a row
// removed changes it), in one statement under the connector's read-only
// guard.
func (p *pusher) Watermark(ctx context.Context, r Request, full bool) (Mark, bool, error) {
	if r.WatermarkColumn == "" {
		return Mark{}, false, nil
	}
	if err := r.Check(p.kind); err != nil {
		return Mark{}, false, err
	}
	inner, args, err := ExpandMacros(r.RawSQL, r.From, r.To, r.Key, p.d)
	if err != nil {
		return Mark{}, false, err
	}
	s, err := p.probe(ctx, inner, args)
	if err != nil {
		return Mark{}, false, err
	}
	col := ""
	for _, name := range s.cols {
		if strings.EqualFold(name, r.WatermarkColumn) {
			col = name
		}
	}
	if col == "" {
		return Mark{}, false, models.QueryFieldError("watermarkColumn", fmt.Sprintf("the KPI query returns no column %q (it returns %s): select it in the query, or leave the watermark column empty",
			r.WatermarkColumn, strings.Join(s.cols, ", ")))
	}
	count := "-1"
	if full {
		count = "count(*)"
	}
	query := "SELECT " + count + ", max(covenant_watermark." + p.d.quote(col) + ") FROM (" + inner + ") AS covenant_watermark"
	rows, done, err := p.query(ctx, query, args...)
	if err != nil {
		return Mark{}, false, sqlError(ctx, err)
	}
	defer done()
	var (
		n    int64
		most sql.NullString
	)
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Mark{}, false, sqlError(ctx, err)
		}
		return Mark{}, false, fmt.Errorf("%w: the watermark query returned no row: report this as a Covenant bug", models.ErrConnector)
	}
	if err := rows.Scan(&n, &most); err != nil {
		return Mark{}, false, sqlError(ctx, err)
	}
	quick := fmt.Sprintf("%t|%s", most.Valid, most.String)
	return Mark{Quick: quick, Full: fmt.Sprintf("%d|%s", n, quick)}, true, nil
}

// settle is how long after its last write a SQLite file's watermark is
// trusted: a file changed more recently may be changed again within the
// resolution of its modification time, so its cached buckets are checked
// against a watermark that never matches.
const settle = 2 * time.Second

// Watermark implements Watermarker for a SQLite file: the size and
// modification time of the file and of its write-ahead log, which every
// write changes. It needs no watermark column.
func (c *sqliteConnector) Watermark(ctx context.Context, r Request, full bool) (Mark, bool, error) {
	if c.path == "" {
		return c.pusher.Watermark(ctx, r, full)
	}
	var b strings.Builder
	now := time.Now()
	for _, name := range []string{c.path, c.path + "-wal"} {
		fi, err := os.Stat(name)
		if err != nil {
			if os.IsNotExist(err) && name != c.path {
				continue
			}
			return Mark{}, false, fmt.Errorf("%w: SQLite file %q: %v", models.ErrConnector, name, err)
		}
		if now.Sub(fi.ModTime()) < settle {
			m := fmt.Sprintf("unsettled %d", now.UnixNano())
			return Mark{Quick: m, Full: m}, true, nil
		}
		fmt.Fprintf(&b, "%d@%d;", fi.Size(), fi.ModTime().UnixNano())
	}
	return Mark{Quick: b.String(), Full: b.String()}, true, nil
}

// Watermark implements Watermarker for the embedded demo data, which never
// changes: a reloaded dataset is another one.
func (d *DemoDB) Watermark(context.Context, Request, bool) (Mark, bool, error) {
	m := fmt.Sprintf("demo %p %d", d, d.Generated.UnixNano())
	return Mark{Quick: m, Full: m}, true, nil
}
