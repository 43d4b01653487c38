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
// watermark column: the query's row count over the range and the column's
// maximum, in one statement under the connector's read-only guard. A row
// added, removed or changed (with its watermark column set) changes one of
// them.
func (p *pusher) Watermark(ctx context.Context, r Request) (string, bool, error) {
	if r.WatermarkColumn == "" {
		return "", false, nil
	}
	if err := r.Check(p.kind); err != nil {
		return "", false, err
	}
	inner, args, err := ExpandMacros(r.RawSQL, r.From, r.To, r.Key, p.d)
	if err != nil {
		return "", false, err
	}
	s, err := p.probe(ctx, inner, args)
	if err != nil {
		return "", false, err
	}
	col := ""
	for _, name := range s.cols {
		if strings.EqualFold(name, r.WatermarkColumn) {
			col = name
		}
	}
	if col == "" {
		return "", false, models.QueryFieldError("watermarkColumn", fmt.Sprintf("the KPI query returns no column %q (it returns %s): select it in the query, or leave the watermark column empty",
			r.WatermarkColumn, strings.Join(s.cols, ", ")))
	}
	query := "SELECT count(*), max(covenant_watermark." + p.d.quote(col) + ") FROM (" + inner + ") AS covenant_watermark"
	rows, done, err := p.query(ctx, query, args...)
	if err != nil {
		return "", false, sqlError(ctx, err)
	}
	defer done()
	var (
		count int64
		most  sql.NullString
	)
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", false, sqlError(ctx, err)
		}
		return "", false, fmt.Errorf("%w: the watermark query returned no row: report this as a Covenant bug", models.ErrConnector)
	}
	if err := rows.Scan(&count, &most); err != nil {
		return "", false, sqlError(ctx, err)
	}
	return fmt.Sprintf("%d|%t|%s", count, most.Valid, most.String), true, nil
}

// settle is how long after its last write a SQLite file's watermark is
// trusted: a file changed more recently may be changed again within the
// resolution of its modification time, so its cached buckets are checked
// against a watermark that never matches.
const settle = 2 * time.Second

// Watermark implements Watermarker for a SQLite file: the size and
// modification time of the file and of its write-ahead log, which every
// write changes. It needs no watermark column.
func (c *sqliteConnector) Watermark(ctx context.Context, r Request) (string, bool, error) {
	if c.path == "" {
		return c.pusher.Watermark(ctx, r)
	}
	var b strings.Builder
	now := time.Now()
	for _, name := range []string{c.path, c.path + "-wal"} {
		fi, err := os.Stat(name)
		if err != nil {
			if os.IsNotExist(err) && name != c.path {
				continue
			}
			return "", false, fmt.Errorf("%w: SQLite file %q: %v", models.ErrConnector, name, err)
		}
		if now.Sub(fi.ModTime()) < settle {
			return fmt.Sprintf("unsettled %d", now.UnixNano()), true, nil
		}
		fmt.Fprintf(&b, "%d@%d;", fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String(), true, nil
}

// Watermark implements Watermarker for the embedded demo data, which never
// changes: a reloaded dataset is another one.
func (d *DemoDB) Watermark(context.Context, Request) (string, bool, error) {
	return fmt.Sprintf("demo %p %d", d, d.Generated.UnixNano()), true, nil
}
