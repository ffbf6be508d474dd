package channel

import (
	"strings"
	"testing"
)

// TestParseRefusesBadGapsSegments: the gaps segments are canonical or
// refused, with a reason, like every other segment.
func TestParseRefusesBadGapsSegments(t *testing.T) {
	const base = "v1/t=1000/lo=0/hi=100/seed=0"
	for _, c := range []struct{ name, path, want string }{
		{"default drop", base + "/drop=0", "not canonical"},
		{"drop not a number", base + "/drop=x", "not a number"},
		{"drop above 100", base + "/drop=101", "dropPercent must be"},
		{"outage without its duration", base + "/outage=1000", "outage="},
		{"outage duration not a number", base + "/outage=1000_x", "not a number"},
		{"outage as long as its period", base + "/outage=1000_1000", "outageDuration must be"},
		{"outage 0_0 is the default", base + "/outage=0_0", "not canonical"},
		{"values without the csv shape", base + "/values=1_2", "values is only for shape csv"},
		{"values with an empty item", base + "/shape=csv/values=1__2", "item 2"},
		{"values with a leading zero", base + "/shape=csv/values=01_2", "item 1"},
		{"values not canonical", base + "/shape=csv/values=1.0_2", "not canonical"},
		{"values in exponent form JavaScript would not write", base + "/shape=csv/values=1e1", "not canonical"},
		{"csv without values", base + "/shape=csv", "no numbers"},
		{"default kind", base + "/kind=number", "not canonical"},
		{"unknown kind", base + "/kind=text", "kind must be"},
		{"states without the state kind", base + "/states=OK", "states is only for kind state"},
		{"state kind without states", base + "/kind=state", "no names"},
		{"states out of order", base + "/states=OK/kind=state", "out of order"},
		{"kind before values", base + "/shape=csv/kind=state/values=1/states=A", "out of order"},
		{"drop twice", base + "/drop=1/drop=2", "out of order or twice"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.path)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Parse(%q) = %v, want an error mentioning %q", c.path, err, c.want)
			}
		})
	}
}

// TestGapsPathsRoundTrip: a path with every gaps segment parses to the
// query that formats back to it.
func TestGapsPathsRoundTrip(t *testing.T) {
	for _, path := range []string{
		"v1/t=500/lo=-1/hi=1e22/seed=0/shape=csv/series=2/drop=5/outage=3600000_60000/values=10_-0.5_1e-7_1e21/kind=state/states=LOW.Not_Ready.x-1",
		"v1/t=10/lo=0/hi=100/seed=9/shape=walk/series=3/drop=100/kind=logs",
	} {
		q, err := Parse(path)
		if err != nil {
			t.Fatalf("Parse(%q): %v", path, err)
		}
		if got := Format(q); got != path {
			t.Errorf("Format(Parse(%q)) = %q", path, got)
		}
	}
}
