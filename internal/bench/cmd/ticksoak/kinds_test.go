package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
)

// message writes the data-only frame of ticks ks of a one-series number
// query, with null where null(k) says.
func message(tick int64, ks []int64, null func(k int64) bool) []byte {
	var times, values []string
	for _, k := range ks {
		times = append(times, strconv.FormatInt(k*tick, 10))
		if null(k) {
			values = append(values, "null")
		} else {
			values = append(values, "50")
		}
	}
	return []byte(`{"data":{"values":[[` + strings.Join(times, ",") + `],[` + strings.Join(values, ",") + `]]}}`)
}

// TestGapsChecks: the soak counts a null where dropPercent keeps the
// point, and the reverse, and does not count the ticks of an outage as
// missing, so that a clean soak of the gaps kinds means something.
func TestGapsChecks(t *testing.T) {
	q := models.DefaultQuery()
	q.TickInterval, q.DropPercent = 100, 50
	gen := signal.New(q)
	ks := []int64{17_000_000_000, 17_000_000_001, 17_000_000_002, 17_000_000_003, 17_000_000_004, 17_000_000_005}
	s := &soakStream{q: q, perMsg: 1}
	for _, k := range ks {
		s.packet(message(q.TickInterval, []int64{k}, func(k int64) bool { return gen.Dropped(1, k) }))
	}
	if s.wrongNulls != 0 || s.rows != 6 || s.badMessages != 0 {
		t.Fatalf("the right nulls: wrong %d, rows %d, bad %d (%s)", s.wrongNulls, s.rows, s.badMessages, s.firstBad)
	}
	s = &soakStream{q: q, perMsg: 1}
	s.packet(message(q.TickInterval, ks, func(int64) bool { return false }))
	dropped := 0
	for _, k := range ks {
		if gen.Dropped(1, k) {
			dropped++
		}
	}
	if dropped == 0 || s.wrongNulls != int64(dropped) {
		t.Fatalf("no nulls: %d wrong, want the %d dropped points", s.wrongNulls, dropped)
	}

	q = models.DefaultQuery()
	q.TickInterval, q.OutagePeriod, q.OutageDuration = 100, 1000, 300 // ticks 0-2 of every 10 have no row
	s = &soakStream{q: q, perMsg: 1}
	never := func(int64) bool { return false }
	s.packet(message(100, []int64{17_000_000_008, 17_000_000_009}, never))
	s.packet(message(100, []int64{17_000_000_013}, never)) // 10-12 are in the outage
	if s.missing != 0 || s.badMessages != 0 || s.rows != 3 {
		t.Fatalf("across an outage: missing %d, bad %d (%s), rows %d", s.missing, s.badMessages, s.firstBad, s.rows)
	}
	s.packet(message(100, []int64{17_000_000_015}, never)) // 14 is not
	if s.missing != 1 {
		t.Fatalf("a tick lost outside an outage: missing %d, want 1", s.missing)
	}
	if v := s.verdict(time.UnixMilli(17_000_000_015*100), 0, 0); v.gridTicks != 5 {
		t.Fatalf("grid ticks from 8 to 15 outside the outage: %d, want 5", v.gridTicks)
	}
}
