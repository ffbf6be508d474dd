package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

func TestSubscribeStream(t *testing.T) {
	const path = "v1/t=20/lo=-5/hi=5/seed=3"
	tests := []struct {
		name, jsonData, path, data string
		want                       backend.SubscribeStreamStatus
	}{
		{name: "canonical path", path: path, want: backend.SubscribeStreamStatusOK},
		{name: "empty data counts as absent", path: path, data: " ", want: backend.SubscribeStreamStatusOK},
		{name: "null data counts as absent", path: path, data: "null", want: backend.SubscribeStreamStatusOK},
		{name: "data describing the same stream", path: path, data: `{"refId":"A","tickInterval":20,"lowerLimit":-5,"upperLimit":5,"seed":3}`, want: backend.SubscribeStreamStatusOK},
		{name: "unparsable path", path: "v1/nonsense", want: backend.SubscribeStreamStatusNotFound},
		{name: "non-canonical path", path: "v1/t=20/lo=-5/hi=5.0/seed=3", want: backend.SubscribeStreamStatusNotFound},
		{name: "invalid stream", path: "v1/t=0/lo=-5/hi=5/seed=3", want: backend.SubscribeStreamStatusNotFound},
		{name: "another version", path: "v2/t=20/lo=-5/hi=5/seed=3", want: backend.SubscribeStreamStatusNotFound},
		{name: "below minTickInterval", path: "v1/t=5/lo=0/hi=100/seed=0", want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "over maxPointsPerSecond", jsonData: `{"minTickInterval":1,"maxPointsPerSecond":10}`, path: path, want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "broken settings", jsonData: `{"minTickInterval":null}`, path: path, want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "data describing another stream", path: path, data: `{"tickInterval":20,"lowerLimit":-5,"upperLimit":6,"seed":3}`, want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "data with defaults differing from the path", path: path, data: `{}`, want: backend.SubscribeStreamStatusPermissionDenied},
		{name: "invalid data", path: path, data: `[1]`, want: backend.SubscribeStreamStatusPermissionDenied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			resp, err := d.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: tt.path, Data: json.RawMessage(tt.data)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tt.want {
				t.Fatalf("status %v, want %v", resp.Status, tt.want)
			}
			if tt.want != backend.SubscribeStreamStatusOK {
				if resp.InitialData != nil {
					t.Errorf("a refusal carries initial data %s", resp.InitialData.Data())
				}
				return
			}
			checkSchemaOnly(t, resp.InitialData)
		})
	}
}

// checkSchemaOnly checks that initial data is the time/value schema
// without any rows.
func checkSchemaOnly(t *testing.T, initial *backend.InitialData) {
	t.Helper()
	if initial == nil {
		t.Fatal("no initial data")
	}
	var frame struct {
		Schema *struct {
			Name   string `json:"name"`
			Fields []struct {
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"fields"`
		} `json:"schema"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(initial.Data(), &frame); err != nil {
		t.Fatalf("initial data %s: %v", initial.Data(), err)
	}
	s := frame.Schema
	if s == nil || s.Name != frameName || len(s.Fields) != 2 || s.Fields[0].Name != "time" || s.Fields[0].Type != "time" ||
		s.Fields[1].Name != "value" || s.Fields[1].Type != "number" || frame.Data != nil {
		t.Errorf("initial data %s, want the time/value schema only", initial.Data())
	}
}

func TestPublishStreamIsDenied(t *testing.T) {
	d := newTestDatasource(t, "")
	resp, err := d.PublishStream(context.Background(), &backend.PublishStreamRequest{Path: "v1/t=1000/lo=0/hi=100/seed=0", Data: json.RawMessage(`{}`)})
	if err != nil || resp.Status != backend.PublishStreamStatusPermissionDenied {
		t.Errorf("PublishStream = %+v, %v; want PermissionDenied", resp, err)
	}
}

// point is one row a stream sent: its time, the first series' value and
// every series' values.
type point struct {
	ms     int64
	value  float64
	values []float64
}

// fakeSender records what RunStream sends, as the browser would decode it.
// onSend, when set, runs before each send is recorded and may fail it.
type fakeSender struct {
	mu     sync.Mutex
	frames [][]point
	onSend func(n int) error
	err    error // a frame that could not be read
}

func (f *fakeSender) Send(p *backend.StreamPacket) error {
	f.mu.Lock()
	n := len(f.frames)
	f.mu.Unlock()
	if f.onSend != nil {
		if err := f.onSend(n); err != nil {
			return err
		}
	}
	var frame struct {
		Schema json.RawMessage `json:"schema"`
		Data   struct {
			Values [][]float64 `json:"values"`
		} `json:"data"`
	}
	err := json.Unmarshal(p.Data, &frame)
	columns := frame.Data.Values
	if err == nil && (frame.Schema != nil || len(columns) < 2 || len(columns[0]) == 0) {
		err = errors.New("not a non-empty data-only frame: " + string(p.Data))
	}
	for _, c := range columns {
		if err == nil && len(c) != len(columns[0]) {
			err = errors.New("columns of different lengths: " + string(p.Data))
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		f.err = err
		return nil
	}
	rows := make([]point, len(columns[0]))
	for i := range rows {
		rows[i] = point{ms: int64(columns[0][i]), value: columns[1][i], values: make([]float64, len(columns)-1)}
		for s := range rows[i].values {
			rows[i].values[s] = columns[1+s][i]
		}
	}
	f.frames = append(f.frames, rows)
	return nil
}

// sent returns the frames so far.
func (f *fakeSender) sent(t *testing.T) [][]point {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		t.Fatal(f.err)
	}
	return append([][]point(nil), f.frames...)
}

// runStream starts RunStream on its own goroutine and returns a channel
// that yields its result.
func runStream(d *Datasource, ctx context.Context, path string, sender *fakeSender) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- d.RunStream(ctx, &backend.RunStreamRequest{Path: path}, backend.NewStreamSender(sender))
	}()
	return done
}

// waitResult waits a generous while for RunStream to return.
func waitResult(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("RunStream did not return")
		return nil
	}
}

// waitFrames waits until at least n frames were sent.
func waitFrames(t *testing.T, s *fakeSender, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.sent(t)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d frames after 10 s, want %d", len(s.sent(t)), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkTicks checks that the rows of all frames are consecutive ticks of
// q, each once and in order, with the values signal gives every series.
func checkTicks(t *testing.T, q models.Query, frames [][]point) []point {
	t.Helper()
	g := signal.New(q)
	var all []point
	for _, f := range frames {
		all = append(all, f...)
	}
	for i, p := range all {
		if p.ms%q.TickInterval != 0 {
			t.Fatalf("row %d at %d ms is off the %d ms grid", i, p.ms, q.TickInterval)
		}
		if i > 0 && p.ms != all[i-1].ms+q.TickInterval {
			t.Fatalf("row %d at %d ms follows %d ms: a tick is missing, repeated or out of order", i, p.ms, all[i-1].ms)
		}
		if int64(len(p.values)) != q.Series {
			t.Fatalf("row %d has %d values for %d series", i, len(p.values), q.Series)
		}
		for s, v := range p.values {
			if want := g.Value(int64(s)+1, p.ms/q.TickInterval); v != want {
				t.Fatalf("row %d series %d value %v, want %v", i, s+1, v, want)
			}
		}
	}
	return all
}

func TestRunStreamSendsEveryTickOnce(t *testing.T) {
	const path = "v1/t=20/lo=-5/hi=5/seed=3"
	q := pathQuery(t, path)
	d := newTestDatasource(t, "")
	sender := &fakeSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	startTick := signal.LastTickAtOrBefore(time.Now().UnixMilli(), q.TickInterval)
	done := runStream(d, ctx, path, sender)
	waitFrames(t, sender, 20)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatalf("RunStream after cancel = %v, want nil", err)
	}

	all := checkTicks(t, q, sender.sent(t))
	// The first message carries the whole batch since the last message tick
	// (k divisible by 3 at 20 ms and 20 messages a second), so that it
	// continues the histories served before it (handover.go).
	const perMessage = 3
	if first := all[0].ms / q.TickInterval; first <= startTick-perMessage || first > startTick+50 || (first-1)%perMessage != 0 {
		t.Errorf("first tick %d, want the one after a message tick (k divisible by %d), soon after the start tick %d", first, perMessage, startTick)
	}

	// The same ticks from QueryData carry the same values.
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", JSON: []byte(`{"tickInterval":20,"lowerLimit":-5,"upperLimit":5,"seed":3}`), MaxDataPoints: 10_000,
		TimeRange: backend.TimeRange{From: time.UnixMilli(all[0].ms), To: time.UnixMilli(all[len(all)-1].ms)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	times, values := series(t, resp.Responses["A"].Frames[0])
	if len(times) != len(all) {
		t.Fatalf("QueryData has %d points for the %d streamed ticks", len(times), len(all))
	}
	for i := range all {
		if times[i].UnixMilli() != all[i].ms || values[i] != all[i].value {
			t.Fatalf("point %d: QueryData (%v, %v), stream (%d, %v)", i, times[i], values[i], all[i].ms, all[i].value)
		}
	}
}

func TestRunStreamCatchesUpAfterAStall(t *testing.T) {
	const path = "v1/t=10/lo=0/hi=1/seed=0"
	q := pathQuery(t, path)
	d := newTestDatasource(t, "")
	sender := &fakeSender{onSend: func(n int) error {
		if n == 2 {
			time.Sleep(200 * time.Millisecond) // a slow client
		}
		return nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runStream(d, ctx, path, sender)
	waitFrames(t, sender, 6)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
	frames := sender.sent(t)
	checkTicks(t, q, frames)
	if len(frames[3]) < 5 {
		t.Errorf("the frame after a 200 ms stall at a 10 ms tick has %d rows, want the missed ticks", len(frames[3]))
	}
}

func TestRunStreamBoundsTheCatchUp(t *testing.T) {
	const path = "v1/t=20/lo=0/hi=1/seed=0"
	q := pathQuery(t, path)
	d := newTestDatasource(t, "")
	var skew atomic.Int64 // how far the clock jumped ahead, in ns
	d.now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	sender := &fakeSender{onSend: func(n int) error {
		if n == 1 {
			skew.Store(int64(time.Hour)) // the machine slept for an hour
		}
		return nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runStream(d, ctx, path, sender)
	waitFrames(t, sender, 5)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
	frames := sender.sent(t)
	if len(frames[2]) != maxCatchUpTicks {
		t.Errorf("the frame after an hour's jump has %d rows, want the bound %d", len(frames[2]), maxCatchUpTicks)
	}
	checkTicks(t, q, frames[2:])
	if gap := frames[2][0].ms - frames[1][len(frames[1])-1].ms; gap < int64(time.Hour/time.Millisecond)-maxCatchUpTicks*q.TickInterval {
		t.Errorf("the catch-up starts only %d ms after the last tick sent", gap)
	}
}

func TestRunStreamEnds(t *testing.T) {
	const good = "v1/t=20/lo=0/hi=100/seed=0"
	sendFailure := errors.New("connection lost")
	tests := []struct {
		name, jsonData, path string
		failSends            bool
		dispose              bool
		wantErr              error // nil: RunStream must wait for the context and return nil
		wantFrames           bool
	}{
		{name: "cancelled", path: good, wantFrames: true},
		{name: "disposed", path: good, dispose: true, wantErr: errDisposed, wantFrames: true},
		{name: "failing sender", path: good, failSends: true, wantErr: sendFailure},
		{name: "bad path waits", path: "v1/t=20/lo=0/hi=100/seed=-0"},
		{name: "refused by the settings waits", path: "v1/t=5/lo=0/hi=100/seed=0"},
		{name: "broken settings wait", jsonData: `[]`, path: good},
		{name: "disposed while waiting", jsonData: `[]`, path: good, dispose: true, wantErr: errDisposed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newTestDatasource(t, tt.jsonData)
			sender := &fakeSender{}
			if tt.failSends {
				sender.onSend = func(int) error { return sendFailure }
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := runStream(d, ctx, tt.path, sender)
			if tt.failSends {
				if err := waitResult(t, done); !errors.Is(err, sendFailure) {
					t.Fatalf("RunStream = %v, want the send error", err)
				}
				return
			}
			if tt.wantFrames {
				waitFrames(t, sender, 3)
			} else {
				time.Sleep(100 * time.Millisecond)
			}
			select {
			case err := <-done:
				t.Fatalf("RunStream returned %v before its end", err)
			default:
			}
			if tt.dispose {
				d.Dispose()
			} else {
				cancel()
			}
			if err := waitResult(t, done); !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("RunStream = %v, want %v", err, tt.wantErr)
			}
			if got := len(sender.sent(t)); tt.wantFrames != (got > 0) {
				t.Errorf("%d frames sent", got)
			}
		})
	}
}

// discard is a packet sender that only counts bytes, for benchmarks.
type discard struct{ bytes int }

func (d *discard) Send(p *backend.StreamPacket) error {
	d.bytes += len(p.Data)
	return nil
}

// BenchmarkStreamTick is the per-message cost of a stream in steady state:
// one row (or, at a 1 ms tick, the 50 rows of a message at the default
// maxMessageRate) of one or ten series, encoded, sent and counted as the
// loop does it. The loop's own part allocates nothing
// (TestStreamMessageDoesNotAllocate); the allocations reported are the
// SDK's SendBytes wrapping the bytes in its packet types.
func BenchmarkStreamTick(b *testing.B) {
	for _, bench := range []struct {
		name string
		path string
		rows int64
	}{
		{"one row", "v1/t=10/lo=-5/hi=5/seed=3", 1},
		{"one row of 10 series", "v1/t=10/lo=-5/hi=5/seed=3/series=10", 1},
		{"50 rows of 10 walks", "v1/t=1/lo=-5/hi=5/seed=3/shape=walk/series=10", 50},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newTestDatasource(b, "")
			q := pathQuery(b, bench.path)
			value := d.values(q)
			sender := backend.NewStreamSender(&discard{})
			var msg []byte
			k := int64(177_000_000_000)
			for b.Loop() {
				if err := d.sendMessage(&msg, sender, q, value, k, k+bench.rows-1, time.Now()); err != nil {
					b.Fatal(err)
				}
				k += bench.rows
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*bench.rows*q.Series), "ns/point")
		})
	}
}

// BenchmarkStreamSend is a whole message of a running stream as its
// runner makes it, at its wake time on a clock that keeps up: the clock
// read, the catch-up rule that picks the due ticks, the encoding, the send
// and the next wake time. BenchmarkStreamTick is the encoding and the send
// alone; the difference is the loop's own cost. The exemplar stream sends
// one exemplar tick of 10 series in each message (ex=5 at 5 ticks a
// message).
func BenchmarkStreamSend(b *testing.B) {
	for _, bench := range []struct{ name, path string }{
		{"one row at 1 s", "v1/t=1000/lo=-5/hi=5/seed=3"},
		{"50 rows of 10 walks", "v1/t=1/lo=-5/hi=5/seed=3/shape=walk/series=10"},
		{"exemplars of 10 series", "v1/t=10/lo=-5/hi=5/seed=3/series=10/ex=5"},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			d := newTestDatasource(b, "")
			now := pinnedNow.UnixMilli()
			d.now = func() time.Time { return time.UnixMilli(now) }
			q, e, err := channel.ParseAny(bench.path)
			if err != nil {
				b.Fatal(err)
			}
			sender := backend.NewStreamSender(&discard{})
			var wake int64
			var send func() (int64, error)
			if e.Every != 0 {
				s := d.newExemplarStream(context.Background(), bench.path, q, e, sender)
				wake, send = s.wake(), s.send
			} else {
				s := d.newStream(context.Background(), bench.path, q, sender)
				wake, send = s.wake(), s.send
			}
			for b.Loop() {
				now = wake
				if wake, err = send(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
