package plugin

import (
	"context"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
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
// stream when the range reaches now. Every refId gets exactly one response,
// and a bad query fails only its own.
func (d *Datasource) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	now := d.now()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = d.query(q, now)
	}
	return resp, nil
}

// query answers one query at the instant now.
func (d *Datasource) query(dq backend.DataQuery, now time.Time) backend.DataResponse {
	if d.settingsErrors != nil {
		return userError(d.settingsMessage())
	}
	q, errs := models.ParseQuery(dq.JSON, d.settings)
	if errs != nil {
		return userError(models.JoinMessages(errs))
	}
	if dq.QueryType == models.QueryTypeLabelValues {
		return labelValues(dq.JSON, q)
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
	frame := newFramer(q).frame(start, step, count)
	metrics.HistoryServed(int(count * q.Series)) // at most maxQueryPoints
	if live {
		if err := d.load.Check(stream.Path, streamCost(q)); err != nil {
			// SubscribeStream will refuse the stream, and Grafana tells
			// the browser only "permission denied": the panel says why.
			frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
				Text: "no live data for now: " + err.Error()})
		}
		if stream.Definition == "" {
			frame.Meta.Channel = stream.ID
		} else {
			// @grafana/runtime would follow meta.channel without subscribe
			// data, which a hashed channel needs: the frontend subscribes
			// to it itself, with the definition (src/datasource.ts).
			frame.Meta.Custom = HashedStream{Channel: stream.ID, Definition: stream.Definition}
		}
	}
	return backend.DataResponse{Frames: []*data.Frame{frame}}
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
