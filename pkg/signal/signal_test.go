package signal

import (
	"math"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

// The golden numbers were computed once by this package and confirmed by an
// independent Python implementation of the same hash; a change here changes
// every dashboard's data, so it must be deliberate.
// query returns the default query with the given tick, limits and seed.
func query(tick int64, lower, upper float64, seed uint64) models.Query {
	q := models.DefaultQuery()
	q.TickInterval, q.LowerLimit, q.UpperLimit, q.Seed = tick, lower, upper, seed
	return q
}

func TestUGolden(t *testing.T) {
	tests := []struct {
		seed uint64
		k    int64
		want float64
	}{
		{0, 0, 0.28176129772258496},
		{0, 1, 0.6524484863740322},
		{0, -1, 0.9701714704688417},
		{1, 0, 0.2668471864940366},
		{42, 1700000000, 0.037377684983345816},
		{models.MaxSeed, 123456789, 0.23280000940517998},
		{7, math.MinInt64, 0.8728382529375692},
		{7, math.MaxInt64, 0.3650719868298742},
	}
	for _, tt := range tests {
		if got := U(tt.seed, tt.k); got != tt.want {
			t.Errorf("U(%d, %d) = %v, want %v", tt.seed, tt.k, got, tt.want)
		}
	}
}

func TestValueGolden(t *testing.T) {
	q := query(1000, -5, 5, 42)
	tests := []struct {
		k    int64
		want float64
	}{
		{0, 1.977363416157777},
		{1, -1.5670807790132657},
		{1700000000, -4.626223150166542},
	}
	for _, tt := range tests {
		if got := Value(q, tt.k); got != tt.want {
			t.Errorf("Value(%+v, %d) = %v, want %v", q, tt.k, got, tt.want)
		}
	}
}

func TestValueStaysWithinLimits(t *testing.T) {
	queries := []models.Query{
		models.DefaultQuery(),
		query(1000, -1e21, 1e21, 3),
		query(1000, 1e-7, 0.000001, 4),
		query(1000, -math.MaxFloat64/2, math.MaxFloat64/2, 5),
		query(1000, 0.1, math.Nextafter(0.1, 1), 6),
	}
	for _, q := range queries {
		for k := int64(-5000); k < 5000; k++ {
			if v := Value(q, k); v < q.LowerLimit || v > q.UpperLimit || math.IsNaN(v) {
				t.Fatalf("Value(%+v, %d) = %v, outside the limits", q, k, v)
			}
		}
	}
}

func TestEqualLimitsGiveAConstant(t *testing.T) {
	q := query(1000, 7, 7, 99)
	for k := int64(0); k < 1000; k++ {
		if v := Value(q, k); v != 7 {
			t.Fatalf("Value(%+v, %d) = %v, want 7", q, k, v)
		}
	}
}

func TestSeedsGiveDifferentSequences(t *testing.T) {
	for seed := uint64(0); seed < 100; seed++ {
		same := 0
		for k := int64(0); k < 100; k++ {
			if U(seed, k) == U(seed+1, k) {
				same++
			}
		}
		if same > 0 {
			t.Errorf("seeds %d and %d agree on %d of 100 ticks", seed, seed+1, same)
		}
	}
}

// TestUIsRoughlyUniform bins a million draws into 20 buckets; a chi-square
// over 19 degrees of freedom above 60 happens by chance with probability
// below 1e-5, and the draws are deterministic anyway.
func TestUIsRoughlyUniform(t *testing.T) {
	const draws, buckets = 1_000_000, 20
	var counts [buckets]int
	for k := int64(0); k < draws; k++ {
		u := U(12345, k)
		if u < 0 || u >= 1 {
			t.Fatalf("U(12345, %d) = %v, outside [0, 1)", k, u)
		}
		counts[int(u*buckets)]++
	}
	expected := float64(draws) / buckets
	chi2 := 0.0
	for _, c := range counts {
		d := float64(c) - expected
		chi2 += d * d / expected
	}
	if chi2 > 60 {
		t.Errorf("chi-square %v over %v buckets: not uniform (%v)", chi2, buckets, counts)
	}
}

func TestGrid(t *testing.T) {
	tests := []struct {
		t, tick             int64
		wantFirst, wantLast int64
	}{
		{0, 1000, 0, 0},
		{1, 1000, 1, 0},
		{999, 1000, 1, 0},
		{1000, 1000, 1, 1},
		{-1, 1000, 0, -1},
		{-1000, 1000, -1, -1},
		{-1001, 1000, -1, -2},
		{1_700_000_000_123, 1, 1_700_000_000_123, 1_700_000_000_123},
		{1_700_000_000_123, 86_400_000, 19676, 19675},
	}
	for _, tt := range tests {
		first, last := FirstTickAtOrAfter(tt.t, tt.tick), LastTickAtOrBefore(tt.t, tt.tick)
		if first != tt.wantFirst || last != tt.wantLast {
			t.Errorf("t=%d tick=%d: first %d last %d, want %d %d", tt.t, tt.tick, first, last, tt.wantFirst, tt.wantLast)
		}
		if TickTime(first, tt.tick) < tt.t || TickTime(last, tt.tick) > tt.t {
			t.Errorf("t=%d tick=%d: ticks %d..%d are on the wrong side", tt.t, tt.tick, first, last)
		}
	}
}

func BenchmarkU(b *testing.B) {
	b.ReportAllocs()
	sum := 0.0
	k := int64(0)
	for b.Loop() {
		sum += U(42, k)
		k++
	}
	if sum < 0 {
		b.Fatal(sum)
	}
}

func BenchmarkValue(b *testing.B) {
	b.ReportAllocs()
	q := query(10, -5, 5, 42)
	sum := 0.0
	k := int64(0)
	for b.Loop() {
		sum += Value(q, k)
		k++
	}
	if math.IsNaN(sum) {
		b.Fatal(sum)
	}
}

func TestSpan(t *testing.T) {
	for _, tt := range []struct{ length, interval, want int64 }{
		{100_000, 1000, 101}, // on the grid 101 ticks fall in it; off it 100, but it can hold 101
		{999, 1000, 1},
		{0, 10, 1},
		{-1, 1000, 0},
	} {
		if got := Span(tt.length, tt.interval); got != tt.want {
			t.Errorf("Span(%d, %d) = %d, want %d", tt.length, tt.interval, got, tt.want)
		}
	}
}

func TestThin(t *testing.T) {
	tests := []struct {
		name                       string
		first, last, limit         int64
		wantStart, wantStep, wantN int64
	}{
		{"empty range", 5, 4, 10, 0, 1, 0},
		{"fits", 3, 12, 10, 3, 1, 10},
		{"one over", 3, 13, 10, 4, 2, 5},
		{"anchored on multiples of the step", 7, 106, 10, 10, 10, 10},
		{"negative ticks", -105, -6, 10, -100, 10, 10},
		{"single tick", 42, 42, 1, 42, 1, 1},
		{"a step that skips the whole range", 1, 2, 1, 2, 2, 1},
		{"huge range", 0, 1 << 50, 10_000, 0, 112589990685, 10_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, step, n := Thin(tt.first, tt.last, tt.limit)
			if start != tt.wantStart || step != tt.wantStep || n != tt.wantN {
				t.Fatalf("Thin(%d, %d, %d) = %d, %d, %d; want %d, %d, %d",
					tt.first, tt.last, tt.limit, start, step, n, tt.wantStart, tt.wantStep, tt.wantN)
			}
			if n > tt.limit {
				t.Errorf("kept %d ticks, more than the limit %d", n, tt.limit)
			}
			if n > 0 && (start%step != 0 || start < tt.first || start+(n-1)*step > tt.last) {
				t.Errorf("kept ticks %d + i×%d (%d of them) leave %d..%d or the multiples of the step", start, step, n, tt.first, tt.last)
			}
		})
	}
}
