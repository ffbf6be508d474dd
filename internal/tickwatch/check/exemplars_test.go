package check

import (
	"strings"
	"testing"

	"github.com/tickstream/streaming/pkg/signal"
)

// exemplarQuery has two labelled series with dropped points and outages,
// so that some exemplar ticks have one exemplar, some two and some none.
const exemplarQuery = `{"tickInterval":100,"series":2,"labels":"host=web-$seriesIndex, dc=eu","dropPercent":30,"outagePeriod":1000,"outageDuration":300,"exemplars":5}`

// exemplarRowsAt are the exemplars the plugin sends for ticks ks, written
// out here from the rule (labels spelt out by hand, in key order dc, host)
// rather than through the code under test.
func exemplarRowsAt(e *Expect, every int64, ks ...int64) []ExemplarRow {
	g := signal.New(e.Query)
	var out []ExemplarRow
	for _, k := range ks {
		if k%every != 0 || !g.HasRow(k) {
			continue
		}
		for i := int64(1); i <= e.Query.Series; i++ {
			if g.Dropped(i, k) {
				continue
			}
			r := ExemplarRow{TimeMs: k * e.Tick(), Value: g.Value(i, k), TraceID: string(g.AppendTraceID(nil, i, k))}
			if e.Query.Series > 1 {
				r.Labels = []string{"eu", "web-" + string(rune('0'+i))}
			}
			out = append(out, r)
		}
	}
	return out
}

// exemplarTrack follows ticks 10..40 of the exemplars every 3 ticks as
// viewer 3 of instance 1, stream 2, for a query that asks for 5 exemplars
// per series (exemplarQuery).
func exemplarTrack(t *testing.T, e *Expect) (*ExemplarTrack, *Stats) {
	return exemplarTrackOf(t, e, 5)
}

// exemplarTrackOf is exemplarTrack for a query that asks for most
// exemplars per series.
func exemplarTrackOf(t *testing.T, e *Expect, most int64) (*ExemplarTrack, *Stats) {
	t.Helper()
	x, err := e.Exemplars(3, most)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stats{}
	return NewExemplarTrack(x, s, 1, 3, 2, 10*e.Tick(), 40*e.Tick()), s
}

// exemplarTicks are the ticks of 10..40 with exemplars every 3 ticks.
func exemplarTicks(t *testing.T, e *Expect) []int64 {
	t.Helper()
	var ks []int64
	for _, k := range span(10, 40) {
		if len(exemplarRowsAt(e, 3, k)) > 0 {
			ks = append(ks, k)
		}
	}
	// 12..39 by 3: 10 ticks; 20 and 30 in outages; 12 (one series), 15, 18,
	// 21, 24, 27, 33, 36, 39 with at least one point.
	if len(ks) < 6 {
		t.Fatalf("only exemplar ticks %v: the query no longer exercises the check", ks)
	}
	return ks
}

// TestExemplarsClean: the history's exemplars, then one live message per
// tick from the tick after the history's end, are exactly what the rule
// gives: every exemplar tick delivered once, nothing else, and an
// exemplar tick with two series counts once, as a tick of two series does.
func TestExemplarsClean(t *testing.T) {
	e := expect(t, exemplarQuery)
	ks := exemplarTicks(t, e)
	tr, s := exemplarTrack(t, e)
	tr.History(exemplarRowsAt(e, 3, span(10, 25)...), 25*e.Tick())
	for k := int64(26); k <= 45; k++ {
		if rows := exemplarRowsAt(e, 3, k); len(rows) > 0 {
			tr.Live(rows, at(e, k, 5))
		}
	}
	if !tr.Done() {
		t.Fatal("not done after every exemplar arrived")
	}
	tr.Finish()
	n := int64(len(ks))
	if got, want := countsOf(s), (counts{expected: n, delivered: n}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if p := s.First(); p != nil {
		t.Fatalf("a problem in a clean run: %v", p)
	}
}

// TestExemplarsUnlabelled: a single series without labels has exemplars
// without label fields.
func TestExemplarsUnlabelled(t *testing.T) {
	e := expect(t, `{"tickInterval":100,"seed":4,"exemplars":10}`)
	tr, s := exemplarTrackOf(t, e, 10)
	tr.History(exemplarRowsAt(e, 3, span(10, 40)...), 40*e.Tick())
	tr.Finish()
	if got, want := countsOf(s), (counts{expected: 10, delivered: 10}); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	tr, s = exemplarTrackOf(t, e, 10)
	rows := exemplarRowsAt(e, 3, span(10, 40)...)
	rows[4].Labels = []string{"1"}
	tr.History(rows, 40*e.Tick())
	tr.Finish()
	if p := s.First(); s.Wrong.Load() != 1 || p == nil || !strings.Contains(p.Detail, `labels ["1"], want []`) {
		t.Fatalf("an unexpected label: wrong %d, first %v", s.Wrong.Load(), p)
	}
}

// TestExemplarProblems: each way an exemplar can be wrong or missing is
// counted, as what it is, and named first.
func TestExemplarProblems(t *testing.T) {
	e := expect(t, exemplarQuery)
	ks := exemplarTicks(t, e)
	last := ks[len(ks)-1]
	// two is an exemplar tick with both series, and one with a single one.
	var two, one int64
	for _, k := range ks {
		switch n := len(exemplarRowsAt(e, 3, k)); {
		case n == 2 && two == 0:
			two = k
		case n == 1 && one == 0:
			one = k
		}
	}
	if two == 0 || one == 0 {
		t.Fatalf("exemplar ticks %v have no tick with two exemplars and one with one", ks)
	}
	n := int64(len(ks))
	// live sends every exemplar tick of 10..40 live, one message each,
	// the rows of tick k changed by change.
	live := func(tr *ExemplarTrack, change func(k int64, rows []ExemplarRow) []ExemplarRow) {
		for _, k := range span(10, 40) {
			rows := exemplarRowsAt(e, 3, k)
			if change != nil {
				rows = change(k, rows)
			}
			if len(rows) > 0 {
				tr.Live(rows, at(e, k, 1))
			}
		}
	}
	// changedAt feeds every exemplar tick live, the rows of tick at
	// changed by change.
	changedAt := func(at int64, change func(rows []ExemplarRow) []ExemplarRow) func(*ExemplarTrack) {
		return func(tr *ExemplarTrack) {
			live(tr, func(k int64, rows []ExemplarRow) []ExemplarRow {
				if k == at {
					return change(rows)
				}
				return rows
			})
		}
	}
	cases := []struct {
		name   string
		feed   func(tr *ExemplarTrack)
		want   counts
		first  string
		detail string
	}{
		{
			name: "a wrong value",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				rows[1].Value += 1e-9
				return rows
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "series 2: value ",
		},
		{
			name: "a wrong trace ID",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				rows[0].TraceID = strings.Repeat("0", 32)
				return rows
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "series 1: traceID ",
		},
		{
			name: "wrong labels",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				rows[0].Labels = []string{"eu", "web-2"}
				return rows
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: `series 1: labels ["eu" "web-2"], want ["eu" "web-1"]`,
		},
		{
			name: "series in the wrong order",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				rows[0], rows[1] = rows[1], rows[0]
				return rows
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "series 1: value ",
		},
		{
			name: "one series' exemplar missing from its tick",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				return rows[:1]
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "series 2: no exemplar",
		},
		{
			name: "an extra exemplar at a tick",
			feed: changedAt(one, func(rows []ExemplarRow) []ExemplarRow {
				return append(rows, rows[0])
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "2 exemplars, want 1",
		},
		{
			name: "an exemplar off the period",
			feed: changedAt(two, func(rows []ExemplarRow) []ExemplarRow {
				return append(rows, exemplarRowsAt(e, 1, two+1)...)
			}),
			want: counts{expected: n, delivered: n, wrong: 1}, first: "wrong", detail: "no multiple of their period of 3 ticks",
		},
		{
			name: "an exemplar tick missing",
			feed: func(tr *ExemplarTrack) {
				tr.History(exemplarRowsAt(e, 3, span(10, 11)...), 11*e.Tick())
				changedAt(two, func([]ExemplarRow) []ExemplarRow { return nil })(tr)
			},
			want: counts{expected: n, delivered: n - 1, missing: 1}, first: "missing", detail: "1 exemplar ticks missing before the tick at",
		},
		{
			name: "missing from the history",
			feed: func(tr *ExemplarTrack) {
				tr.History(nil, 40*e.Tick())
			},
			want: counts{expected: n, missing: n}, first: "missing", detail: "exemplar ticks missing from the history",
		},
		{
			name: "the last ones never arrive",
			feed: func(tr *ExemplarTrack) {
				tr.History(exemplarRowsAt(e, 3, span(10, last-1)...), (last-1)*e.Tick())
			},
			want: counts{expected: n, delivered: n - 1, missing: 1}, first: "missing", detail: "1 exemplar ticks up to the end of the run never arrived",
		},
		{
			name: "repeated",
			feed: func(tr *ExemplarTrack) {
				live(tr, nil)
				tr.Live(exemplarRowsAt(e, 3, last), at(e, 41, 1))
			},
			want: counts{expected: n, delivered: n, duplicated: 1}, first: "duplicated",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, s := exemplarTrack(t, e)
			c.feed(tr)
			tr.Finish()
			if got := countsOf(s); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			p := s.First()
			if p == nil || p.Kind != c.first || !strings.Contains(p.Detail, c.detail) || p.Stream != 2 || p.Viewer != 3 {
				t.Fatalf("first problem %v, want %s saying %q", p, c.first, c.detail)
			}
		})
	}
}

// TestExemplarHandover: the exemplar ticks between the history's end and
// the first live exemplar went out before the viewer subscribed to the
// exemplar channel: lost at the handover, as a stream's ticks are, not
// missing; a reconnection's are.
func TestExemplarHandover(t *testing.T) {
	e := expect(t, exemplarQuery)
	ks := exemplarTicks(t, e)
	tr, s := exemplarTrack(t, e)
	tr.History(exemplarRowsAt(e, 3, span(10, 13)...), 13*e.Tick())
	var before, live []int64 // exemplar ticks after the history: lost at the handover, then live
	for _, k := range ks {
		switch {
		case k > 13 && len(before) < 2:
			before = append(before, k)
		case k > 13:
			live = append(live, k)
		}
	}
	for i, k := range live {
		if i == 1 {
			tr.Resubscribed()
			continue // lost to the reconnection
		}
		tr.Live(exemplarRowsAt(e, 3, k), at(e, k, 1))
	}
	tr.Finish()
	n := int64(len(ks))
	want := counts{expected: n - 2, delivered: n - 3, missing: 1, lostToReconnects: 1, lostAtHandover: 2}
	if got := countsOf(s); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// TestExemplarsNeverPlaced: a period in step with the outages gives no
// exemplar at all; the track expects none, and finds its end.
func TestExemplarsNeverPlaced(t *testing.T) {
	e := expect(t, `{"tickInterval":100,"outagePeriod":1000,"outageDuration":300,"exemplars":1}`)
	x, err := e.Exemplars(10, 5)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stats{}
	tr := NewExemplarTrack(x, s, 0, 0, 0, 0, 100_000)
	tr.History(nil, 100_000)
	if !tr.Done() {
		t.Fatal("not done")
	}
	tr.Finish()
	if got := countsOf(s); got != (counts{}) {
		t.Fatalf("got %+v, want nothing", got)
	}
	if _, err := e.Exemplars(0, 5); err == nil {
		t.Fatal("a period of 0 ticks was taken")
	}
}

// TestExemplarsTooManyForTheRange: a history whose exemplars are each
// right by the rule, but more of one series than the query asks for (a
// period too short for the range), counts the excess as wrong.
func TestExemplarsTooManyForTheRange(t *testing.T) {
	e := expect(t, exemplarQuery)
	tr, s := exemplarTrackOf(t, e, 2)
	rows := exemplarRowsAt(e, 3, span(10, 40)...)
	perSeries := map[string]int64{}
	var most int64
	for _, r := range rows {
		key := strings.Join(r.Labels, ",")
		perSeries[key]++
		most = max(most, perSeries[key])
	}
	if most <= 2 {
		t.Fatalf("the history has at most %d exemplars of a series: the test no longer exceeds the query's 2", most)
	}
	tr.History(rows, 40*e.Tick())
	var excess int64
	for _, n := range perSeries {
		excess += max(n-2, 0)
	}
	if got := s.Wrong.Load(); got != excess {
		t.Errorf("wrong = %d, want %d (the exemplars of each series beyond 2)", got, excess)
	}
	if p := s.First(); p == nil || p.Kind != "wrong" || !strings.Contains(p.Detail, "too short for its range") {
		t.Errorf("first problem %v; want the period named too short for the range", p)
	}
}
