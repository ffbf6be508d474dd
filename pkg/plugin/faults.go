package plugin

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// Faults (failPercent, failMessage, failSource, queryDelay,
// queryDelayJitter) act on data queries only: a variable query (and any
// other queryType) is never failed or delayed, so a dashboard's variables
// and annotations keep working while its panels are being tested.

// evaluationTick is the evaluation time of dq: the end of its range,
// rounded down to q's tick (signal.EvaluationTick).
func evaluationTick(dq backend.DataQuery, q models.Query) int64 {
	return signal.EvaluationTick(floorMs(dq.TimeRange.To), q.TickInterval)
}

// evaluationDelay is how long dq waits before its answer.
func evaluationDelay(dq backend.DataQuery, q models.Query, f models.Faults) time.Duration {
	if dq.QueryType != "" || !f.Delays() {
		return 0
	}
	return time.Duration(signal.EvaluationDelay(q, f, evaluationTick(dq, q))) * time.Millisecond
}

// evaluationFailure is the planned failure of p, ok when p fails now: its
// failMessage with its failSource's error source.
func evaluationFailure(p parsedQuery) (backend.DataResponse, bool) {
	if p.dq.QueryType != "" || !p.faults.Fails() || !signal.EvaluationFails(p.q, p.faults, evaluationTick(p.dq, p.q)) {
		return backend.DataResponse{}, false
	}
	if p.faults.FailSource == models.FailSourcePlugin {
		return backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, p.faults.Message()), true
	}
	return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, p.faults.Message()), true
}

// answerAll answers the queries of one request into resp, each once its
// delay has passed since the request came. The delays run at the same
// time, not one after the other: a request waits as long as its slowest
// query, as when a data source sends its queries to a backend in
// parallel. When ctx ends first (a closed dashboard, a timeout), the
// queries still waiting get an error at once instead.
func (d *Datasource) answerAll(ctx context.Context, pending []parsedQuery, resp *backend.QueryDataResponse) {
	delayed := slices.ContainsFunc(pending, func(p parsedQuery) bool { return p.delay > 0 })
	if !delayed {
		now := d.now()
		for _, p := range pending {
			resp.Responses[p.dq.RefID] = d.query(p, now)
		}
		return
	}
	slices.SortStableFunc(pending, func(a, b parsedQuery) int { return cmp.Compare(a.delay, b.delay) })
	began := time.Now()
	for i, p := range pending {
		if wait := p.delay - time.Since(began); wait > 0 && !sleep(ctx, wait) {
			for _, rest := range pending[i:] {
				resp.Responses[rest.dq.RefID] = cancelledResponse(ctx, rest)
			}
			return
		}
		// Answered after the wait, so a live range's history reaches the
		// moment the panel gets it.
		resp.Responses[p.dq.RefID] = d.query(p, d.now())
	}
}

// sleep waits for d, false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// cancelledResponse is the answer of a query whose request ended while it
// waited out its delay; nobody may read it, but every refId gets one.
func cancelledResponse(ctx context.Context, p parsedQuery) backend.DataResponse {
	return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream,
		"the request ended ("+context.Cause(ctx).Error()+") before this query's delay of "+
			strconv.FormatInt(p.delay.Milliseconds(), 10)+" ms (queryDelay and queryDelayJitter) had passed")
}
