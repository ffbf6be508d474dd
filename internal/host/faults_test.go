package host

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Issue 21's failures and slow queries through the executable, as an
// alert rule's scheduler calls it: every 10 s over the last 10 s.

// evaluateAt runs one alert evaluation whose range ends at endMs.
func evaluateAt(t *testing.T, p *Plugin, ctx context.Context, endMs int64, queries ...Query) map[string]Result {
	t.Helper()
	for i := range queries {
		queries[i].From, queries[i].To = msTime(endMs-10_000), msTime(endMs)
	}
	res, err := p.QueryDataWithHeaders(ctx, defaultDS(), FromAlertHeaders(), queries...)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(queries) {
		t.Fatalf("%d responses for %d queries", len(res), len(queries))
	}
	return res
}

// TestFailPercentThroughThePlugin: failPercent 100 fails every evaluation
// with failMessage and the chosen error source, 0 never, 50 about half of
// the evaluation times and the same ones in a second plugin process; the
// other refIds of a request are answered.
func TestFailPercentThroughThePlugin(t *testing.T) {
	t.Parallel()
	p, other := startPlugin(t), startPlugin(t)
	base := (time.Now().UnixMilli() - 3_600_000) / 1000 * 1000 // on the 1 s grid
	for i := range 10 {
		end := base + int64(i)*10_000
		res := evaluateAt(t, p, ctxFor(t, 30*time.Second), end,
			Query{RefID: "DOWN", JSON: []byte(`{"failPercent":100,"failMessage":"the database is down"}`)},
			Query{RefID: "PLUGIN", JSON: []byte(`{"failPercent":100,"failSource":"plugin"}`)},
			Query{RefID: "NEVER", JSON: []byte(`{"failPercent":0,"failMessage":"never shown"}`)},
			Query{RefID: "PLAIN", JSON: []byte(`{}`)})
		if r := res["DOWN"]; r.Error != "the database is down" || r.ErrorSource != "downstream" || len(r.Frames) != 0 {
			t.Fatalf("failPercent 100: error %q from %q, %d frames", r.Error, r.ErrorSource, len(r.Frames))
		}
		if r := res["PLUGIN"]; !strings.HasPrefix(r.Error, "Tickstream failed this query on purpose: failPercent is 100") || r.ErrorSource != "plugin" {
			t.Fatalf("failSource plugin: error %q from %q", r.Error, r.ErrorSource)
		}
		for _, refID := range []string{"NEVER", "PLAIN"} {
			if r := res[refID]; r.Error != "" || len(r.Frames) != 1 || r.Frames[0].Rows() == 0 {
				t.Fatalf("refId %s: error %q, %d frames", refID, r.Error, len(r.Frames))
			}
		}
	}

	const half = `{"failPercent":50,"seed":11,"failMessage":"planned"}`
	var schedule []string
	failed := 0
	const evaluations = 200
	for i := range evaluations {
		end := base + int64(i)*1000 + int64(i%10)*97 // anywhere within a tick
		a := evaluateAt(t, p, ctxFor(t, 30*time.Second), end, Query{RefID: "A", JSON: []byte(half)})["A"]
		b := evaluateAt(t, other, ctxFor(t, 30*time.Second), end, Query{RefID: "A", JSON: []byte(half)})["A"]
		if a.Error != b.Error {
			t.Fatalf("evaluation at %d: the two processes disagree: %q and %q", end, a.Error, b.Error)
		}
		if a.Error != "" {
			if a.Error != "planned" {
				t.Fatalf("error %q, want planned", a.Error)
			}
			failed++
			schedule = append(schedule, fmt.Sprint(end/1000))
		}
	}
	if failed < evaluations*35/100 || failed > evaluations*65/100 {
		t.Errorf("failPercent 50 failed %d of %d evaluations", failed, evaluations)
	}
	// A retry of the same evaluations fails at the same times.
	var again []string
	for i := range evaluations {
		end := base + int64(i)*1000 + 999 - int64(i%10)*97
		if evaluateAt(t, p, ctxFor(t, 30*time.Second), end, Query{RefID: "A", JSON: []byte(half)})["A"].Error != "" {
			again = append(again, fmt.Sprint(end/1000))
		}
	}
	if strings.Join(again, " ") != strings.Join(schedule, " ") {
		t.Errorf("the retries failed at other times:\n first %v\n again %v", schedule, again)
	}
}

// TestQueryDelayThroughThePlugin: queryDelay 1500 answers after at least
// 1.5 s, and a cancelled call returns long before the delay would end.
func TestQueryDelayThroughThePlugin(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	end := time.Now().UnixMilli()

	began := time.Now()
	res := evaluateAt(t, p, ctxFor(t, 30*time.Second), end, Query{RefID: "A", JSON: []byte(`{"queryDelay":1500}`)})
	if elapsed := time.Since(began); elapsed < 1500*time.Millisecond {
		t.Errorf("answered after %v, before the queryDelay of 1.5 s", elapsed)
	}
	if r := res["A"]; r.Error != "" || len(r.Frames) != 1 {
		t.Fatalf("delayed query: error %q, %d frames", r.Error, len(r.Frames))
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	began = time.Now()
	_, err := p.QueryData(ctx, defaultDS(), Query{RefID: "A", JSON: []byte(`{"queryDelay":60000}`),
		From: msTime(end - 10_000), To: msTime(end)})
	if elapsed := time.Since(began); elapsed > 30*time.Second {
		t.Errorf("a cancelled call returned after %v, as if it waited out its 60 s delay", elapsed)
	}
	if err == nil {
		t.Error("a cancelled call returned no error")
	}
	assertAlive(t, p) // the plugin is not stuck behind the cancelled wait
}
