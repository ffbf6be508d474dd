package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// evaluate runs one request of refId → query JSON over the 10 s ending at
// end, as an alert rule's evaluation does.
func evaluate(t *testing.T, d *Datasource, ctx context.Context, end time.Time, queries map[string]string) backend.Responses {
	t.Helper()
	req := &backend.QueryDataRequest{}
	for refID, js := range queries {
		req.Queries = append(req.Queries, backend.DataQuery{RefID: refID, JSON: []byte(js),
			TimeRange: backend.TimeRange{From: end.Add(-10 * time.Second), To: end}})
	}
	resp, err := d.QueryData(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Responses) != len(queries) {
		t.Fatalf("%d responses for %d refIds", len(resp.Responses), len(queries))
	}
	return resp.Responses
}

// TestFailPercent: 100 fails every evaluation with failMessage and the
// chosen error source, 0 never, 50 about half of the evaluation times and
// always the same ones; the request's other refIds are answered.
func TestFailPercent(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	base := pinnedNow.Truncate(time.Second)
	for _, c := range []struct {
		query      string
		wantSource backend.ErrorSource
		wantStatus backend.Status
		wantText   string
	}{
		{`{"failPercent":100,"failMessage":"the database is down"}`, backend.ErrorSourceDownstream, backend.StatusBadGateway, "the database is down"},
		{`{"failPercent":100,"failSource":"plugin"}`, backend.ErrorSourcePlugin, backend.StatusInternal, "Tickstream failed this query on purpose: failPercent is 100"},
	} {
		for i := range 20 {
			end := base.Add(time.Duration(i) * 1500 * time.Millisecond)
			r := evaluate(t, d, context.Background(), end, map[string]string{"A": c.query, "B": `{}`, "C": `{"failPercent":0}`})
			a := r["A"]
			if a.Error == nil || !strings.HasPrefix(a.Error.Error(), c.wantText) || a.ErrorSource != c.wantSource || a.Status != c.wantStatus || a.Frames != nil {
				t.Fatalf("%s at %v: error %v, source %q, status %d, %d frames; want %q from %q with %d", c.query, end, a.Error, a.ErrorSource, a.Status, len(a.Frames), c.wantText, c.wantSource, c.wantStatus)
			}
			for _, other := range []string{"B", "C"} {
				if r[other].Error != nil || len(r[other].Frames) != 1 {
					t.Fatalf("refId %s beside a failing query: error %v", other, r[other].Error)
				}
			}
		}
	}

	const half = `{"failPercent":50,"seed":3}`
	q, f, _ := models.ParseQueryFaults([]byte(half), d.settings)
	failed := 0
	const evaluations = 400
	for i := range evaluations {
		// Ends anywhere within a tick share its verdict.
		end := base.Add(time.Duration(i)*time.Second + time.Duration(i%7)*130*time.Millisecond)
		k := end.UnixMilli() / 1000
		first := evaluate(t, d, context.Background(), end, map[string]string{"A": half})["A"].Error != nil
		again := evaluate(t, d, context.Background(), end, map[string]string{"A": half})["A"].Error != nil
		if first != again || first != signal.EvaluationFails(q, f, k) {
			t.Fatalf("evaluation at %v: failed %v then %v; the schedule says %v", end, first, again, signal.EvaluationFails(q, f, k))
		}
		if first {
			failed++
		}
	}
	if failed < evaluations*40/100 || failed > evaluations*60/100 {
		t.Errorf("failPercent 50 failed %d of %d evaluations", failed, evaluations)
	}
}

// TestFaultsLeaveVariableQueriesAlone: a variable query is never failed or
// delayed, so a dashboard's variables work while its panels are tested.
func TestFaultsLeaveVariableQueriesAlone(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "V", QueryType: models.QueryTypeLabelValues,
		JSON:      []byte(`{"failPercent":100,"queryDelay":60000,"series":2,"labelKey":"series"}`),
		TimeRange: backend.TimeRange{From: pinnedNow.Add(-time.Minute), To: pinnedNow},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["V"]; r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("variable query: error %v, %d frames", r.Error, len(r.Frames))
	}
}

// TestQueryDelay: a delayed query answers no sooner than its delay; the
// delays of one request run side by side; a cancelled request returns at
// once, the waiting queries with an error and the others answered.
func TestQueryDelay(t *testing.T) {
	d := newTestDatasource(t, `{}`)
	pinClock(d)
	end := pinnedNow

	began := time.Now()
	r := evaluate(t, d, context.Background(), end, map[string]string{
		"A": `{"queryDelay":1000}`, "B": `{"queryDelay":1000,"seed":1}`, "C": `{"queryDelay":1000,"seed":2}`, "D": `{}`,
	})
	elapsed := time.Since(began)
	for refID, resp := range r {
		if resp.Error != nil || len(resp.Frames) != 1 {
			t.Fatalf("refId %s: error %v", refID, resp.Error)
		}
	}
	if elapsed < time.Second {
		t.Errorf("answered after %v, before the queryDelay of 1 s", elapsed)
	}
	if elapsed >= 3*time.Second {
		t.Errorf("three delays of 1 s took %v: they added up instead of running side by side", elapsed)
	}

	// Jitter: the delay of this evaluation time is the schedule's.
	q, f, _ := models.ParseQueryFaults([]byte(`{"queryDelay":200,"queryDelayJitter":300}`), d.settings)
	want := time.Duration(signal.EvaluationDelay(q, f, signal.EvaluationTick(end.UnixMilli(), 1000))) * time.Millisecond
	began = time.Now()
	evaluate(t, d, context.Background(), end, map[string]string{"A": `{"queryDelay":200,"queryDelayJitter":300}`})
	if elapsed := time.Since(began); elapsed < want {
		t.Errorf("answered after %v, before this evaluation's delay of %v", elapsed, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	began = time.Now()
	r = evaluate(t, d, ctx, end, map[string]string{"SLOW": `{"queryDelay":60000}`, "FAST": `{}`})
	if elapsed := time.Since(began); elapsed >= 30*time.Second {
		t.Errorf("a cancelled request returned after %v, as if it waited out its 60 s delay", elapsed)
	}
	if slow := r["SLOW"]; slow.Error == nil || !strings.Contains(slow.Error.Error(), "before this query's delay of 60000 ms") {
		t.Errorf("the waiting query's error %v does not say it was cut short", slow.Error)
	}
	if fast := r["FAST"]; fast.Error != nil || len(fast.Frames) != 1 {
		t.Errorf("the undelayed query: error %v", fast.Error)
	}
}
