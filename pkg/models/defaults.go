package models

// The defaults and bounds of DEVELOPERS.md, in one place. The frontend's
// src/types.ts holds the same numbers, and testdata/validation-vectors.json
// checks both against each other.
const (
	// DefaultTickInterval is the tickInterval, in ms, of a query that sets none.
	DefaultTickInterval = 1000
	// DefaultLowerLimit is the lowerLimit of a query that sets none.
	DefaultLowerLimit = 0
	// DefaultUpperLimit is the upperLimit of a query that sets none.
	DefaultUpperLimit = 100
	// DefaultSeed is the seed of a query that sets none.
	DefaultSeed = 0
	// DefaultShape is the shape of a query that sets none: the foundation's
	// uniform random values.
	DefaultShape = ShapeRandom
	// DefaultPeriod is the period, in ms, of a periodic shape that sets
	// none, and the normalized period of every other shape.
	DefaultPeriod = 60_000
	// DefaultNoise is the noise of a query that sets none.
	DefaultNoise = 0
	// DefaultSeries is the number of series of a query that sets none.
	DefaultSeries = 1
	// DefaultDropPercent is the dropPercent of a query that sets none: no
	// nulls.
	DefaultDropPercent = 0
	// DefaultOutagePeriod and DefaultOutageDuration are a query's outage
	// fields when it sets none: no outages.
	DefaultOutagePeriod   = 0
	DefaultOutageDuration = 0
	// DefaultValues is the values of a query that sets none; only the csv
	// shape uses values, and it needs at least one.
	DefaultValues = ""
	// DefaultKind is the kind of a query that sets none: numbers.
	DefaultKind = SignalNumber
	// DefaultStates is the states of a query that sets none; only the state
	// kind uses states, and it needs at least one.
	DefaultStates = ""

	// DefaultMinTickInterval is the minTickInterval, in ms, of a data source
	// that sets none.
	DefaultMinTickInterval = 10
	// DefaultMaxPointsPerSecond is the maxPointsPerSecond of a data source
	// that sets none.
	DefaultMaxPointsPerSecond = 10_000
	// DefaultMaxSeries is the maxSeries of a data source that sets none.
	DefaultMaxSeries = 100
	// DefaultMaxMessageRate is the maxMessageRate, in messages per second,
	// of a data source that sets none: about what a browser redraws.
	DefaultMaxMessageRate = 20
	// DefaultMaxStreams is the maxStreams of a data source that sets none:
	// the 10,000 streams the benchmarks run (developers/benchmarks.md).
	DefaultMaxStreams = 10_000
	// DefaultMaxTotalPointsPerSecond is the maxTotalPointsPerSecond of a
	// data source that sets none: about half of a 2-core machine when
	// every point is a message of its own, the costliest way to send them
	// (docs/configuration.md says how it was measured).
	DefaultMaxTotalPointsPerSecond = 100_000

	// MaxTickInterval is the longest tick any data source accepts: 24 h in ms.
	MaxTickInterval = 86_400_000
	// MaxSeed is JavaScript's Number.MAX_SAFE_INTEGER, the largest seed the
	// browser can hold exactly.
	MaxSeed = 1<<53 - 1
	// MaxPeriod is the longest period of a periodic shape: 365 days in ms.
	MaxPeriod = 31_536_000_000
	// MaxMaxPointsPerSecond is the largest maxPointsPerSecond a data source
	// may set.
	MaxMaxPointsPerSecond = 10_000_000
	// MaxMaxSeries is the largest maxSeries a data source may set, and so
	// the most series any query may ask for.
	MaxMaxSeries = 10_000
	// MaxMaxMessageRate is the largest maxMessageRate a data source may set.
	MaxMaxMessageRate = 1000
	// MaxMaxStreams is the largest maxStreams a data source may set.
	MaxMaxStreams = 1_000_000
	// MaxMaxTotalPointsPerSecond is the largest maxTotalPointsPerSecond a
	// data source may set.
	MaxMaxTotalPointsPerSecond = 1_000_000_000
)

// DefaultQuery returns the query that an empty query object means.
func DefaultQuery() Query {
	return Query{
		TickInterval: DefaultTickInterval,
		LowerLimit:   DefaultLowerLimit,
		UpperLimit:   DefaultUpperLimit,
		Seed:         DefaultSeed,
		Shape:        DefaultShape,
		Period:       DefaultPeriod,
		Noise:        DefaultNoise,
		Series:       DefaultSeries,
		Kind:         DefaultKind,
	}
}

// DefaultSettings returns the settings that empty jsonData means.
func DefaultSettings() Settings {
	return Settings{
		MinTickInterval:    DefaultMinTickInterval,
		MaxPointsPerSecond: DefaultMaxPointsPerSecond,
		MaxSeries:          DefaultMaxSeries,
		MaxMessageRate:     DefaultMaxMessageRate,

		MaxStreams:              DefaultMaxStreams,
		MaxTotalPointsPerSecond: DefaultMaxTotalPointsPerSecond,
	}
}

// WidestSettings returns the settings that refuse nothing any data source
// could accept. Validating under them applies only the rules of kind
// KindInvalid, which is what a channel path needs before the data source's
// own settings are known.
func WidestSettings() Settings {
	return Settings{
		MinTickInterval:    1,
		MaxPointsPerSecond: MaxMaxPointsPerSecond,
		MaxSeries:          MaxMaxSeries,
		MaxMessageRate:     MaxMaxMessageRate,

		MaxStreams:              MaxMaxStreams,
		MaxTotalPointsPerSecond: MaxMaxTotalPointsPerSecond,
	}
}
