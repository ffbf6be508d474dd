// Package signal computes Tickstream's values: pure functions of the query,
// the series and the tick index, with no generator state carried from tick
// to tick, so that history, every live stream and every Grafana instance
// agree point for point.
package signal

import (
	"math"

	"github.com/tickstream/streaming/pkg/models"
)

// golden is 2^64 divided by the golden ratio, SplitMix64's counter step.
const golden = 0x9E3779B97F4A7C15

// Salts that separate the hash streams derived from one series seed. Any
// odd-looking 64-bit constants do; these are the first digits of π, e and
// √2 in hexadecimal. Changing one changes every dashboard's data.
const (
	seriesSalt = 0x243F6A8885A308D3 // series seeds from the query's seed
	jitterSalt = 0xB7E151628AED2A6A // the noise stream u'(i, k)
	walkSalt   = 0x6A09E667F3BCC908 // the walk's lattice values
	dropSalt   = 0x452821E638D01377 // which points dropPercent makes null
	logsSalt   = 0xBE5466CF34E90C6C // the log lines' level and text
	traceSalt  = 0x082EFA98EC4E6C89 // the exemplars' trace IDs (π's digits after the evaluation salts)
)

// mix is SplitMix64's finalizer: a bijection on 64 bits whose output bits
// each depend on every input bit.
func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// bits returns the two's-complement bit pattern of k. The hash streams
// are indexed modulo 2^64, as SplitMix64's counter is: a tick before 1970
// (k < 0) is simply another element, and k×golden wraps by design. This
// is the package's one signed-to-unsigned conversion, so that the
// wrapping is stated once.
func bits(k int64) uint64 {
	return uint64(k) // #nosec G115 -- the wrap-around is the point: the hash works on k's 64 bits, not on its value
}

// start is the starting point of the hash stream of seed.
func start(seed uint64) uint64 {
	return mix(seed ^ golden)
}

// unit returns element k of the hash stream that begins at s, as a number
// in [0, 1): the top 53 bits of the hash.
func unit(s uint64, k int64) float64 {
	return float64(mix(s+bits(k)*golden)>>11) * 0x1p-53
}

// U returns a number in [0, 1) for tick k of the sequence selected by seed:
// the top 53 bits of a SplitMix64-style hash of the seed's own starting
// point advanced k steps. Any k is computed directly, in a few nanoseconds.
func U(seed uint64, k int64) float64 {
	return unit(start(seed), k)
}

// SeriesSeed returns seed_i, the seed of series i (1-based) of a query
// with the given seed: the seed itself for series 1, so that series 1 is
// exactly the single-series stream, and for the others element i of a
// SplitMix64 stream keyed by the seed, so that the series of one query are
// independent of each other.
func SeriesSeed(seed uint64, i int64) uint64 {
	if i == 1 {
		return seed
	}
	return mix((seed ^ seriesSalt) + bits(i)*golden)
}

// Value returns the value of q's first series at tick k; for a query with
// one series, its value. See Generator.Value.
func Value(q models.Query, k int64) float64 {
	return SeriesValue(q, 1, k)
}

// SeriesValue returns the value of series i (1 to q.Series) of q at tick
// k. It derives the series' hash streams on every call; to compute many
// values, build a Generator once.
func SeriesValue(q models.Query, i, k int64) float64 {
	g := generator(q)
	return g.value(g.streams(i), i, k)
}

// Generator computes the values of one valid query. It holds only what can
// be derived once from the query (its series' hash stream starting
// points), never state that depends on earlier ticks; it is safe for
// concurrent use.
type Generator struct {
	g       gen
	streams []streams // streams[i-1] for series i
	states  []string  // the state kind's names, in band order
	// one holds the streams of a one-series query, so that they share the
	// Generator's allocation: a stream's message then touches one cold
	// object fewer, a cache miss that cost more than the value itself at
	// 10,000 streams.
	one [1]streams
}

// gen is the part of a Generator that does not depend on the series.
type gen struct {
	lower, upper, span, noise float64
	shape                     models.Shape
	seed                      uint64
	tick, period, series      int64
	// The gaps fields: the csv shape's values, the drop threshold in
	// [0, 1] and the outages.
	values                       []float64
	drop                         float64
	outagePeriod, outageDuration int64
}

// streams are the starting points of one series' hash streams.
type streams struct {
	value  uint64 // u(seed_i, k): the random shape
	walk   uint64 // the walk's lattice values
	jitter uint64 // u'(i, k): the noise
	drop   uint64 // which points are null
	logs   uint64 // the log lines
}

// New returns the Generator of q, which must be valid (models.ParseQuery,
// channel.Parse or models.Query.Check without errors).
func New(q models.Query) *Generator {
	gen := &Generator{g: generator(q), states: q.StateList()}
	if q.Series == 1 {
		gen.streams = gen.one[:]
	} else {
		gen.streams = make([]streams, q.Series)
	}
	for i := range gen.streams {
		gen.streams[i] = gen.g.streams(int64(i) + 1)
	}
	return gen
}

// Series returns how many series the Generator's query has.
func (g *Generator) Series() int64 {
	return g.g.series
}

// Value returns the value of series i (1 to Series) at tick k:
//
//	base  = lowerLimit + (upperLimit − lowerLimit) × s(shape, i, k)
//	value = clamp(base + noise × (upperLimit − lowerLimit) × (2·u'(i, k) − 1), lowerLimit, upperLimit)
//
// as DEVELOPERS.md defines it; with noise 0 the second term is left out.
// For the random shape with one series and no noise this is the
// foundation's value, lowerLimit + span × U(seed, k), bit for bit.
func (g *Generator) Value(i, k int64) float64 {
	return g.g.value(g.streams[i-1], i, k)
}

func generator(q models.Query) gen {
	return gen{
		lower: q.LowerLimit, upper: q.UpperLimit, span: q.UpperLimit - q.LowerLimit, noise: q.Noise,
		shape: q.Shape, seed: q.Seed, tick: q.TickInterval, period: q.Period, series: q.Series,
		values: q.ValueList(), drop: q.DropPercent / 100,
		outagePeriod: q.OutagePeriod, outageDuration: q.OutageDuration,
	}
}

// streams derives the hash streams series i uses, and only those.
func (g gen) streams(i int64) streams {
	var s streams
	seed := SeriesSeed(g.seed, i)
	switch g.shape {
	case models.ShapeWalk:
		s.walk = start(mix(seed ^ walkSalt))
	case models.ShapeSine, models.ShapeSquare, models.ShapeSawtooth, models.ShapeTriangle, models.ShapeCSV:
	default:
		s.value = start(seed)
	}
	if g.noise != 0 {
		s.jitter = start(mix(seed ^ jitterSalt))
	}
	if g.drop != 0 {
		s.drop = start(mix(seed ^ dropSalt))
	}
	s.logs = start(mix(seed ^ logsSalt))
	return s
}

func (g gen) value(s streams, i, k int64) float64 {
	if g.shape == models.ShapeCSV {
		return g.csvValue(s, i, k)
	}
	var unitValue float64
	switch g.shape {
	case models.ShapeWalk:
		unitValue = walk(s.walk, k)
	case models.ShapeSine, models.ShapeSquare, models.ShapeSawtooth, models.ShapeTriangle:
		unitValue = periodic(g.shape, g.tick, g.period, g.series, i, k)
	default:
		unitValue = unit(s.value, k)
	}
	v := g.lower + g.span*unitValue
	if g.noise != 0 {
		v += g.noise * g.span * (2*unit(s.jitter, k) - 1)
	}
	return math.Min(math.Max(v, g.lower), g.upper)
}

// FillSeries sets dst[j] to Value(i, kStart + j×kStep) for every j, bit for
// bit: the history of series i. A history asks for thousands of points of
// one series at evenly spaced ticks, so FillSeries picks the shape and
// derives the series' constants once instead of per point, and walks a
// periodic shape's phase by adding the step's phase instead of dividing.
func (g *Generator) FillSeries(i, kStart, kStep int64, dst []float64) {
	c := &g.g
	s := g.streams[i-1]
	if c.shape == models.ShapeCSV {
		for j := range dst {
			dst[j] = c.csvValue(s, i, kStart+int64(j)*kStep)
		}
		return
	}
	switch c.shape {
	case models.ShapeWalk:
		k := kStart
		for j := range dst {
			dst[j] = walk(s.walk, k)
			k += kStep
		}
	case models.ShapeSine, models.ShapeSquare, models.ShapeSawtooth, models.ShapeTriangle:
		c.fillPeriodic(i, kStart, kStep, dst)
	default:
		// unit(s.value, k) hashes s.value + k×golden; wrapping addition
		// reaches the same sums one step at a time.
		x, dx := s.value+bits(kStart)*golden, bits(kStep)*golden
		for j := range dst {
			dst[j] = float64(mix(x)>>11) * 0x1p-53
			x += dx
		}
	}
	// The same operations, in the same order, as value; the built-in min
	// and max order NaN and signed zeros as math.Min and math.Max do, and
	// are cheaper.
	lower, upper, span := c.lower, c.upper, c.span
	if c.noise == 0 {
		for j, u := range dst {
			dst[j] = min(max(lower+span*u, lower), upper)
		}
		return
	}
	noise := c.noise
	x, dx := s.jitter+bits(kStart)*golden, bits(kStep)*golden
	for j, u := range dst {
		v := lower + span*u
		v += noise * span * (2*(float64(mix(x)>>11)*0x1p-53) - 1)
		dst[j] = min(max(v, lower), upper)
		x += dx
	}
}

// fillPeriodic sets dst[j] to periodic(shape, …, i, kStart + j×kStep). The
// remainder r = t mod period that Phase divides for advances by the step's
// own remainder d and wraps once at most, since r, d < period: the same
// integers, so the same phases, without two divisions a point.
func (c *gen) fillPeriodic(i, kStart, kStep int64, dst []float64) {
	tick, period, n := c.tick, c.period, c.series
	r := floorMod(floorMod(kStart, period)*tick, period)
	d := floorMod(floorMod(kStep, period)*tick, period)
	off, den := (i-1)*period, period*n
	for j := range dst {
		num := r*n + off
		if num >= den {
			num -= den
		}
		var y float64
		switch c.shape {
		case models.ShapeSquare:
			if 2*num < den {
				y = 1
			}
		case models.ShapeSine:
			y = 0.5 + 0.5*math.Sin(2*math.Pi*(float64(num)/float64(den)))
		case models.ShapeTriangle:
			y = 1 - math.Abs(2*(float64(num)/float64(den))-1)
		default: // sawtooth
			y = float64(num) / float64(den)
		}
		dst[j] = y
		if r += d; r >= period {
			r -= period
		}
	}
}
