package signal

import (
	"math"

	"github.com/tickstream/streaming/pkg/models"
)

// Phase returns the numerator and denominator of the phase φ in [0, 1) of
// series i of n at tick k of a periodic shape:
//
//	φ = ((t mod period) / period + (i − 1) / n) mod 1,  t = k × tick
//
// as the exact fraction (n·(t mod period) + (i−1)·period) / (n·period), so
// that the phase repeats exactly after a period, series 1 of n has
// exactly the single series' phase, and no k overflows. tick is at most
// 86400000 and period at most 31536000000, so every product fits in an
// int64.
func Phase(tick, period, n, i, k int64) (num, den int64) {
	r := floorMod(floorMod(k, period)*tick, period) // t mod period, never negative
	num, den = r*n+(i-1)*period, period*n
	if num >= den {
		num -= den
	}
	return num, den
}

// periodic returns s(shape, i, k) in [0, 1] for a periodic shape.
func periodic(shape models.Shape, tick, period, n, i, k int64) float64 {
	num, den := Phase(tick, period, n, i, k)
	if shape == models.ShapeSquare {
		if 2*num < den {
			return 1
		}
		return 0
	}
	phi := float64(num) / float64(den)
	switch shape {
	case models.ShapeSine:
		return 0.5 + 0.5*math.Sin(2*math.Pi*phi)
	case models.ShapeTriangle:
		return 1 - math.Abs(2*phi-1)
	default: // sawtooth
		return phi
	}
}

// floorMod returns a mod b in [0, b) for b > 0; Go's % keeps a's sign.
func floorMod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// The walk is layered value noise over the tick index: octave j holds a
// random value in [0, 1) at every multiple of its wavelength 2^(j+2) ticks
// and eases between neighbours with smoothstep, so each octave is smooth
// and moves by at most 1.5 / wavelength per tick. The octaves' weights
// grow as the square root of the wavelength, as a random walk's excursions
// do, and sum to 1, so their sum stays in [0, 1]. That sum is stretched
// about ½ by walkSpread and folded back at 0 and 1, as a walk between
// reflecting walls would be, so that it wanders over the whole range
// instead of hugging the middle. Each tick costs two hashes per octave and
// no history.
const (
	walkOctaves    = 12 // wavelengths 4 … 8192 ticks
	walkMinShift   = 2  // the shortest wavelength is 1 << walkMinShift
	walkSpread     = 2.0
	walkOctaveSalt = 0x3C6EF372FE94F82B
)

// walkWeights are the octaves' weights, normalized to sum to 1.
var walkWeights = func() (w [walkOctaves]float64) {
	sum := 0.0
	for j := range w {
		w[j] = math.Sqrt(float64(int64(1) << (j + walkMinShift)))
		sum += w[j]
	}
	for j := range w {
		w[j] /= sum
	}
	return w
}()

// walkOffsets move each octave to its own hash stream.
var walkOffsets = func() (o [walkOctaves]uint64) {
	for j := range o {
		o[j] = mix(walkOctaveSalt + uint64(j)*golden)
	}
	return o
}()

// walkMaxStep bounds |s(k+1) − s(k)| of the walk: smoothstep's slope is at
// most 1.5, each octave spans at most 1, and the fold does not lengthen a
// step.
var walkMaxStep = func() float64 {
	step := 0.0
	for j, w := range walkWeights {
		step += 1.5 * w / float64(int64(1)<<(j+walkMinShift))
	}
	return walkSpread * step
}()

// walk returns the walk's s in [0, 1] at tick k for the lattice hash
// stream that starts at s.
func walk(s uint64, k int64) float64 {
	sum := 0.0
	for j := range walkOctaves {
		// A signed shift count: Go shifts by an int, and a conversion to
		// uint is one gosec (G115) cannot prove never wraps.
		shift := j + walkMinShift
		m := k >> shift // floor(k / wavelength), negative ticks included
		f := float64(k&(1<<shift-1)) / float64(int64(1)<<shift)
		a, b := unit(s+walkOffsets[j], m), unit(s+walkOffsets[j], m+1)
		sum += walkWeights[j] * (a + (b-a)*f*f*(3-2*f))
	}
	y := 0.5 + walkSpread*(sum-0.5)
	switch {
	case y < 0:
		y = -y
	case y > 1:
		y = 2 - y
	}
	return min(max(y, 0), 1)
}
