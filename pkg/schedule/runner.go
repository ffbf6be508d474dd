package schedule

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Runner calls many periodic tasks from one goroutine, each at the Unix ms
// times it asks for, woken by a Clock.
//
// Ten thousand streams that each park a goroutine and wake it at every
// tick pay the scheduler twice per message (wake, park again on their
// channels), and send from cold caches in whatever order the scheduler
// picks; a profile of 1,000 streams at 100 ms put a fifth of the plugin's
// CPU there. One goroutine walking the due tasks in a row pays that once
// per wake-up. The price is that the tasks of one wake-up run one after
// the other: a task that blocks delays the ones after it, so a task must
// not wait for anything but the send it makes.
type Runner struct {
	clock *Clock
	done  <-chan struct{}

	mu      sync.Mutex
	tasks   taskHeap // the scheduled tasks, earliest first
	running bool     // the goroutine is running
	earlier nudge    // wakes the goroutine when its earliest task changed
}

// NewRunner returns a runner that waits on clock and whose goroutine ends
// when done is closed; its tasks then never run again.
func NewRunner(clock *Clock, done <-chan struct{}) *Runner {
	return &Runner{clock: clock, done: done, earlier: make(nudge, 1)}
}

// Task is a function a Runner calls at the times it returns, until it
// fails or is stopped.
type Task struct {
	run     func() (next int64, err error)
	due     int64       // the next call's Unix ms time
	index   int         // position in the runner's heap; -1 when not in it
	mu      sync.Mutex  // held during a call, so that Stop can wait one out
	stopped atomic.Bool // no call may start any more
	failed  chan error  // receives the error that ended the task
	runner  *Runner
}

// PanicError is what a task's panic becomes: the task ends with it, and
// the runner and the other tasks go on.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Start schedules run for Unix ms first. Each call returns the Unix ms time
// of the next one, or an error that ends the task and is delivered on
// Failed; a panic is delivered as a *PanicError.
func (r *Runner) Start(first int64, run func() (next int64, err error)) *Task {
	t := &Task{run: run, due: first, index: -1, failed: make(chan error, 1), runner: r}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.schedule(t)
	return t
}

// Failed receives the error that ended the task, once.
func (t *Task) Failed() <-chan error { return t.failed }

// Stop ends the task: once Stop returns, its function is not running and
// is never called again.
func (t *Task) Stop() {
	t.stopped.Store(true)
	r := t.runner
	r.mu.Lock()
	if t.index == 0 { // the one the goroutine waits for: let it wait for the next, or end
		r.earlier.signal()
	}
	if t.index >= 0 {
		r.tasks.remove(t.index)
	}
	r.mu.Unlock()
	t.mu.Lock() // waits for a call in progress
	t.mu.Unlock()
}

// schedule puts t in the heap and makes sure the goroutine will wake for
// it; r.mu is held.
func (r *Runner) schedule(t *Task) {
	r.tasks.push(t)
	switch {
	case !r.running:
		r.running = true
		go r.loop()
	case r.tasks[0] == t:
		r.earlier.signal()
	}
}

// loop waits for the earliest task's time and runs every task due then,
// until no task is left or done is closed.
func (r *Runner) loop() {
	for {
		r.mu.Lock()
		if len(r.tasks) == 0 || isClosed(r.done) {
			r.running = false
			r.mu.Unlock()
			return
		}
		at := r.tasks[0].due
		r.mu.Unlock()
		woken := r.clock.At(at)
		select {
		case <-woken:
			r.runDue(at)
		case <-r.earlier:
			r.clock.Release(at, woken)
		case <-r.done:
		}
	}
}

// runDue calls each task due at or before at, and schedules it again at
// the time it returns.
func (r *Runner) runDue(at int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.tasks) > 0 && r.tasks[0].due <= at {
		t := r.tasks[0]
		r.tasks.remove(0)
		r.mu.Unlock()
		next, err := t.call()
		r.mu.Lock()
		switch {
		case t.stopped.Load():
		case err != nil:
			t.failed <- err
		default:
			t.due = next
			r.tasks.push(t)
		}
	}
}

// call runs the task's function once unless it was stopped, turning a
// panic into a *PanicError.
func (t *Task) call() (next int64, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped.Load() {
		return 0, nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = &PanicError{Value: p, Stack: debug.Stack()}
		}
	}()
	return t.run()
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// taskHeap is a min-heap of tasks by due time that keeps each task's index,
// so that Stop removes a task at once instead of leaving it, and the
// stream it holds, until its time.
type taskHeap []*Task

func (h *taskHeap) push(t *Task) {
	*h = append(*h, t)
	t.index = len(*h) - 1
	h.up(t.index)
}

// remove takes out the task at index i.
func (h *taskHeap) remove(i int) {
	a := *h
	n := len(a) - 1
	a[i].index = -1
	if i != n {
		a[i] = a[n]
		a[i].index = i
	}
	a[n] = nil
	*h = a[:n]
	if i != n {
		h.down(i)
		h.up(i)
	}
}

func (h taskHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent].due <= h[i].due {
			return
		}
		h.swap(parent, i)
		i = parent
	}
}

func (h taskHeap) down(i int) {
	n := len(h)
	for {
		least, l, r := i, 2*i+1, 2*i+2
		if l < n && h[l].due < h[least].due {
			least = l
		}
		if r < n && h[r].due < h[least].due {
			least = r
		}
		if least == i {
			return
		}
		h.swap(i, least)
		i = least
	}
}

func (h taskHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
