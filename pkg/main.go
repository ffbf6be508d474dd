// Command gpx_streaming is the Tickstream backend plugin executable that
// Grafana starts.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/tickstream/streaming/pkg/plugin"
)

func main() {
	// Manage serves Grafana's requests until the process is told to stop,
	// creating an instance per data source and replacing it when its
	// settings change.
	if err := datasource.Manage("tickstream-streaming-datasource", plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Plugin stopped", "error", err)
		os.Exit(1)
	}
}
