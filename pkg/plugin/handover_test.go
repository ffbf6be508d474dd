package plugin

import (
	"testing"
	"time"
)

func TestLiveHistoryEnd(t *testing.T) {
	cases := []struct {
		name                      string
		last, nowTick, perMessage int64
		want                      int64
	}{
		{"every tick a message", 99, 99, 1, 99},
		{"mid-batch: the last message tick", 103, 103, 5, 100},
		{"on a message tick", 105, 105, 5, 105},
		{"a range ending before the last message tick", 97, 103, 5, 97},
		{"before the epoch", -3, -3, 5, -5},
	}
	for _, c := range cases {
		if got := liveHistoryEnd(c.last, c.nowTick, c.perMessage); got != c.want {
			t.Errorf("%s: liveHistoryEnd(%d, %d, %d) = %d, want %d", c.name, c.last, c.nowTick, c.perMessage, got, c.want)
		}
	}
}

func TestFirstStreamedTick(t *testing.T) {
	cases := []struct {
		name             string
		nowMs, tick, per int64
		want             int64
	}{
		{"slow ticks: the next tick", 12_345, 1000, 1, 13},
		{"mid-batch: after the last message tick", 1_035, 10, 5, 101},
		{"on a message tick: the batch after it", 1_050, 10, 5, 106},
		{"before the epoch", -1, 10, 5, -4},
	}
	for _, c := range cases {
		if got := firstStreamedTick(c.nowMs, c.tick, c.per); got != c.want {
			t.Errorf("%s: firstStreamedTick(%d, %d, %d) = %d, want %d", c.name, c.nowMs, c.tick, c.per, got, c.want)
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
