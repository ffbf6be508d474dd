package schedule

import (
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// late is how late a wake-up may be on a loaded test machine; the
// precision itself is measured by the bench (scenario e), not here.
const late = 500 * time.Millisecond

func newClock(t *testing.T) *Clock {
	t.Helper()
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return New(time.Now, done, func(p any) { t.Errorf("panic: %v", p) })
}

// waitClosed returns when ch is closed, failing after late past t.
func waitClosed(t *testing.T, ch <-chan struct{}, at int64) time.Time {
	t.Helper()
	select {
	case <-ch:
		return time.Now()
	case <-time.After(max(time.Until(time.UnixMilli(at)), 0) + late):
		t.Fatalf("not woken %v after %d", late, at)
		return time.Time{}
	}
}

func TestAtWakesAtTheTimeNotBefore(t *testing.T) {
	c := newClock(t)
	start := time.Now().UnixMilli()
	times := []int64{start + 30, start + 5, start + 60, start + 5, start - 1000}
	chans := make([]<-chan struct{}, len(times))
	for i, at := range times {
		chans[i] = c.At(at)
	}
	if chans[1] != chans[3] {
		t.Error("two waiters of one time got different channels")
	}
	for i, at := range times {
		if woke := waitClosed(t, chans[i], at); woke.Before(time.UnixMilli(at)) {
			t.Errorf("time %d woken early, at %v", at, woke)
		}
	}
}

// TestAnEarlierTimeInterruptsTheWait checks that a waiter for a time
// before the one the clock sleeps towards is woken at its own time.
func TestAnEarlierTimeInterruptsTheWait(t *testing.T) {
	c := newClock(t)
	now := time.Now().UnixMilli()
	c.At(now + 3_600_000)
	time.Sleep(10 * time.Millisecond) // the clock waits for the hour
	soon := now + 50
	waitClosed(t, c.At(soon), soon)
}

// TestAPanicWakesTheWaitersAndTheClockRecovers checks the goroutine's
// recovery: a panic (here from the time source) is reported once, wakes
// everyone waiting, and the next waiter gets a working clock.
func TestAPanicWakesTheWaitersAndTheClockRecovers(t *testing.T) {
	var broken atomic.Bool
	var panics atomic.Int32
	done := make(chan struct{})
	defer close(done)
	c := New(func() time.Time {
		if broken.Load() {
			panic("clock broke")
		}
		return time.Now()
	}, done, func(any) { panics.Add(1) })
	far := time.Now().UnixMilli() + 3_600_000
	ch := c.At(far)
	broken.Store(true)
	c.At(time.Now().UnixMilli() + 1) // wakes the goroutine, which panics
	waitClosed(t, ch, time.Now().UnixMilli())
	if got := panics.Load(); got != 1 {
		t.Fatalf("%d panics reported, want 1", got)
	}
	broken.Store(false)
	soon := time.Now().UnixMilli() + 20
	waitClosed(t, c.At(soon), soon)
}

// TestTheGoroutineEnds checks that the clock's goroutine stops when
// nobody waits and when done is closed.
func TestTheGoroutineEnds(t *testing.T) {
	done := make(chan struct{})
	c := New(time.Now, done, func(p any) { t.Errorf("panic: %v", p) })
	running := func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.running
	}
	waitStopped := func() {
		t.Helper()
		for deadline := time.Now().Add(late); running(); time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the goroutine still runs")
			}
		}
	}
	soon := time.Now().UnixMilli() + 10
	waitClosed(t, c.At(soon), soon)
	waitStopped()
	c.At(time.Now().UnixMilli() + 3_600_000)
	close(done)
	waitStopped()
}

func TestHeapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var h msHeap
	var want []int64
	for range 2000 {
		if rng.IntN(3) > 0 || len(want) == 0 {
			x := rng.Int64N(100) - 50
			h.push(x)
			want = append(want, x)
			slices.Sort(want)
			continue
		}
		if h[0] != want[0] {
			t.Fatalf("earliest %d, want %d", h[0], want[0])
		}
		h.pop()
		want = want[1:]
	}
}

// BenchmarkAt is the cost of one stream's wait registration when many
// streams share a time (all but the first find the slot).
func BenchmarkAt(b *testing.B) {
	done := make(chan struct{})
	defer close(done)
	c := New(time.Now, done, func(any) {})
	at := time.Now().UnixMilli() + 3_600_000
	b.ReportAllocs()
	for b.Loop() {
		c.At(at)
	}
}
