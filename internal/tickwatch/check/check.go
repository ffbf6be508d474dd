// Package check decides, tick by tick, whether what a dashboard viewer
// received from Grafana is exactly what Tickstream must have sent: every
// row on the query's grid, none missing, none repeated, in order, with the
// exact values, history continued by live without a gap. It knows the
// values because they are a pure function of the query and the tick
// (pkg/signal, the code the plugin runs), so it needs nothing from the
// server but the rows themselves.
//
// One Track follows one stream as one viewer sees it, and one
// ExemplarTrack its exemplar channel (exemplars.go); many Tracks share one
// Stats (an instance's totals), which is safe for concurrent use and cheap
// enough for thousands of viewers: counters are atomics, latencies go into
// a fixed histogram, and a Track keeps only its last tick and the gaps it
// has not yet seen filled.
package check

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// Expect is what one query's stream must carry.
type Expect struct {
	Query models.Query
	gen   *signal.Generator
	// labels are the series' label values for its exemplars, made on
	// first use: a query without exemplars never needs them.
	labels func() exemplarLabels
}

// grid is what a track follows: the ticks at which rows must arrive, a
// stream's (Expect) or an exemplar channel's (Exemplars), so that both are
// checked for gaps, repeats, order, handover and reconnections alike.
type grid interface {
	// Tick is the query's tickInterval in ms.
	Tick() int64
	// HasRow reports whether tick k has a row; noRow says why not.
	HasRow(k int64) bool
	noRow(k int64) string
	// rows counts the ticks of [a, b] that have a row.
	rows(a, b int64) int64
	// firstRow is the first tick from k to limit that has a row, or
	// limit+1 when none has.
	firstRow(k, limit int64) int64
	// unit names what the track counts, for the problems' details.
	unit() string
}

// NewExpect returns the expectation of the valid query q. Only kind
// number is checked (every shape, series, dropPercent and outages): the
// state and log kinds carry text whose checking tickwatch does not do.
func NewExpect(q models.Query) (*Expect, error) {
	if q.Kind != models.SignalNumber {
		return nil, fmt.Errorf("kind %s is not checked by tickwatch, only kind number (with any shape, series, dropPercent and outages): leave kind out of -query or set it to number", q.Kind)
	}
	e := &Expect{Query: q, gen: signal.New(q)}
	e.labels = sync.OnceValue(func() exemplarLabels { return newExemplarLabels(q) })
	return e, nil
}

// Tick is the query's tickInterval in ms.
func (e *Expect) Tick() int64 { return e.Query.TickInterval }

// HasRow reports whether tick k has a row (false inside an outage).
func (e *Expect) HasRow(k int64) bool { return e.gen.HasRow(k) }

func (e *Expect) noRow(int64) string { return "a row inside an outage, where there must be none" }

func (e *Expect) unit() string { return "ticks" }

// rows counts the ticks of [a, b] that have a row.
func (e *Expect) rows(a, b int64) int64 {
	if a > b {
		return 0
	}
	if e.Query.OutagePeriod == 0 {
		return b - a + 1
	}
	var n int64
	for k := a; k <= b; k++ {
		if e.gen.HasRow(k) {
			n++
		}
	}
	return n
}

// firstRow is the first tick from k to limit that has a row. Outages are
// shorter than their period, so it is found within one period.
func (e *Expect) firstRow(k, limit int64) int64 {
	for k <= limit && !e.gen.HasRow(k) {
		k++
	}
	return k
}

// mismatch says how the values of row j differ from those of tick k, or
// "" when they are exact. values[i-1][j] is series i; NaN is null (kind
// number's values are finite).
func (e *Expect) mismatch(k int64, values [][]float64, j int) string {
	if int64(len(values)) != e.gen.Series() {
		return fmt.Sprintf("%d value fields, want %d series", len(values), e.gen.Series())
	}
	for i := int64(1); i <= e.gen.Series(); i++ {
		col := values[i-1]
		if j >= len(col) {
			return fmt.Sprintf("series %d: no value", i)
		}
		got, null := col[j], math.IsNaN(col[j])
		dropped := e.gen.Dropped(i, k)
		switch {
		case null && !dropped:
			return fmt.Sprintf("series %d: got null, want %s", i, fmtValue(e.gen.Value(i, k)))
		case !null && dropped:
			return fmt.Sprintf("series %d: got %s, want null (a dropped point)", i, fmtValue(got))
		case !null && got != e.gen.Value(i, k):
			return fmt.Sprintf("series %d: got %s, want %s", i, fmtValue(got), fmtValue(e.gen.Value(i, k)))
		}
	}
	return ""
}

func fmtValue(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Problem is one thing a viewer received wrongly, or did not receive.
type Problem struct {
	// Kind is missing, duplicated, wrong or out of order.
	Kind string `json:"kind"`
	// Instance, Viewer and Stream say who saw it: the instance's index in
	// -url, the viewer's and the stream's numbers (from 0).
	Instance int `json:"instance"`
	Viewer   int `json:"viewer"`
	Stream   int `json:"stream"`
	// TickMs is the tick's time in Unix ms (the first one, for a gap).
	TickMs int64 `json:"tickMs"`
	// Detail says what was wrong.
	Detail string `json:"detail"`
}

// String is the problem as the report prints it.
func (p Problem) String() string {
	return fmt.Sprintf("%s: stream %d, viewer %d, tick %s (%d): %s", p.Kind, p.Stream, p.Viewer,
		time.UnixMilli(p.TickMs).UTC().Format("2006-01-02T15:04:05.000Z"), p.TickMs, p.Detail)
}

// Stats are the totals of many Tracks (one instance's viewers).
type Stats struct {
	Expected, Delivered, Missing, Duplicated, Wrong, OutOfOrder atomic.Int64
	// LostToReconnects is the part of Missing that fell between a viewer's
	// disconnection and its resubscription.
	LostToReconnects atomic.Int64
	// LostAtHandover counts the ticks between a viewer's history and its
	// first live row: the messages that went out while the subscription
	// (and, for a new stream, its start) was on its way, the gap
	// docs/history-and-live.md describes, which a browser's panel has
	// too. They are not Missing (nor Expected, nor Delivered).
	LostAtHandover atomic.Int64
	// Reconnects counts the viewers' reconnections.
	Reconnects atomic.Int64
	Latency    Histogram

	mu    sync.Mutex
	first *Problem
}

// First is the earliest problem by tick time (nil when none).
func (s *Stats) First() *Problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil {
		return nil
	}
	p := *s.first
	return &p
}

// Add adds the totals of o to s, its first problem included.
func (s *Stats) Add(o *Stats) {
	s.Expected.Add(o.Expected.Load())
	s.Delivered.Add(o.Delivered.Load())
	s.Missing.Add(o.Missing.Load())
	s.Duplicated.Add(o.Duplicated.Load())
	s.Wrong.Add(o.Wrong.Load())
	s.OutOfOrder.Add(o.OutOfOrder.Load())
	s.LostToReconnects.Add(o.LostToReconnects.Load())
	s.LostAtHandover.Add(o.LostAtHandover.Load())
	s.Reconnects.Add(o.Reconnects.Load())
	s.Latency.Add(&o.Latency)
	if p := o.First(); p != nil {
		s.note(*p)
	}
}

func (s *Stats) note(p Problem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first == nil || p.TickMs < s.first.TickMs {
		s.first = &p
	}
}

// gap is a run of ticks [from, to] that were counted missing when a later
// tick arrived; one arriving afterwards is out of order, not duplicated.
type gap struct{ from, to int64 }

// maxGaps bounds a Track's memory: older gaps are forgotten, and a tick
// arriving into one of those counts as duplicated instead of out of order.
const maxGaps = 64

// track follows one grid as one viewer receives it, history then live:
// what Track and ExemplarTrack share. Its methods must not be called
// concurrently (one viewer's messages arrive one at a time).
type track struct {
	grid  grid
	stats *Stats
	who   Problem // Instance, Viewer and Stream

	first, cutoff int64 // the first and last tick index that must arrive
	last          int64 // the highest tick index received so far
	gaps          []gap
	resubscribed  bool // the next live rows come after a reconnection
	finished      bool
	live          bool  // a live row has come
	handover      int64 // the ticks lost at the handover
	// covered says a history covered the ticks up to last, rows or none
	// (an exemplar channel's may hold none): the handover follows it.
	covered bool
}

// startTrack starts following g from the first tick at or after fromMs to
// the last tick at or before cutoffMs.
func startTrack(g grid, stats *Stats, instance, viewer, stream int, fromMs, cutoffMs int64) track {
	cutoff := signal.LastTickAtOrBefore(cutoffMs, g.Tick())
	first := g.firstRow(signal.FirstTickAtOrAfter(fromMs, g.Tick()), cutoff)
	return track{
		grid: g, stats: stats, who: Problem{Instance: instance, Viewer: viewer, Stream: stream},
		first: first, cutoff: cutoff, last: first - 1,
	}
}

// Track follows one stream as one viewer receives it, history then live.
// Its methods must not be called concurrently (one viewer's messages
// arrive one at a time).
type Track struct {
	track
	exp *Expect
}

// NewTrack starts following a stream whose history starts at the first
// tick at or after fromMs and which must be received up to and including
// the last tick at or before cutoffMs.
func NewTrack(exp *Expect, stats *Stats, instance, viewer, stream int, fromMs, cutoffMs int64) *Track {
	return &Track{track: startTrack(exp, stats, instance, viewer, stream, fromMs, cutoffMs), exp: exp}
}

// History checks the rows of the viewer's history (QueryData's frame):
// timesMs[j] with values[i][j] for series i+1 (NaN for null).
func (t *Track) History(timesMs []int64, values [][]float64) {
	t.rows(timesMs, time.Time{}, func(k int64, j int) string { return t.exp.mismatch(k, values, j) })
}

// Live checks the rows of one live message, which arrived at arrived;
// their latency is measured from each row's time.
func (t *Track) Live(timesMs []int64, values [][]float64, arrived time.Time) {
	t.rows(timesMs, arrived, func(k int64, j int) string { return t.exp.mismatch(k, values, j) })
}

// Resubscribed tells the track that the viewer lost its subscription and
// got it back: the gap before the next live row is the reconnection's cost.
func (t *track) Resubscribed() { t.resubscribed = true }

// rows checks the rows at timesMs, of the history (arrived zero) or of a
// live message; mismatch(k, j) says how row j differs from what tick k
// must carry, or "".
func (t *track) rows(timesMs []int64, arrived time.Time, mismatch func(k int64, j int) string) {
	var delivered int64
	for j, ms := range timesMs {
		if t.row(ms, j, arrived, mismatch) {
			delivered++
		}
	}
	t.stats.Delivered.Add(delivered) // once per message: the counter is shared by every viewer
	if !arrived.IsZero() {
		t.resubscribed = false
		t.live = true
	}
}

func (t *track) problem(kind string, ms int64, detail string) {
	p := t.who
	p.Kind, p.TickMs, p.Detail = kind, ms, detail
	t.stats.note(p)
}

// row checks row j, at ms, and reports whether it counts as delivered.
func (t *track) row(ms int64, j int, arrived time.Time, mismatch func(k int64, j int) string) bool {
	tick := t.grid.Tick()
	k := signal.LastTickAtOrBefore(ms, tick)
	switch {
	case k*tick != ms:
		t.stats.Wrong.Add(1)
		t.problem("wrong", ms, fmt.Sprintf("time %d ms is not on the grid of %d ms", ms, tick))
		return false
	case k > t.cutoff:
		return false // after the checked window
	case k < t.first:
		t.stats.Wrong.Add(1)
		t.problem("wrong", ms, "a row before the start of the range asked for")
		return false
	case !t.grid.HasRow(k):
		t.stats.Wrong.Add(1)
		t.problem("wrong", ms, t.grid.noRow(k))
		return false
	}
	switch {
	case k > t.last:
		if !t.live && !arrived.IsZero() && (t.last >= t.first || t.covered) {
			// The handover: the gap after the history went out before the
			// subscription or the stream's start.
			h := t.grid.rows(t.last+1, k-1)
			t.handover += h
			t.stats.LostAtHandover.Add(h)
			t.last = k - 1
		}
		if n := t.grid.rows(t.last+1, k-1); n > 0 {
			t.stats.Missing.Add(n)
			firstMissing := t.grid.firstRow(t.last+1, k-1)
			detail := fmt.Sprintf("%d %s missing before the tick at %d", n, t.grid.unit(), ms)
			if t.resubscribed {
				t.stats.LostToReconnects.Add(n)
				detail += ", lost while the viewer reconnected"
			} else if t.last < t.first {
				detail += ", at the start of the range"
			}
			t.problem("missing", signal.TickTime(firstMissing, tick), detail)
			t.addGap(t.last+1, k-1)
		}
		t.last = k
	case t.fill(k):
		t.stats.Missing.Add(-1)
		t.stats.OutOfOrder.Add(1)
		t.problem("out of order", ms, fmt.Sprintf("arrived after the tick at %d", signal.TickTime(t.last, tick)))
	default:
		t.stats.Duplicated.Add(1)
		t.problem("duplicated", ms, "received again")
		return false
	}
	if !arrived.IsZero() {
		t.stats.Latency.Record(arrived.Sub(time.UnixMilli(ms)))
	}
	if m := mismatch(k, j); m != "" {
		t.stats.Wrong.Add(1)
		t.problem("wrong", ms, m)
	}
	return true
}

func (t *track) addGap(from, to int64) {
	if len(t.gaps) == maxGaps {
		t.gaps = append(t.gaps[:0], t.gaps[1:]...)
	}
	t.gaps = append(t.gaps, gap{from, to})
}

// fill removes tick k from the gaps it was counted missing in, and
// reports whether it was there.
func (t *track) fill(k int64) bool {
	for i, g := range t.gaps {
		if k < g.from || k > g.to {
			continue
		}
		switch {
		case g.from == g.to:
			t.gaps = append(t.gaps[:i], t.gaps[i+1:]...)
		case k == g.from:
			t.gaps[i].from++
		case k == g.to:
			t.gaps[i].to--
		default:
			t.gaps[i].to = k - 1
			t.gaps = append(t.gaps[:i+1], append([]gap{{k + 1, g.to}}, t.gaps[i+1:]...)...)
		}
		return true
	}
	return false
}

// Done reports whether every tick up to the cutoff has arrived or been
// counted missing.
func (t *track) Done() bool {
	return t.last >= t.cutoff || t.grid.rows(t.last+1, t.cutoff) == 0
}

// Finish ends the track: the ticks up to the cutoff that never arrived
// count as missing, and the track's expected ticks are added to the
// totals. It may be called more than once.
func (t *track) Finish() {
	if t.finished {
		return
	}
	t.finished = true
	t.stats.Expected.Add(t.grid.rows(t.first, t.cutoff) - t.handover)
	if n := t.grid.rows(t.last+1, t.cutoff); n > 0 {
		t.stats.Missing.Add(n)
		from := t.grid.firstRow(t.last+1, t.cutoff)
		t.problem("missing", signal.TickTime(from, t.grid.Tick()),
			fmt.Sprintf("%d %s up to the end of the run never arrived", n, t.grid.unit()))
	}
}
