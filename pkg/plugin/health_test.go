package plugin

import (
	"context"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func TestCheckHealth(t *testing.T) {
	setupDemo(t)
	tests := []struct {
		name, settings string
		wantStatus     backend.HealthStatus
		wantText       string
	}{
		{"demo ready", `{}`, backend.HealthStatusOk, "Covenant is ready. Demo connector: 3 contracts"},
		{"demo disabled", `{"demoDisabled":true}`, backend.HealthStatusOk, "demo connector is disabled"},
		{"invalid settings", `{"maxPreviewRows":-4}`, backend.HealthStatusError, "maxPreviewRows: -4 is out of range"},
		{"settings not JSON", `{"writeRole":`, backend.HealthStatusError, "jsonData is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.settings)
			res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.wantStatus || !strings.Contains(res.Message, tt.wantText) {
				t.Fatalf("got %v %q, want %v containing %q", res.Status, res.Message, tt.wantStatus, tt.wantText)
			}
		})
	}
}
