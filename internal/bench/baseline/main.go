// Command baseline is the bench's reference plugin: a streaming data source
// written the way Grafana's "build a streaming data source plugin" tutorial
// writes one. Each RunStream has its own goroutine and time.Ticker, draws
// values from math/rand, builds a new time/value frame on every tick and
// sends it with its schema (data.IncludeAll). SubscribeStream accepts every
// path, QueryData returns no data.
//
// The tutorial reads tickInterval, lowerLimit and upperLimit from the
// subscribe data (req.Data). Grafana sends none when it follows a query's
// meta.channel, so when req.Data is empty this plugin reads them from a
// Tickstream channel path (v1/t=<ms>/lo=<n>/hi=<n>/...), which lets the
// bench drive both plugins with the same paths. Other segments are ignored:
// it always sends one series.
package main

import (
	"context"
	"encoding/json"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The SDK finds handlers by type assertion at run time; these make a
// missing one a compile error.
var (
	_ backend.QueryDataHandler = (*Datasource)(nil)
	_ backend.StreamHandler    = (*Datasource)(nil)
)

// Datasource is the tutorial's data source: it keeps no state.
type Datasource struct{}

func newDatasource(context.Context, backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return &Datasource{}, nil
}

// queryModel is the tutorial's query.
type queryModel struct {
	TickInterval float64 `json:"tickInterval"`
	LowerLimit   float64 `json:"lowerLimit"`
	UpperLimit   float64 `json:"upperLimit"`
}

// QueryData answers every query with an empty response: the tutorial's
// panels get their data from the stream only.
func (d *Datasource) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = backend.DataResponse{}
	}
	return resp, nil
}

// SubscribeStream lets everyone subscribe to every path.
func (d *Datasource) SubscribeStream(context.Context, *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses publications, as the tutorial does.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends a random value every tickInterval ms until the last
// subscriber leaves, the tutorial's loop.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	q := queryModel{TickInterval: 1000, UpperLimit: 100}
	if len(req.Data) > 0 {
		if err := json.Unmarshal(req.Data, &q); err != nil {
			return err
		}
	} else {
		fromPath(req.Path, &q)
	}
	if q.TickInterval < 1 {
		q.TickInterval = 1000 // the bench never sends this; it would panic NewTicker
	}
	// math/rand as the tutorial has it: this plugin is the bench's reference
	// for what a typical plugin costs, never shipped, and nothing depends on
	// its values being unpredictable.
	r := rand.New(rand.NewSource(time.Now().UnixNano())) // #nosec G404 -- not shipped; statistical, not secret, randomness
	ticker := time.NewTicker(time.Duration(q.TickInterval) * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
			value := r.Float64()*(q.UpperLimit-q.LowerLimit) + q.LowerLimit
			frame := data.NewFrame("response",
				data.NewField("time", nil, []time.Time{time.Now()}),
				data.NewField("value", nil, []float64{value}),
			)
			if err := sender.SendFrame(frame, data.IncludeAll); err != nil {
				log.DefaultLogger.Error("Failed send frame", "error", err)
			}
		}
	}
}

// fromPath reads t, lo and hi from a Tickstream channel path.
func fromPath(path string, q *queryModel) {
	for _, seg := range strings.Split(path, "/") {
		key, val, ok := strings.Cut(seg, "=")
		if !ok {
			continue
		}
		n, err := strconv.ParseFloat(val, 64)
		if err != nil {
			continue
		}
		switch key {
		case "t":
			q.TickInterval = n
		case "lo":
			q.LowerLimit = n
		case "hi":
			q.UpperLimit = n
		}
	}
}

func main() {
	if err := datasource.Manage("tickstream-bench-baseline", newDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Plugin stopped", "error", err)
		os.Exit(1)
	}
}
