package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

func init() {
	layouts[models.SignalState] = newStateLayout
}

// newStateLayout lays out the state kind: a string "value" field per
// series, the state's name (nullable when dropPercent is set), which the
// state timeline draws as bands. The frame has no type: the time series
// types hold numbers only.
func newStateLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	return &seriesLayout[string]{
		q: q, gen: gen, labels: labels,
		value:       gen.State,
		appendValue: wire.AppendString,
		frameMeta:   &data.FrameMeta{},
	}
}
