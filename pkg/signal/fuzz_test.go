package signal

import (
	"math"
	"testing"
)

// timeBoundMs is the ECMAScript time range QueryData clamps every range
// to (±8.64e15 ms around the epoch).
const timeBoundMs = 8_640_000_000_000_000

// FuzzThin checks the history's grid and thinning arithmetic over every
// range QueryData can pass it (times within ±8.64e15 ms, ticks from 1 ms
// to 24 h, point limits from 1 to 10000): no overflow, at most limit
// points, all of them on the grid, inside the range, on multiples of the
// step, and none of the range's ticks left out of the step's reach.
func FuzzThin(f *testing.F) {
	for _, c := range []struct{ from, to, tick, limit int64 }{
		{0, 60_000, 1000, 1000},
		{1_700_000_000_000, 1_700_000_900_000, 10, 1000},
		{-timeBoundMs, timeBoundMs, 1, 10000}, // the widest range at the smallest tick
		{-timeBoundMs, timeBoundMs, 86_400_000, 1},
		{1_700_000_000_000 - 100*365*86_400_000, 1_700_000_000_000, 10, 10000}, // 100 years at 10 ms
		{5, 5, 10, 1000}, // no grid point
		{10, 0, 1, 1000}, // inverted
		{-5, 5, 1, 5},    // across the epoch
		{-1, -1, 86_400_000, 1},
		{math.MinInt64, math.MaxInt64, 1, 1}, // clamped below
	} {
		f.Add(c.from, c.to, c.tick, c.limit)
	}
	f.Fuzz(func(t *testing.T, from, to, tick, limit int64) {
		from = clampTo(from, -timeBoundMs, timeBoundMs)
		to = clampTo(to, -timeBoundMs, timeBoundMs)
		tick = 1 + abs64(tick)%86_400_000
		limit = 1 + abs64(limit)%10_000

		first := FirstTickAtOrAfter(from, tick)
		last := LastTickAtOrBefore(to, tick)
		if ft := TickTime(first, tick); ft < from || ft-tick >= from {
			t.Fatalf("first tick %d (t=%d) is not the first at or after %d for tick %d", first, ft, from, tick)
		}
		if lt := TickTime(last, tick); lt > to || lt+tick <= to {
			t.Fatalf("last tick %d (t=%d) is not the last at or before %d for tick %d", last, lt, to, tick)
		}
		span := Span(to-from, tick)
		if first <= last && span < last-first+1 {
			t.Fatalf("Span(%d, %d) = %d, fewer than the %d ticks in %d..%d", to-from, tick, span, last-first+1, from, to)
		}
		start, step, count := Thin(first, last, limit)
		if count < 0 || count > limit || step < 1 {
			t.Fatalf("Thin(%d, %d, %d) = %d, %d, %d: bad step or count", first, last, limit, start, step, count)
		}
		if count == 0 {
			if first <= last && last-first+1 >= step {
				t.Fatalf("Thin(%d, %d, %d) kept nothing of %d ticks with step %d", first, last, limit, last-first+1, step)
			}
			return
		}
		end := start + (count-1)*step
		if start < first || end > last || start%step != 0 {
			t.Fatalf("Thin(%d, %d, %d) = %d, %d, %d: kept ticks %d..%d outside the range or off the step", first, last, limit, start, step, count, start, end)
		}
		// Every step-th multiple in range is kept: none before start or after end.
		if start-step >= first || end+step <= last {
			t.Fatalf("Thin(%d, %d, %d) = %d, %d, %d: left out a multiple of the step", first, last, limit, start, step, count)
		}
	})
}

func clampTo(x, lo, hi int64) int64 { return min(max(x, lo), hi) }

func abs64(x int64) int64 {
	if x < 0 {
		if x == math.MinInt64 {
			return math.MaxInt64
		}
		return -x
	}
	return x
}
