// Package signal computes Tickstream's values: pure functions of the query
// and the tick index, with no generator state, so that history, every
// live stream and every Grafana instance agree point for point.
package signal

import (
	"math"

	"github.com/tickstream/streaming/pkg/models"
)

// golden is 2^64 divided by the golden ratio, SplitMix64's counter step.
const golden = 0x9E3779B97F4A7C15

// mix is SplitMix64's finalizer: a bijection on 64 bits whose output bits
// each depend on every input bit.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// U returns a number in [0, 1) for tick k of the sequence selected by seed:
// the top 53 bits of a SplitMix64-style hash of the seed's own starting
// point advanced k steps. Any k is computed directly, in a few nanoseconds.
func U(seed uint64, k int64) float64 {
	start := mix(seed ^ golden)
	return float64(mix(start+uint64(k)*golden)>>11) * 0x1p-53
}

// Value returns the query's value at tick k: lowerLimit plus the span
// scaled by U, clamped because rounding can land a hair outside the limits.
func Value(q models.Query, k int64) float64 {
	v := q.LowerLimit + (q.UpperLimit-q.LowerLimit)*U(q.Seed, k)
	return math.Min(math.Max(v, q.LowerLimit), q.UpperLimit)
}
