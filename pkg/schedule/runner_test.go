package schedule

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func newRunner(t *testing.T) *Runner {
	t.Helper()
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return NewRunner(New(time.Now, done, func(p any) { t.Errorf("clock panic: %v", p) }), done)
}

// TestRunnerCallsEachTaskAtItsTimes checks that tasks of different periods
// each run at the grid times they ask for, never early, and in time order.
func TestRunnerCallsEachTaskAtItsTimes(t *testing.T) {
	r := newRunner(t)
	type call struct {
		due int64
		at  time.Time
	}
	start := time.Now().UnixMilli()
	calls := make(chan call, 100)
	for _, period := range []int64{20, 30} {
		due := start + period
		task := r.Start(due, func() (int64, error) {
			calls <- call{due, time.Now()}
			due += period
			return due, nil
		})
		t.Cleanup(task.Stop)
	}
	var last int64
	for range 8 {
		select {
		case c := <-calls:
			if c.at.Before(time.UnixMilli(c.due)) {
				t.Errorf("task due at %d called early, at %v", c.due, c.at)
			}
			if c.due < last {
				t.Errorf("task due at %d called after one due at %d", c.due, last)
			}
			last = c.due
		case <-time.After(late):
			t.Fatal("tasks stopped being called")
		}
	}
}

// TestRunnerStopWaitsForACallInProgress checks Stop's contract, which
// keeps a stream from being sent to after RunStream returned.
func TestRunnerStopWaitsForACallInProgress(t *testing.T) {
	r := newRunner(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	task := r.Start(time.Now().UnixMilli(), func() (int64, error) {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
		}
		return time.Now().UnixMilli(), nil
	})
	<-entered
	stopped := make(chan struct{})
	go func() {
		task.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
		t.Fatal("Stop returned while the task was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-stopped
	n := calls.Load()
	time.Sleep(50 * time.Millisecond)
	if got := calls.Load(); got != n {
		t.Errorf("task called %d more times after Stop returned", got-n)
	}
}

// TestRunnerEndsAFailingTaskOnly checks that an error or a panic ends the
// task it came from, is delivered on Failed, and leaves the others running.
func TestRunnerEndsAFailingTaskOnly(t *testing.T) {
	r := newRunner(t)
	now := time.Now().UnixMilli()
	broken := errors.New("send failed")
	failing := r.Start(now, func() (int64, error) { return 0, broken })
	panicking := r.Start(now, func() (int64, error) { panic("generator broke") })
	var healthy atomic.Int32
	ok := r.Start(now, func() (int64, error) {
		healthy.Add(1)
		return time.Now().UnixMilli() + 5, nil
	})
	t.Cleanup(ok.Stop)

	select {
	case err := <-failing.Failed():
		if !errors.Is(err, broken) {
			t.Errorf("Failed() = %v, want the task's error", err)
		}
	case <-time.After(late):
		t.Fatal("the failing task's error was not delivered")
	}
	select {
	case err := <-panicking.Failed():
		var p *PanicError
		if !errors.As(err, &p) || p.Value != "generator broke" || len(p.Stack) == 0 {
			t.Errorf("Failed() = %#v, want a *PanicError with the value and a stack", err)
		}
	case <-time.After(late):
		t.Fatal("the panicking task's panic was not delivered")
	}
	before := healthy.Load()
	for deadline := time.Now().Add(late); healthy.Load() == before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("a healthy task stopped being called after others failed")
		}
	}
}

// TestRunnerRunsAgainAfterItsTasksEnded checks that the goroutine, which
// stops when the last task leaves, starts again for a new one.
func TestRunnerRunsAgainAfterItsTasksEnded(t *testing.T) {
	r := newRunner(t)
	for range 2 {
		called := make(chan struct{})
		due := time.Now().UnixMilli() + 10
		task := r.Start(due, func() (int64, error) {
			close(called)
			return 0, errors.New("once")
		})
		waitClosed(t, called, due)
		<-task.Failed()
	}
}

// TestRunnerEarlierTaskInterruptsTheWait checks that a task due before the
// one the runner waits for is called at its own time.
func TestRunnerEarlierTaskInterruptsTheWait(t *testing.T) {
	r := newRunner(t)
	far := r.Start(time.Now().UnixMilli()+3_600_000, func() (int64, error) { return 0, errors.New("too soon") })
	t.Cleanup(far.Stop)
	time.Sleep(10 * time.Millisecond) // the runner waits for the hour
	called := make(chan struct{})
	due := time.Now().UnixMilli() + 20
	soon := r.Start(due, func() (int64, error) {
		close(called)
		return 0, errors.New("once")
	})
	waitClosed(t, called, due)
	<-soon.Failed()
}

// TestTaskHeapKeepsOrderAndIndexes checks removal from the middle, which
// Stop relies on.
func TestTaskHeapKeepsOrderAndIndexes(t *testing.T) {
	var h taskHeap
	tasks := make([]*Task, 50)
	for i := range tasks {
		tasks[i] = &Task{due: int64((i * 37) % 50)}
		h.push(tasks[i])
	}
	for _, i := range []int{7, 0, 49, 23} {
		h.remove(tasks[i].index)
		if tasks[i].index != -1 {
			t.Errorf("removed task keeps index %d", tasks[i].index)
		}
	}
	var last int64 = -1
	for len(h) > 0 {
		for i, task := range h {
			if task.index != i {
				t.Fatalf("task at %d has index %d", i, task.index)
			}
		}
		if h[0].due < last {
			t.Fatalf("heap gave %d after %d", h[0].due, last)
		}
		last = h[0].due
		h.remove(0)
	}
}

// dueTasks is a runner without its goroutine holding n tasks that are due
// every millisecond, for calling runDue directly.
func dueTasks(n int) *Runner {
	r := &Runner{earlier: make(nudge, 1), running: true} // running: Start must not start the loop
	for range n {
		var due int64
		r.Start(due, func() (int64, error) {
			due++
			return due, nil
		})
	}
	return r
}

// TestRunDueAllocatesNothing checks the runner's share of the stream loop:
// calling every due task and scheduling it again costs no allocation.
func TestRunDueAllocatesNothing(t *testing.T) {
	r := dueTasks(100)
	at := int64(0)
	if allocs := testing.AllocsPerRun(100, func() {
		r.runDue(at)
		at++
	}); allocs != 0 {
		t.Errorf("runDue allocated %v times per wake-up, want 0", allocs)
	}
}

// BenchmarkRunDue is the runner's cost per task and wake-up when 1,000
// tasks are due at once, as 1,000 streams of one interval are.
func BenchmarkRunDue(b *testing.B) {
	const n = 1000
	r := dueTasks(n)
	b.ReportAllocs()
	at := int64(0)
	for b.Loop() {
		r.runDue(at)
		at++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*n), "ns/task")
}

// TestPoolSpreadsTasksOverItsRunners checks that a pool gives each runner
// its share of the tasks, so that one wake-up's sends use every core.
func TestPoolSpreadsTasksOverItsRunners(t *testing.T) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	p := NewPool(3, New(time.Now, done, func(p any) { t.Errorf("clock panic: %v", p) }), done)
	far := time.Now().UnixMilli() + 3_600_000
	for range 6 {
		task := p.Start(far, func() (int64, error) { return 0, errors.New("not due in the test") })
		t.Cleanup(task.Stop)
	}
	for i, r := range p.runners {
		r.mu.Lock()
		n := len(r.tasks)
		r.mu.Unlock()
		if n != 2 {
			t.Errorf("runner %d holds %d of 6 tasks, want 2", i, n)
		}
	}
	if n := len(NewPool(0, nil, done).runners); n != 1 {
		t.Errorf("NewPool(0) has %d runners, want 1", n)
	}
}

// stopsRunning waits up to late for running() to turn false.
func stopsRunning(t *testing.T, what string, mu *sync.Mutex, running *bool) {
	t.Helper()
	for deadline := time.Now().Add(late); ; time.Sleep(time.Millisecond) {
		mu.Lock()
		r := *running
		mu.Unlock()
		if !r {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s still running %v after its last waiter left", what, late)
		}
	}
}

// TestRunnerEndsWhenItsLastTaskStops checks that a stream with a daily
// tick does not keep the runner's goroutine, or the clock's, for a day
// after its viewers left.
func TestRunnerEndsWhenItsLastTaskStops(t *testing.T) {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	c := New(time.Now, done, func(p any) { t.Errorf("clock panic: %v", p) })
	r := NewRunner(c, done)
	task := r.Start(time.Now().UnixMilli()+86_400_000, func() (int64, error) { return 0, errors.New("not due in the test") })
	time.Sleep(10 * time.Millisecond) // the runner and the clock wait for the day
	task.Stop()
	stopsRunning(t, "the runner", &r.mu, &r.running)
	stopsRunning(t, "the clock", &c.mu, &c.running)
}

// TestReleaseKeepsATimeOthersWaitFor checks that one waiter leaving does
// not take the time away from another.
func TestReleaseKeepsATimeOthersWaitFor(t *testing.T) {
	c := newClock(t)
	soon := time.Now().UnixMilli() + 30
	first, second := c.At(soon), c.At(soon)
	c.Release(soon, first)
	waitClosed(t, second, soon)
	c.Release(soon, first) // after the time: ignored
}
