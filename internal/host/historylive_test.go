package host

import (
	"strings"
	"testing"
	"time"
)

// TestHistoryThenLiveAtFastTicks follows panels opening at a 10 ms tick as
// Grafana drives the plugin: QueryData for the last second, then
// SubscribeStream and RunStream for the response's meta.channel, then a
// second panel's QueryData while the stream runs. Grafana's merge appends
// live rows to the history without looking at their times
// (src/historyAndLive.test.ts), so the plugin must never send a panel a
// tick its history holds: the first live tick comes after the history's
// last, and a running stream's messages never straddle a history's end, so
// a joining panel continues with the next tick (docs/history-and-live.md).
// The subscribe reply holds no rows, since the browser keeps it and
// replays it to later panels.
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

	// A second panel joins the running stream: its history ends where one
	// of the stream's messages ends, so whichever message it gets first
	// holds only later ticks, and the next message starts right after it.
	now := time.Now()
	r = queryOne(t, p, ds, Query{RefID: "A", JSON: queryJSON(t, tick, 0, 1, 5),
		From: now.Add(-time.Second), To: now, MaxDataPoints: 1000})
	joined, _ := oneSeries(t, "the joining panel's history", r)
	end := joined.times[len(joined.times)-1]
	later := collect(t, s, schema, 300*time.Millisecond)
	checkTicks(t, append(live, later...), tick, 0, 1)
	// A message after a stall (a loaded machine) carries every missed
	// batch at once, as DEVELOPERS.md's Streams says, and so may cross a
	// history end: the one case the handover leaves open. Only messages of
	// at most one batch are held to it.
	perMessage := int(ceilDiv(1000, 20*tick)) // c at defaultDS's maxMessageRate of 20
	rows := map[int]int{}
	for _, pt := range later {
		rows[pt.packet]++
	}
	startsAfter, stalled := false, false
	for i, pt := range later {
		newPacket := i == 0 || later[i-1].packet != pt.packet
		if rows[pt.packet] > perMessage {
			stalled = true
			continue
		}
		if newPacket && pt.t == end+tick {
			startsAfter = true
		}
		if i > 0 && !newPacket && later[i-1].t <= end && pt.t > end {
			t.Fatalf("a message carries ticks %d and %d, across the joining panel's history end %d: a panel subscribed when it went out shows the ticks up to %d twice",
				later[i-1].t, pt.t, end, end)
		}
	}
	if !startsAfter && !stalled {
		t.Errorf("no message starts with tick %d, right after the joining panel's history end %d", end+tick, end)
	}
}
