package capacity

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a settable time for the ledger.
type clock struct{ t time.Time }

func (c *clock) now() time.Time            { return c.t }
func (c *clock) advance(d time.Duration)   { c.t = c.t.Add(d) }
func newClock() *clock                     { return &clock{t: time.Unix(1_700_000_000, 0)} }
func ledger(streams, points int64) *Ledger { return NewLedger(Limits{streams, points}, newClock().now) }

// refusedBy fails t unless err is a *Refusal by setting whose message
// names it and its value.
func refusedBy(t *testing.T, err error, setting string, value int64) {
	t.Helper()
	r, ok := errors.AsType[*Refusal](err)
	if !ok {
		t.Fatalf("got %v, want a refusal by %s", err, setting)
	}
	want := fmt.Sprintf("its %s of %d", setting, value)
	if r.Setting != setting || !strings.Contains(r.Error(), want) || !strings.Contains(r.Error(), "raise "+setting) {
		t.Fatalf("refusal %q by %s, want one by %s saying %q and how to raise it", r.Error(), r.Setting, setting, want)
	}
}

func TestCostOf(t *testing.T) {
	for _, c := range []struct {
		series, tick int64
		want         Cost
		text         string
	}{
		{1, 1000, 1000, "1"},
		{10, 1000, 10_000, "10"},
		{1, 3, 333_334, "333.334"}, // rounded up: a stream never counts for less than it makes
		{100, 1, 100_000_000, "100000"},
		{10_000, 1, 10_000_000_000, "10000000"},
		{1, 86_400_000, 1, "0.001"},
	} {
		got := CostOf(c.series, c.tick)
		if got != c.want || got.String() != c.text {
			t.Errorf("CostOf(%d, %d) = %d (%s), want %d (%s)", c.series, c.tick, got, got, c.want, c.text)
		}
	}
}

func TestMaxStreams(t *testing.T) {
	l := ledger(3, 1_000_000)
	cost := CostOf(1, 1000)
	var done []func()
	for i := range 3 {
		path := fmt.Sprint("s", i)
		if err := l.Reserve(path, cost); err != nil {
			t.Fatalf("stream %d of 3: %v", i+1, err)
		}
		done = append(done, l.Start(path, cost))
	}
	refusedBy(t, l.Reserve("s3", cost), "maxStreams", 3)
	refusedBy(t, l.Check("s3", cost), "maxStreams", 3)
	// Joining a running channel costs nothing, full or not.
	if err := l.Reserve("s1", cost); err != nil {
		t.Errorf("joining a running stream: %v", err)
	}
	if got := l.Use(); got != (Use{3, 3 * cost}) {
		t.Errorf("use %+v, want 3 streams of 3 points per second", got)
	}
	done[1]()
	if got := l.Use(); got != (Use{2, 2 * cost}) {
		t.Errorf("use after one ended %+v, want 2 streams", got)
	}
	if err := l.Reserve("s3", cost); err != nil {
		t.Errorf("after a stream ended: %v", err)
	}
}

func TestMaxTotalPointsPerSecond(t *testing.T) {
	l := ledger(100, 150)
	fast := CostOf(100, 1000) // 100 points per second
	done := l.Start("fast", fast)
	if err := l.Reserve("half", CostOf(50, 1000)); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
	err := l.Reserve("one", CostOf(1, 1000))
	refusedBy(t, err, "maxTotalPointsPerSecond", 150)
	if !strings.Contains(err.Error(), "make 150 points per second, and this stream's 1 more") {
		t.Errorf("message %q does not say the use and the stream's cost", err)
	}
	done()
	if err := l.Reserve("one", CostOf(1, 1000)); err != nil {
		t.Errorf("after the fast stream ended: %v", err)
	}
}

// TestReservation: a reservation holds its share until RunStream takes it
// over or it lapses, so that two subscriptions cannot both take the last
// place, and a subscription that never runs does not hold it for ever.
func TestReservation(t *testing.T) {
	c := newClock()
	l := NewLedger(Limits{MaxStreams: 1, MaxPointsPerSecond: 1000}, c.now)
	cost := CostOf(1, 1000)
	if err := l.Reserve("a", cost); err != nil {
		t.Fatal(err)
	}
	refusedBy(t, l.Reserve("b", cost), "maxStreams", 1)
	c.advance(ReservationLapse - time.Millisecond)
	if err := l.Reserve("a", cost); err != nil { // a second subscriber renews it
		t.Fatal(err)
	}
	c.advance(time.Millisecond)
	refusedBy(t, l.Reserve("b", cost), "maxStreams", 1)
	c.advance(ReservationLapse)
	if got := l.Use(); got != (Use{}) {
		t.Fatalf("use after the reservation lapsed %+v, want none", got)
	}
	if err := l.Reserve("b", cost); err != nil {
		t.Fatalf("after the reservation lapsed: %v", err)
	}
	done := l.Start("b", cost)
	c.advance(2 * ReservationLapse)
	if got := l.Use(); got != (Use{1, cost}) {
		t.Fatalf("a running stream lapsed: use %+v", got)
	}
	done()
	if got := l.Use(); got != (Use{}) {
		t.Fatalf("use after the stream ended %+v, want none", got)
	}
}

// TestStartWithoutReservation: Grafana restarts a stream (after an error
// or a settings change) without asking SubscribeStream; it runs and counts
// even past the limits, and its end frees exactly its share.
func TestStartWithoutReservation(t *testing.T) {
	l := ledger(1, 1)
	a := l.Start("a", CostOf(1, 1000))
	b := l.Start("b", CostOf(5, 1000))
	if got := l.Use(); got != (Use{2, 6000}) {
		t.Fatalf("use %+v, want both streams", got)
	}
	refusedBy(t, l.Reserve("c", 1), "maxStreams", 1)
	b()
	a()
	if got := l.Use(); got != (Use{}) {
		t.Fatalf("use %+v, want none", got)
	}
}

// TestSameChannelTwice: two RunStreams of one channel (never from one
// Grafana, but a stand-in may) count once and free it when both ended.
func TestSameChannelTwice(t *testing.T) {
	l := ledger(10, 1000)
	first := l.Start("a", 1000)
	second := l.Start("a", 1000)
	if got := l.Use(); got != (Use{1, 1000}) {
		t.Fatalf("use %+v, want one stream", got)
	}
	first()
	if got := l.Use(); got != (Use{1, 1000}) {
		t.Fatalf("use after one of two ended %+v, want one stream", got)
	}
	second()
	if got := l.Use(); got != (Use{}) {
		t.Fatalf("use %+v, want none", got)
	}
}

// TestConcurrentReservations: many subscriptions at once never reserve
// more than the limit (run with -race).
func TestConcurrentReservations(t *testing.T) {
	l := ledger(50, 1_000_000)
	var wg sync.WaitGroup
	var mu sync.Mutex
	admitted := 0
	for i := range 200 {
		wg.Go(func() {
			if l.Reserve(fmt.Sprint("s", i), 1000) == nil {
				mu.Lock()
				admitted++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if admitted != 50 {
		t.Errorf("%d of 200 admitted, want the limit of 50", admitted)
	}
}
