package signal

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

// update rewrites testdata/shapes.golden.json from the current code. It is
// off unless asked for; a changed golden value changes every dashboard's
// data, so a diff of that file must be a deliberate part of a commit.
var update = flag.Bool("update", false, "rewrite testdata/shapes.golden.json")

// goldenCase is one value of the golden file.
type goldenCase struct {
	Name   string       `json:"name"`
	Query  models.Query `json:"query"`
	Series int64        `json:"series"`
	K      int64        `json:"k"`
	Want   float64      `json:"want"`
}

// goldenCases are the cases of the golden file without their values:
// every shape at a few seeds, ticks (negative and past 2^53 ms included),
// series and noise levels.
func goldenCases() []goldenCase {
	var cases []goldenCase
	for _, shape := range models.Shapes {
		for _, c := range []struct {
			tick, period int64
			lower, upper float64
			seed         uint64
			noise        float64
			series       int64
			i            int64
			k            int64
		}{
			{1000, 60000, 0, 100, 0, 0, 1, 1, 1_773_500_966},
			{1000, 60000, 0, 100, 0, 0, 1, 1, 0},
			{10, 5000, -1, 1, 3, 0, 4, 1, 177_350_096_653},
			{10, 5000, -1, 1, 3, 0, 4, 3, 177_350_096_653},
			{10, 5000, -1, 1, 3, 0.25, 4, 4, 177_350_096_654},
			{250, 7, -5, 5, 42, 0, 1, 1, -12345},
			{1, 31_536_000_000, 1e-7, 0.000001, models.MaxSeed, 1, 100, 100, math.MaxInt64},
			{86_400_000, 1, 7, 7, 9, 0.5, 2, 2, math.MinInt64},
		} {
			q := models.Query{TickInterval: c.tick, LowerLimit: c.lower, UpperLimit: c.upper, Seed: c.seed,
				Shape: shape, Period: models.DefaultPeriod, Noise: c.noise, Series: c.series}
			if shape.Periodic() {
				q.Period = c.period
			}
			name := string(shape) + "/t=" + strconv.FormatInt(c.tick, 10) + "/seed=" + strconv.FormatUint(c.seed, 10) +
				"/noise=" + strconv.FormatFloat(c.noise, 'g', -1, 64) + "/series=" + strconv.FormatInt(c.i, 10) +
				"of" + strconv.FormatInt(c.series, 10) + "/k=" + strconv.FormatInt(c.k, 10)
			cases = append(cases, goldenCase{Name: name, Query: q, Series: c.i, K: c.k})
		}
	}
	return cases
}

func TestShapesGolden(t *testing.T) {
	path := filepath.Join("testdata", "shapes.golden.json")
	cases := goldenCases()
	if *update {
		for i := range cases {
			cases[i].Want = New(cases[i].Query).Value(cases[i].Series, cases[i].K)
		}
		raw, err := json.MarshalIndent(cases, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(raw, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s; review its diff", path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var golden []goldenCase
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden) != len(cases) {
		t.Fatalf("%s has %d cases, the test %d: run go test -run TestShapesGolden -update and review the diff", path, len(golden), len(cases))
	}
	for i, c := range golden {
		if c.Name != cases[i].Name || c.Query != cases[i].Query || c.Series != cases[i].Series || c.K != cases[i].K {
			t.Fatalf("case %d of %s is %+v, the test's %+v", i, path, c, cases[i])
		}
		if got := New(c.Query).Value(c.Series, c.K); got != c.Want {
			t.Errorf("%s: Value = %v, want %v", c.Name, got, c.Want)
		}
		if got := SeriesValue(c.Query, c.Series, c.K); got != c.Want {
			t.Errorf("%s: SeriesValue = %v, want %v", c.Name, got, c.Want)
		}
	}
}

// A few values by hand from the formulas of DEVELOPERS.md, so that the
// golden file is not only the code agreeing with itself.
func TestPeriodicShapesByHand(t *testing.T) {
	q := query(1000, 0, 100, 0)
	q.Period = 8000 // 8 ticks
	tests := []struct {
		shape  models.Shape
		series int64
		k      int64
		want   float64
	}{
		{models.ShapeSawtooth, 1, 0, 0},
		{models.ShapeSawtooth, 1, 2, 25},
		{models.ShapeSawtooth, 1, -2, 75}, // t mod period is taken non-negative
		{models.ShapeSawtooth, 1, 10, 25}, // one period later
		{models.ShapeSquare, 1, 3, 100},
		{models.ShapeSquare, 1, 4, 0},
		{models.ShapeTriangle, 1, 2, 50},
		{models.ShapeTriangle, 1, 4, 100},
		{models.ShapeTriangle, 1, 6, 50},
		{models.ShapeSine, 1, 0, 50},
		{models.ShapeSine, 1, 2, 100},
		{models.ShapeSine, 1, 6, 0},
		// Two series: the second is half a period ahead.
		{models.ShapeSawtooth, 2, 2, 75},
		{models.ShapeSquare, 2, 0, 0},
		{models.ShapeTriangle, 2, 0, 100},
	}
	for _, tt := range tests {
		q := q
		q.Shape = tt.shape
		if tt.series > 1 {
			q.Series = 2
		}
		got := SeriesValue(q, tt.series, tt.k)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s series %d of %d at tick %d = %v, want %v", tt.shape, tt.series, q.Series, tt.k, got, tt.want)
		}
	}
}

// variants are queries covering every shape × noise × series count, with
// limits from ordinary to extreme.
func variants() []models.Query {
	var qs []models.Query
	limits := [][2]float64{{0, 100}, {-5, 5}, {-1e21, 1e21}, {1e-7, 0.000001}, {-math.MaxFloat64 / 2, math.MaxFloat64 / 2}, {7, 7},
		{0.1, math.Nextafter(0.1, 1)}}
	for _, shape := range models.Shapes {
		for _, noise := range []float64{0, 0.3, 1} {
			for _, series := range []int64{1, 3, 100} {
				for j, l := range limits {
					q := query(10, l[0], l[1], uint64(j)*7919)
					q.Shape, q.Noise, q.Series = shape, noise, series
					if shape.Periodic() {
						q.Period = 990 // not a multiple of the tick: phases fall between ticks
					}
					qs = append(qs, q)
				}
			}
		}
	}
	return qs
}

func TestEveryShapeStaysWithinLimits(t *testing.T) {
	for _, q := range variants() {
		g := New(q)
		for i := int64(1); i <= q.Series; i++ {
			for k := int64(-300); k < 300; k++ {
				if v := g.Value(i, k); v < q.LowerLimit || v > q.UpperLimit || math.IsNaN(v) {
					t.Fatalf("%+v series %d tick %d = %v, outside the limits", q, i, k, v)
				}
			}
		}
	}
}

func TestRandomSingleSeriesIsTheFoundationsValue(t *testing.T) {
	// The foundation's formula, as it was written before shapes existed.
	foundation := func(q models.Query, k int64) float64 {
		v := q.LowerLimit + (q.UpperLimit-q.LowerLimit)*U(q.Seed, k)
		return math.Min(math.Max(v, q.LowerLimit), q.UpperLimit)
	}
	for _, q := range []models.Query{models.DefaultQuery(), query(10, -5, 5, 42), query(1, -1e21, 1e21, models.MaxSeed), query(1000, 0.1, 2.5, 3)} {
		g := New(q)
		for k := int64(-1000); k < 1000; k++ {
			want := foundation(q, 1_700_000_000_000+k)
			if got := g.Value(1, 1_700_000_000_000+k); got != want {
				t.Fatalf("%+v tick %d = %v, the foundation gave %v", q, k, got, want)
			}
			if got := Value(q, 1_700_000_000_000+k); got != want {
				t.Fatalf("Value(%+v, %d) = %v, the foundation gave %v", q, k, got, want)
			}
		}
	}
}

func TestSeriesOneOfNIsTheSingleSeries(t *testing.T) {
	for _, q := range variants() {
		if q.Series == 1 {
			continue
		}
		single := q
		single.Series = 1
		g, gs := New(q), New(single)
		for k := int64(-200); k < 200; k++ {
			if a, b := g.Value(1, k), gs.Value(1, k); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
				t.Fatalf("%+v: series 1 at tick %d = %v, the single series %v", q, k, a, b)
			}
		}
	}
}

func TestSeriesDiffer(t *testing.T) {
	for _, shape := range models.Shapes {
		q := query(10, 0, 100, 5)
		q.Shape, q.Series = shape, 10
		if shape.Periodic() {
			q.Period = 1000
		}
		g := New(q)
		const ticks = 2000
		for i := int64(1); i <= q.Series; i++ {
			for j := i + 1; j <= q.Series; j++ {
				same := 0
				for k := int64(0); k < ticks; k++ {
					if g.Value(i, k) == g.Value(j, k) {
						same++
					}
				}
				// Random and walk series almost never agree. Periodic series
				// are the same curve shifted: a square wave's agree where
				// their phases fall in the same half, a sine's and a
				// triangle's where the phases mirror each other; still, no
				// two of them may agree on nearly every tick.
				limit := ticks / 100
				if shape.Periodic() {
					limit = ticks * 9 / 10 // series 1/10 of a period apart
				}
				if same > limit {
					t.Errorf("%s: series %d and %d agree on %d of %d ticks", shape, i, j, same, ticks)
				}
			}
		}
	}
}

func TestPeriodicShapesRepeatAfterThePeriod(t *testing.T) {
	for _, shape := range models.Shapes {
		if !shape.Periodic() {
			continue
		}
		for _, c := range []struct{ tick, period, series int64 }{{10, 5000, 1}, {10, 5000, 7}, {1, 1, 3}, {7, 31_536_000_000 - 3, 2}, {1000, 60000, 100}} {
			q := query(c.tick, -5, 5, 1)
			q.Shape, q.Period, q.Series = shape, c.period, c.series
			g := New(q)
			// The values repeat after period ms; on the tick grid, after the
			// fewest ticks that make a whole number of periods.
			shift := c.period / gcd(c.period, c.tick)
			for i := int64(1); i <= q.Series; i++ {
				for _, k := range []int64{-1_000_001, -3, 0, 1, 17, 1_773_500_966_534} {
					if a, b := g.Value(i, k), g.Value(i, k+shift); a != b {
						t.Fatalf("%+v series %d: tick %d = %v, %d ticks later %v", q, i, k, a, shift, b)
					}
				}
			}
		}
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func TestPhaseNeverOverflows(t *testing.T) {
	for _, k := range []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64} {
		for _, c := range []struct{ tick, period, n, i int64 }{
			{models.MaxTickInterval, models.MaxPeriod, models.MaxMaxSeries, models.MaxMaxSeries},
			{1, 1, 1, 1}, {models.MaxTickInterval, models.MaxPeriod - 1, 1, 1},
		} {
			num, den := Phase(c.tick, c.period, c.n, c.i, k)
			if den != c.period*c.n || num < 0 || num >= den {
				t.Errorf("Phase(%d, %d, %d, %d, %d) = %d/%d, outside [0, 1)", c.tick, c.period, c.n, c.i, k, num, den)
			}
		}
	}
}

func TestWalkLooksLikeAWalk(t *testing.T) {
	const ticks = 200_000
	for _, c := range []struct {
		lower, upper float64
		seed         uint64
		series       int64
	}{{0, 100, 0, 1}, {-5, 5, 42, 3}, {-1e21, 1e21, models.MaxSeed, 2}} {
		q := query(10, c.lower, c.upper, c.seed)
		q.Shape, q.Series = models.ShapeWalk, c.series
		g := New(q)
		span := c.upper - c.lower
		for i := int64(1); i <= q.Series; i++ {
			prev := g.Value(i, -ticks/2)
			sum, biggest := 0.0, 0.0
			lo, hi := math.Inf(1), math.Inf(-1)
			for k := -ticks/2 + 1; k < ticks/2; k++ {
				v := g.Value(i, int64(k))
				step := math.Abs(v-prev) / span
				sum += step
				biggest = max(biggest, step)
				lo, hi = min(lo, v), max(hi, v)
				prev = v
			}
			mean := sum / ticks
			// Random values move a third of the range per tick on average;
			// the walk moves a small fraction of a percent, never more than
			// its bound, and still wanders over most of the range.
			if mean > 0.005 || mean < 0.0002 {
				t.Errorf("%+v series %d: mean |step| %v of the range, want a small step", q, i, mean)
			}
			if biggest > walkMaxStep*(1+1e-9) || walkMaxStep > 0.02 {
				t.Errorf("%+v series %d: largest step %v of the range, bound %v", q, i, biggest, walkMaxStep)
			}
			if (hi-lo)/span < 0.7 {
				t.Errorf("%+v series %d: covers only %v..%v of %v..%v", q, i, lo, hi, c.lower, c.upper)
			}
		}
	}
}

func TestNoise(t *testing.T) {
	for _, shape := range models.Shapes {
		q := query(10, -50, 50, 11)
		q.Shape, q.Series, q.Noise = shape, 3, 0.1
		if shape.Periodic() {
			q.Period = 1000
		}
		clean := q
		clean.Noise = 0
		g, gc := New(q), New(clean)
		differ := 0
		for i := int64(1); i <= q.Series; i++ {
			for k := int64(0); k < 1000; k++ {
				v, base := g.Value(i, k), gc.Value(i, k)
				if math.Abs(v-base) > 0.1*100*(1+1e-12) {
					t.Fatalf("%s series %d tick %d: %v is further than the noise from %v", shape, i, k, v, base)
				}
				if v != base {
					differ++
				}
			}
		}
		// A square wave sits on a limit, where the clamp takes back the
		// half of the jitter that points outside.
		want := 2900
		if shape == models.ShapeSquare {
			want = 1400
		}
		if differ < want {
			t.Errorf("%s: noise changed only %d of 3000 values", shape, differ)
		}
	}
}

func TestSeriesSeed(t *testing.T) {
	seen := map[uint64]int64{}
	for i := int64(1); i <= models.MaxMaxSeries; i++ {
		s := SeriesSeed(42, i)
		if i == 1 && s != 42 {
			t.Fatalf("SeriesSeed(42, 1) = %d, want the seed itself", s)
		}
		if j, dup := seen[s]; dup {
			t.Fatalf("series %d and %d share the seed %d", j, i, s)
		}
		seen[s] = i
	}
}

// FillSeries must give Value's results bit for bit: at the golden file's
// ticks, and over runs of every variant that start before and after the
// epoch and far past 2^53 ms, with steps below, at and above the period.
func TestFillSeriesIsValue(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "shapes.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var golden []goldenCase
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	for _, c := range golden {
		dst := make([]float64, 3)
		New(c.Query).FillSeries(c.Series, c.K, 1, dst)
		if math.Float64bits(dst[0]) != math.Float64bits(c.Want) {
			t.Errorf("%s: FillSeries = %v, want %v", c.Name, dst[0], c.Want)
		}
	}
	dst := make([]float64, 300)
	for _, q := range variants() {
		g := New(q)
		for _, kStart := range []int64{0, -1234567, 177_350_096_653, 1 << 60} {
			for _, kStep := range []int64{1, 7, 99, 990, 1001, 123_456_789_011} {
				for _, i := range []int64{1, q.Series} {
					g.FillSeries(i, kStart, kStep, dst)
					for j, got := range dst {
						k := kStart + int64(j)*kStep
						if want := g.Value(i, k); math.Float64bits(got) != math.Float64bits(want) {
							t.Fatalf("%s %+v series %d tick %d (start %d step %d): FillSeries = %v, Value = %v",
								q.Shape, q, i, k, kStart, kStep, got, want)
						}
					}
				}
			}
		}
	}
}

// BenchmarkGenerator is the cost of one value of each shape, without and
// with noise.
func BenchmarkGenerator(b *testing.B) {
	forEachBenchQuery(b, func(b *testing.B, q models.Query) {
		g := New(q)
		sum := 0.0
		k := int64(177_350_096_653)
		for b.Loop() {
			sum += g.Value(1+k%10, k)
			k++
		}
		if math.IsNaN(sum) {
			b.Fatal(sum)
		}
	})
}

// forEachBenchQuery runs bench as a sub-benchmark for every shape, without
// and with noise, on the same 10-series query, so that the point-by-point
// and the fill benchmarks compare like with like.
func forEachBenchQuery(b *testing.B, bench func(*testing.B, models.Query)) {
	for _, shape := range models.Shapes {
		for _, noise := range []float64{0, 0.1} {
			name := string(shape)
			if noise != 0 {
				name += "+noise"
			}
			q := query(10, -5, 5, 42)
			q.Shape, q.Noise, q.Series = shape, noise, 10
			if shape.Periodic() {
				q.Period = 5000
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				bench(b, q)
			})
		}
	}
}

// BenchmarkNew is the one-off cost of a Generator for the most series a
// data source may allow.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	q := query(10, -5, 5, 42)
	q.Series = models.MaxMaxSeries
	for b.Loop() {
		if New(q).Series() != q.Series {
			b.Fatal("series")
		}
	}
}

// BenchmarkGeneratorFill is the cost per point of each shape's history:
// FillSeries of 1,000 consecutive ticks, without and with noise.
func BenchmarkGeneratorFill(b *testing.B) {
	forEachBenchQuery(b, func(b *testing.B, q models.Query) {
		g := New(q)
		dst := make([]float64, 1000)
		k := int64(177_350_096_653)
		n := 0
		for b.Loop() {
			g.FillSeries(1+k%10, k, 1, dst)
			k += int64(len(dst))
			n += len(dst)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/point")
	})
}
