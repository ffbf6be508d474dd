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
// SubscribeStream InitialData, then the stream's messages. Every payload
// is kept as the exact string the plugin produced.
type panelScenario struct {
	Name          string          `json:"name"`
	Query         json.RawMessage `json:"query"`
	FromMs        int64           `json:"fromMs"`
	ToMs          int64           `json:"toMs"`
	MaxDataPoints int64           `json:"maxDataPoints"`
	// QueryAtMs is "now" for QueryData; StreamStartMs is when RunStream
	// starts (the gap between them is docs/history-and-live.md's window).
	QueryAtMs     int64    `json:"queryAtMs"`
	StreamStartMs int64    `json:"streamStartMs"`
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

// TestPanelFixture produces the bytes a live panel receives, from the real
// handlers on a pinned clock, and compares them with the committed
// fixture that the jest suite replays through Grafana's merge. Run with
// -update-panel-fixture after a deliberate change of the wire format.
func TestPanelFixture(t *testing.T) {
	const query = `{"refId":"A","tickInterval":10,"lowerLimit":-5,"upperLimit":5,"seed":42,"series":3}`
	start := pinnedNow.UnixMilli()
	fixture := panelFixture{
		Comment: "Written by TestPanelFixture (go test ./pkg/plugin -run TestPanelFixture -update-panel-fixture); read by src/historyAndLive.test.ts.",
		Scenarios: []panelScenario{
			// A thinned history (101 ticks in 1 s, 40 kept at most, every 3rd)
			// followed at once by the stream: maxLength trims the panel.
			panelRecording(t, "maxLength", query, start-1000, start, 40, start, start, 3),
			// An unthinned history and a stream that starts 37 ms later, as
			// after a round trip: maxDelta (the 1 s range) trims the panel,
			// and the ticks of those 37 ms are in neither.
			panelRecording(t, "maxDelta", query, start-1000, start, 1000, start, start+37, 10),
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

// panelRecording runs query through QueryData at queryAt, SubscribeStream,
// and a stream started at streamStart that sends messages messages, each
// at the grid time it asks for.
func panelRecording(t *testing.T, name, query string, from, to, maxDataPoints, queryAt, streamStart int64, messages int) panelScenario {
	t.Helper()
	d := newTestDatasource(t, "")
	now := queryAt
	d.now = func() time.Time { return time.UnixMilli(now) }

	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(query), MaxDataPoints: maxDataPoints,
		TimeRange: backend.TimeRange{From: time.UnixMilli(from), To: time.UnixMilli(to)},
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

	now = streamStart
	rec := &recordPackets{}
	s := d.newStream(context.Background(), path, pathQuery(t, path), backend.NewStreamSender(rec))
	for wake := s.wake(); len(rec.data) < messages; {
		now = wake
		if wake, err = s.send(); err != nil {
			t.Fatal(err)
		}
	}
	return panelScenario{
		Name: name, Query: json.RawMessage(query), FromMs: from, ToMs: to, MaxDataPoints: maxDataPoints,
		QueryAtMs: queryAt, StreamStartMs: streamStart,
		QueryData: string(body), Path: path, InitialData: string(sub.InitialData.Data()), Messages: rec.data,
	}
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
