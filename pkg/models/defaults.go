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

	// DefaultMinTickInterval is the minTickInterval, in ms, of a data source
	// that sets none.
	DefaultMinTickInterval = 10
	// DefaultMaxPointsPerSecond is the maxPointsPerSecond of a data source
	// that sets none.
	DefaultMaxPointsPerSecond = 10_000

	// MaxTickInterval is the longest tick any data source accepts: 24 h in ms.
	MaxTickInterval = 86_400_000
	// MaxSeed is JavaScript's Number.MAX_SAFE_INTEGER, the largest seed the
	// browser can hold exactly.
	MaxSeed = 1<<53 - 1
	// MaxMaxPointsPerSecond is the largest maxPointsPerSecond a data source
	// may set.
	MaxMaxPointsPerSecond = 10_000_000
)

// DefaultQuery returns the query that an empty query object means.
func DefaultQuery() Query {
	return Query{
		TickInterval: DefaultTickInterval,
		LowerLimit:   DefaultLowerLimit,
		UpperLimit:   DefaultUpperLimit,
		Seed:         DefaultSeed,
	}
}

// DefaultSettings returns the settings that empty jsonData means.
func DefaultSettings() Settings {
	return Settings{
		MinTickInterval:    DefaultMinTickInterval,
		MaxPointsPerSecond: DefaultMaxPointsPerSecond,
	}
}

// WidestSettings returns the settings that refuse nothing any data source
// could accept. Validating under them applies only the rules of kind
// KindInvalid, which is what a channel path needs before the data source's
// own settings are known.
func WidestSettings() Settings {
	return Settings{MinTickInterval: 1, MaxPointsPerSecond: MaxMaxPointsPerSecond}
}
