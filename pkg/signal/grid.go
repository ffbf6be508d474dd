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
