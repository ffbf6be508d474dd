package plugin

import "testing"

// TestDueTake: the ticks a message carries, the warning and the next
// wake time, for a data stream (period 1) and an exemplar stream (period
// 3 or 7), on a 10 ms grid with a message at each tick divisible by 5.
func TestDueTake(t *testing.T) {
	const tick = 10
	tests := []struct {
		name                string
		due                 due   // tick is set by the test
		nowTick             int64 // now is this tick's time plus 9 ms, short of the next tick
		first, last, missed int64
		ok                  bool
		next, wake          int64 // after take
	}{
		{name: "on time", due: due{next: 101, per: 5, period: 1, bound: 100}, nowTick: 105,
			first: 101, last: 105, ok: true, next: 106, wake: 1100},
		{name: "a tick short of the message: nothing due yet", due: due{next: 101, per: 5, period: 1, bound: 100}, nowTick: 104,
			next: 101, wake: 1050},
		{name: "woke early", due: due{next: 106, per: 5, period: 1, bound: 100}, nowTick: 109,
			next: 106, wake: 1100},
		{name: "clock stepped back", due: due{next: 106, per: 5, period: 1, bound: 100}, nowTick: 50,
			next: 106, wake: 1100},
		{name: "late, within the bound", due: due{next: 101, per: 5, period: 1, bound: 10}, nowTick: 112,
			first: 101, last: 110, ok: true, next: 111, wake: 1150},
		{name: "one past the bound", due: due{next: 101, per: 5, period: 1, bound: 9}, nowTick: 112,
			first: 102, last: 110, missed: 10, ok: true, next: 111, wake: 1150},
		{name: "bound hit: the latest bound ticks", due: due{next: 101, per: 5, period: 1, bound: 10}, nowTick: 120,
			first: 111, last: 120, missed: 20, ok: true, next: 121, wake: 1250},
		{name: "bound hit again: no second warning", due: due{next: 101, per: 5, period: 1, bound: 10, skipped: true}, nowTick: 120,
			first: 111, last: 120, ok: true, next: 121, wake: 1250},
		{name: "period 3 on time", due: due{next: 101, per: 5, period: 3, bound: 2}, nowTick: 105,
			first: 101, last: 105, ok: true, next: 106, wake: 1100},
		{name: "period 3 woke early", due: due{next: 106, per: 5, period: 3, bound: 2}, nowTick: 108,
			next: 106, wake: 1100},
		{name: "period 3 clock stepped back", due: due{next: 106, per: 5, period: 3, bound: 2}, nowTick: 3,
			next: 106, wake: 1100},
		// 101 … 110 are ten ticks but three periods (102, 105, 108): within a bound of 3.
		{name: "period 3: the bound counts periods, not ticks", due: due{next: 101, per: 5, period: 3, bound: 3}, nowTick: 110,
			first: 101, last: 110, ok: true, next: 111, wake: 1150},
		{name: "period 3 one past the bound", due: due{next: 101, per: 5, period: 3, bound: 2}, nowTick: 110,
			first: 105, last: 110, missed: 3, ok: true, next: 111, wake: 1150},
		// 102 … 120 hold seven periods; the latest two are 117 and 120.
		{name: "period 3 bound hit", due: due{next: 101, per: 5, period: 3, bound: 2}, nowTick: 120,
			first: 117, last: 120, missed: 7, ok: true, next: 121, wake: 1250},
		{name: "period 3 bound hit again", due: due{next: 101, per: 5, period: 3, bound: 2, skipped: true}, nowTick: 120,
			first: 117, last: 120, ok: true, next: 121, wake: 1250},
		// No tick divisible by 7 in 106 … 110: due, with nothing to bound;
		// the next period tick, 112, goes with the message at 115.
		{name: "period 7: no period tick in the range", due: due{next: 106, per: 5, period: 7, bound: 1}, nowTick: 110,
			first: 106, last: 110, ok: true, next: 111, wake: 1150},
		// The next period tick is 119, carried by the message at 120: the
		// message at 115 has nothing of it and is slept through.
		{name: "period 7: wake at the message of the next period tick", due: due{next: 113, per: 5, period: 7, bound: 1}, nowTick: 109,
			next: 113, wake: 1200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.due
			d.tick = tick
			first, last, missed, ok := d.take(tt.nowTick*tick + tick - 1)
			if ok != tt.ok || ok && (first != tt.first || last != tt.last || missed != tt.missed) {
				t.Errorf("take = %d … %d, missed %d, %v; want %d … %d, missed %d, %v", first, last, missed, ok, tt.first, tt.last, tt.missed, tt.ok)
			}
			if d.next != tt.next || d.wake() != tt.wake {
				t.Errorf("next %d, wake %d after take; want %d, %d", d.next, d.wake(), tt.next, tt.wake)
			}
			if hit := tt.missed > 0 || tt.due.skipped; d.skipped != hit {
				t.Errorf("skipped %v, want %v", d.skipped, hit)
			}
		})
	}
}

// TestDueStalls follows one stream through two stalls, on time between
// them, for both periods: the first stall warns and the second does not,
// both send the latest bound periods only, and no tick is carried twice
// or out of order.
func TestDueStalls(t *testing.T) {
	const tick, per = 10, 5
	type step struct{ nowTick, first, missed int64 } // each message's last tick is nowTick
	for _, c := range []struct {
		period, bound int64
		steps         []step
	}{
		{period: 1, bound: 5, steps: []step{
			{1005, 1001, 0}, {1010, 1006, 0},
			{1100, 1096, 90}, // 1011 … 1100 fell due
			{1105, 1101, 0},
			{1300, 1296, 0}, // stalled again: bounded, no second warning
			{1305, 1301, 0},
		}},
		{period: 3, bound: 4, steps: []step{
			{1005, 1001, 0}, {1010, 1006, 0},
			{1100, 1089, 30}, // 1011, 1014 … 1098 fell due; the latest four start at 1089
			{1105, 1101, 0},
			{1300, 1290, 0}, // 1107 … 1299; the latest four start at 1290
			{1305, 1301, 0},
		}},
	} {
		d := newDue(1000*tick, tick, per, c.period, c.bound)
		prevLast := d.next - 1
		for i, st := range c.steps {
			first, last, missed, ok := d.take(st.nowTick * tick)
			if !ok || first != st.first || last != st.nowTick || missed != st.missed {
				t.Errorf("period %d, step %d: take = %d … %d, missed %d, %v; want %d … %d, missed %d", c.period, i, first, last, missed, ok, st.first, st.nowTick, st.missed)
			}
			if first <= prevLast {
				t.Errorf("period %d, step %d: first %d repeats the previous message's last %d", c.period, i, first, prevLast)
			}
			prevLast = last
		}
	}
}

// TestDueTakeDoesNotAllocate: take runs for every message of every
// stream, so it must cost no allocation, warning included (the caller
// logs).
func TestDueTakeDoesNotAllocate(t *testing.T) {
	for _, period := range []int64{1, 3} {
		d := newDue(10_000, 10, 5, period, 2)
		now, calls := int64(10_000), 0
		if allocs := testing.AllocsPerRun(100, func() {
			calls++
			now += 50
			if calls%10 == 0 {
				now += 10_000 // a stall past the bound: the first one warns
			}
			d.take(now)
		}); allocs != 0 {
			t.Errorf("period %d: %v allocations per take", period, allocs)
		}
	}
}
