package host

import (
	"strings"
	"testing"
	"time"
)

// TestHistoryThenLiveAtFastTicks follows a panel opening at a 10 ms tick as
// Grafana drives the plugin: QueryData for the last second, then
// SubscribeStream and RunStream for the response's meta.channel. Grafana's
// merge appends live rows to the history without looking at their times
// (src/historyAndLive.test.ts), so the plugin must never send a tick the
// history may hold: the first live tick comes after the history's last, and
// the only ticks in neither are those that fell due between the query and
// the stream's start (docs/history-and-live.md). The subscribe reply holds
// no rows, since the browser keeps it and replays it to later panels.
func TestHistoryThenLiveAtFastTicks(t *testing.T) {
	t.Parallel()
	p := startPlugin(t)
	ds := defaultDS()
	const tick = 10

	queried := time.Now()
	r := queryOne(t, p, ds, Query{RefID: "A", JSON: queryJSON(t, tick, 0, 1, 5),
		From: queried.Add(-time.Second), To: queried, MaxDataPoints: 1000})
	hist, channel := oneSeries(t, "history", r)
	path := strings.TrimPrefix(channel, "ds/tickstream/")
	if path != pathFor(tick, "0", "1", 5) {
		t.Fatalf("meta.channel %q, want ds/tickstream/%s", channel, pathFor(tick, "0", "1", 5))
	}
	if len(hist.times) < 90 {
		t.Fatalf("%d history points for 1 s at a 10 ms tick, want about 100", len(hist.times))
	}
	lastHistory := hist.times[len(hist.times)-1]

	schema, s := openStream(t, p, ds, path) // checks InitialData is the schema
	live := collect(t, s, schema, 500*time.Millisecond)
	if len(live) < 10 {
		t.Fatalf("%d live points in 500 ms at a 10 ms tick", len(live))
	}
	checkTicks(t, live, tick, 0, 1)

	first := live[0].t
	if first <= lastHistory {
		t.Fatalf("the first live tick %d repeats the history, which ends at %d: the panel would show it twice", first, lastHistory)
	}
	// Ticks in neither: at most those due after the history's end up to the
	// stream's start, which came before its first packet arrived.
	missed := (first-lastHistory)/tick - 1
	if limit := (live[0].receivedAt.UnixMilli() - lastHistory) / tick; missed > limit {
		t.Errorf("%d ticks between the history's end %d and the first live tick %d, more than the %d due before the first packet arrived",
			missed, lastHistory, first, limit)
	}
}
