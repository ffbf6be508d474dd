package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/wire"
)

// exemplarRow is one exemplar as a panel sees it.
type exemplarRow struct {
	TimeMs  int64
	Value   float64
	TraceID string
	Labels  string // key=value,… in field order
}

// historyExemplarRows are the rows of an exemplar frame.
func historyExemplarRows(t *testing.T, ex *data.Frame) []exemplarRow {
	t.Helper()
	rows := make([]exemplarRow, ex.Rows())
	for i := range rows {
		var labels []string
		for _, f := range ex.Fields[3:] {
			labels = append(labels, f.Name+"="+f.At(i).(string))
		}
		rows[i] = exemplarRow{ex.Fields[0].At(i).(time.Time).UnixMilli(), ex.Fields[1].At(i).(float64), ex.Fields[2].At(i).(string), strings.Join(labels, ",")}
	}
	return rows
}

// messageExemplarRows reads the rows of a data-only exemplar message
// whose schema has the label fields keys.
func messageExemplarRows(t *testing.T, msg []byte, keys []string) []exemplarRow {
	t.Helper()
	var m struct {
		Data struct {
			Values []json.RawMessage `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg, &m); err != nil || len(m.Data.Values) != 3+len(keys) {
		t.Fatalf("message %s: %v, want %d columns", msg, err, 3+len(keys))
	}
	var times []int64
	var values []float64
	var ids []string
	columns := make([][]string, len(keys))
	for i, target := range []any{&times, &values, &ids} {
		if err := json.Unmarshal(m.Data.Values[i], target); err != nil {
			t.Fatal(err)
		}
	}
	for i := range keys {
		if err := json.Unmarshal(m.Data.Values[3+i], &columns[i]); err != nil {
			t.Fatal(err)
		}
	}
	rows := make([]exemplarRow, len(times))
	for i := range rows {
		var labels []string
		for j, key := range keys {
			labels = append(labels, key+"="+columns[j][i])
		}
		rows[i] = exemplarRow{times[i], values[i], ids[i], strings.Join(labels, ",")}
	}
	return rows
}

// liveQuery runs query over the minute before now on d and returns its
// frames, failing unless both are there and live.
func liveQuery(t *testing.T, d *Datasource, query string, maxDataPoints int64) (series, ex *data.Frame) {
	t.Helper()
	now := d.now()
	frames := queryFrames(t, d, query, maxDataPoints, now.Add(-time.Minute), now)
	if len(frames) != 2 {
		t.Fatalf("%d frames, want the series and the exemplars", len(frames))
	}
	return frames[0], frames[1]
}

// TestRefreshesKeepTheirExemplarChannel: two refreshes of a live minute
// half a tick apart hold 60 and 61 ticks of 1 s. Sized by the ticks that
// fell in each, the exemplars' period would be 10 ticks at one refresh
// and 11 at the next (6 exemplars), and the panel would switch exemplar
// channels at every other refresh; sized by the range's length, both
// follow the one channel of period 11.
func TestRefreshesKeepTheirExemplarChannel(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	const query = `{"exemplars":6}`
	var rows []int
	var channels []string
	for _, now := range []time.Time{time.UnixMilli(1_773_500_100_000), time.UnixMilli(1_773_500_100_500)} {
		d.now = func() time.Time { return now }
		frames := queryFrames(t, d, query, 1000, now.Add(-time.Minute), now)
		if len(frames) != 2 || frames[1].Meta == nil || frames[1].Meta.Channel == "" {
			t.Fatalf("at %v: %d frames, want the series and its live exemplars", now, len(frames))
		}
		rows = append(rows, frames[0].Rows())
		channels = append(channels, frames[1].Meta.Channel)
		if n := frames[1].Rows(); n > 6 {
			t.Errorf("at %v: %d exemplars, more than the 6 asked for", now, n)
		}
	}
	if rows[0] == rows[1] {
		t.Fatalf("both refreshes hold %d points; the test wants the two phases of a minute", rows[0])
	}
	if channels[0] != channels[1] || !strings.HasSuffix(channels[0], "/ex=11") {
		t.Errorf("exemplar channels %q and %q; want the one of period 11 at both refreshes", channels[0], channels[1])
	}
}

func TestLiveRangeExemplarsFollowTheirChannel(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	const query = `{"exemplars":6,"series":2,"exemplarUrl":"https://t.example/${__value.raw}"}`
	series, ex := liveQuery(t, d, query, 1000)
	q := pathQuery(t, pathOfChannel(t, series.Meta.Channel))
	// A minute can hold 61 ticks of 1 s, none thinned: every 11, whether
	// this minute holds 60 or 61.
	every := exemplarEvery(1, 61, 6)
	want := channel.ForExemplars("tickstream", q, channel.Exemplars{Every: every, URL: "https://t.example/${__value.raw}"})
	if want.Definition != "" || ex.Meta.Channel != want.ID {
		t.Fatalf("exemplar meta.channel %q, want %q", ex.Meta.Channel, want.ID)
	}
	if !strings.HasPrefix(ex.Meta.Channel, series.Meta.Channel+"/ex=") {
		t.Errorf("exemplar channel %q is not the stream's %q plus the exemplars", ex.Meta.Channel, series.Meta.Channel)
	}

	// A range that does not reach now: history only, as before.
	frames := queryFrames(t, d, query, 1000, pinnedNow.Add(-time.Hour), pinnedNow.Add(-30*time.Minute))
	if len(frames) != 2 || frames[0].Meta.Channel != "" || frames[1].Meta.Channel != "" || frames[1].Meta.Custom != nil {
		t.Errorf("a past range: %d frames, channels %q %q", len(frames), frames[0].Meta.Channel, frames[1].Meta.Channel)
	}
	// A definition too long for a channel id: hashed, followed by the frontend.
	long := `{"exemplars":3,"labels":"team=` + strings.Repeat("x", 120) + `"}`
	series, ex = liveQuery(t, d, long, 1000)
	hs, ok := ex.Meta.Custom.(HashedStream)
	if !ok || ex.Meta.Channel != "" || !channel.IsHashed(pathOfChannel(t, hs.Channel)) || !channel.IsExemplars(hs.Definition) {
		t.Fatalf("long exemplar frame meta %+v; want the hashed channel in meta.custom", ex.Meta)
	}
	if other, _ := series.Meta.Custom.(HashedStream); other.Channel == hs.Channel {
		t.Error("the series and the exemplars share a hashed channel")
	}
}

func TestExemplarChannelSubscription(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	_, ex := liveQuery(t, d, `{"exemplars":6,"series":2,"labels":"host=web-$seriesIndex","exemplarUrl":"https://t.example/${__value.raw}"}`, 1000)
	path := pathOfChannel(t, ex.Meta.Channel)
	sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK {
		t.Fatalf("SubscribeStream(%s) = %+v, %v", path, sub, err)
	}
	var schema struct {
		Schema struct {
			Name   string          `json:"name"`
			Meta   json.RawMessage `json:"meta"`
			Fields []struct {
				Name   string          `json:"name"`
				Config json.RawMessage `json:"config"`
			} `json:"fields"`
		} `json:"schema"`
	}
	if err := json.Unmarshal(sub.InitialData.Data(), &schema); err != nil {
		t.Fatal(err)
	}
	s := schema.Schema
	if s.Name != "exemplar" || string(s.Meta) != `{"typeVersion":[0,0],"channel":"`+ex.Meta.Channel+`","dataTopic":"annotations"}` {
		t.Errorf("schema name %q, meta %s", s.Name, s.Meta)
	}
	var names []string
	for _, f := range s.Fields {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "time,value,traceID,host" || !bytes.Contains(s.Fields[2].Config, []byte(`"url":"https://t.example/${__value.raw}"`)) {
		t.Errorf("schema fields %v, traceID config %s", names, s.Fields[2].Config)
	}
	if bytes.Contains(sub.InitialData.Data(), []byte(`"values"`)) {
		t.Errorf("InitialData holds data: %s", sub.InitialData.Data())
	}

	base := channelPath(pathQuery(t, pathOfChannel(t, strings.SplitN(ex.Meta.Channel, "/ex=", 2)[0])))
	for _, bad := range []string{
		base + "/ex=0", base + "/ex=07", base + "/ex=5/exurl=", base + "/ex=5/exurl=aHR0cDovL3g", base + "/ex=5/x=1",
		"v1/t=1000/lo=0/hi=100/seed=0/kind=state/states=A.B/ex=5",
		"v1/t=0/lo=0/hi=100/seed=0/ex=5",
	} {
		sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: bad})
		if err != nil || sub.Status != backend.SubscribeStreamStatusNotFound {
			t.Errorf("SubscribeStream(%s) = %+v, %v; want NotFound", bad, sub, err)
		}
	}
	// The data source's limits apply as to the stream.
	limited := newTestDatasource(t, `{"minTickInterval":2000}`)
	sub, err = limited.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: "v1/t=1000/lo=0/hi=100/seed=0/ex=5"})
	if err != nil || sub.Status != backend.SubscribeStreamStatusPermissionDenied {
		t.Errorf("an exemplar channel past minTickInterval: %+v, %v; want PermissionDenied", sub, err)
	}
}

// The exemplar channel is one more stream for maxStreams, and costs its
// rows per second, series × 1000 / (every × tickInterval), of
// maxTotalPointsPerSecond.
func TestExemplarChannelCapacity(t *testing.T) {
	d := newTestDatasource(t, `{"maxStreams":1}`)
	subscribe := func(d *Datasource, path string) backend.SubscribeStreamStatus {
		t.Helper()
		sub, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		return sub.Status
	}
	if got := subscribe(d, "v1/t=1000/lo=0/hi=100/seed=0"); got != backend.SubscribeStreamStatusOK {
		t.Fatalf("the stream: %v", got)
	}
	if got := subscribe(d, "v1/t=1000/lo=0/hi=100/seed=0/ex=10"); got != backend.SubscribeStreamStatusPermissionDenied {
		t.Errorf("its exemplar channel past maxStreams 1: %v, want PermissionDenied", got)
	}
	// 10 series every 2 × 100 ms: 50 rows a second; a budget of 49 refuses it, 50 takes it.
	const path = "v1/t=100/lo=0/hi=100/seed=0/series=10/ex=2"
	if got := subscribe(newTestDatasource(t, `{"maxTotalPointsPerSecond":49}`), path); got != backend.SubscribeStreamStatusPermissionDenied {
		t.Errorf("50 exemplars a second within 49: %v, want PermissionDenied", got)
	}
	full := newTestDatasource(t, `{"maxTotalPointsPerSecond":50}`)
	if got := subscribe(full, path); got != backend.SubscribeStreamStatusOK {
		t.Errorf("50 exemplars a second within 50: %v, want OK", got)
	}
	if use := full.load.Use(); use.Streams != 1 || use.Cost != 50_000 {
		t.Errorf("ledger %+v after the exemplar channel, want 1 stream of 50 points a second", use)
	}
}

// runExemplarStream runs the exemplar channel path on d from the clock's
// now until its messages cover untilMs, and returns the messages.
func runExemplarStream(t *testing.T, d *Datasource, now *int64, path string, untilMs int64) [][]byte {
	t.Helper()
	q, e, err := channel.ParseAny(path)
	if err != nil || e.Every == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	rec := &recordPackets{}
	s := d.newExemplarStream(context.Background(), path, q, e, backend.NewStreamSender(rec))
	for wake := s.wake(); wake <= untilMs; {
		*now = wake
		if wake, err = s.send(); err != nil {
			t.Fatal(err)
		}
	}
	msgs := make([][]byte, len(rec.data))
	for i, m := range rec.data {
		msgs[i] = []byte(m)
	}
	return msgs
}

// TestExemplarStreamMatchesHistory: the rows an exemplar channel streams
// are exactly the rows of QueryData's exemplar frame at those ticks, over
// the range of the same length a minute later (whose exemplar channel is
// the same),
// with outages and dropped points leaving the same rows out, and each
// message byte for byte the SDK's encoding of those rows.
func TestExemplarStreamMatchesHistory(t *testing.T) {
	for _, c := range []struct{ query, settings string }{
		{`{"exemplars":10,"tickInterval":100,"series":3,"labels":"host=web-$seriesIndex, dc=\"a<b&c\"","dropPercent":30,"outagePeriod":12000,"outageDuration":5000}`, `{}`},
		{`{"exemplars":20,"tickInterval":10,"shape":"sine","noise":0.3}`, `{"maxMessageRate":7}`},
		{`{"exemplars":4,"tickInterval":1000,"series":2}`, `{}`},
	} {
		t.Run(c.query, func(t *testing.T) {
			d := newTestDatasource(t, c.settings)
			now := pinnedNow.UnixMilli()
			d.now = func() time.Time { return time.UnixMilli(now) }
			_, ex := liveQuery(t, d, c.query, 10_000)
			path := pathOfChannel(t, ex.Meta.Channel)
			start := now
			msgs := runExemplarStream(t, d, &now, path, start+50_000)

			q, e, _ := channel.ParseAny(path)
			f := newFramer(q)
			keys := f.labelKeys()
			var streamed []exemplarRow
			for _, m := range msgs {
				rows := messageExemplarRows(t, m, keys)
				if len(rows) == 0 {
					t.Errorf("an empty message: %s", m)
				}
				streamed = append(streamed, rows...)
				// The same bytes as the SDK writes for the history's frame of those rows.
				var wr []wire.Row
				for _, r := range rows {
					k := r.TimeMs / q.TickInterval
					for s := int64(1); s <= q.Series; s++ {
						id := string(f.gen.AppendTraceID(nil, s, k))
						if id == r.TraceID {
							wr = append(wr, wire.Row{K: k, S: s})
						}
					}
				}
				want, err := data.FrameToJSON(f.exemplarFrame(wr, ""), data.IncludeDataOnly)
				if err != nil || !bytes.Equal(m, want) {
					t.Errorf("message\n%s\nthe SDK's\n%s (%v)", m, want, err)
				}
			}
			if len(streamed) < 3 {
				t.Fatalf("%d exemplars streamed in 50 s", len(streamed))
			}

			// QueryData a minute later over a minute: a whole number of
			// messages later, so the same ticks, the same period and the
			// same exemplar channel.
			now = start + 60_000
			_, later := liveQuery(t, d, c.query, 10_000)
			if later.Meta.Channel != ex.Meta.Channel {
				t.Fatalf("the later range's exemplar channel %q, want %q", later.Meta.Channel, ex.Meta.Channel)
			}
			var history []exemplarRow
			for _, r := range historyExemplarRows(t, later) {
				if r.TimeMs >= streamed[0].TimeMs && r.TimeMs <= streamed[len(streamed)-1].TimeMs {
					history = append(history, r)
				}
			}
			if !reflect.DeepEqual(streamed, history) {
				t.Errorf("streamed\n%v\nhistory\n%v", streamed, history)
			}
			// Outages and dropped points: fewer rows than exemplar ticks × series.
			ticks := (streamed[len(streamed)-1].TimeMs-streamed[0].TimeMs)/(e.Every*q.TickInterval) + 1
			if q.DropPercent > 0 && int64(len(streamed)) >= ticks*q.Series {
				t.Errorf("%d rows at %d exemplar ticks of %d series: no point was missing", len(streamed), ticks, q.Series)
			}
			if first := streamed[0].TimeMs; first <= start-start%(q.TickInterval*ticksPerMessage(q.TickInterval, d.settings.MaxMessageRate)) {
				t.Errorf("the stream started at %d sent the exemplar at %d, which the history holds", start, first)
			}
		})
	}
}

// After a stall the stream sends at most catchUpTicks exemplar ticks.
func TestExemplarStreamBoundsTheCatchUp(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	now := pinnedNow.UnixMilli()
	d.now = func() time.Time { return time.UnixMilli(now) }
	rec := &recordPackets{}
	q := pathQuery(t, "v1/t=10/lo=0/hi=100/seed=0/series=200")
	s := d.newExemplarStream(context.Background(), "x", q, channel.Exemplars{Every: 1}, backend.NewStreamSender(rec))
	now += 3_600_000
	if _, err := s.send(); err != nil {
		t.Fatal(err)
	}
	if len(rec.data) != 1 {
		t.Fatalf("%d messages", len(rec.data))
	}
	rows := messageExemplarRows(t, []byte(rec.data[0]), []string{"series"})
	if got, want := int64(len(rows)), catchUpTicks(200)*200; got != want {
		t.Errorf("%d rows after an hour's stall, want %d", got, want)
	}
}

// TestExemplarMessageDoesNotAllocate: an exemplar message costs nothing
// of its own once the buffers have grown, as a stream message does.
func TestExemplarMessageDoesNotAllocate(t *testing.T) {
	d := newTestDatasource(t, "")
	now := pinnedNow.UnixMilli()
	d.now = func() time.Time { return time.UnixMilli(now) }
	const path = "v1/t=10/lo=0/hi=100/seed=3/series=10/labels=ZGM9ZXUsIGhvc3Q9d2ViLSRzZXJpZXNJbmRleA/drop=20/ex=5"
	q, e, err := channel.ParseAny(path)
	if err != nil {
		t.Fatal(err)
	}
	sender := backend.NewStreamSender(&countPackets{})
	s := d.newExemplarStream(context.Background(), path, q, e, sender)
	wake := s.wake()
	// Its own buffer, as a runner's pool holds one: under -race the pool
	// drops a quarter of what it is given, which would count as the
	// message's allocations.
	var msg []byte
	send := func() {
		now = wake
		if wake, err = s.sendInto(&msg); err != nil {
			t.Fatal(err)
		}
	}
	send()
	// The SDK's send of a message already encoded: a literal converted to
	// bytes here would add an allocation of its own to the baseline.
	baseline := testing.AllocsPerRun(50, func() {
		if err := sender.SendBytes(msg); err != nil {
			t.Fatal(err)
		}
	})
	if allocs := testing.AllocsPerRun(100, send); allocs > baseline {
		t.Errorf("%v allocations per exemplar message, the SDK's send alone %v", allocs, baseline)
	}
}
