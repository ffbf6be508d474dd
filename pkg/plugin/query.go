package plugin

import (
	"context"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/capacity"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/metrics"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

const (
	// defaultMaxDataPoints is the point budget of a query that sends none
	// (alert rules, API callers).
	defaultMaxDataPoints = 1000
	// maxDataPointsCap bounds each series of one query's frame whatever the
	// caller asks.
	maxDataPointsCap = 10_000
	// maxQueryPoints bounds one query's frame, all series together.
	maxQueryPoints = 1_000_000
	// minLiveLag is how far before now a range may end and still count as
	// live: a dashboard's "now" is a little old by the time it arrives.
	minLiveLag = 5 * time.Second
	// timeBoundMs is the ECMAScript time range, ±8.64e15 ms around the
	// epoch; clamping to it keeps every tick time and count within int64.
	timeBoundMs = 8_640_000_000_000_000
)

// QueryData returns each query's history, with a pointer to its live
// stream when the range reaches now (and to its exemplar channel, when it
// has exemplars: exemplars_live.go). Every refId gets exactly one response,
// and a bad query fails only its own. A query with faults (failPercent,
// queryDelay) answers late or fails on its schedule (faults.go).
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	var pending []parsedQuery
	for _, dq := range req.Queries {
		p, errResp := d.parse(dq)
		if errResp != nil {
			resp.Responses[dq.RefID] = *errResp
			continue
		}
		p.overlays = overlaysFor(req, p.overlays)
		pending = append(pending, p)
	}
	d.answerAll(ctx, pending, resp)
	return resp, nil
}

// parsedQuery is one valid query of a request, waiting to be answered.
type parsedQuery struct {
	dq     backend.DataQuery
	q      models.Query
	faults models.Faults
	// overlays are its annotation events and exemplars.
	overlays models.Overlays
	// delay is how long it waits before its answer (queryDelay).
	delay time.Duration
}

// parse reads one query; a query that cannot be answered gets its error
// response instead.
func (d *Datasource) parse(dq backend.DataQuery) (parsedQuery, *backend.DataResponse) {
	if d.settingsErrors != nil {
		r := userError(d.settingsMessage())
		return parsedQuery{}, &r
	}
	q, f, o, errs := models.ParseQueryOverlays(dq.JSON, d.settings)
	if errs != nil {
		r := userError(models.JoinMessages(errs))
		return parsedQuery{}, &r
	}
	return parsedQuery{dq: dq, q: q, faults: f, overlays: o, delay: evaluationDelay(dq, q, f)}, nil
}

// query answers one valid query at the instant now.
func (d *Datasource) query(p parsedQuery, now time.Time) backend.DataResponse {
	dq, q := p.dq, p.q
	switch dq.QueryType {
	case models.QueryTypeLabelValues:
		return labelValues(dq.JSON, q)
	case models.QueryTypeAnnotations:
		return annotations(dq, q, p.faults, p.overlays)
	case models.QueryTypeLogsVolume:
		return d.logsVolume(dq, q, now)
	}
	if failed, ok := evaluationFailure(p); ok {
		return failed
	}
	stream := channel.ForQuery(d.uid, q)
	if len(stream.ID) > channel.MaxIDLength { // even hashed: only a uid of over 100 characters does this
		return userError("the stream's channel id " + strconv.Quote(stream.ID) + " is " + strconv.Itoa(len(stream.ID)) +
			" characters long, more than Grafana's limit of " + strconv.Itoa(channel.MaxIDLength) + "; give the data source a shorter uid")
	}

	end := dq.TimeRange.To
	if end.After(now) {
		end = now
	}
	first := signal.FirstTickAtOrAfter(ceilMs(dq.TimeRange.From), q.TickInterval)
	last := signal.LastTickAtOrBefore(floorMs(end), q.TickInterval)
	liveLag := max(minLiveLag, 2*time.Duration(q.TickInterval)*time.Millisecond)
	live := !dq.TimeRange.To.Before(now.Add(-liveLag))
	if live {
		last = liveHistoryEnd(last, signal.LastTickAtOrBefore(floorMs(now), q.TickInterval), ticksPerMessage(q.TickInterval, d.settings.MaxMessageRate))
	}
	start, step, count := signal.Thin(first, last, rowLimit(q, pointLimit(dq.MaxDataPoints, q.Series)))
	// The exemplars' period, of the frame and of its channel alike, is
	// sized by the most ticks a range of this length keeps at this step,
	// wherever it falls, so that every refresh of a sliding range gets the
	// same period and so the same channel.
	most := (max(signal.Span(end.Sub(dq.TimeRange.From).Milliseconds(), q.TickInterval), last-first+1) + step - 1) / step
	every := exemplarEvery(step, most, p.overlays.Exemplars)
	f := newFramer(q)
	frame := f.frame(start, step, count)
	metrics.HistoryServed(int(count * q.Series)) // at most maxQueryPoints
	if frame.Rows() == 0 {
		// Alert rules read frames through grafana/dataplane's sdata, for
		// which a typed frame with fields and no rows is a series without
		// points (NaN: firing), and a frame of the type without fields is
		// No Data. The panel still gets meta.channel below and takes the
		// stream's schema from its InitialData (src/historyAndLive.test.ts).
		frame.Fields = nil
	}
	frames := f.withExemplars([]*data.Frame{frame}, p.overlays, start, step, count, every)
	if live {
		d.follow(frame, frame, stream, streamCost(q), "data")
		if len(frames) > 1 {
			d.liveExemplars(frame, frames[1], q, channel.Exemplars{Every: every, URL: p.overlays.ExemplarURL})
		}
	}
	return backend.DataResponse{Frames: frames}
}

// follow points frame at the live channel s, and tells the panel, with a
// notice on noticeOn saying what it gets no live what of, when the data
// source has no room for s: SubscribeStream will refuse it, and Grafana
// tells the browser only "permission denied".
func (d *Datasource) follow(frame, noticeOn *data.Frame, s channel.Stream, cost capacity.Cost, what string) {
	if err := d.load.Check(s.Path, cost); err != nil {
		noticeOn.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
			Text: "no live " + what + " for now: " + err.Error()})
	}
	if s.Definition == "" {
		frame.Meta.Channel = s.ID
	} else {
		// @grafana/runtime would follow meta.channel without subscribe
		// data, which a hashed channel needs: the frontend subscribes to
		// it itself, with the definition (src/datasource.ts).
		frame.Meta.Custom = HashedStream{Channel: s.ID, Definition: s.Definition}
	}
}

// HashedStream is the meta.custom of a live frame whose stream is named by
// a hash (channel.ForQuery): the frontend subscribes to Channel with
// {"definition": Definition} as the subscription's data.
type HashedStream struct {
	Channel    string `json:"tickstreamChannel"`
	Definition string `json:"tickstreamDefinition"`
}

// userError is the response to a query that cannot be answered because of
// what the user wrote (the query or the data source settings): a
// downstream error, so Grafana does not count it against the plugin.
func userError(message string) backend.DataResponse {
	return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourceDownstream, message)
}

// pointLimit is how many points each of a query's series may return:
// maxDataPoints (defaultMaxDataPoints when absent, as from an alert rule),
// at most maxDataPointsCap, and at most maxQueryPoints for all series
// together.
func pointLimit(maxDataPoints, series int64) int64 {
	if maxDataPoints <= 0 {
		maxDataPoints = defaultMaxDataPoints
	}
	return min(maxDataPoints, maxDataPointsCap, maxQueryPoints/series)
}

// floorMs returns t in Unix ms rounded down, within the ECMAScript range.
func floorMs(t time.Time) int64 {
	return clampMs(t.UnixMilli())
}

// ceilMs returns t in Unix ms rounded up, so that a tick at or after t in
// ms is at or after t itself.
func ceilMs(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Nanosecond()%int(time.Millisecond) != 0 {
		ms++
	}
	return clampMs(ms)
}

func clampMs(ms int64) int64 {
	return min(max(ms, -timeBoundMs), timeBoundMs)
}
