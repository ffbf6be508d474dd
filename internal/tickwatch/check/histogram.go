package check

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Histogram counts latencies in microseconds in log-linear buckets: exact
// below 128 µs, then 64 buckets per power of two (within 1.6 %), up to
// about 2^40 µs (12 days). Record is one atomic add, so thousands of
// viewers can share one without a lock.
type Histogram struct {
	buckets [histBuckets]atomic.Uint64
	count   atomic.Uint64
	max     atomic.Int64 // µs
}

const (
	subBits     = 6 // 64 buckets per power of two
	maxExponent = 34
	histBuckets = (maxExponent+2)<<subBits + 1
)

// bucket is the bucket index of v µs (v ≥ 0).
func bucket(v int64) int {
	e := max(0, bits.Len64(uint64(v))-(subBits+1)) // #nosec G115 -- v ≥ 0: Record clamps a negative latency to 0
	if e > maxExponent {
		return histBuckets - 1
	}
	return e<<subBits + int(v>>e)
}

// upper is the largest value in bucket i, in µs.
func upper(i int) int64 {
	if i < 2<<subBits {
		return int64(i)
	}
	e := i>>subBits - 1
	return (int64(i-e<<subBits)+1)<<e - 1
}

// Record counts one latency; a negative one (the client's clock ahead of
// the server's) counts as 0.
func (h *Histogram) Record(d time.Duration) {
	us := max(0, d.Microseconds())
	h.buckets[bucket(us)].Add(1)
	h.count.Add(1)
	h.raiseMax(us)
}

func (h *Histogram) raiseMax(us int64) {
	for {
		m := h.max.Load()
		if us <= m || h.max.CompareAndSwap(m, us) {
			return
		}
	}
}

// Add adds o's counts to h.
func (h *Histogram) Add(o *Histogram) {
	for i := range o.buckets {
		if n := o.buckets[i].Load(); n > 0 {
			h.buckets[i].Add(n)
		}
	}
	h.count.Add(o.count.Load())
	h.raiseMax(o.max.Load())
}

// Count is how many latencies were recorded.
func (h *Histogram) Count() uint64 { return h.count.Load() }

// Max is the largest latency recorded.
func (h *Histogram) Max() time.Duration { return time.Duration(h.max.Load()) * time.Microsecond }

// Quantile is the latency that a fraction q (0 to 1) of the recorded ones
// do not exceed, as the upper end of its bucket (never above Max); 0 when
// nothing was recorded.
func (h *Histogram) Quantile(q float64) time.Duration {
	n := h.count.Load()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	rank = min(max(rank, 1), n)
	var seen uint64
	for i := range h.buckets {
		seen += h.buckets[i].Load()
		if seen >= rank {
			return min(time.Duration(upper(i))*time.Microsecond, h.Max())
		}
	}
	return h.Max()
}
