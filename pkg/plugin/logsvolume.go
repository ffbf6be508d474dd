package plugin

import (
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

const (
	// maxVolumeLines bounds the lines one logs volume counts: a line's
	// level is one hash, about 10 ns, so this is a fraction of a second.
	// Counting is exact or refused, never estimated.
	maxVolumeLines = 50_000_000
	// maxVolumeBuckets bounds the bars of one logs volume whatever the
	// caller asks (maxDataPoints, defaultMaxDataPoints when absent); a
	// wider range gets wider bars.
	maxVolumeBuckets = 10_000
)

// logsVolume answers Explore's logs volume query (queryType logsVolume)
// for a query of kind logs: one frame per level that occurs, with a time
// field and a "value" field labelled level=<name>, counting the lines of
// every tick in the range (from ≤ t ≤ min(to, now), as history), all
// series together, in bars of whole ticks aligned to the epoch, about the
// request's interval wide. The lines are those history and the stream
// show (signal.Generator.LevelIndex is Severity's level), so the
// histogram counts exactly them; history thins a long range, the volume
// never does.
func (d *Datasource) logsVolume(dq backend.DataQuery, q models.Query, now time.Time) backend.DataResponse {
	if q.Kind != models.SignalLogs {
		return userError("queryType " + models.QueryTypeLogsVolume + " counts log lines, and kind " + string(q.Kind) +
			" has none: set kind to logs")
	}
	end := dq.TimeRange.To
	if end.After(now) {
		end = now
	}
	first := signal.FirstTickAtOrAfter(ceilMs(dq.TimeRange.From), q.TickInterval)
	last := signal.LastTickAtOrBefore(floorMs(end), q.TickInterval)
	if first > last {
		return backend.DataResponse{Frames: []*data.Frame{}}
	}
	ticks := last - first + 1
	if ticks > maxVolumeLines/q.Series {
		return userError("the logs volume would count " + strconv.FormatInt(ticks, 10) + " ticks of " + strconv.FormatInt(q.Series, 10) +
			" series, more than " + strconv.Itoa(maxVolumeLines) + " lines: shorten the range, raise tickInterval or lower series")
	}
	buckets := dq.MaxDataPoints
	if buckets <= 0 {
		buckets = defaultMaxDataPoints
	}
	buckets = min(buckets, maxVolumeBuckets)
	width := max(1, (dq.Interval.Milliseconds()+q.TickInterval-1)/q.TickInterval, (ticks+buckets-1)/buckets) // ticks per bar
	// Bar b holds the ticks b × width … (b + 1) × width − 1: the grid of
	// bars is the tick grid's, counted in bars.
	firstBar, lastBar := signal.LastTickAtOrBefore(first, width), signal.LastTickAtOrBefore(last, width)
	bars := lastBar - firstBar + 1
	levels := signal.LogLevels()
	counts := make([][]float64, len(levels))
	for j := range counts {
		counts[j] = make([]float64, bars)
	}
	gen := signal.New(q)
	for k := first; k <= last; k++ {
		if !gen.HasRow(k) {
			continue
		}
		bar := signal.LastTickAtOrBefore(k, width) - firstBar
		for s := int64(1); s <= q.Series; s++ {
			if !gen.Dropped(s, k) {
				counts[gen.LevelIndex(s, k)][bar]++
			}
		}
	}
	times := make([]time.Time, bars)
	for b := range times {
		times[b] = time.UnixMilli(signal.TickTime((firstBar+int64(b))*width, q.TickInterval)).UTC()
	}
	frames := make([]*data.Frame, 0, len(levels))
	for j, level := range levels {
		total := 0.0
		for _, c := range counts[j] {
			total += c
		}
		if total == 0 {
			continue
		}
		frame := data.NewFrame(frameName,
			data.NewField("time", nil, times),
			data.NewField("value", data.Labels{"level": level}, counts[j]))
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	return backend.DataResponse{Frames: frames}
}
