package signal

// State returns the name of series i's state at tick k: the band of the
// numeric value among n equal bands between the limits, the first name
// for the lowest band. A value at the upper limit, or beyond the limits
// (a csv shape's values may be), falls into the nearest end band; with
// equal limits every value is in the first band.
func (g *Generator) State(i, k int64) string {
	return g.states[g.band(g.Value(i, k))]
}

// StateNames returns the state kind's names in band order.
func (g *Generator) StateNames() []string {
	return g.states
}

func (g *Generator) band(v float64) int {
	c := &g.g
	n := len(g.states)
	if c.span == 0 {
		return 0
	}
	x := (v - c.lower) / c.span * float64(n)
	switch {
	case x < 1: // below the limits too
		return 0
	case x >= float64(n-1): // at the upper limit and above
		return n - 1
	}
	return int(x)
}
