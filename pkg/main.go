// Command gpx_covenant_kpi is the backend of the Covenant KPI datasource.
package main

import (
	"os"
	// Every IANA zone is built in, so trackers' and agreements' zones load on
	// hosts without a zone database (Windows, minimal containers).
	_ "time/tzdata"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/covenant/contracts/pkg/plugin"
)

// PluginID is the id of the datasource plugin this executable serves.
const PluginID = "covenant-kpi-datasource"

func main() {
	if err := datasource.Manage(PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("covenant datasource stopped", "error", err)
		os.Exit(1)
	}
}
