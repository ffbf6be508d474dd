package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/channel"
)

// exemplarFixturePath is read by src/liveExemplars.test.ts, which feeds
// the bytes to @grafana/data's StreamingDataFrame the way Grafana does and
// then through the data source's query().
var exemplarFixturePath = filepath.Join("..", "..", "testdata", "live-exemplars.json")

// exemplarFixture is what a live panel with exemplars receives on its
// exemplar channel: the QueryData response (series and exemplars), the
// exemplar channel's InitialData and its messages, each the exact string
// the plugin produced.
type exemplarFixture struct {
	Comment       string   `json:"comment"`
	Query         string   `json:"query"`
	FromMs        int64    `json:"fromMs"`
	ToMs          int64    `json:"toMs"`
	MaxDataPoints int64    `json:"maxDataPoints"`
	QueryData     string   `json:"queryData"`
	Path          string   `json:"path"`
	InitialData   string   `json:"initialData"`
	Messages      []string `json:"messages"`
}

// TestExemplarFixture records a live panel's exemplar channel on a pinned
// clock and compares it with the committed fixture; rewrite it with
// -update-panel-fixture, like testdata/history-and-live.json.
func TestExemplarFixture(t *testing.T) {
	const query = `{"refId":"A","tickInterval":10,"series":2,"labels":"host=web-$seriesIndex","dropPercent":20,"exemplars":10}`
	d := newTestDatasource(t, "")
	now := pinnedNow.UnixMilli()
	d.now = func() time.Time { return time.UnixMilli(now) }
	fx := exemplarFixture{
		Comment: "Written by TestExemplarFixture (go test ./pkg/plugin -run TestExemplarFixture -update-panel-fixture); read by src/liveExemplars.test.ts.",
		Query:   query, FromMs: now - 2000, ToMs: now, MaxDataPoints: 1000,
	}
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(query), MaxDataPoints: fx.MaxDataPoints,
		TimeRange: backend.TimeRange{From: time.UnixMilli(fx.FromMs), To: time.UnixMilli(fx.ToMs)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	fx.QueryData = string(body)
	frames := resp.Responses["A"].Frames
	if len(frames) != 2 || frames[1].Meta.Channel == "" {
		t.Fatalf("the exemplars are not live: %s", body)
	}
	fx.Path = pathOfChannel(t, frames[1].Meta.Channel)
	sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: fx.Path})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK {
		t.Fatalf("SubscribeStream(%s) = %v, %v", fx.Path, sub, err)
	}
	fx.InitialData = string(sub.InitialData.Data())
	q, e, err := channel.ParseAny(fx.Path)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recordPackets{}
	s := d.newExemplarStream(context.Background(), fx.Path, q, e, backend.NewStreamSender(rec))
	for wake := s.wake(); len(rec.data) < 5; {
		now = wake
		if wake, err = s.send(); err != nil {
			t.Fatal(err)
		}
	}
	fx.Messages = rec.data

	got, err := json.MarshalIndent(fx, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *updatePanelFixture {
		if err := os.WriteFile(exemplarFixturePath, got, 0o644); err != nil { // #nosec G306 -- a committed test fixture
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(exemplarFixturePath)
	if err != nil {
		t.Fatalf("%v: run go test ./pkg/plugin -run TestExemplarFixture -update-panel-fixture to write it", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the plugin sends now; if the change is deliberate, rerun with -update-panel-fixture and check src/liveExemplars.test.ts", exemplarFixturePath)
	}
}
