package engine

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/covenant/contracts/pkg/connector"
	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/ledger"
	"github.com/covenant/contracts/pkg/models"
	"github.com/covenant/contracts/pkg/registry"
)

// BucketRows are the KPI rows behind one bucket of a covered tracker, fetched
// through its connector now, with the bucket's actual computed from them.
type BucketRows struct {
	Start, End time.Time
	Rows       kpi.Rows // in time order
	Actual     float64  // NaN: none
}

// bucketRows fetches the rows behind the bucket starting at start of
// assignment on agreement g's contract: the rows the tracker reads (working
// time only when it counts only that), in time order.
func (e *Engine) bucketRows(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, assignment string, start time.Time, field string) (BucketRows, error) {
	a := snap.Assignment(g.ContractID, assignment)
	if a == nil {
		return BucketRows{}, models.InputFieldError(field+".assignmentId", fmt.Sprintf("%q is not an assignment of contract %q", assignment, g.ContractID))
	}
	def, err := assignedDef(snap, a)
	if err != nil {
		return BucketRows{}, err
	}
	t, _, _, err := e.compileTracker(ctx, def, field)
	if err != nil {
		return BucketRows{}, err
	}
	starts, err := kpi.Buckets(start, start.Add(time.Nanosecond), t.Interval, t.Location)
	if err != nil {
		return BucketRows{}, err
	}
	if len(starts) < 2 || !starts[0].Equal(start) {
		return BucketRows{}, models.InputFieldError(field+".bucket", fmt.Sprintf("%s is not the start of one of the tracker's buckets", start.UTC().Format(time.RFC3339)))
	}
	c, err := e.Connector(ctx, def.KPI.Connector)
	if err != nil {
		return BucketRows{}, err
	}
	business, err := e.business(ctx, def.KPI, field)
	if err != nil {
		return BucketRows{}, err
	}
	rows, err := c.Rows(ctx, connector.Request{ConnectorQuery: def.KPI.ConnectorQuery, From: starts[0], To: starts[1], Key: a.Key, Business: business})
	if err != nil {
		return BucketRows{}, models.PrefixField(err, field+".kpi.", "rawSql")
	}
	rows = kpi.KeepRows(rows, t.Keep)
	sortRows(&rows)
	return BucketRows{Start: starts[0], End: starts[1], Rows: rows, Actual: kpi.Aggregate(rows, starts[:2], t.Method, def.Condition)[0]}, nil
}

// sortRows puts rows in time order, keeping the order of rows at one time.
func sortRows(r *kpi.Rows) {
	idx := make([]int, len(r.Times))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return r.Times[idx[a]] < r.Times[idx[b]] })
	out := kpi.Rows{Times: make([]int64, len(idx)), Values: make([]float64, len(idx))}
	if r.Open != nil {
		out.Open = make([]bool, len(idx))
	}
	for i, j := range idx {
		out.Times[i], out.Values[i] = r.Times[j], r.Values[j]
		if r.Open != nil {
			out.Open[i] = r.Open[j]
		}
	}
	*r = out
}

// Digest is the SHA-256 (hex) of the rows' times (Unix ns), values (IEEE
// 754 bits; every NaN alike) and open flags, in time order.
func (b BucketRows) Digest() string {
	h := sha256.New()
	var buf [17]byte
	for i, ns := range b.Rows.Times {
		v := b.Rows.Values[i]
		bits := math.Float64bits(v)
		if math.IsNaN(v) {
			bits = math.Float64bits(math.NaN())
		}
		binary.BigEndian.PutUint64(buf[:8], uint64(ns))
		binary.BigEndian.PutUint64(buf[8:16], bits)
		buf[16] = 0
		if b.Rows.Open != nil && b.Rows.Open[i] {
			buf[16] = 1
		}
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Evidence is the rows' evidence against the actual the period's inputs hold.
func (b BucketRows) Evidence(atClose float64) *ledger.RowsEvidence {
	num := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return &ledger.RowsEvidence{Rows: len(b.Rows.Times), Digest: b.Digest(), Actual: num(b.Actual), AtClose: num(atClose), Changed: !ledger.SameFigure(b.Actual, atClose)}
}

// cite records the evidence of each dispute item that asks to cite its
// bucket's rows (a bucket item only); in are the inputs of the result disputed.
func (e *Engine) cite(ctx context.Context, snap *registry.Snapshot, g *models.Agreement, in *ledger.Inputs, items []ledger.Item) error {
	for i := range items {
		it := &items[i]
		it.Evidence = nil
		if !it.Cite {
			continue
		}
		field := fmt.Sprintf("items[%d]", i)
		if it.Bucket == nil {
			return models.InputFieldError(field+".cite", "cites the rows behind a bucket: name the bucket, or leave cite out")
		}
		rows, err := e.bucketRows(ctx, snap, g, it.Assignment, *it.Bucket, field)
		if err != nil {
			return err
		}
		atClose, _ := in.BucketActual(it.Assignment, *it.Bucket)
		it.Evidence = rows.Evidence(atClose)
	}
	return nil
}
