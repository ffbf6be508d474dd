package plugin

import (
	"time"

	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/wire"
)

// TestStreamMessagesAreTheSDKsFrames checks that a stream message, encoded
// by hand, is byte for byte the data-only JSON of the frame QueryData
// builds for the same ticks, over random queries (every shape, several
// series, noise, negative and huge limits, times before the epoch and up
// to the ECMAScript bound). pkg/wire checks the number formatting over
// arbitrary floats.
func TestStreamMessagesAreTheSDKsFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	shapes := []models.Shape{models.ShapeRandom, models.ShapeWalk, models.ShapeSine, models.ShapeSquare, models.ShapeSawtooth, models.ShapeTriangle}
	limits := [][2]float64{{0, 100}, {-5, 5}, {-1e307, 1e307}, {1e-9, 2e-9}, {-3e21, 1e22}, {7, 7}, {-0.001, 0}}
	for range 300 {
		q := models.DefaultQuery()
		q.TickInterval = []int64{1, 10, 1000, 86_400_000}[rng.IntN(4)]
		l := limits[rng.IntN(len(limits))]
		q.LowerLimit, q.UpperLimit = l[0], l[1]
		q.Seed = rng.Uint64N(1 << 53)
		q.Shape = shapes[rng.IntN(len(shapes))]
		if q.Shape != models.ShapeRandom && q.Shape != models.ShapeWalk {
			q.Period = 1 + rng.Int64N(100_000)
		}
		q.Noise = []float64{0, 0.05, 1}[rng.IntN(3)]
		q.Series = 1 + rng.Int64N(4)
		if _, err := channel.Parse(channel.Format(q)); err != nil {
			t.Fatalf("generated an invalid query %+v: %v", q, err)
		}
		bound := 8_640_000_000_000_000 / q.TickInterval
		count := 1 + rng.Int64N(60)
		first := rng.Int64N(2*bound-count) - bound
		want, err := data.FrameToJSON(newFramer(q).frame(first, 1, count), data.IncludeDataOnly)
		if err != nil {
			t.Fatal(err)
		}
		got := wire.AppendFrame(nil, first, count, q.TickInterval, q.Series, generatorValues(q))
		if !bytes.Equal(got, want) {
			t.Fatalf("%s ticks %d+%d:\n got %s\nwant %s", channel.Format(q), first, count, got, want)
		}
	}
}

// countPackets is a packet sender that keeps nothing, so that measuring
// sendMessage sees only its own allocations and the SDK's.
type countPackets struct{ n int }

func (c *countPackets) Send(*backend.StreamPacket) error {
	c.n++
	return nil
}

// TestStreamMessageDoesNotAllocate holds the loop's steady state to no
// allocation of its own: a message costs exactly what the SDK's SendBytes
// allocates for its packet types, nothing more.
func TestStreamMessageDoesNotAllocate(t *testing.T) {
	d := newTestDatasource(t, "")
	for _, path := range []string{"v1/t=10/lo=-5/hi=5/seed=3", "v1/t=1/lo=-5/hi=5/seed=3/shape=walk/noise=0.1/series=10"} {
		q := pathQuery(t, path)
		value := d.values(q)
		sender := backend.NewStreamSender(&countPackets{})
		var msg []byte
		k := int64(177_000_000_000)
		send := func() {
			if err := d.sendMessage(&msg, sender, q, value, k, k+49, time.Now()); err != nil {
				t.Fatal(err)
			}
			k += 50
		}
		send() // the buffer grows once
		sdk := testing.AllocsPerRun(100, func() { _ = sender.SendBytes(msg) })
		if got := testing.AllocsPerRun(100, send); got != sdk {
			t.Errorf("%s: %v allocations per message, want the SDK's %v alone", path, got, sdk)
		}
	}
}

// TestRunStreamSurvivesAPanic checks issue 5: a generator that panics
// ends its stream with an error naming the path, logged once, while
// another stream of the same instance keeps sending.
func TestRunStreamSurvivesAPanic(t *testing.T) {
	const bad, good = "v1/t=10/lo=0/hi=100/seed=666", "v1/t=10/lo=0/hi=100/seed=1"
	d := newTestDatasource(t, "")
	d.values = func(q models.Query) wire.ValueFunc {
		if q.Seed == 666 {
			return func(int64, int64) float64 { panic("generator broke") }
		}
		return generatorValues(q)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	goodSender := &fakeSender{}
	goodDone := runStream(d, ctx, good, goodSender)
	waitFrames(t, goodSender, 1)
	before := readStreamMetrics(t)
	err := waitResult(t, runStream(d, ctx, bad, &fakeSender{}))
	if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), "generator broke") {
		t.Fatalf("RunStream = %v, want an error naming the path and the panic", err)
	}
	if got := readStreamMetrics(t).active - before.active; got != 0 {
		t.Errorf("active streams moved by %v after the panic, want 0", got)
	}
	n := len(goodSender.sent(t))
	waitFrames(t, goodSender, n+3)
	cancel()
	if err := waitResult(t, goodDone); err != nil {
		t.Fatalf("the other stream = %v, want nil", err)
	}
	checkTicks(t, pathQuery(t, good), goodSender.sent(t))
}
