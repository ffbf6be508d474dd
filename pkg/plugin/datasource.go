// Package plugin is Tickstream's glue to the Grafana plugin SDK: one file
// per handler, with the logic in the pure packages models, signal and
// channel.
package plugin

import (
	"context"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/tickstream/streaming/pkg/capacity"
	"github.com/tickstream/streaming/pkg/metrics"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/schedule"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// The SDK finds a data source's handlers by type assertion at run time; a
// missing method would only show up as "not implemented" in Grafana. These
// assertions make it a compile error instead.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one Tickstream data source instance: its settings as
// loaded when Grafana created it. The SDK makes a new instance whenever the
// settings change and disposes of the old one.
type Datasource struct {
	uid string
	// settings are usable even when settingsErrors is not empty, but then
	// the data source is misconfigured and every handler refuses to serve.
	settings       models.Settings
	settingsErrors []models.FieldError
	// disposed is done once Dispose is called, so that running streams
	// stop and Grafana restarts them on the new instance's settings.
	disposed context.Context
	dispose  context.CancelFunc
	// now is the clock; tests replace it to pin "now".
	now func() time.Time
	// runners send every stream's messages at their grid times, from one
	// goroutine per core, all woken by one timer.
	runners *schedule.Pool
	// values returns the value function of a stream's query; tests
	// replace it to make a generator fail.
	values func(models.Query) wire.ValueFunc
	// load counts the streams against maxStreams and
	// maxTotalPointsPerSecond; untrack ends its export as metrics.
	load    *capacity.Ledger
	untrack func()
}

// NewDatasource creates an instance from Grafana's settings. Bad settings
// never fail it: an instance that cannot be created would leave Grafana
// with a generic error, while this one reports the exact problem from
// CheckHealth, QueryData and SubscribeStream.
func NewDatasource(ctx context.Context, settings backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	s, errs := models.LoadSettings(settings.JSONData)
	if errs != nil {
		backend.Logger.FromContext(ctx).Warn("Data source settings are invalid", "uid", settings.UID, "error", models.JoinMessages(errs))
	}
	disposed, dispose := context.WithCancel(context.Background())
	d := &Datasource{
		uid:            settings.UID,
		settings:       s,
		settingsErrors: errs,
		disposed:       disposed,
		dispose:        dispose,
		now:            time.Now,
		values:         generatorValues,
	}
	clock := schedule.New(func() time.Time { return d.now() }, disposed.Done(), func(p any) {
		backend.Logger.Error("Stream clock failed; its streams wake and reschedule", "uid", d.uid, "panic", p, "stack", string(debug.Stack()))
	})
	d.runners = schedule.NewPool(runtime.GOMAXPROCS(0), clock, disposed.Done())
	d.load = capacity.NewLedger(capacity.Limits{MaxStreams: s.MaxStreams, MaxPointsPerSecond: s.MaxTotalPointsPerSecond},
		func() time.Time { return d.now() })
	d.untrack = metrics.TrackCapacity(settings.UID, func() metrics.Capacity {
		use := d.load.Use()
		return metrics.Capacity{Streams: use.Streams, MaxStreams: s.MaxStreams,
			PointsPerSecond: float64(use.Cost) / 1000, MaxPointsPerSecond: s.MaxTotalPointsPerSecond}
	})
	return d, nil
}

// generatorValues is the value function of q's generator.
func generatorValues(q models.Query) wire.ValueFunc {
	return signal.New(q).Value
}

// Dispose is called by the SDK when the settings changed and a new
// instance replaces this one; it ends this instance's streams.
func (d *Datasource) Dispose() {
	d.dispose()
	d.untrack()
}

// streamCost is q's share of maxTotalPointsPerSecond.
func streamCost(q models.Query) capacity.Cost {
	return capacity.CostOf(q.Series, q.TickInterval)
}

// settingsMessage is the one text that reports broken settings to a
// query, naming each bad setting and where to fix it.
func (d *Datasource) settingsMessage() string {
	return "the data source settings are invalid: " + models.JoinMessages(d.settingsErrors) +
		"; edit them in the data source's settings page"
}
