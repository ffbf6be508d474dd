package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

func init() {
	layouts[models.SignalNumber] = newNumberLayout
}

// newNumberLayout lays out the numbers of framer.frame with nulls and
// outages: a float64 "value" field per series, nullable when dropPercent
// is set, typed as a time series like the plain numbers.
func newNumberLayout(q models.Query, gen *signal.Generator, labels []data.Labels) layout {
	return &seriesLayout[float64]{
		q: q, gen: gen, labels: labels,
		value:       gen.Value,
		appendValue: wire.AppendFloat,
		frameMeta:   wideMeta(labels),
	}
}
