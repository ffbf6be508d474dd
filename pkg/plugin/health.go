package plugin

import (
	"context"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/jsnum"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// CheckHealth answers "Save & test": broken settings are an error naming
// each bad setting and where to fix it; otherwise it reports the settings
// in force, what the running streams take of maxStreams and
// maxTotalPointsPerSecond, and a value the default query produces now,
// which exercises the generator end to end.
func (d *Datasource) CheckHealth(context.Context, *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if d.settingsErrors != nil {
		return &backend.CheckHealthResult{
			Status: backend.HealthStatusError,
			Message: "Tickstream cannot run with these settings: " + models.JoinMessages(d.settingsErrors) +
				". Edit the setting in this data source's settings and save again.",
		}, nil
	}
	q := models.DefaultQuery()
	k := signal.LastTickAtOrBefore(d.now().UnixMilli(), q.TickInterval)
	use := d.load.Use()
	return &backend.CheckHealthResult{
		Status: backend.HealthStatusOk,
		Message: "Tickstream is working: minTickInterval " + strconv.FormatInt(d.settings.MinTickInterval, 10) +
			" ms, maxPointsPerSecond " + strconv.FormatInt(d.settings.MaxPointsPerSecond, 10) +
			", maxSeries " + strconv.FormatInt(d.settings.MaxSeries, 10) +
			", maxMessageRate " + strconv.FormatInt(d.settings.MaxMessageRate, 10) + " messages/s" +
			"; streams running " + strconv.FormatInt(use.Streams, 10) + " of maxStreams " + strconv.FormatInt(d.settings.MaxStreams, 10) +
			", points per second " + use.Cost.String() + " of maxTotalPointsPerSecond " + strconv.FormatInt(d.settings.MaxTotalPointsPerSecond, 10) +
			"; the default query's value now is " + jsnum.Format(signal.Value(q, k)) + ".",
	}, nil
}
