package plugin

import (
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/kpi"
	"github.com/covenant/contracts/pkg/models"
)

// ragMappings show RAG codes as words and colours in Grafana's built-in panels.
var ragMappings = data.ValueMappings{
	data.ValueMapper{
		"0": data.ValueMappingResult{Text: "Green", Color: "green", Index: 0},
		"1": data.ValueMappingResult{Text: "Amber", Color: "orange", Index: 1},
		"2": data.ValueMappingResult{Text: "Red", Color: "red", Index: 2},
	},
}

func ragThresholds() *data.ThresholdsConfig {
	return &data.ThresholdsConfig{Mode: data.ThresholdsModeAbsolute, Steps: []data.Threshold{
		{Value: data.ConfFloat64(math.Inf(-1)), Color: "green"},
		{Value: data.ConfFloat64(kpi.Amber), Color: "orange"},
		{Value: data.ConfFloat64(kpi.Red), Color: "red"},
	}}
}

// figureLabels are a field's labels: its series' (contract, tracker…) and the
// figure it holds, so that every series an alert rule sees is unique and named
// even when the query keeps every figure.
func figureLabels(labels data.Labels, figure string) data.Labels {
	l := labels.Copy()
	l["figure"] = figure
	return l
}

// seriesFrame builds a tracker's frame: a data-plane wide time series with
// one number field per figure, each labelled with contract, tracker, kpi and counterparty.
func seriesFrame(def models.TrackerDef, s kpi.Series, labels data.Labels) *data.Frame {
	f := s.Figures
	n := len(f.Actual)
	times := make([]time.Time, n)
	copy(times, f.Start)
	num := func(name, display, unit string, vals []float64) *data.Field {
		out := make([]*float64, n)
		for i, v := range vals {
			if !math.IsNaN(v) {
				x := v
				out[i] = &x
			}
		}
		field := data.NewField(name, figureLabels(labels, name), out)
		field.Config = &data.FieldConfig{DisplayNameFromDS: def.Name + " " + display, Unit: unit}
		return field
	}
	misses := make([]*float64, n)
	for i, c := range f.Consecutive {
		v := float64(c)
		misses[i] = &v
	}
	unit := kpi.FigureUnit(def)
	actual := num("actual", "actual", unit, f.Actual)
	target := num("target", "target", unit, f.Target)
	target.Config.Custom = map[string]any{"lineStyle": map[string]any{"fill": "dash", "dash": []int{10, 10}}, "lineInterpolation": "stepAfter"}
	lo, hi := data.ConfFloat64(kpi.Green), data.ConfFloat64(kpi.Red)
	ragField := func(name, display string, vals []float64) *data.Field {
		rag := num(name, display, "none", vals)
		rag.Config.Mappings = ragMappings
		rag.Config.Thresholds = ragThresholds()
		rag.Config.Min, rag.Config.Max = &lo, &hi
		return rag
	}
	// rag and met judge closed buckets only (an alert rule's last value is the last
	// judged bucket); the open bucket's figures so far are in the provisional fields.
	rag := ragField("rag", "RAG", f.RAG)
	met := num("met", "met", "bool_yes_no", f.Met)
	ragProv := ragField("rag_provisional", "RAG (provisional)", f.RAGProvisional)
	metProv := num("met_provisional", "met (provisional)", "bool_yes_no", f.MetProvisional)
	missField := data.NewField("consecutive_misses", figureLabels(labels, "consecutive_misses"), misses)
	missField.Config = &data.FieldConfig{DisplayNameFromDS: def.Name + " consecutive misses", Unit: "none", Decimals: ptrUint16(0)}

	frame := data.NewFrame(def.Name,
		data.NewField("time", nil, times),
		actual, target,
		num("variance", "variance", unit, f.Variance),
		num("variance_pct", "variance %", "percent", f.VariancePct),
		rag, met, missField, ragProv, metProv,
	)
	if f.Working != nil {
		frame.Fields = append(frame.Fields, workingField(def, f.Working, labels))
	}
	custom := map[string]any{
		"interval": def.Interval, "timezone": def.Timezone, "method": def.Method, "direction": def.Direction(),
		"trend": trendMeta(s.Trend),
	}
	for i := n - 1; i >= 0; i-- {
		if !f.Closed[i] {
			custom["openBucket"] = f.Start[i]
			break
		}
	}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}, Custom: custom}
	return frame
}

func trendMeta(t kpi.Trend) map[string]any {
	m := map[string]any{"direction": t.Direction, "points": t.Points}
	if !math.IsNaN(t.Slope) {
		m["slope"] = t.Slope
	}
	if !t.Crossing.IsZero() {
		m["projectedCrossing"] = t.Crossing
	}
	return m
}

func ptrUint16(v uint16) *uint16 { return &v }

// workingField is each bucket's business time under the tracker's service
// calendar, in seconds (0: the bucket is not evaluated). Grafana's own graphs
// hide it (it is not a figure to plot against the target); tooltips and
// tables show it.
func workingField(def models.TrackerDef, working []time.Duration, labels data.Labels) *data.Field {
	secs := make([]float64, len(working))
	for i, w := range working {
		secs[i] = w.Seconds()
	}
	field := data.NewField("working", figureLabels(labels, "working"), secs)
	field.Config = &data.FieldConfig{DisplayNameFromDS: def.Name + " working time", Unit: "s", Decimals: ptrUint16(0),
		Custom: map[string]any{"hideFrom": map[string]any{"viz": true, "legend": true, "tooltip": false}}}
	return field
}
