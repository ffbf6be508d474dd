// Package schedule wakes goroutines at whole-millisecond wall-clock times:
// one goroutine and one timer for every waiter, however many there are,
// and on Linux within tens of microseconds of the time rather than up to a
// millisecond late. Its Runner goes one step further and calls every task
// due at a time from one goroutine (runner.go); a Pool holds one Runner per
// core (pool.go).
//
// Tickstream's streams wake at grid times, and every stream of one tick
// interval wakes at the same ones, so ten thousand streams at 1 s need one
// wake-up a second, not ten thousand timers. Go's own timers fire up to
// 1 ms late on an idle machine: the scheduler sleeps in epoll_wait, whose
// timeout is whole milliseconds and is cut short, so a timer due in 9.4 ms
// wakes the thread at 9 ms and again 1 ms later. The clock therefore waits
// on a timer until shortly before the time and sleeps the rest in
// nanosleep, which keeps nanosecond precision.
package schedule

import (
	"sync"
	"time"
)

// precise is how long before a wake-up time the clock stops waiting on a
// Go timer and sleeps in the operating system instead: more than the
// timer's lateness of up to 1 ms, and short, because that sleep holds an
// OS thread and cannot be cut short by an earlier time.
const precise = 2 * time.Millisecond

// Clock wakes waiters at Unix millisecond times as its now function sees
// them. Its goroutine runs only while someone waits and stops when done is
// closed.
type Clock struct {
	now     func() time.Time
	done    <-chan struct{}
	onPanic func(p any)

	mu      sync.Mutex
	slots   map[int64]*slot // per time: closed when it comes
	times   msHeap          // the times of slots (and of released ones, skipped), earliest first
	running bool            // the goroutine is running
	earlier nudge           // wakes the goroutine for an earlier time
}

// New returns a clock that reads the time from now and whose goroutine ends
// when done is closed. A panic in the goroutine (now is the only code it
// does not own) is reported to onPanic; the waiters then wake as if their
// time had come, and the clock runs again for the next waiter.
func New(now func() time.Time, done <-chan struct{}, onPanic func(p any)) *Clock {
	return &Clock{
		now:     now,
		done:    done,
		onPanic: onPanic,
		slots:   make(map[int64]*slot),
		earlier: make(nudge, 1),
	}
}

// slot is one time's channel and how many waiters still want it.
type slot struct {
	ch      chan struct{}
	waiters int
}

// At returns a channel that is closed once the clock reaches Unix ms t;
// every caller of the same t gets the same channel. A waiter that stops
// waiting before then calls Release, so that a time nobody waits for any
// more does not keep the goroutine until it comes.
func (c *Clock) At(t int64) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.slots[t]; ok {
		s.waiters++
		return s.ch
	}
	ch := make(chan struct{})
	c.slots[t] = &slot{ch: ch, waiters: 1}
	c.times.push(t)
	switch {
	case !c.running:
		c.running = true
		go c.run()
	case c.times[0] == t:
		c.earlier.signal()
	}
	return ch
}

// Release says that one waiter of the channel ch that At(t) returned no
// longer waits; once none does, the time is dropped. A channel already
// closed (or a later one for the same t) is left alone.
func (c *Clock) Release(t int64, ch <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.slots[t]
	if !ok || s.ch != ch {
		return
	}
	if s.waiters--; s.waiters > 0 {
		return
	}
	delete(c.slots, t)
	if c.running {
		c.earlier.signal() // the goroutine may be waiting for t
	}
}

// run closes each slot when its time comes, until none is left.
func (c *Clock) run() {
	defer c.recover()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		wait, ok := c.fire()
		switch {
		case !ok:
			return
		case wait > precise:
			timer.Reset(wait - precise)
			select {
			case <-timer.C:
			case <-c.earlier:
			case <-c.done:
				c.stop()
				return
			}
		case wait > 0:
			sleep(wait)
		}
	}
}

// fire closes the slots whose time has come and returns how long until
// the next one; false when none is left, and then the goroutine is
// marked stopped under the same lock, so that At starts a new one.
func (c *Clock) fire() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.times) > 0 {
		t := c.times[0]
		s, ok := c.slots[t]
		if !ok { // released
			c.times.pop()
			continue
		}
		wait := time.UnixMilli(t).Sub(c.now())
		if wait > 0 {
			return wait, true
		}
		c.times.pop()
		close(s.ch)
		delete(c.slots, t)
	}
	c.running = false
	return 0, false
}

// stop ends the goroutine for good (done is closed): the waiters are
// ending too.
func (c *Clock) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running = false
}

// recover turns a panic of the goroutine into a report and wakes every
// waiter, since no goroutine is left to do it; they ask again, which
// starts a new one.
func (c *Clock) recover() {
	p := recover()
	if p == nil {
		return
	}
	c.mu.Lock()
	for t, s := range c.slots {
		close(s.ch)
		delete(c.slots, t)
	}
	c.times = c.times[:0]
	c.running = false
	c.mu.Unlock()
	c.onPanic(p)
}

// nudge tells a goroutine to look at its schedule again. It holds one
// signal: a goroutine that has not looked yet needs no second one.
type nudge chan struct{}

func (n nudge) signal() {
	select {
	case n <- struct{}{}:
	default: // already told
	}
}

// msHeap is a min-heap of Unix ms times. container/heap would box each
// time in an interface, an allocation per wake-up.
type msHeap []int64

func (h *msHeap) push(t int64) {
	*h = append(*h, t)
	a := *h
	for i := len(a) - 1; i > 0; {
		parent := (i - 1) / 2
		if a[parent] <= a[i] {
			break
		}
		a[parent], a[i] = a[i], a[parent]
		i = parent
	}
}

// pop removes the earliest time.
func (h *msHeap) pop() {
	a := *h
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		least, l, r := i, 2*i+1, 2*i+2
		if l < n && a[l] < a[least] {
			least = l
		}
		if r < n && a[r] < a[least] {
			least = r
		}
		if least == i {
			break
		}
		a[i], a[least] = a[least], a[i]
		i = least
	}
	*h = a
}
