package host

import (
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
