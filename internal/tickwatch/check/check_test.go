package check

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

const tick = 100 // ms

// expect parses a query as the plugin does (widest settings: the limits
// do not change values).
func expect(t *testing.T, query string) *Expect {
	t.Helper()
	q, errs := models.ParseQuery(json.RawMessage(query), models.WidestSettings())
	if errs != nil {
		t.Fatal(models.JoinMessages(errs))
	}
	e, err := NewExpect(q)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// rows are the exact rows of ticks ks, as the plugin sends them.
func rows(e *Expect, ks ...int64) ([]int64, [][]float64) {
	g := signal.New(e.Query)
	times := make([]int64, len(ks))
	values := make([][]float64, e.Query.Series)
	for j, k := range ks {
		times[j] = k * e.Tick()
		for i := int64(1); i <= e.Query.Series; i++ {
			v := math.NaN()
			if !g.Dropped(i, k) {
				v = g.Value(i, k)
			}
			values[i-1] = append(values[i-1], v)
		}
	}
	return times, values
}

func span(a, b int64) []int64 {
	var ks []int64
	for k := a; k <= b; k++ {
		ks = append(ks, k)
	}
	return ks
}

// at is a live arrival time: lag ms after tick k.
func at(e *Expect, k, lag int64) time.Time { return time.UnixMilli(k*e.Tick() + lag) }

type counts struct {
	expected, delivered, missing, duplicated, wrong, outOfOrder, lostToReconnects, lostAtHandover int64
}

func countsOf(s *Stats) counts {
	return counts{s.Expected.Load(), s.Delivered.Load(), s.Missing.Load(), s.Duplicated.Load(),
		s.Wrong.Load(), s.OutOfOrder.Load(), s.LostToReconnects.Load(), s.LostAtHandover.Load()}
}

// newTrack follows ticks 10..40 (history from 10, cutoff at 40) as viewer
// 3 of instance 1, stream 2.
func newTrack(e *Expect) (*Track, *Stats) {
	s := &Stats{}
	return NewTrack(e, s, 1, 3, 2, 10*e.Tick(), 40*e.Tick()), s
}

// TestHandover: the ticks between the history and the first live row
// went out before the viewer's subscription (or the stream) was in place
// (docs/history-and-live.md): the handover's cost, not missing; a later
// gap, and a resubscription's, are.
func TestHandover(t *testing.T) {
	e := expect(t, `{"tickInterval":100}`)
	tr, s := newTrack(e)
	tr.History(rows(e, span(10, 20)...))
	ts, vs := rows(e, span(23, 30)...)
	tr.Live(ts, vs, at(e, 30, 1))
	ts, vs = rows(e, 32)
	tr.Live(ts, vs, at(e, 32, 1))
	tr.Resubscribed()
	ts, vs = rows(e, span(36, 40)...)
	tr.Live(ts, vs, at(e, 40, 1))
	tr.Finish()
	want := counts{expected: 29, delivered: 25, missing: 4, lostToReconnects: 3, lostAtHandover: 2}
	if got := countsOf(s); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if p := s.First(); p == nil || p.TickMs != 3100 {
		t.Fatalf("first problem %v, want the tick at 3100", p)
	}
}

func TestCleanHistoryThenLive(t *testing.T) {
	e := expect(t, `{"tickInterval":100,"series":3,"shape":"sine","period":2000,"noise":0.1,"labels":"h=$seriesIndex"}`)
	tr, s := newTrack(e)
	tr.History(rows(e, span(10, 25)...))
	for k := int64(26); k <= 45; k++ {
		ts, vs := rows(e, k)
		tr.Live(ts, vs, at(e, k, 5))
	}
	if !tr.Done() {
		t.Fatal("not done after every tick arrived")
	}
	tr.Finish()
	if got, want := countsOf(s), (counts{expected: 31, delivered: 31}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if p := s.First(); p != nil {
		t.Fatalf("a problem in a clean run: %v", p)
	}
	// Only the live rows up to the cutoff have a latency.
	if n := s.Latency.Count(); n != 15 {
		t.Fatalf("%d latencies, want 15", n)
	}
}

func TestProblems(t *testing.T) {
	e := expect(t, `{"tickInterval":100,"seed":7}`)
	wrong := func(k int64) ([]int64, [][]float64) {
		ts, vs := rows(e, k)
		vs[0][0] += 1e-9
		return ts, vs
	}
	cases := []struct {
		name   string
		feed   func(tr *Track)
		want   counts
		first  string // the first problem's kind and tick, as printed
		detail string
	}{
		{
			name: "a gap in live",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 20)...))
				for _, k := range append(span(21, 24), span(28, 40)...) {
					ts, vs := rows(e, k)
					tr.Live(ts, vs, at(e, k, 1))
				}
			},
			want:   counts{expected: 31, delivered: 28, missing: 3},
			first:  "missing: stream 2, viewer 3, tick 1970-01-01T00:00:02.500Z (2500)",
			detail: "3 ticks missing before the tick at 2800",
		},
		{
			name: "live repeats the last history tick",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 20)...))
				ts, vs := rows(e, span(20, 40)...)
				tr.Live(ts, vs, at(e, 40, 1))
			},
			want:  counts{expected: 31, delivered: 31, duplicated: 1},
			first: "duplicated: stream 2, viewer 3, tick 1970-01-01T00:00:02.000Z (2000)",
		},
		{
			name: "a wrong value",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 30)...))
				ts, vs := wrong(31)
				tr.Live(ts, vs, at(e, 31, 1))
				ts, vs = rows(e, span(32, 40)...)
				tr.Live(ts, vs, at(e, 40, 1))
			},
			want:   counts{expected: 31, delivered: 31, wrong: 1},
			first:  "wrong: stream 2, viewer 3, tick 1970-01-01T00:00:03.100Z (3100)",
			detail: "series 1: got ",
		},
		{
			name: "out of order",
			feed: func(tr *Track) {
				for _, k := range append(append(span(10, 20), 22, 21), span(23, 40)...) {
					ts, vs := rows(e, k)
					tr.Live(ts, vs, at(e, k, 1))
				}
			},
			want:  counts{expected: 31, delivered: 31, outOfOrder: 1},
			first: "missing: stream 2, viewer 3, tick 1970-01-01T00:00:02.100Z (2100)",
		},
		{
			name: "a tick off the grid",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 40)...))
				tr.Live([]int64{3050}, [][]float64{{0}}, at(e, 30, 1))
			},
			want:   counts{expected: 31, delivered: 31, wrong: 1},
			first:  "wrong: stream 2, viewer 3, tick 1970-01-01T00:00:03.050Z (3050)",
			detail: "not on the grid of 100 ms",
		},
		{
			name: "the end never arrives",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 35)...))
			},
			want:   counts{expected: 31, delivered: 26, missing: 5},
			first:  "missing: stream 2, viewer 3, tick 1970-01-01T00:00:03.600Z (3600)",
			detail: "5 ticks up to the end of the run never arrived",
		},
		{
			name: "a reconnection's cost",
			feed: func(tr *Track) {
				tr.History(rows(e, span(10, 20)...))
				ts, vs := rows(e, span(21, 25)...)
				tr.Live(ts, vs, at(e, 25, 1))
				tr.Resubscribed()
				ts, vs = rows(e, span(29, 40)...)
				tr.Live(ts, vs, at(e, 40, 1))
			},
			want:   counts{expected: 31, delivered: 28, missing: 3, lostToReconnects: 3},
			first:  "missing: stream 2, viewer 3, tick 1970-01-01T00:00:02.600Z (2600)",
			detail: "lost while the viewer reconnected",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, s := newTrack(e)
			c.feed(tr)
			tr.Finish()
			if got := countsOf(s); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			p := s.First()
			if p == nil {
				t.Fatal("no problem reported")
			}
			if !strings.HasPrefix(p.String(), c.first) || !strings.Contains(p.Detail, c.detail) {
				t.Errorf("first problem %q, want it to start with %q and say %q", p, c.first, c.detail)
			}
			if p.Instance != 1 {
				t.Errorf("instance %d, want 1", p.Instance)
			}
		})
	}
}

// TestGaps: outages have no rows and nulls are dropped points; the checker
// expects exactly those, and refuses a row in an outage or a null where a
// value belongs.
func TestGaps(t *testing.T) {
	e := expect(t, `{"tickInterval":100,"series":2,"dropPercent":30,"outagePeriod":1000,"outageDuration":300}`)
	var ks []int64
	for _, k := range span(10, 40) {
		if e.HasRow(k) {
			ks = append(ks, k)
		}
	}
	if len(ks) != 21 { // 10..40: 31 ticks, 3 of every 10 in an outage, tick 40 too
		t.Fatalf("%d ticks with a row, want 21", len(ks))
	}
	tr, s := newTrack(e)
	tr.History(rows(e, ks...))
	tr.Finish()
	if got, want := countsOf(s), (counts{expected: 21, delivered: 21}); got != want {
		t.Fatalf("clean: got %+v, want %+v", got, want)
	}

	g := signal.New(e.Query)
	var valued int64 = -1
	for _, k := range ks {
		if !g.Dropped(1, k) {
			valued = k
			break
		}
	}
	tr, s = newTrack(e)
	ts, vs := rows(e, ks...)
	for j, k := range ks {
		if k == valued {
			vs[0][j] = math.NaN()
		}
	}
	tr.History(ts, vs)
	tr.History(rows(e, 20)) // tick 20 is in an outage
	tr.Finish()
	if got, want := countsOf(s), (counts{expected: 21, delivered: 21, wrong: 2}); got != want {
		t.Fatalf("faults: got %+v, want %+v", got, want)
	}
	if p := s.First(); p == nil || !strings.Contains(p.Detail, "got null") && !strings.Contains(p.Detail, "outage") {
		t.Fatalf("first problem %v", p)
	}
}

func TestOtherKindsRefused(t *testing.T) {
	q, errs := models.ParseQuery(json.RawMessage(`{"kind":"logs"}`), models.WidestSettings())
	if errs != nil {
		t.Fatal(errs)
	}
	if _, err := NewExpect(q); err == nil || !strings.Contains(err.Error(), "only kind number") {
		t.Fatalf("kind logs: %v", err)
	}
}

func TestLatency(t *testing.T) {
	e := expect(t, `{"tickInterval":100}`)
	tr, s := newTrack(e)
	tr.History(rows(e, 10))
	for k := int64(11); k <= 40; k++ {
		lag := int64(10) // ms
		if k == 40 {
			lag = 900
		}
		ts, vs := rows(e, k)
		tr.Live(ts, vs, at(e, k, lag))
	}
	h := &s.Latency
	if h.Count() != 30 || h.Max() != 900*time.Millisecond {
		t.Fatalf("count %d, max %v", h.Count(), h.Max())
	}
	if p50 := h.Quantile(0.5); p50 < 10*time.Millisecond || p50 > 10200*time.Microsecond {
		t.Fatalf("p50 %v, want 10 ms within a bucket", p50)
	}
	if p99 := h.Quantile(0.99); p99 != 900*time.Millisecond {
		t.Fatalf("p99 %v, want the 900 ms one", p99)
	}
}

func TestHistogramBuckets(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 1000, 1 << 20, 1<<40 - 1} {
		i := bucket(v)
		if i < prev {
			t.Fatalf("bucket(%d) = %d, below the previous %d", v, i, prev)
		}
		prev = i
		if u := upper(i); u < v || float64(u-v) > float64(v)/64+1 {
			t.Fatalf("upper(bucket(%d)) = %d: not within 1/64 above", v, u)
		}
		if i > 0 && upper(i-1) >= v {
			t.Fatalf("%d is also in bucket %d", v, i-1)
		}
	}
	var a, b Histogram
	a.Record(time.Millisecond)
	b.Record(3 * time.Millisecond)
	b.Record(-time.Second) // a client clock ahead of the server's
	a.Add(&b)
	if a.Count() != 3 || a.Max() != 3*time.Millisecond || a.Quantile(0) != 0 {
		t.Fatalf("merged: count %d, max %v, min %v", a.Count(), a.Max(), a.Quantile(0))
	}
}
