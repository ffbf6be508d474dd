package signal

import (
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

func faults(failPercent float64, delay, jitter int64) models.Faults {
	f := models.DefaultFaults()
	f.FailPercent, f.QueryDelay, f.QueryDelayJitter = failPercent, delay, jitter
	return f
}

func TestEvaluationTick(t *testing.T) {
	for _, c := range []struct{ end, tick, want int64 }{
		{0, 1000, 0}, {999, 1000, 0}, {1000, 1000, 1}, {-1, 1000, -1}, {1_773_500_966_535, 10_000, 177_350_096},
	} {
		if got := EvaluationTick(c.end, c.tick); got != c.want {
			t.Errorf("EvaluationTick(%d, %d) = %d, want %d", c.end, c.tick, got, c.want)
		}
	}
}

// TestEvaluationFails: 0 % never fails, 100 % always, 50 % about half of
// the evaluation times and the same ones on every call, and a higher
// percent fails at every time a lower one does, and more.
func TestEvaluationFails(t *testing.T) {
	q := models.DefaultQuery()
	const n = 20_000
	count := func(p float64) int {
		c := 0
		for k := range int64(n) {
			if EvaluationFails(q, faults(p, 0, 0), k) {
				c++
			}
		}
		return c
	}
	if c := count(0); c != 0 {
		t.Errorf("failPercent 0 failed %d times", c)
	}
	if c := count(100); c != n {
		t.Errorf("failPercent 100 failed %d of %d times", c, n)
	}
	if c := count(50); c < n*47/100 || c > n*53/100 {
		t.Errorf("failPercent 50 failed %d of %d times", c, n)
	}
	for k := range int64(2000) {
		if EvaluationFails(q, faults(20, 0, 0), k) && !EvaluationFails(q, faults(30, 0, 0), k) {
			t.Fatalf("time %d fails at 20 %% but not at 30 %%", k)
		}
	}
	other := q
	other.Seed = 1
	same := 0
	for k := range int64(1000) {
		if EvaluationFails(q, faults(50, 0, 0), k) == EvaluationFails(other, faults(50, 0, 0), k) {
			same++
		}
	}
	if same > 600 || same < 400 {
		t.Errorf("seeds 0 and 1 agree at %d of 1000 times: the seed does not pick the schedule", same)
	}
}

// TestEvaluationDelay: queryDelay plus 0 … queryDelayJitter, all of them
// reached, the same on every call.
func TestEvaluationDelay(t *testing.T) {
	q := models.DefaultQuery()
	if got := EvaluationDelay(q, faults(0, 1500, 0), 42); got != 1500 {
		t.Errorf("no jitter: %d, want 1500", got)
	}
	seen := map[int64]bool{}
	for k := range int64(5000) {
		d := EvaluationDelay(q, faults(0, 100, 10), k)
		if d < 100 || d > 110 {
			t.Fatalf("delay %d outside 100 … 110", d)
		}
		if d != EvaluationDelay(q, faults(0, 100, 10), k) {
			t.Fatal("two calls disagree")
		}
		seen[d] = true
	}
	if len(seen) != 11 {
		t.Errorf("delays %v: not every value of 100 … 110", seen)
	}
	for k := range int64(1000) {
		if d := EvaluationDelay(q, faults(0, 60000, 60000), k); d < 60000 || d > 120000 {
			t.Fatalf("delay %d outside 60000 … 120000", d)
		}
	}
}
