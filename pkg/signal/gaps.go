package signal

import "math"

// HasRow reports whether tick k has a row at all: false inside an outage,
// the first outageDuration ms of every outagePeriod counted from the Unix
// epoch, where history has no rows and the stream sends nothing.
func (g *Generator) HasRow(k int64) bool {
	c := &g.g
	return c.outagePeriod == 0 || floorMod(k*c.tick, c.outagePeriod) >= c.outageDuration
}

// Dropped reports whether series i's point at tick k is null (a missing
// line, for log lines): true for a dropPercent share of the points,
// decided by the seed, the series and the tick alone.
func (g *Generator) Dropped(i, k int64) bool {
	c := &g.g
	return c.drop != 0 && unit(g.streams[i-1].drop, k) < c.drop
}

// HasNulls reports whether any point may be null, so that the value
// fields are nullable.
func (g *Generator) HasNulls() bool {
	return g.g.drop != 0
}

// csvValue is values[(k + i − 1) mod n]: series i is the list shifted by
// i − 1 ticks, so that the series differ. The values lie within the
// limits (validation refuses others), so without noise they are exact;
// noise adds the jitter of every shape and is clamped to the limits.
func (g gen) csvValue(s streams, i, k int64) float64 {
	v := g.values[floorMod(k+i-1, int64(len(g.values)))]
	if g.noise == 0 {
		return v
	}
	v += g.noise * g.span * (2*unit(s.jitter, k) - 1)
	return math.Min(math.Max(v, g.lower), g.upper)
}
