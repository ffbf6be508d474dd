package check

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// Exemplars are checked against the rule the plugin places them by
// (pkg/plugin/exemplars.go), not against a second history query: the
// exemplars of a channel sit on the ticks divisible by its period every,
// one per series with a point there, with that point's time and value, the
// trace ID and the series' labels, all pure functions of the query, the
// series and the tick. So a viewer's exemplars are checked as its points
// are, as they arrive and with nothing more asked of Grafana, which is
// what lets tickwatch check thousands of viewers.

// ExemplarRow is one exemplar as a frame carries it: its time in Unix ms,
// its value, its trace ID and its label values in the order of the
// series' sorted label keys.
type ExemplarRow struct {
	TimeMs  int64
	Value   float64
	TraceID string
	Labels  []string
}

// exemplarLabels are the label values of each series (by index from 0), in
// the order of the sorted label keys, as the exemplar frame's string
// fields carry them; none for a single unlabelled series.
type exemplarLabels [][]string

func newExemplarLabels(q models.Query) exemplarLabels {
	if q.Series == 1 && q.Labels == "" {
		return nil
	}
	names := q.Names()
	keys := slices.Sorted(maps.Keys(names.Labels(1)))
	out := make(exemplarLabels, q.Series)
	for i := range out {
		labels := names.Labels(int64(i + 1))
		for _, k := range keys {
			out[i] = append(out[i], labels[k])
		}
	}
	return out
}

// Exemplars is what one exemplar channel of a query must carry: its grid
// is the ticks divisible by the period Every that have an exemplar, that
// is a point of some series.
type Exemplars struct {
	exp   *Expect
	every int64
	most  int64 // the query's exemplars: per series, in a history
}

// Exemplars returns the expectation of the exemplar channel of period
// every ticks (from the channel's path, at least 1) of the query, which
// asks for at most most exemplars per series in a range.
func (e *Expect) Exemplars(every, most int64) (*Exemplars, error) {
	if every < 1 {
		return nil, fmt.Errorf("an exemplar period of %d ticks; want at least 1", every)
	}
	return &Exemplars{exp: e, every: every, most: most}, nil
}

// Tick is the query's tickInterval in ms: the exemplars' times are ticks.
func (x *Exemplars) Tick() int64 { return x.exp.Tick() }

// HasRow reports whether tick k has exemplars: a multiple of the period
// with a point of at least one series.
func (x *Exemplars) HasRow(k int64) bool {
	if k%x.every != 0 || !x.exp.HasRow(k) {
		return false
	}
	for i := int64(1); i <= x.exp.gen.Series(); i++ {
		if !x.exp.gen.Dropped(i, k) {
			return true
		}
	}
	return false
}

func (x *Exemplars) noRow(k int64) string {
	if k%x.every != 0 {
		return fmt.Sprintf("exemplars at a tick that is no multiple of their period of %d ticks", x.every)
	}
	return "exemplars at a tick without a point (an outage or dropped points), where there must be none"
}

func (x *Exemplars) unit() string { return "exemplar ticks" }

// multipleAtOrAfter is the first multiple of the period at or after k.
func (x *Exemplars) multipleAtOrAfter(k int64) int64 {
	return signal.FirstTickAtOrAfter(k, x.every) * x.every
}

func (x *Exemplars) rows(a, b int64) int64 {
	var n int64
	for k := x.multipleAtOrAfter(a); k <= b; k += x.every {
		if x.HasRow(k) {
			n++
		}
	}
	return n
}

// firstRow looks at the multiples of the period only; limit bounds the
// search, since a period in step with the outages or dropPercent 100 gives
// no exemplar at all.
func (x *Exemplars) firstRow(k, limit int64) int64 {
	for k = x.multipleAtOrAfter(k); k <= limit; k += x.every {
		if x.HasRow(k) {
			return k
		}
	}
	return limit + 1
}

// mismatch says how the exemplars got, all at tick k, differ from those
// tick k must carry, one per series with a point there in series order,
// or "" when they are exact.
func (x *Exemplars) mismatch(k int64, got []ExemplarRow) string {
	gen, labels := x.exp.gen, x.exp.labels()
	var id [32]byte
	j := 0
	for i := int64(1); i <= gen.Series(); i++ {
		if gen.Dropped(i, k) {
			continue
		}
		if j == len(got) {
			return fmt.Sprintf("series %d: no exemplar", i)
		}
		r := got[j]
		j++
		if want := gen.Value(i, k); r.Value != want {
			return fmt.Sprintf("series %d: value %s, want %s", i, fmtValue(r.Value), fmtValue(want))
		}
		if want := gen.AppendTraceID(id[:0], i, k); r.TraceID != string(want) {
			return fmt.Sprintf("series %d: traceID %q, want %q", i, r.TraceID, want)
		}
		var want []string
		if labels != nil {
			want = labels[i-1]
		}
		if !slices.Equal(r.Labels, want) {
			return fmt.Sprintf("series %d: labels %q, want %q", i, r.Labels, want)
		}
	}
	if j < len(got) {
		return fmt.Sprintf("%d exemplars, want %d (one per series with a point)", len(got), j)
	}
	return ""
}

// ExemplarTrack follows one exemplar channel as one viewer receives it:
// the history's exemplar frame, then the channel's messages. It counts
// exemplar ticks (a tick's exemplars of every series, which arrive
// together), as Track counts ticks. Its methods must not be called
// concurrently.
type ExemplarTrack struct {
	track
	x *Exemplars
	// times and starts are the ticks of the rows being checked and where
	// each tick's rows start, reused from message to message.
	times  []int64
	starts []int
}

// NewExemplarTrack starts following an exemplar channel whose history
// starts at the first tick at or after fromMs and which must be received
// up to the last tick at or before cutoffMs.
func NewExemplarTrack(x *Exemplars, stats *Stats, instance, viewer, stream int, fromMs, cutoffMs int64) *ExemplarTrack {
	return &ExemplarTrack{track: startTrack(x, stats, instance, viewer, stream, fromMs, cutoffMs), x: x}
}

// History checks the rows of the history's exemplar frame, whose series
// frame ends at endMs (its last row): an exemplar tick up to there
// without exemplars is missing, and the live exemplars take over after it.
func (t *ExemplarTrack) History(rows []ExemplarRow, endMs int64) {
	t.check(rows, time.Time{})
	t.crowded(rows)
	t.covered = true
	end := signal.LastTickAtOrBefore(endMs, t.x.Tick())
	if end <= t.last {
		return
	}
	if n := t.x.rows(t.last+1, end); n > 0 {
		t.stats.Missing.Add(n)
		t.problem("missing", signal.TickTime(t.x.firstRow(t.last+1, end), t.x.Tick()),
			fmt.Sprintf("%d exemplar ticks missing from the history", n))
		t.addGap(t.last+1, end)
	}
	t.last = end
}

// crowded checks the promise the period is chosen for: a history holds at
// most the query's exemplars per series (docs/annotations-and-exemplars.md).
// tickwatch takes the period from the channel's path, so this is what shows
// a period too short for the range. Each exemplar a series has beyond that
// counts as wrong.
func (t *ExemplarTrack) crowded(rows []ExemplarRow) {
	most := t.x.most
	perSeries := map[string]int64{}
	for _, r := range rows {
		series := strings.Join(r.Labels, "\x00")
		perSeries[series]++
		if n := perSeries[series]; n > most {
			t.stats.Wrong.Add(1)
			if n == most+1 {
				t.problem("wrong", r.TimeMs, fmt.Sprintf("more than the query's %d exemplars of one series in the history: the period of %d ticks is too short for its range", most, t.x.every))
			}
		}
	}
}

// Live checks the rows of one live message, which arrived at arrived.
func (t *ExemplarTrack) Live(rows []ExemplarRow, arrived time.Time) {
	t.check(rows, arrived)
}

// check groups rows by tick (a tick's rows are consecutive) and checks
// each tick's.
func (t *ExemplarTrack) check(rows []ExemplarRow, arrived time.Time) {
	t.times, t.starts = t.times[:0], t.starts[:0]
	for j, r := range rows {
		if j == 0 || r.TimeMs != rows[j-1].TimeMs {
			t.times = append(t.times, r.TimeMs)
			t.starts = append(t.starts, j)
		}
	}
	t.starts = append(t.starts, len(rows))
	t.rows(t.times, arrived, func(k int64, j int) string {
		return t.x.mismatch(k, rows[t.starts[j]:t.starts[j+1]])
	})
}
