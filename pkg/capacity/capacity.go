// Package capacity bounds the total load one data source's streams put on
// the plugin: how many run at once (the setting maxStreams) and how many
// points per second they make together (maxTotalPointsPerSecond). Each
// stream is bounded by the query rules; without this, anyone who may query
// the data source could open a new stream per seed until the machine is
// busy.
//
// Grafana asks SubscribeStream whether a browser may subscribe, and starts
// RunStream for the channel's first subscriber right after. The check and
// the start are two calls, so a check alone would let two subscriptions
// that arrive together both pass at the last free place. A subscription
// therefore reserves its stream's share (Reserve), RunStream takes the
// reservation over (Start), and the stream's end gives the share back at
// once. A reservation that no RunStream takes over (Grafana never started
// the stream) lapses after ReservationLapse. Joining a channel that runs
// or is reserved already costs nothing and is never refused: Grafana runs
// one RunStream per channel whatever the number of its subscribers.
package capacity

import (
	"strconv"
	"sync"
	"time"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// ReservationLapse is how long a subscription holds its stream's share
// before RunStream takes it over. Grafana starts RunStream right after a
// successful subscription, within milliseconds; the lapse only frees the
// shares of streams that never start (a subscriber that left at once, a
// caller that only asks).
const ReservationLapse = 10 * time.Second

// Limits are a data source's caps on its streams together.
type Limits struct {
	// MaxStreams is the most streams that run (or are reserved) at once.
	MaxStreams int64
	// MaxPointsPerSecond is the most points per second, series × ticks,
	// of all those streams together.
	MaxPointsPerSecond int64
}

// Cost is a stream's share of the points per second: series × 1000 /
// tickInterval, counted in thousandths of a point and rounded up, so that
// sums and differences are exact and a stream never counts for less than
// it makes. Both arguments are validated (series ≤ 10000, tickInterval ≥
// 1), so the product fits an int64.
type Cost int64

// CostOf is the cost of a stream of series series ticking every
// tickInterval ms.
func CostOf(series, tickInterval int64) Cost {
	return Cost((series*1_000_000 + tickInterval - 1) / tickInterval)
}

// String is the cost in points per second, as the messages write numbers.
func (c Cost) String() string {
	return jsnum.Format(float64(c) / 1000)
}

// Use is what a data source's streams take of its limits now.
type Use struct {
	// Streams counts the streams that run or are reserved.
	Streams int64
	// Cost is their points per second together.
	Cost Cost
}

// Refusal is the error of a subscription past one of the limits. Its
// message names the setting and its value, and says how to make room.
type Refusal struct {
	// Setting is the setting that refused: maxStreams or
	// maxTotalPointsPerSecond.
	Setting string
	message string
}

func (r *Refusal) Error() string { return r.message }

// Ledger keeps one data source's streams against its limits. Its methods
// are safe for concurrent use; each takes one lock for a map operation,
// so it costs nothing measurable next to a subscription.
type Ledger struct {
	limits Limits
	now    func() time.Time

	mu      sync.Mutex
	streams map[string]*entry
	cost    Cost // of every entry in streams
	// pending lists the reservations in the order they lapse (all lapse
	// ReservationLapse after they were made), so that the lapsed ones are
	// found at its head.
	pending []reservation
}

// entry is one channel that runs or is reserved.
type entry struct {
	cost Cost
	runs int // RunStream calls running it
	// until is when the reservation lapses; zero once a RunStream took it.
	until time.Time
}

type reservation struct {
	path  string
	until time.Time
}

// NewLedger returns an empty ledger with the given limits and clock.
func NewLedger(limits Limits, now func() time.Time) *Ledger {
	return &Ledger{limits: limits, now: now, streams: map[string]*entry{}}
}

// Reserve admits a subscription to the channel path, whose stream costs
// cost, or returns a *Refusal when a new stream would pass a limit. A
// channel that runs or is reserved already is always admitted and costs
// nothing more.
func (l *Ledger) Reserve(path string, cost Cost) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.lapse(now)
	if e, ok := l.streams[path]; ok {
		if e.runs == 0 { // a second subscriber before RunStream: keep the share a while longer
			l.reserve(path, e, now)
		}
		return nil
	}
	if err := l.refusal(cost); err != nil {
		return err
	}
	e := &entry{cost: cost}
	l.streams[path] = e
	l.cost += cost
	l.reserve(path, e, now)
	return nil
}

// Check says whether a subscription to path would be admitted now,
// without reserving anything: QueryData uses it to warn a panel whose
// live stream would be refused.
func (l *Ledger) Check(path string, cost Cost) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lapse(l.now())
	if _, ok := l.streams[path]; ok {
		return nil
	}
	return l.refusal(cost)
}

// Start counts a running stream on path until the returned function is
// called, which RunStream does when it returns. It takes over the
// channel's reservation; without one (Grafana restarting a stream after
// an error or a settings change, which it does without asking
// SubscribeStream again) it takes the share even past the limits, since
// RunStream cannot refuse: an error would be retried forever, and nil
// would leave the channel's subscribers without data.
func (l *Ledger) Start(path string, cost Cost) (done func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.streams[path]
	if !ok {
		e = &entry{cost: cost}
		l.streams[path] = e
		l.cost += cost
	}
	e.runs++
	e.until = time.Time{}
	return func() { l.stop(path, e) }
}

func (l *Ledger) stop(path string, e *entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.runs--; e.runs == 0 {
		delete(l.streams, path)
		l.cost -= e.cost
	}
}

// Use returns what the streams take now.
func (l *Ledger) Use() Use {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lapse(l.now())
	return Use{Streams: int64(len(l.streams)), Cost: l.cost}
}

// Limits returns the ledger's limits.
func (l *Ledger) Limits() Limits { return l.limits }

// refusal is the error for a new stream of cost cost, or nil; mu is held.
func (l *Ledger) refusal(cost Cost) error {
	n := int64(len(l.streams))
	if n >= l.limits.MaxStreams {
		return &Refusal{Setting: "maxStreams", message: "the data source runs " + strconv.FormatInt(n, 10) +
			" streams, as many as its maxStreams of " + strconv.FormatInt(l.limits.MaxStreams, 10) +
			" allows: a new stream can start once one ends (about 15 s after its last viewer leaves), or raise maxStreams in the data source's settings"}
	}
	if limit := Cost(l.limits.MaxPointsPerSecond) * 1000; l.cost+cost > limit {
		return &Refusal{Setting: "maxTotalPointsPerSecond", message: "the data source's streams make " + l.cost.String() +
			" points per second, and this stream's " + cost.String() + " more would pass its maxTotalPointsPerSecond of " +
			strconv.FormatInt(l.limits.MaxPointsPerSecond, 10) +
			": a new stream can start once others end, use a longer tickInterval or fewer series, or raise maxTotalPointsPerSecond in the data source's settings"}
	}
	return nil
}

// reserve (re)starts e's reservation at now; mu is held.
func (l *Ledger) reserve(path string, e *entry, now time.Time) {
	e.until = now.Add(ReservationLapse)
	l.pending = append(l.pending, reservation{path: path, until: e.until})
}

// lapse drops the reservations that lapsed by now and were not taken over
// or renewed since; mu is held.
func (l *Ledger) lapse(now time.Time) {
	i := 0
	for ; i < len(l.pending) && !l.pending[i].until.After(now); i++ {
		r := l.pending[i]
		if e, ok := l.streams[r.path]; ok && e.runs == 0 && e.until.Equal(r.until) {
			delete(l.streams, r.path)
			l.cost -= e.cost
		}
	}
	if i > 0 {
		// Shift rather than reslice, so that the array does not keep
		// growing at its end while its head is dropped.
		l.pending = l.pending[:copy(l.pending, l.pending[i:])]
	}
}
