package plugin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/covenant/contracts/pkg/models"
)

// keepFields narrows time-series frames to the named figures (and their time
// field), so that an alert rule's reduce sees one series per frame (a frame with
// one figure is typed timeseries-multi); an unknown
// name is refused with the names there are. Frames without those figures (a
// milestone's) are dropped.
func keepFields(frames data.Frames, names []string) (data.Frames, error) {
	if len(names) == 0 {
		return frames, nil
	}
	var out data.Frames
	for _, f := range frames {
		var known []string
		kept := []*data.Field{}
		for _, fl := range f.Fields {
			if fl.Name == "time" {
				kept = append(kept, fl)
				continue
			}
			known = append(known, fl.Name)
			if slices.Contains(names, fl.Name) {
				kept = append(kept, fl)
			}
		}
		for _, n := range names {
			if !slices.Contains(known, n) && f.Fields[len(f.Fields)-1].Name != "fired" {
				return nil, models.QueryFieldError("fields", fmt.Sprintf("%q is not a figure of these frames: use some of %s", n, strings.Join(known, ", ")))
			}
		}
		if len(kept) > 1 {
			f.Fields = kept
			// One value per frame: the data plane's "multi" kind, which Grafana's
			// expressions read as one series per frame (a "wide" kind is one frame).
			if len(kept) == 2 && f.Meta != nil {
				f.Meta.Type, f.Meta.TypeVersion = data.FrameTypeTimeSeriesMulti, data.FrameTypeVersion{0, 1}
			}
			out = append(out, f)
		}
	}
	return out, nil
}
