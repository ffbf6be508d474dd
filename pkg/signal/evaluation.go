package signal

import (
	mathbits "math/bits"

	"github.com/tickstream/streaming/pkg/models"
)

// Salts of the evaluation streams: the next digits of π after seriesSalt,
// unused by the value streams, so failures and delays are independent of
// the values and of each other.
const (
	failSalt  = 0x13198A2E03707344 // which evaluation times fail (failPercent)
	delaySalt = 0xA4093822299F31D0 // each evaluation time's delay jitter
)

// EvaluationTick is the evaluation time of a query whose range ends at
// endMs (Unix ms): the end rounded down to the tick grid, so that every
// Grafana instance and every retry that evaluates the query within one
// tick gets the same verdict. Evaluation time k covers the ends from
// k × tickInterval to (k + 1) × tickInterval − 1 ms.
func EvaluationTick(endMs, tickInterval int64) int64 {
	return floorDiv(endMs, tickInterval)
}

// EvaluationFails reports whether q, with faults f, fails at evaluation
// time k: for a failPercent share of the evaluation times, decided by the
// seed and k alone (a hash stream of its own, so raising failPercent only
// adds failing times). failPercent 0 never fails, 100 always does.
func EvaluationFails(q models.Query, f models.Faults, k int64) bool {
	return f.Fails() && U(q.Seed^failSalt, k) < f.FailPercent/100
}

// EvaluationDelay is how long, in ms, QueryData waits before answering q
// at evaluation time k: queryDelay plus a whole number of ms from 0 to
// queryDelayJitter, decided by the seed and k alone.
func EvaluationDelay(q models.Query, f models.Faults, k int64) int64 {
	if f.QueryDelayJitter == 0 {
		return f.QueryDelay
	}
	// The 64-bit hash times jitter + 1, divided by 2^64: uniform over
	// 0 … jitter, and never jitter + 1, which a float product can round to.
	n := uint64(f.QueryDelayJitter) + 1 // #nosec G115 -- validated: 0 to MaxQueryDelay
	jitter, _ := mathbits.Mul64(mix(start(q.Seed^delaySalt)+bits(k)*golden), n)
	return f.QueryDelay + int64(jitter) // #nosec G115 -- jitter < n <= 60001
}
