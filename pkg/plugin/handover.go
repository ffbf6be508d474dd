package plugin

import "github.com/tickstream/streaming/pkg/signal"

// The handover from a panel's history to its live stream. Grafana's merge
// (a StreamingDataFrame per channel in the browser) appends every live row
// after the history without looking at its time, so a tick that is in both
// shows twice and draws the line backwards, and a tick in neither is a gap
// (docs/history-and-live.md). The stream's messages end at the ticks k
// divisible by c = ticksPerMessage, the same for every subscriber; so the
// history of a live range stops at the last such message tick, and a new
// stream starts with the ticks after it. A panel then continues without a
// gap or a repeat whenever it subscribes before the next message goes out
// (within 1000 / maxMessageRate ms), and never sees a tick twice.

// liveHistoryEnd is the last tick a live range's history returns: the last
// message tick at or before both now and last, the range's own last tick
// (the last tick itself when every tick is a message). A range whose end
// the browser took a moment before the plugin's now can end inside a
// batch whose message is only now going out; ending there would give a
// panel that subscribes before it goes out the batch's earlier ticks
// twice, so such a history stops at the message tick before.
func liveHistoryEnd(last, nowTick, perMessage int64) int64 {
	return floorMultiple(min(last, nowTick), perMessage)
}

// firstStreamedTick is the first tick a stream started at nowMs sends: the
// one after the last message tick that has come, so that its first message
// carries a whole batch and continues every live history served since.
func firstStreamedTick(nowMs, tickInterval, perMessage int64) int64 {
	return floorMultiple(signal.LastTickAtOrBefore(nowMs, tickInterval), perMessage) + 1
}
