package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// updatePanelFixture rewrites testdata/history-and-live.json from the code.
// Off by default, so that the test fails when the code's bytes and the
// committed fixture disagree.
var updatePanelFixture = flag.Bool("update-panel-fixture", false, "rewrite testdata/history-and-live.json")

// panelFixturePath is read by src/historyAndLive.test.ts, which feeds the
// bytes to @grafana/data's StreamingDataFrame the way Grafana does.
var panelFixturePath = filepath.Join("..", "..", "testdata", "history-and-live.json")

// panelScenario is what one panel receives, in the order it receives it:
// the QueryData response as Grafana's /api/ds/query returns it, the
// SubscribeStream InitialData, then the stream's messages sent after it
// subscribed. Every payload is kept as the exact string the plugin
// produced.
type panelScenario struct {
	Name          string          `json:"name"`
	Query         json.RawMessage `json:"query"`
	FromMs        int64           `json:"fromMs"`
	ToMs          int64           `json:"toMs"`
	MaxDataPoints int64           `json:"maxDataPoints"`
	// QueryAtMs is "now" for QueryData, StreamStartMs when RunStream
	// starts and SubscribeAtMs when the panel's subscription is in place:
	// it receives the messages sent from then on.
	QueryAtMs     int64    `json:"queryAtMs"`
	StreamStartMs int64    `json:"streamStartMs"`
	SubscribeAtMs int64    `json:"subscribeAtMs"`
	QueryData     string   `json:"queryData"`
	Path          string   `json:"path"`
	InitialData   string   `json:"initialData"`
	Messages      []string `json:"messages"`
}

// panelFixture is the whole file.
type panelFixture struct {
	Comment   string          `json:"comment"`
	Scenarios []panelScenario `json:"scenarios"`
}

// panelTimeline is when things happen for one recorded panel, in Unix ms.
type panelTimeline struct {
	from, to, maxDataPoints int64
	queryAt                 int64 // QueryData's now
	streamStart             int64 // RunStream starts (before the query: the panel joins a running stream)
	subscribeAt             int64 // the panel's subscription is in place
	messages                int   // messages the panel receives
}

// outageFixtureQuery is TestPanelFixture's query with an outage from the
// start of each minute to 65 ms after pinnedNow (26.535 s past its minute).
const outageFixtureQuery = `{"refId":"A","tickInterval":10,"lowerLimit":-5,"upperLimit":5,"seed":42,"series":3,"outagePeriod":60000,"outageDuration":26600}`

// TestPanelFixture produces the bytes a live panel receives, from the real
// handlers on a pinned clock, and compares them with the committed
// fixture that the jest suite replays through Grafana's merge. Run with
// -update-panel-fixture after a deliberate change of what the plugin
// sends.
func TestPanelFixture(t *testing.T) {
	const query = `{"refId":"A","tickInterval":10,"lowerLimit":-5,"upperLimit":5,"seed":42,"series":3}`
	// pinnedNow is 35.9 ms after a message tick: at 10 ms ticks and 20
	// messages a second, messages end at every 50 ms.
	at := pinnedNow.UnixMilli()
	fixture := panelFixture{
		Comment: "Written by TestPanelFixture (go test ./pkg/plugin -run TestPanelFixture -update-panel-fixture); read by src/historyAndLive.test.ts.",
		Scenarios: []panelScenario{
			// A thinned history (40 points of 1 s) and a new stream started
			// at once: maxLength trims the panel.
			panelRecording(t, "maxLength", query, panelTimeline{at - 1000, at, 40, at, at, at, 3}),
			// An unthinned history and a new stream that starts 37 ms later,
			// after the next message tick: maxDelta (the 1 s range) trims the
			// panel, and the batch between is in neither.
			panelRecording(t, "maxDelta", query, panelTimeline{at - 1000, at, 1000, at, at + 37, at + 37, 10}),
			// A panel joining a stream that runs already, subscribed 10 ms
			// after its query, before the next message: no gap, no repeat.
			panelRecording(t, "joining", query, panelTimeline{at - 1000, at, 1000, at, at - 2000, at + 10, 6}),
			// A history wholly inside an outage that ends 65 ms after the
			// query: the No Data frame (no fields, meta.channel), then the
			// schema and the first messages after the outage.
			panelRecording(t, "outage", outageFixtureQuery, panelTimeline{at - 1000, at, 1000, at, at, at, 4}),
		},
	}
	got, err := json.MarshalIndent(fixture, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updatePanelFixture {
		if err := os.WriteFile(panelFixturePath, got, 0o644); err != nil { // #nosec G306 -- a committed test fixture
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(panelFixturePath)
	if err != nil {
		t.Fatalf("%v: run go test ./pkg/plugin -run TestPanelFixture -update-panel-fixture to write it", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the plugin sends now; if the change is deliberate, rerun with -update-panel-fixture and check src/historyAndLive.test.ts", panelFixturePath)
	}
}

// panelRecording runs query through QueryData, SubscribeStream and a
// stream on a clock that follows tl, and keeps what the panel receives.
func panelRecording(t *testing.T, name, query string, tl panelTimeline) panelScenario {
	t.Helper()
	d := newTestDatasource(t, "")
	now := min(tl.queryAt, tl.streamStart)
	d.now = func() time.Time { return time.UnixMilli(now) }

	// A stream that runs before the query starts first and sends until the
	// query; its messages reach other panels, not this one.
	rec := &recordPackets{}
	var s *stream
	var wake int64
	startStream := func(path string) {
		now = tl.streamStart
		s = d.newStream(context.Background(), path, pathQuery(t, path), backend.NewStreamSender(rec))
		wake = s.wake()
	}
	sendUntil := func(until int64) {
		for wake <= until {
			now = wake
			var err error
			if wake, err = s.send(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if tl.streamStart < tl.queryAt {
		startStream(pathOfChannel(t, channelOfQuery(t, d, query)))
		sendUntil(tl.queryAt)
	}

	now = tl.queryAt
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(query), MaxDataPoints: tl.maxDataPoints,
		TimeRange: backend.TimeRange{From: time.UnixMilli(tl.from), To: time.UnixMilli(tl.to)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(resp) // what Grafana's /api/ds/query sends the browser
	if err != nil {
		t.Fatal(err)
	}
	frames := resp.Responses["A"].Frames
	if len(frames) != 1 || frames[0].Meta == nil || frames[0].Meta.Channel == "" {
		t.Fatalf("%s: the history is not live: %s", name, body)
	}
	path := pathOfChannel(t, frames[0].Meta.Channel)

	sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK {
		t.Fatalf("%s: SubscribeStream(%s) = %v, %v", name, path, sub, err)
	}
	if s == nil {
		startStream(path)
	}
	sendUntil(tl.subscribeAt - 1) // before the panel's subscription: not received
	rec.data = nil
	for len(rec.data) < tl.messages {
		sendUntil(wake)
	}
	return panelScenario{
		Name: name, Query: json.RawMessage(query), FromMs: tl.from, ToMs: tl.to, MaxDataPoints: tl.maxDataPoints,
		QueryAtMs: tl.queryAt, StreamStartMs: tl.streamStart, SubscribeAtMs: tl.subscribeAt,
		QueryData: string(body), Path: path, InitialData: string(sub.InitialData.Data()), Messages: rec.data,
	}
}

// channelOfQuery is the meta.channel QueryData gives query now.
func channelOfQuery(t *testing.T, d *Datasource, query string) string {
	t.Helper()
	to := d.now()
	f := queryFrame(t, d, query, 1, to.Add(-time.Second), to)
	if f.Meta == nil || f.Meta.Channel == "" {
		t.Fatalf("query %s is not live", query)
	}
	return f.Meta.Channel
}

// pathOfChannel strips "ds/<uid>/" from a channel id.
func pathOfChannel(t *testing.T, id string) string {
	t.Helper()
	const prefix = "ds/tickstream/"
	if len(id) <= len(prefix) || id[:len(prefix)] != prefix {
		t.Fatalf("channel %q is not ds/tickstream/<path>", id)
	}
	return id[len(prefix):]
}

// recordPackets keeps each packet's bytes as sent.
type recordPackets struct{ data []string }

func (r *recordPackets) Send(p *backend.StreamPacket) error {
	r.data = append(r.data, string(p.Data))
	return nil
}
