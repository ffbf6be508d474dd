package host

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// PluginID is the plugin id from plugin.json; Grafana puts it in every
// PluginContext.
const PluginID = "tickstream-streaming-datasource"

// handshake is the SDK's handshake (backend/grpcplugin), the one Grafana uses.
var handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// connPlugin is the host side of one of the SDK's plugin services: its
// GRPCClient hands back the connection, on which the typed pluginv2 clients
// are built.
type connPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

func (connPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error {
	return errors.New("host: connPlugin is client side only")
}

func (connPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return c, nil
}

// Plugin is one running plugin process and its gRPC clients.
type Plugin struct {
	Data        pluginv2.DataClient
	Diagnostics pluginv2.DiagnosticsClient
	Stream      pluginv2.StreamClient

	client    *goplugin.Client
	pid       int
	log       *syncBuffer
	socketDir string // where the plugin makes its unix socket; removed by Stop
}

// Start starts the plugin executable at path as Grafana does and connects to
// it. The child gets the host's environment minus GF_PLUGIN_GRPC_ADDRESS_*,
// which would put the SDK into standalone-client mode, and with go-plugin's
// PLUGIN_UNIX_SOCKET_DIR set to a folder of its own, so that Stop can remove
// the socket even of a plugin that was killed (a killed process leaves its
// socket behind). Stop it with Stop.
func Start(path string) (*Plugin, error) {
	logBuf := &syncBuffer{}
	socketDir, err := os.MkdirTemp("", "tickstream-host-")
	if err != nil {
		return nil, fmt.Errorf("start %s: a folder for its socket: %w", path, err)
	}
	cmd := exec.Command(path)
	cmd.Env = append(childEnv(os.Environ()), goplugin.EnvUnixSocketDir+"="+socketDir)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd:             cmd,
		HandshakeConfig: handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"diagnostics": connPlugin{},
				"data":        connPlugin{},
				"stream":      connPlugin{},
			},
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		StartTimeout:     time.Minute,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "plugin",
			Output: logBuf,
			Level:  hclog.Debug,
		}),
	})
	p := &Plugin{client: client, log: logBuf, socketDir: socketDir}
	rpc, err := client.Client()
	if err != nil {
		p.Stop()
		return nil, fmt.Errorf("start %s: %w\nplugin log:\n%s", path, err, logBuf.String())
	}
	conns := map[string]*grpc.ClientConn{}
	for _, name := range []string{"diagnostics", "data", "stream"} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			p.Stop()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		conn, ok := raw.(*grpc.ClientConn)
		if !ok {
			p.Stop()
			return nil, fmt.Errorf("dispense %s: got %T, want *grpc.ClientConn", name, raw)
		}
		conns[name] = conn
	}
	p.Diagnostics = pluginv2.NewDiagnosticsClient(conns["diagnostics"])
	p.Data = pluginv2.NewDataClient(conns["data"])
	p.Stream = pluginv2.NewStreamClient(conns["stream"])
	if rc := client.ReattachConfig(); rc != nil {
		p.pid = rc.Pid
	}
	if p.pid == 0 {
		p.Stop()
		return nil, errors.New("host: no pid for the plugin process")
	}
	return p, nil
}

func childEnv(env []string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if strings.HasPrefix(kv, "GF_PLUGIN_GRPC_ADDRESS_") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// Stop ends the plugin process (gracefully, then by force), waits for it
// and removes its socket's folder. It may be called more than once.
func (p *Plugin) Stop() {
	p.client.Kill()
	_ = os.RemoveAll(p.socketDir) // best effort: a leftover in the temp folder fails no test
}

// Pid is the plugin process id, for reads under /proc.
func (p *Plugin) Pid() int { return p.pid }

// Exited reports whether the plugin process has ended.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Log is what the plugin wrote to stdout and stderr so far, as relayed by
// go-plugin.
func (p *Plugin) Log() string { return p.log.String() }

// DataSource is a data source as Grafana hands it to the plugin.
type DataSource struct {
	ID             int64
	UID            string
	Name           string
	JSONData       []byte
	SecureJSONData map[string]string
	// Updated is part of the SDK's instance cache key (with ID and UID): a
	// data source whose JSONData changes must also change Updated.
	Updated time.Time
}

// PluginContext is the context Grafana sends with every call for ds.
func (ds DataSource) PluginContext() *pluginv2.PluginContext {
	return &pluginv2.PluginContext{
		OrgId:    1,
		PluginId: PluginID,
		User:     &pluginv2.User{Login: "admin", Name: "admin", Role: "Admin"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id:                      ds.ID,
			Uid:                     ds.UID,
			Name:                    ds.Name,
			JsonData:                ds.JSONData,
			DecryptedSecureJsonData: ds.SecureJSONData,
			LastUpdatedMS:           ds.Updated.UnixMilli(),
		},
	}
}

// CheckHealth calls Diagnostics.CheckHealth for ds.
func (p *Plugin) CheckHealth(ctx context.Context, ds DataSource) (*pluginv2.CheckHealthResponse, error) {
	return p.Diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: ds.PluginContext()})
}

// Query is one query of a QueryData request, as Grafana sends it.
type Query struct {
	RefID         string
	JSON          []byte
	From, To      time.Time
	MaxDataPoints int64
	Interval      time.Duration
	// QueryType is the query's queryType ("" for a plain query).
	QueryType string
}

// Result is the response for one refId, with its frames decoded.
type Result struct {
	Frames      data.Frames
	Error       string
	Status      int32
	ErrorSource string
}

// QueryData calls Data.QueryData for ds with queries and decodes the frames.
func (p *Plugin) QueryData(ctx context.Context, ds DataSource, queries ...Query) (map[string]Result, error) {
	return p.QueryDataWithHeaders(ctx, ds, nil, queries...)
}

// FromAlertHeaders are the request headers Grafana's alerting engine sends
// with every QueryData call of an alert rule (backend.FromAlertHeaderName).
func FromAlertHeaders() map[string]string { return map[string]string{"FromAlert": "true"} }

// QueryDataWithHeaders is QueryData with request headers, such as
// FromAlertHeaders for an alert rule's evaluation.
func (p *Plugin) QueryDataWithHeaders(ctx context.Context, ds DataSource, headers map[string]string, queries ...Query) (map[string]Result, error) {
	req := &pluginv2.QueryDataRequest{PluginContext: ds.PluginContext(), Headers: headers}
	for _, q := range queries {
		req.Queries = append(req.Queries, &pluginv2.DataQuery{
			RefId:         q.RefID,
			QueryType:     q.QueryType,
			Json:          q.JSON,
			MaxDataPoints: q.MaxDataPoints,
			IntervalMS:    q.Interval.Milliseconds(),
			TimeRange: &pluginv2.TimeRange{
				FromEpochMS: q.From.UnixMilli(),
				ToEpochMS:   q.To.UnixMilli(),
			},
		})
	}
	resp, err := p.Data.QueryData(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Result, len(resp.Responses))
	for refID, r := range resp.Responses {
		frames, err := data.UnmarshalArrowFrames(r.Frames)
		if err != nil {
			return nil, fmt.Errorf("refId %s: decode frames: %w", refID, err)
		}
		out[refID] = Result{Frames: frames, Error: r.Error, Status: r.Status, ErrorSource: r.ErrorSource}
	}
	return out, nil
}

// SubscribeStream calls Stream.SubscribeStream for ds, path and subscribe
// data (nil for none, as @grafana/runtime sends).
func (p *Plugin) SubscribeStream(ctx context.Context, ds DataSource, path string, subData []byte) (*pluginv2.SubscribeStreamResponse, error) {
	return p.Stream.SubscribeStream(ctx, &pluginv2.SubscribeStreamRequest{
		PluginContext: ds.PluginContext(), Path: path, Data: subData,
	})
}

// PublishStream calls Stream.PublishStream for ds and path.
func (p *Plugin) PublishStream(ctx context.Context, ds DataSource, path string, pubData []byte) (*pluginv2.PublishStreamResponse, error) {
	return p.Stream.PublishStream(ctx, &pluginv2.PublishStreamRequest{
		PluginContext: ds.PluginContext(), Path: path, Data: pubData,
	})
}

// Packet is one message a RunStream sent, with the time the host got it.
type Packet struct {
	Data       []byte
	ReceivedAt time.Time
}

// Stream is a running RunStream call. Its packets arrive on Packets, which is
// closed when the call ends; Err then tells how it ended.
type Stream struct {
	packets chan Packet
	cancel  context.CancelFunc
	done    chan struct{}
	err     error
}

// RunStream starts Stream.RunStream for ds, path and data (Grafana passes
// the first subscriber's data) and receives its packets in the background
// until the call ends or Cancel is called.
func (p *Plugin) RunStream(ctx context.Context, ds DataSource, path string, runData []byte) (*Stream, error) {
	ctx, cancel := context.WithCancel(ctx)
	rs, err := p.Stream.RunStream(ctx, &pluginv2.RunStreamRequest{
		PluginContext: ds.PluginContext(), Path: path, Data: runData,
	})
	if err != nil {
		cancel()
		return nil, err
	}
	s := &Stream{packets: make(chan Packet, 1<<14), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		defer close(s.packets)
		for {
			pkt, err := rs.Recv()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					s.err = err
				}
				return
			}
			select {
			case s.packets <- Packet{Data: pkt.Data, ReceivedAt: time.Now()}:
			case <-ctx.Done():
			}
		}
	}()
	return s, nil
}

// Packets delivers the stream's packets in order; it is closed when the
// RunStream call has ended.
func (s *Stream) Packets() <-chan Packet { return s.packets }

// Done is closed when the RunStream call has ended.
func (s *Stream) Done() <-chan struct{} { return s.done }

// Err waits for the call to end and tells how: nil when the plugin returned
// nil, else the gRPC status error (codes.Canceled after Cancel).
func (s *Stream) Err() error {
	<-s.done
	return s.err
}

// Cancel cancels the call, as Grafana does when the last subscriber leaves.
func (s *Stream) Cancel() { s.cancel() }

// FrameSchema returns the "schema" member of a frame in the SDK's JSON form,
// and whether it has one.
func FrameSchema(frameJSON []byte) (json.RawMessage, bool, error) {
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(frameJSON, &parts); err != nil {
		return nil, false, fmt.Errorf("frame JSON: %w", err)
	}
	s, ok := parts["schema"]
	return s, ok, nil
}

// DecodeFrame decodes a frame in the SDK's JSON form with the SDK's data
// package. A data-only frame (no "schema") is decoded against schema, the way
// the browser applies the last schema it got for a channel.
func DecodeFrame(frameJSON []byte, schema json.RawMessage) (*data.Frame, error) {
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(frameJSON, &parts); err != nil {
		return nil, fmt.Errorf("frame JSON: %w", err)
	}
	whole := frameJSON
	if _, ok := parts["schema"]; !ok {
		if schema == nil {
			return nil, errors.New("data-only frame and no schema to decode it with")
		}
		// The SDK's reader wants the schema before the data.
		var b bytes.Buffer
		b.WriteString(`{"schema":`)
		b.Write(schema)
		if d, ok := parts["data"]; ok {
			b.WriteString(`,"data":`)
			b.Write(d)
		}
		b.WriteString(`}`)
		whole = b.Bytes()
	}
	f := &data.Frame{}
	if err := json.Unmarshal(whole, f); err != nil {
		return nil, fmt.Errorf("decode frame: %w", err)
	}
	return f, nil
}

// Metrics returns the plugin's Prometheus metrics in the text format, as
// Diagnostics.CollectMetrics serves them.
func (p *Plugin) Metrics(ctx context.Context) ([]byte, error) {
	resp, err := p.Diagnostics.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{})
	if err != nil {
		return nil, err
	}
	if resp.Metrics == nil {
		return nil, errors.New("CollectMetrics returned no payload")
	}
	return resp.Metrics.Prometheus, nil
}

// GoMetrics returns the Go collector's unlabelled samples among the
// plugin's metrics (go_goroutines, go_memstats_*, the collection count…)
// by name: how its runtime sees its memory and collections.
func (p *Plugin) GoMetrics(ctx context.Context) (map[string]float64, error) {
	text, err := p.Metrics(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(text), "\n") {
		f := strings.Fields(line)
		if len(f) == 2 && strings.HasPrefix(f[0], "go_") {
			if v, err := strconv.ParseFloat(f[1], 64); err == nil {
				out[f[0]] = v
			}
		}
	}
	return out, nil
}

// Goroutines returns the plugin's go_goroutines gauge (the Go collector's).
func (p *Plugin) Goroutines(ctx context.Context) (int, error) {
	v, err := p.sample(ctx, "go_goroutines")
	return int(v), err
}

// GCCycles returns how many collections the plugin's Go runtime has run
// (the Go collector's go_gc_duration_seconds_count, debug.ReadGCStats's
// NumGC): the plugin's own, which GODEBUG=gctrace=1 on the host's side
// would not show, since its lines are the host's.
func (p *Plugin) GCCycles(ctx context.Context) (int, error) {
	v, err := p.sample(ctx, "go_gc_duration_seconds_count")
	return int(v), err
}

// sample reads the plugin's unlabelled metric called name.
func (p *Plugin) sample(ctx context.Context, name string) (float64, error) {
	text, err := p.Metrics(ctx)
	if err != nil {
		return 0, err
	}
	return gauge(text, name)
}

// gauge finds an unlabelled sample called name in Prometheus text.
func gauge(text []byte, name string) (float64, error) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == name {
			return strconv.ParseFloat(f[1], 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("metric %s not found", name)
}

// OpenFDs counts the plugin process's open file descriptors (/proc/<pid>/fd).
func (p *Plugin) OpenFDs() (int, error) {
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", p.pid))
	if err != nil {
		return 0, err
	}
	return len(ents), nil
}

// RSS returns the plugin process's resident set size in bytes (VmRSS in
// /proc/<pid>/status).
func (p *Plugin) RSS() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("VmRSS line %q", line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("VmRSS line %q: %w", line, err)
		}
		return kb * 1024, nil
	}
	return 0, errors.New("no VmRSS in /proc/<pid>/status")
}

// Addr is the address the plugin serves go-plugin's gRPC on, as it
// announced it in the handshake.
func (p *Plugin) Addr() net.Addr {
	if rc := p.client.ReattachConfig(); rc != nil {
		return rc.Addr
	}
	return nil
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
