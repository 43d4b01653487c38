package plugin

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/covenant/contracts/pkg/connector"
)

// TestMain keeps every registry store of the package's tests in a temporary folder.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "covenant-plugin-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("GF_PLUGIN_STORE_DIR", dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// demoEnd pins the demo data so frames are reproducible.
var demoEnd = time.Date(2026, 3, 15, 12, 30, 0, 0, time.UTC)

// setupDemo pins the shared demo dataset for a test.
func setupDemo(t *testing.T) *connector.DemoDB {
	t.Helper()
	db, err := connector.OpenDemo(context.Background(), demoEnd)
	if err != nil {
		t.Fatal(err)
	}
	restore := connector.UseDemo(db)
	t.Cleanup(func() {
		restore()
		_ = db.Close()
	})
	return db
}

// newTestDatasource builds an instance from jsonData, as Grafana would: in org 1,
// whose id comes with the plugin context of the call that creates the instance.
func newTestDatasource(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	ctx := backend.WithPluginContext(context.Background(), pluginCtx("Admin"))
	inst, err := NewDatasource(ctx, backend.DataSourceInstanceSettings{UID: "covenant", JSONData: json.RawMessage(jsonData)})
	if err != nil {
		t.Fatal(err)
	}
	return inst.(*Datasource)
}

func pluginCtx(role string) backend.PluginContext {
	return backend.PluginContext{OrgID: 1, User: &backend.User{Login: "u-" + role, Role: role}}
}
