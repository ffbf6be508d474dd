package host

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Live exemplars through the executable: a panel whose range ends at now
// follows its exemplar channel as Grafana does (meta.channel, subscribe
// without data, RunStream), and gets the rows the history gives.

// liveExemplarQuery has 29 exemplars per series over 30 s of 100 ms
// ticks: 300 or 301 ticks depending on where the range falls on the
// grid, an exemplar every ceil(300 / 29) = ceil(301 / 29) = 11 ticks
// either way, so two ranges of 30 s share the exemplar channel.
const liveExemplarQuery = `{"tickInterval":100,"series":2,"labels":"host=web-$seriesIndex","dropPercent":25,` +
	`"outagePeriod":5000,"outageDuration":1500,"exemplars":29}`

// exemplarRowsOf are the rows of an exemplar frame: time in ms, value,
// traceID and the host label, in order.
func exemplarRowsOf(t *testing.T, f *data.Frame) [][4]any {
	t.Helper()
	host, _ := f.FieldByName("host")
	if len(f.Fields) != 4 || host == nil {
		t.Fatalf("exemplar frame fields %v; want time, value, traceID, host", f.Fields)
	}
	rows := make([][4]any, f.Rows())
	for i := range rows {
		rows[i] = [4]any{f.Fields[0].At(i).(time.Time).UnixMilli(), f.Fields[1].At(i), f.Fields[2].At(i), host.At(i)}
	}
	return rows
}

// queryLiveExemplars queries the 30 s before now and returns the series
// and exemplar frames.
func queryLiveExemplars(t *testing.T, p *Plugin, ds DataSource) (series, ex *data.Frame) {
	t.Helper()
	to := time.Now().UnixMilli()
	res, err := p.QueryData(ctxFor(t, 30*time.Second), ds,
		Query{RefID: "A", JSON: []byte(liveExemplarQuery), From: msTime(to - 30_000), To: msTime(to), MaxDataPoints: 1000})
	if err != nil {
		t.Fatal(err)
	}
	r := res["A"]
	if r.Error != "" || len(r.Frames) != 2 {
		t.Fatalf("error %q, %d frames; want the series and the exemplars", r.Error, len(r.Frames))
	}
	return r.Frames[0], r.Frames[1]
}

// TestLiveExemplarsThroughThePlugin: QueryData of a live range points the
// exemplar frame at its channel, SubscribeStream on it gives the exemplar
// schema, RunStream sends rows equal to QueryData's exemplar frame over a
// later range that holds them, and an alert rule still gets no exemplars.
func TestLiveExemplarsThroughThePlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	series, ex := queryLiveExemplars(t, p, ds)
	const prefix = "ds/tickstream/"
	if series.Meta.Channel == "" || !strings.HasPrefix(ex.Meta.Channel, series.Meta.Channel+"/ex=11") {
		t.Fatalf("series channel %q, exemplar channel %q; want the stream's path plus /ex=11", series.Meta.Channel, ex.Meta.Channel)
	}
	path := strings.TrimPrefix(ex.Meta.Channel, prefix)

	sub := subscribe(t, p, ds, path, nil)
	if sub.Status != statusOK {
		t.Fatalf("SubscribeStream(%s): %v", path, sub.Status)
	}
	schemaFrame, err := DecodeFrame(sub.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if schemaFrame.Name != "exemplar" || schemaFrame.Meta == nil || schemaFrame.Meta.DataTopic != data.DataTopicAnnotations ||
		schemaFrame.Meta.Channel != ex.Meta.Channel || schemaFrame.Rows() != 0 {
		t.Fatalf("InitialData %s; want the exemplar frame's schema with its channel", sub.Data)
	}
	schema, _, err := FrameSchema(sub.Data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.RunStream(context.Background(), ds, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Cancel)
	var streamed [][4]any
	timer := time.NewTimer(6 * time.Second)
	defer timer.Stop()
collect:
	for {
		select {
		case pkt, ok := <-s.Packets():
			if !ok {
				t.Fatalf("the exemplar stream ended: %v", s.Err())
			}
			if _, has, _ := FrameSchema(pkt.Data); has {
				t.Errorf("a message with a schema: %.200s", pkt.Data)
			}
			f, err := DecodeFrame(pkt.Data, schema)
			if err != nil {
				t.Fatal(err)
			}
			rows := exemplarRowsOf(t, f)
			if len(rows) == 0 {
				t.Error("an empty exemplar message")
			}
			for _, r := range rows {
				if r[0].(int64)%1100 != 0 {
					t.Errorf("exemplar at %d ms, off the 11-tick grid", r[0])
				}
				if r[0].(int64) > pkt.ReceivedAt.UnixMilli() {
					t.Errorf("exemplar at %d ms arrived early, at %d", r[0], pkt.ReceivedAt.UnixMilli())
				}
			}
			streamed = append(streamed, rows...)
		case <-timer.C:
			break collect
		}
	}
	if len(streamed) < 3 {
		t.Fatalf("%d exemplars in 6 s", len(streamed))
	}

	_, later := queryLiveExemplars(t, p, ds)
	if later.Meta.Channel != ex.Meta.Channel {
		t.Fatalf("the later range's exemplar channel %q, want %q", later.Meta.Channel, ex.Meta.Channel)
	}
	var history [][4]any
	for _, r := range exemplarRowsOf(t, later) {
		if ms := r[0].(int64); ms >= streamed[0][0].(int64) && ms <= streamed[len(streamed)-1][0].(int64) {
			history = append(history, r)
		}
	}
	if !reflect.DeepEqual(streamed, history) {
		t.Errorf("streamed exemplars\n%v\nthe history's\n%v", streamed, history)
	}
	// The first streamed exemplar is after the first query's history.
	if first, last := streamed[0][0].(int64), ex.Fields[0].At(ex.Rows()-1).(time.Time).UnixMilli(); ex.Rows() > 0 && first <= last {
		t.Errorf("the stream repeats the history's exemplar at %d (the history's last is %d)", first, last)
	}

	// An alert rule's evaluation: the series alone.
	to := time.Now().UnixMilli()
	res, err := p.QueryDataWithHeaders(ctxFor(t, 30*time.Second), ds, FromAlertHeaders(),
		Query{RefID: "A", JSON: []byte(liveExemplarQuery), From: msTime(to - 30_000), To: msTime(to)})
	if err != nil {
		t.Fatal(err)
	}
	if r := res["A"]; r.Error != "" || len(r.Frames) != 1 || r.Frames[0].Name == "exemplar" {
		t.Errorf("an alert evaluation: error %q, %d frames; want the series alone", r.Error, len(r.Frames))
	}
	assertAlive(t, p)
}

// TestExemplarChannelRefusals: a malformed exemplar path is NotFound, and
// an exemplar channel is a stream for the data source's caps.
func TestExemplarChannelRefusals(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const base = "v1/t=1000/lo=0/hi=100/seed=0"
	for _, path := range []string{
		base + "/ex=0", base + "/ex=011", base + "/ex=1.5", base + "/ex=5/exurl=", base + "/ex=5/exurl=aHR0cDovL3g",
		base + "/kind=state/states=OK.CRIT/ex=5", base + "/ex=5/ex=6", base + "/ex=" + strings.Repeat("9", 200),
	} {
		if resp := subscribe(t, p, ds, path, nil); resp.Status != statusNotFound {
			t.Errorf("SubscribeStream(%s): %v, want NotFound", path, resp.Status)
		}
	}

	one := dataSource(`{"maxStreams":1}`)
	openStreams(t, p, one, []string{base})
	refusedNaming(t, p, one, base+"/ex=10", "as many as its maxStreams of 1 allows")

	// 10 series every 2 × 100 ms: 50 exemplars a second, past a budget of 49.
	budget := dataSource(`{"maxTotalPointsPerSecond":49}`)
	refusedNaming(t, p, budget, "v1/t=100/lo=0/hi=100/seed=0/series=10/ex=2", "this stream's 50 more would pass its maxTotalPointsPerSecond of 49")
	if resp := subscribe(t, p, budget, "v1/t=100/lo=0/hi=100/seed=0/series=10/ex=3", nil); resp.Status != statusOK {
		t.Errorf("33.334 exemplars a second within 49: %v, want OK", resp.Status)
	}
	assertAlive(t, p)
}

// TestHashedExemplarChannelThroughThePlugin: an exemplar channel whose
// definition does not fit a channel id is named by its hash in
// meta.custom, as a stream's is; it needs its definition as subscribe data
// and then gives the schema with the exemplarUrl link.
func TestHashedExemplarChannelThroughThePlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	to := time.Now().UnixMilli()
	res, err := p.QueryData(ctxFor(t, 30*time.Second), ds, Query{RefID: "A",
		JSON: []byte(`{"series":2,"labels":"host=web-$seriesIndex","exemplars":5,"exemplarUrl":"https://tempo.example.com/trace/${__value.raw}"}`),
		From: msTime(to - 60_000), To: msTime(to), MaxDataPoints: 1000})
	if err != nil {
		t.Fatal(err)
	}
	r := res["A"]
	if r.Error != "" || len(r.Frames) != 2 {
		t.Fatalf("error %q, %d frames", r.Error, len(r.Frames))
	}
	ex := r.Frames[1]
	custom, _ := ex.Meta.Custom.(map[string]any)
	channel, _ := custom["tickstreamChannel"].(string)
	definition, _ := custom["tickstreamDefinition"].(string)
	if ex.Meta.Channel != "" || !strings.HasPrefix(channel, "ds/tickstream/v1/sha256=") || !strings.Contains(definition, "/exurl=") {
		t.Fatalf("exemplar meta %+v; want the hashed channel and its definition in meta.custom", ex.Meta)
	}
	path := strings.TrimPrefix(channel, "ds/tickstream/")
	if resp := subscribe(t, p, ds, path, nil); resp.Status != statusNotFound {
		t.Errorf("the hashed exemplar channel without its definition: %v, want NotFound", resp.Status)
	}
	sub := subscribe(t, p, ds, path, []byte(`{"definition":"`+definition+`"}`))
	if sub.Status != statusOK {
		t.Fatalf("the hashed exemplar channel with its definition: %v", sub.Status)
	}
	f, err := DecodeFrame(sub.Data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg := f.Fields[2].Config; f.Name != "exemplar" || cfg == nil || len(cfg.Links) != 1 || cfg.Links[0].URL != "https://tempo.example.com/trace/${__value.raw}" {
		t.Errorf("schema %s; want the exemplar frame with the exemplarUrl link on traceID", sub.Data)
	}
}
