package plugin

import (
	"testing"
	"time"
)

// TestHandoverTicks: at 10 ms and 20 messages a second a message carries
// 5 ticks and ends at a tick divisible by 5.
func TestHandoverTicks(t *testing.T) {
	cases := []struct {
		name      string
		got, want int64
	}{
		{"history, every tick a message: the last tick", liveHistoryEnd(99, 99, 1), 99},
		{"history mid-batch: the last message tick", liveHistoryEnd(103, 103, 5), 100},
		{"history on a message tick: that tick", liveHistoryEnd(105, 105, 5), 105},
		{"history of a range ending before the last message tick: the message tick before its end", liveHistoryEnd(97, 103, 5), 95},
		{"history of a range ending just before a message tick now going out: the one before", liveHistoryEnd(244, 245, 5), 240},
		{"history before the epoch", liveHistoryEnd(-3, -3, 5), -5},
		{"stream, slow ticks: the next tick", firstStreamedTick(12_345, 1000, 1), 13},
		{"stream mid-batch: after the last message tick", firstStreamedTick(1_035, 10, 5), 101},
		{"stream on a message tick: the batch after it", firstStreamedTick(1_050, 10, 5), 106},
		{"stream before the epoch", firstStreamedTick(-1, 10, 5), -4},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestQueryHistoryEndsAtAMessageTick: the history of a live range at a
// fast tick ends at the last tick a message carried (so that the next
// message continues it), and a range in the past ends at its own last tick.
func TestQueryHistoryEndsAtAMessageTick(t *testing.T) {
	d := newTestDatasource(t, "") // maxMessageRate 20: at 10 ms, 5 ticks a message
	pinClock(d)                   // pinnedNow is 535.9 ms into its second: tick 53, message tick 50
	const query = `{"tickInterval":10}`
	live := queryFrame(t, d, query, 1000, pinnedNow.Add(-time.Second), pinnedNow)
	times := live.Fields[0]
	if live.Meta.Channel == "" {
		t.Fatal("the range ending now is not live")
	}
	if got, want := times.At(times.Len()-1).(time.Time), pinnedNow.Truncate(50*time.Millisecond); !got.Equal(want) {
		t.Errorf("live history ends at %v, want the last message tick %v", got, want)
	}
	past := queryFrame(t, d, query, 1000, pinnedNow.Add(-time.Hour-time.Second), pinnedNow.Add(-time.Hour))
	times = past.Fields[0]
	if past.Meta.Channel != "" {
		t.Fatal("the range an hour ago is live")
	}
	if got, want := times.At(times.Len()-1).(time.Time), pinnedNow.Add(-time.Hour).Truncate(10*time.Millisecond); !got.Equal(want) {
		t.Errorf("past history ends at %v, want its own last tick %v", got, want)
	}
}
