package signal

// The grid: tick k of a query lies at k × tickInterval ms since the Unix
// epoch. Times are Unix milliseconds; tickInterval must be positive (a
// validated query's is at least 1).

// TickTime returns the Unix time in ms of tick k.
func TickTime(k, tickInterval int64) int64 {
	return k * tickInterval
}

// FirstTickAtOrAfter returns the index of the earliest tick at or after t.
func FirstTickAtOrAfter(t, tickInterval int64) int64 {
	return ceilDiv(t, tickInterval)
}

// LastTickAtOrBefore returns the index of the latest tick at or before t.
func LastTickAtOrBefore(t, tickInterval int64) int64 {
	return floorDiv(t, tickInterval)
}

// floorDiv divides rounding toward -Inf; Go's / rounds toward zero, which
// would shift every tick before 1970 by one.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// ceilDiv divides rounding toward +Inf.
func ceilDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) == (b < 0) {
		q++
	}
	return q
}

// Thin picks the ticks of first..last (inclusive) to show when at most
// limit points fit: every step-th tick with k divisible by step, where step
// = ceil(n / limit) for the n ticks in range. Anchoring on multiples of step
// rather than on first keeps the kept ticks in place as the range slides.
// It returns the first kept tick, the step and how many are kept (0 when
// the range is empty). limit must be positive.
func Thin(first, last, limit int64) (start, step, count int64) {
	if first > last {
		return 0, 1, 0
	}
	n := last - first + 1
	step = ceilDiv(n, limit)
	start = ceilDiv(first, step) * step
	if start > last {
		return start, step, 0
	}
	return start, step, (last-start)/step + 1
}

// Span is the most ticks of interval ms that a range of length ms (its
// end less its start; both ends in it) can hold, wherever it falls: one
// more than the whole intervals in its length, 0 for a negative length.
// The ticks that do fall in a range depend on where it falls (a range of
// 60 s holds 60 ticks of 1 s, or 61 when it starts on one), so what is
// sized by Span stays the same at every refresh of a sliding range.
func Span(length, interval int64) int64 {
	if length < 0 {
		return 0
	}
	return length/interval + 1
}
