// Command echo is the bench's ceiling plugin: RunStream sends one
// pre-encoded one-point data-only frame over and over, as fast as the
// plugin protocol takes it, so the bench can measure what the go-plugin
// gRPC channel itself costs per message. No plugin can send a message for
// less plugin CPU than this one, nor hold a stream in less memory than its
// idle streams.
package main

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

var _ backend.StreamHandler = (*Datasource)(nil)

// Datasource holds the one message it sends.
type Datasource struct{ packet []byte }

func newDatasource(context.Context, backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	frame := data.NewFrame("response",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1_700_000_000_000).UTC()}),
		data.NewField("value", nil, []float64{42.5}),
	)
	packet, err := data.FrameToJSON(frame, data.IncludeDataOnly)
	if err != nil {
		return nil, err
	}
	return &Datasource{packet: packet}, nil
}

// SubscribeStream accepts every path.
func (d *Datasource) SubscribeStream(context.Context, *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses publications.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends the same bytes until the context is done or a send fails.
// On a path starting with "idle/" it sends nothing and only waits: the
// least memory a stream can hold, for the bench's memory floor.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	if strings.HasPrefix(req.Path, "idle/") {
		<-ctx.Done()
		return nil
	}
	for i := 0; ; i++ {
		if i&255 == 0 && ctx.Err() != nil {
			return nil
		}
		if err := sender.SendBytes(d.packet); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

func main() {
	if err := datasource.Manage("tickstream-bench-echo", newDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Plugin stopped", "error", err)
		os.Exit(1)
	}
}
