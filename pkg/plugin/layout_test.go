package plugin

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// randomGapsQuery returns a valid query with nulls, outages, states or
// log lines, in random combinations with csv values and the shapes.
func randomGapsQuery(t testing.TB, rng *rand.Rand) models.Query {
	t.Helper()
	for {
		if q := randomQuery(t, rng); needsLayout(q) {
			return q
		}
	}
}

func randomQuery(t testing.TB, rng *rand.Rand) models.Query {
	q := models.DefaultQuery()
	q.TickInterval = []int64{1, 10, 1000, 86_400_000}[rng.IntN(4)]
	q.LowerLimit, q.UpperLimit = []float64{0, -5, -1e300}[rng.IntN(3)], []float64{100, 5, 1e300}[rng.IntN(3)]
	q.Seed = rng.Uint64N(1 << 53)
	q.Series = 1 + rng.Int64N(4)
	q.Noise = []float64{0, 0.2}[rng.IntN(2)]
	switch rng.IntN(3) {
	case 0:
		q.Shape = models.ShapeSine
		q.Period = 1 + rng.Int64N(100_000)
	case 1:
		q.Shape, q.Values = models.ShapeCSV, "0,1,2.5,4,5"
	}
	q.DropPercent = []float64{0, 0, 12.5, 50, 100}[rng.IntN(5)]
	if rng.IntN(2) == 0 {
		q.OutagePeriod = q.TickInterval * (2 + rng.Int64N(10))
		q.OutageDuration = 1 + rng.Int64N(q.OutagePeriod-1)
	}
	q.Kind = models.SignalKinds[rng.IntN(len(models.SignalKinds))]
	if q.Kind == models.SignalState {
		q.States = "OK,WARN,CRIT"
	}
	if _, err := channel.Parse(channel.Format(q)); err != nil {
		t.Fatalf("generated an invalid query %+v: %v", q, err)
	}
	return q
}

// TestGapsMessagesAreTheSDKsFrames checks that every layout's stream
// message is byte for byte the data-only JSON of the frame QueryData
// builds for the same ticks: nullable numbers and strings, states, log
// lines with their labels, and outages leaving rows out (no message at
// all when every tick is in one).
func TestGapsMessagesAreTheSDKsFrames(t *testing.T) {
	d := newTestDatasource(t, "")
	rng := rand.New(rand.NewPCG(11, 3))
	empty := 0
	for range 400 {
		q := randomGapsQuery(t, rng)
		bound := 8_640_000_000_000_000 / q.TickInterval
		count := 1 + rng.Int64N(40)
		first := rng.Int64N(2*bound-count) - bound
		frame := newFramer(q).frame(first, 1, count)
		want, err := data.FrameToJSON(frame, data.IncludeDataOnly)
		if err != nil {
			t.Fatal(err)
		}
		got, points := d.newGapsStream(q).appendMessage(nil, first, first+count-1)
		rows, _ := frame.RowLen()
		if rows == 0 {
			empty++
			if points != 0 || len(got) != 0 {
				t.Fatalf("%s ticks %d+%d: history has no rows but the message is %s", channel.Format(q), first, count, got)
			}
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s ticks %d+%d:\n got %s\nwant %s", channel.Format(q), first, count, got, want)
		}
	}
	if empty == 0 {
		t.Error("no case fell wholly into an outage")
	}
}

// TestGapsMessageDoesNotAllocate holds a layout's messages to what the
// plain numbers cost: nothing of their own once the buffers have grown.
func TestGapsMessageDoesNotAllocate(t *testing.T) {
	d := newTestDatasource(t, "")
	for _, path := range []string{
		"v1/t=10/lo=0/hi=100/seed=3/series=10/drop=20/outage=60000_5000",
		"v1/t=10/lo=0/hi=100/seed=3/shape=sine/series=10/kind=state/states=OK.WARN.CRIT",
		"v1/t=10/lo=0/hi=100/seed=3/series=4/drop=5/kind=logs", // 200 lines: under maxKeptMessage
	} {
		q := pathQuery(t, path)
		g := d.newGapsStream(q)
		sender := backend.NewStreamSender(&countPackets{})
		var msg []byte
		k := int64(177_000_000_000)
		send := func() {
			if err := g.sendMessage(&msg, sender, q, nil, k, k+49, time.Now()); err != nil {
				t.Fatal(err)
			}
			k += 50
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
			t.Errorf("%s: %v allocations per message, the SDK's send alone %v", path, allocs, baseline)
		}
	}
}

// TestLogsHistoryIsBounded: a logs query's history holds at most
// maxLogLines lines whatever maxDataPoints asks, thinned like numbers.
func TestLogsHistoryIsBounded(t *testing.T) {
	d := newTestDatasource(t, "")
	pinClock(d)
	to := d.now()
	for _, c := range []struct {
		series, maxDataPoints int64
		want                  int
	}{{1, 100_000, maxLogLines}, {100, 10_000, maxLogLines}, {3, 500, 1500}} {
		query := `{"tickInterval":10,"kind":"logs","series":` + strconv.FormatInt(c.series, 10) + `}`
		frame := queryFrame(t, d, query, c.maxDataPoints, to.Add(-time.Hour), to)
		if rows, _ := frame.RowLen(); rows != c.want {
			t.Errorf("%d series, maxDataPoints %d: %d lines, want %d", c.series, c.maxDataPoints, rows, c.want)
		}
	}
}

// TestRunStreamSkipsOutages: with batching (5 ticks a message) and an
// outage of 8 ticks in every 20, the stream sends every tick outside the
// outages exactly once and in order, each message ending at a multiple of
// 5 or at the last tick before an outage that reaches it, and no message
// for a batch wholly inside an outage (fakeSender refuses an empty one).
// (A message may hold several batches after a stall, as every stream's
// catch-up does.)
func TestRunStreamSkipsOutages(t *testing.T) {
	const path = "v1/t=10/lo=0/hi=100/seed=2/outage=200_80"
	q := pathQuery(t, path)
	g := signal.New(q)
	d := newTestDatasource(t, "")
	sender := &fakeSender{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := runStream(d, ctx, path, sender)
	waitFrames(t, sender, 30)
	cancel()
	if err := waitResult(t, done); err != nil {
		t.Fatal(err)
	}
	const per = 5 // ceil(1000 / (20 messages a second × 10 ms))
	frames := sender.sent(t)
	var prev int64
	for i, f := range frames {
		last := f[len(f)-1].ms / q.TickInterval
		batchEnd := (last + per - 1) / per * per
		for k := last + 1; k <= batchEnd; k++ {
			if g.HasRow(k) {
				t.Fatalf("frame %d ends at tick %d, but tick %d of its batch (ending %d) is outside the outage", i, last, k, batchEnd)
			}
		}
		for _, p := range f {
			k := p.ms / q.TickInterval
			if !g.HasRow(k) {
				t.Fatalf("frame %d holds tick %d, inside an outage", i, k)
			}
			if p.value != g.Value(1, k) {
				t.Fatalf("tick %d: %v, want %v", k, p.value, g.Value(1, k))
			}
			if prev != 0 {
				for missed := prev + 1; missed < k; missed++ {
					if g.HasRow(missed) {
						t.Fatalf("tick %d outside the outages was not sent (%d then %d)", missed, prev, k)
					}
				}
				if k <= prev {
					t.Fatalf("tick %d after %d: repeated or out of order", k, prev)
				}
			}
			prev = k
		}
	}
	if span := frames[len(frames)-1][0].ms - frames[0][0].ms; span < 400 {
		t.Fatalf("30 frames span only %d ms: no outage was crossed", span)
	}
}
