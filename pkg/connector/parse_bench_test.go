package connector

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/covenant/contracts/pkg/models"
)

// Parsing 1M rows of JSON and CSV (docs/benchmarks.md):
//
//	go test -run x -bench Parse -benchtime 3x -benchmem ./pkg/connector/
const benchRows = 1_000_000

func benchDocs() (jsonDoc, csvDoc []byte) {
	var j, c bytes.Buffer
	j.WriteString(`{"meta":{"count":1000000},"data":{"items":[`)
	c.WriteString("time,value,contract\n")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := 0; i < benchRows; i++ {
		if i > 0 {
			j.WriteByte(',')
		}
		t := time.Unix(start+int64(i)*31, 0).UTC().Format(time.RFC3339)
		v := float64(i%1000) / 7
		fmt.Fprintf(&j, `{"time":"%s","value":%.4f,"contract":"acme"}`, t, v)
		fmt.Fprintf(&c, "%s,%.4f,acme\n", t, v)
	}
	j.WriteString(`]}}`)
	return j.Bytes(), c.Bytes()
}

func BenchmarkParse(b *testing.B) {
	jsonDoc, csvDoc := benchDocs()
	q := models.ConnectorQuery{RowsPath: "data.items", TimeField: "time", ValueField: "value", KeyField: "contract"}
	for _, tt := range []struct {
		name  string
		doc   []byte
		parse func(doc []byte, fn RowFunc) error
	}{
		{"json", jsonDoc, func(doc []byte, fn RowFunc) error { return ParseJSON(bytes.NewReader(doc), q, fn) }},
		{"csv", csvDoc, func(doc []byte, fn RowFunc) error { return ParseCSV(bytes.NewReader(doc), ',', q, fn) }},
	} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.doc)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n := 0
				if err := tt.parse(tt.doc, func(time.Time, float64, string) bool { n++; return true }); err != nil || n != benchRows {
					b.Fatalf("%d rows, %v", n, err)
				}
			}
			b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
