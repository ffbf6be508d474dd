package host

import (
	"math"
	"testing"
	"time"
)

// TestTwoProcessesAgree: two plugin processes (two Grafana instances, or a
// restart) show the same values for the same query, in history and live.
func TestTwoProcessesAgree(t *testing.T) {
	t.Parallel()
	p1, p2 := startPlugin(t), startPlugin(t)
	ds1, ds2 := defaultDS(), defaultDS()

	to := time.Now().Add(-time.Hour)
	q := Query{RefID: "A", JSON: []byte(`{"tickInterval":250,"lowerLimit":-3.5,"upperLimit":1e6,"seed":123456789}`),
		From: to.Add(-10 * time.Minute), To: to, MaxDataPoints: 5000}
	h1, _ := oneSeries(t, "process 1", queryOne(t, p1, ds1, q))
	h2, _ := oneSeries(t, "process 2", queryOne(t, p2, ds2, q))
	if d := diffTimes(h1.times, h2.times); d != "" {
		t.Fatalf("history timestamps differ: %s", d)
	}
	if len(h1.times) == 0 {
		t.Fatal("no history")
	}
	for i := range h1.values {
		if h1.values[i] != h2.values[i] {
			t.Fatalf("history at %d: %v in one process, %v in the other", h1.times[i], h1.values[i], h2.values[i])
		}
	}

	path := pathFor(50, "-3.5", "1000000", 123456789)
	sc1, s1 := openStream(t, p1, ds1, path)
	sc2, s2 := openStream(t, p2, ds2, path)
	done := make(chan []point)
	go func() { done <- collect(t, s2, sc2, 2*time.Second) }()
	pts1 := collect(t, s1, sc1, 2*time.Second)
	pts2 := <-done
	at := map[int64]float64{}
	for _, pt := range pts1 {
		at[pt.t] = pt.v
	}
	common := 0
	for _, pt := range pts2 {
		v, ok := at[pt.t]
		if !ok {
			continue
		}
		common++
		if v != pt.v {
			t.Fatalf("live at %d: %v in one process, %v in the other", pt.t, v, pt.v)
		}
	}
	if common < 5 {
		t.Fatalf("only %d ticks in common between the two live streams (%d and %d points)", common, len(pts1), len(pts2))
	}
}

// TestTwoProcessesAgreeEveryShape: every shape, with several series and
// noise, is the same in two processes, bit for bit, in history and live.
func TestTwoProcessesAgreeEveryShape(t *testing.T) {
	t.Parallel()
	p1, p2 := startPlugin(t), startPlugin(t)
	ds1, ds2 := defaultDS(), defaultDS()
	to := time.Now().Add(-time.Hour)
	from := to.Add(-10 * time.Minute)
	for _, shape := range shapes {
		t.Run(shape, func(t *testing.T) {
			t.Parallel()
			fields := map[string]any{"tickInterval": 100, "lowerLimit": -1, "upperLimit": 1, "seed": 99, "shape": shape, "noise": 0.3, "series": 3}
			path := "v1/t=100/lo=-1/hi=1/seed=99"
			if shape != "random" { // the default is no segment
				path += "/shape=" + shape
			}
			if isPeriodic(shape) {
				fields["period"] = 7000
				path += "/period=7000"
			}
			path += "/noise=0.3/series=3"
			q := Query{RefID: "A", JSON: queryOf(t, fields), From: from, To: to, MaxDataPoints: 10000}
			h1 := decodeOnly(t, "process 1", queryOne(t, p1, ds1, q), 3)
			h2 := decodeOnly(t, "process 2", queryOne(t, p2, ds2, q), 3)
			if d := diffTimes(h1.times, h2.times); d != "" {
				t.Fatalf("history timestamps differ: %s", d)
			}
			if len(h1.times) == 0 {
				t.Fatal("no history")
			}
			for i := range 3 {
				if d := diffValues(h1.values[i], h2.values[i]); d != "" {
					t.Errorf("history of series %d differs between the processes: %s", i+1, d)
				}
			}

			resp1, resp2 := subscribe(t, p1, ds1, path, nil), subscribe(t, p2, ds2, path, nil)
			if resp1.Status != statusOK || resp2.Status != statusOK {
				t.Fatalf("SubscribeStream(%q): %v and %v", path, resp1.Status, resp2.Status)
			}
			schema, _, err := FrameSchema(resp1.Data)
			if err != nil {
				t.Fatal(err)
			}
			s1, err := p1.RunStream(ctxFor(t, time.Minute), ds1, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			s2, err := p2.RunStream(ctxFor(t, time.Minute), ds2, path, nil)
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan []message)
			go func() { done <- collectMessages(t, s2, schema, 3, 1500*time.Millisecond) }()
			m1 := collectMessages(t, s1, schema, 3, 1500*time.Millisecond)
			m2 := <-done
			s1.Cancel()
			s2.Cancel()
			type key struct {
				t int64
				i int
			}
			at := map[key]float64{}
			for _, m := range m1 {
				for r, ts := range m.cols.times {
					for i := range 3 {
						at[key{ts, i}] = m.cols.values[i][r]
					}
				}
			}
			common := 0
			for _, m := range m2 {
				for r, ts := range m.cols.times {
					for i := range 3 {
						v, ok := at[key{ts, i}]
						if !ok {
							continue
						}
						common++
						if math.Float64bits(v) != math.Float64bits(m.cols.values[i][r]) {
							t.Fatalf("live series %d at %d: %v in one process, %v in the other", i+1, ts, v, m.cols.values[i][r])
						}
					}
				}
			}
			if common < 15 {
				t.Fatalf("only %d values in common between the two live streams", common)
			}
		})
	}
}
