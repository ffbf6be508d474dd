package main

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/models"
)

// dataOnlyFrame encodes rows at the tick times ks (× tick ms) as the plugin
// sends them: a data-only frame of time and n value fields.
func dataOnlyFrame(t *testing.T, tick int64, n int, ks []int64, value float64) []byte {
	t.Helper()
	times := make([]time.Time, len(ks))
	for i, k := range ks {
		times[i] = time.UnixMilli(k * tick).UTC()
	}
	fields := []*data.Field{data.NewField("time", nil, times)}
	for range n {
		vals := make([]float64, len(ks))
		for i := range vals {
			vals[i] = value
		}
		fields = append(fields, data.NewField("value", nil, vals))
	}
	b, err := data.FrameToJSON(data.NewFrame("response", fields...), data.IncludeDataOnly)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPacketCounts: the soak's checker counts what it must, so that a
// clean soak means something.
func TestPacketCounts(t *testing.T) {
	q := models.DefaultQuery()
	q.TickInterval, q.Series = 250, 2
	s := &soakStream{q: q, perMsg: 1}
	const base = 6_800_000_000 // a tick index in 2023
	for _, ks := range [][]int64{{base}, {base + 1, base + 2}, {base + 5}, {base + 5}, {base + 4}, {base + 6}} {
		s.packet(dataOnlyFrame(t, q.TickInterval, 2, ks, 50))
	}
	s.packet(dataOnlyFrame(t, q.TickInterval, 2, []int64{base + 7}, 101)) // out of limits, twice (2 series)
	s.packet(dataOnlyFrame(t, q.TickInterval, 1, []int64{base + 8}, 50))  // a series short
	s.packet([]byte(`{"data":`))
	if s.rows != 6 || s.missing != 2 || s.repeated != 2 || s.outOfLimits != 2 || s.badMessages != 2 {
		t.Fatalf("rows %d missing %d repeated %d out of limits %d bad %d; want 6 2 2 2 2 (%s)",
			s.rows, s.missing, s.repeated, s.outOfLimits, s.badMessages, s.firstBad)
	}
	if s.first != base*250 || s.last != (base+7)*250 {
		t.Fatalf("first %d last %d", s.first, s.last)
	}

	// Off the grid, and a batch that does not end on the batch grid.
	s = &soakStream{q: q, perMsg: 4}
	s.packet([]byte(`{"data":{"values":[[1000,1125,1250],[1,2,3],[3,4,5]]}}`))
	if s.offGrid != 1 || s.badMessages != 1 {
		t.Fatalf("off grid %d, bad %d (%s); want 1 and 1", s.offGrid, s.badMessages, s.firstBad)
	}
}

// TestVerdict: a stream whose rows start long after RunStream or stop long
// before the end is flagged.
func TestVerdict(t *testing.T) {
	q := models.DefaultQuery() // 1000 ms
	started := time.UnixMilli(1_700_000_000_500)
	stop := started.Add(time.Minute)
	s := &soakStream{q: q, perMsg: 1, started: started, rows: 60, first: 1_700_000_001_000, last: 1_700_000_060_000}
	if v := s.verdict(stop, time.Second, time.Second); v.headLate || !v.tailOK || v.gridTicks != 60 {
		t.Fatalf("a full stream: %+v", v)
	}
	s.first = 1_700_000_010_000
	if v := s.verdict(stop, time.Second, time.Second); !v.headLate {
		t.Fatalf("a late start: %+v", v)
	}
	s.first, s.last = 1_700_000_001_000, 1_700_000_050_000
	if v := s.verdict(stop, time.Second, time.Second); v.tailOK {
		t.Fatalf("an early stop: %+v", v)
	}
}
