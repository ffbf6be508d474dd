package schedule

import "sync/atomic"

// Pool spreads tasks over several Runners that share one Clock: one runner
// per core lets the sends of one wake-up use every core, as a goroutine
// per stream did, and a send that blocks holds up only its runner's share
// of the streams.
type Pool struct {
	runners []*Runner
	next    atomic.Uint64
}

// NewPool returns a pool of n runners (at least one) waiting on clock,
// whose goroutines end when done is closed.
func NewPool(n int, clock *Clock, done <-chan struct{}) *Pool {
	p := &Pool{runners: make([]*Runner, max(n, 1))}
	for i := range p.runners {
		p.runners[i] = NewRunner(clock, done)
	}
	return p
}

// Start starts a task as Runner.Start does, on the pool's runners in turn.
func (p *Pool) Start(first int64, run func() (next int64, err error)) *Task {
	return p.runners[p.next.Add(1)%uint64(len(p.runners))].Start(first, run)
}
