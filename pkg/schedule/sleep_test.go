package schedule

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkSleepLateness measures how late sleep wakes against time.Sleep,
// the strategy without a system call of Tickstream's own: the clock sleeps
// the last 2 ms (precise) before a tick this way, so this lateness is what
// a tick's wake-up adds. Reported as the p50 and p99 of the lateness, in
// µs, of sleeps of 1.5 ms.
func BenchmarkSleepLateness(b *testing.B) {
	for _, c := range []struct {
		name  string
		sleep func(time.Duration)
	}{{"sleep", sleep}, {"time.Sleep", time.Sleep}} {
		b.Run(c.name, func(b *testing.B) {
			const d = 1500 * time.Microsecond
			var late []time.Duration
			for b.Loop() {
				t0 := time.Now()
				c.sleep(d)
				late = append(late, time.Since(t0)-d)
			}
			slices.Sort(late)
			q := func(p float64) float64 { return float64(late[int(p*float64(len(late)-1))].Nanoseconds()) / 1e3 }
			b.ReportMetric(q(0.5), "µs-late-p50")
			b.ReportMetric(q(0.99), "µs-late-p99")
		})
	}
}
