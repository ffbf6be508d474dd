// Command echo is the bench's ceiling plugin: RunStream sends one
// pre-encoded one-point data-only frame over and over, as fast as the
// plugin protocol takes it, so the bench can measure what the go-plugin
// gRPC channel itself costs per message. No plugin can send a message for
// less plugin CPU than this one, nor hold a stream in less memory than its
// idle streams.
//
// On "paced/<ms>/…" paths it sends the same bytes on every such stream
// once per grid multiple of <ms>, from one goroutine per core, each with
// its share of the streams (as Tickstream's runners do): scenario b's
// traffic (many streams, one message each per tick) at the least CPU the
// protocol allows for that pattern, which costs more per message than one
// stream sending flat out, because every message goes to another gRPC
// stream whose state is cold.
//
// A "limited/" prefix before either path holds the stream to Tickstream's
// memory discipline (pkg/memlimit counts it as a running stream): the
// protocol's floor when the plugin's memory is kept near its idle
// streams', which is what issue 22 asks of Tickstream at the same time as
// its CPU target, so scenario h can show what that pair costs the least.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/memlimit"
)

var _ backend.StreamHandler = (*Datasource)(nil)

// Datasource holds the one message it sends and the pacers of its paced
// streams, one per interval and core.
type Datasource struct {
	packet []byte
	mu     sync.Mutex
	pacers map[pacerKey]*pacer
	paced  int // paced streams so far, to deal them out over the cores
}

type pacerKey struct {
	ms    int64
	shard int
}

func newDatasource(context.Context, backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	frame := data.NewFrame("response",
		data.NewField("time", nil, []time.Time{time.UnixMilli(1_700_000_000_000).UTC()}),
		data.NewField("value", nil, []float64{42.5}),
	)
	packet, err := data.FrameToJSON(frame, data.IncludeDataOnly)
	if err != nil {
		return nil, err
	}
	return &Datasource{packet: packet, pacers: map[pacerKey]*pacer{}}, nil
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
	if rest, ok := strings.CutPrefix(req.Path, "limited/"); ok {
		done := memlimit.Add()
		defer done()
		req.Path = rest
	}
	if strings.HasPrefix(req.Path, "idle/") {
		<-ctx.Done()
		return nil
	}
	if rest, ok := strings.CutPrefix(req.Path, "paced/"); ok {
		ms, err := strconv.ParseInt(strings.SplitN(rest, "/", 2)[0], 10, 64)
		if err != nil || ms <= 0 {
			return fmt.Errorf("paced path %q: want paced/<ms>/…, ms > 0", req.Path)
		}
		return d.pacer(ms).run(ctx, sender)
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

// pacer sends d.packet on each of its streams at every multiple of its
// interval, from one goroutine, which runs while it has streams.
type pacer struct {
	packet   []byte
	interval time.Duration
	mu       sync.Mutex // held for a whole round, so that a leaving stream is never sent to after it left
	streams  map[*backend.StreamSender]chan error
	running  bool // loop runs
}

// pacer is the pacer of interval ms that the next stream goes to, the
// cores' pacers in turn.
func (d *Datasource) pacer(ms int64) *pacer {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := pacerKey{ms, d.paced % runtime.GOMAXPROCS(0)}
	d.paced++
	p, ok := d.pacers[key]
	if !ok {
		p = &pacer{packet: d.packet, interval: time.Duration(ms) * time.Millisecond, streams: map[*backend.StreamSender]chan error{}}
		d.pacers[key] = p
	}
	return p
}

// run adds a stream and waits for its end: ctx done, or a send failed.
func (p *pacer) run(ctx context.Context, sender *backend.StreamSender) error {
	failed := make(chan error, 1)
	p.mu.Lock()
	if !p.running {
		p.running = true
		go p.loop()
	}
	p.streams[sender] = failed
	p.mu.Unlock()
	select {
	case <-ctx.Done():
		p.mu.Lock()
		delete(p.streams, sender)
		p.mu.Unlock()
		return nil
	case err := <-failed:
		return err
	}
}

func (p *pacer) loop() {
	for {
		now := time.Now()
		time.Sleep(now.Truncate(p.interval).Add(p.interval).Sub(now))
		p.mu.Lock()
		if len(p.streams) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		for sender, failed := range p.streams {
			if err := sender.SendBytes(p.packet); err != nil {
				failed <- err
				delete(p.streams, sender)
			}
		}
		p.mu.Unlock()
	}
}

func main() {
	if err := datasource.Manage("tickstream-bench-echo", newDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("Plugin stopped", "error", err)
		os.Exit(1)
	}
}
