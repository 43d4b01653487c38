package connector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/covenant/contracts/pkg/models"
)

// A SQL connector's tables and columns, for the editors' completion. They
// are read with the connector's own read-only path, under the same guards as
// KPI SQL (one reading statement; a READ ONLY transaction rolled back, or the
// SQLite authorizer), and bounded by SchemaLimits.

// Schema is what tables (and views) a SQL connector reads, with their columns.
type Schema struct {
	Tables []SchemaTable `json:"tables"`
	// Truncated: there are more tables or columns than the limits let through.
	Truncated bool `json:"truncated"`
}

// SchemaTable is one table or view.
type SchemaTable struct {
	Name string `json:"name"`
	// Schema is the database schema it is in (PostgreSQL, MySQL), when known.
	Schema      string         `json:"schema,omitempty"`
	Description string         `json:"description,omitempty"`
	Columns     []SchemaColumn `json:"columns"`
}

// SchemaColumn is one column of a table; Type is the declared type, if any.
type SchemaColumn struct {
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
}

// SchemaLimits bounds the tables and the columns (of all tables together) a
// schema holds.
type SchemaLimits struct{ Tables, Columns int }

// DefaultSchemaLimits are the resource API's limits.
var DefaultSchemaLimits = SchemaLimits{Tables: 500, Columns: 10000}

// SchemaReader is a connector that can list its tables: the SQL ones.
type SchemaReader interface {
	Schema(ctx context.Context, lim SchemaLimits) (*Schema, error)
}

var (
	_ SchemaReader = (*sqliteConnector)(nil)
	_ SchemaReader = (*postgresConnector)(nil)
	_ SchemaReader = (*mysqlConnector)(nil)
	_ SchemaReader = (*DemoDB)(nil)
)

// schemaBuilder collects catalog rows (ordered by table) within the limits.
type schemaBuilder struct {
	lim     SchemaLimits
	out     Schema
	columns int
}

func newSchemaBuilder(lim SchemaLimits) *schemaBuilder {
	return &schemaBuilder{lim: lim, out: Schema{Tables: []SchemaTable{}}}
}

// table starts a table unless the table limit is reached (then the schema is truncated).
func (b *schemaBuilder) table(schema, name, description string) bool {
	if len(b.out.Tables) >= b.lim.Tables {
		b.out.Truncated = true
		return false
	}
	b.out.Tables = append(b.out.Tables, SchemaTable{Name: name, Schema: schema, Description: description, Columns: []SchemaColumn{}})
	return true
}

// column adds a column to the last table unless the column limit is reached.
func (b *schemaBuilder) column(name, typ string) bool {
	if b.columns >= b.lim.Columns || len(b.out.Tables) == 0 {
		b.out.Truncated = true
		return false
	}
	b.columns++
	t := &b.out.Tables[len(b.out.Tables)-1]
	t.Columns = append(t.Columns, SchemaColumn{Name: name, Type: typ})
	return true
}

// row adds one catalog row (schema, table, column, type), starting a table
// when the row's differs from the last one.
func (b *schemaBuilder) row(schema, table, column, typ string) bool {
	if n := len(b.out.Tables); n == 0 || b.out.Tables[n-1].Name != table || b.out.Tables[n-1].Schema != schema {
		if !b.table(schema, table, "") {
			return false
		}
	}
	return b.column(column, typ)
}

// Schema implements SchemaReader for the SQL connectors.
func (c *sqlConnector) Schema(ctx context.Context, lim SchemaLimits) (*Schema, error) {
	var s *Schema
	var err error
	switch c.kind {
	case models.ConnectorPostgres:
		s, err = c.catalog(ctx, postgresCatalog, lim, lim.Columns+1)
	case models.ConnectorMySQL:
		s, err = c.catalog(ctx, mysqlCatalog, lim, lim.Columns+1)
	default:
		s, err = c.sqliteSchema(ctx, lim)
	}
	if err != nil {
		return nil, schemaError(ctx, c.name, err)
	}
	return s, nil
}

// postgresCatalog lists the columns of the tables and views in the schemas of
// the session's search_path (those that exist), in search_path order, leaving
// out the system schemas. information_schema shows only what the user may use.
const postgresCatalog = `SELECT c.table_schema::text, c.table_name::text, c.column_name::text,
  CASE WHEN c.data_type IN ('USER-DEFINED', 'ARRAY') THEN c.udt_name::text ELSE c.data_type::text END
FROM information_schema.columns c
WHERE c.table_schema::text = ANY (current_schemas(false)::text[])
  AND c.table_schema::text NOT IN ('pg_catalog', 'information_schema') AND c.table_schema::text NOT LIKE 'pg\_%'
ORDER BY array_position(current_schemas(false)::text[], c.table_schema::text), c.table_name, c.ordinal_position
LIMIT $1`

// mysqlCatalog lists the columns of the tables and views of the connection's
// database, unless it is a system schema.
const mysqlCatalog = `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
ORDER BY TABLE_NAME, ORDINAL_POSITION
LIMIT ?`

// catalog reads (schema, table, column, type) rows ordered by table.
func (c *sqlConnector) catalog(ctx context.Context, query string, lim SchemaLimits, args ...any) (*Schema, error) {
	rows, done, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	b := newSchemaBuilder(lim)
	for rows.Next() {
		var schema, table, column string
		var typ sql.NullString
		if err := rows.Scan(&schema, &table, &column, &typ); err != nil {
			return nil, err
		}
		if !b.row(schema, table, column, typ.String) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return &b.out, nil
}

// sqliteSchema lists the tables and views of sqlite_master, then each one's
// columns and declared types from a LIMIT 0 query: PRAGMA table_info (and its
// table-valued function) is denied by the read-only authorizer, which stays
// as it is.
func (c *sqlConnector) sqliteSchema(ctx context.Context, lim SchemaLimits) (*Schema, error) {
	names, err := c.sqliteTables(ctx, lim.Tables+1)
	if err != nil {
		return nil, err
	}
	b := newSchemaBuilder(lim)
	for _, name := range names {
		if !b.table("", name, "") {
			break
		}
		cols, err := c.sqliteColumns(ctx, name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			continue // a broken view: listed, without columns
		}
		full := false
		for _, col := range cols {
			if !b.column(col.Name, col.Type) {
				full = true
				break
			}
		}
		if full {
			break
		}
	}
	return &b.out, nil
}

// sqliteTables names up to limit tables and views, by name, without SQLite's own.
func (c *sqlConnector) sqliteTables(ctx context.Context, limit int) ([]string, error) {
	rows, done, err := c.query(ctx, `SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer done()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// sqliteColumns reads a table's columns and declared types without reading a row.
func (c *sqlConnector) sqliteColumns(ctx context.Context, table string) ([]SchemaColumn, error) {
	rows, done, err := c.query(ctx, `SELECT * FROM "`+strings.ReplaceAll(table, `"`, `""`)+`" LIMIT 0`)
	if err != nil {
		return nil, err
	}
	defer done()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := make([]SchemaColumn, len(types))
	for i, t := range types {
		out[i] = SchemaColumn{Name: t.Name(), Type: t.DatabaseTypeName()}
	}
	return out, nil
}

// Schema implements SchemaReader: the tables of DemoTables, in their order
// and with their descriptions, the types from the demo database itself.
func (d *DemoDB) Schema(ctx context.Context, lim SchemaLimits) (*Schema, error) {
	b := newSchemaBuilder(lim)
	for _, t := range DemoTables {
		if !b.table("", t.Name, t.Description) {
			break
		}
		types := map[string]string{}
		cols, err := d.conn.sqliteColumns(ctx, t.Name)
		if err != nil {
			return nil, schemaError(ctx, models.DemoConnector, err)
		}
		for _, c := range cols {
			types[c.Name] = c.Type
		}
		full := false
		for _, c := range t.Columns {
			if !b.column(c, types[c]) {
				full = true
				break
			}
		}
		if full {
			break
		}
	}
	return &b.out, nil
}

// schemaError says which connector's tables could not be listed, and why.
func schemaError(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w: connector %q: listing its tables did not finish within the datasource's query timeout (queryTimeoutSeconds): %w", models.ErrConnector, name, ctx.Err())
	}
	e := sqlError(ctx, err)
	var fe *models.FieldError
	if errors.As(e, &fe) { // not the KPI's SQL: no field to name
		return fmt.Errorf("%w: connector %q: cannot list its tables: %v", models.ErrConnector, name, err)
	}
	return fmt.Errorf("connector %q: cannot list its tables: %w", name, e)
}
