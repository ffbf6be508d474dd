package signal

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/tickstream/streaming/pkg/models"
)

func TestTraceIDs(t *testing.T) {
	hex32 := regexp.MustCompile(`^[0-9a-f]{32}$`)
	q := models.DefaultQuery()
	q.Series = 3
	g := New(q)
	seen := map[string]string{}
	for i := int64(1); i <= 3; i++ {
		for k := int64(-500); k < 500; k++ {
			id := string(g.AppendTraceID(nil, i, k))
			if !hex32.MatchString(id) {
				t.Fatalf("series %d tick %d: %q is not 32 lowercase hex digits", i, k, id)
			}
			if other, dup := seen[id]; dup {
				t.Fatalf("series %d tick %d repeats the trace ID of %s", i, k, other)
			}
			seen[id] = fmt.Sprintf("series %d tick %d", i, k)
			if again := string(New(q).AppendTraceID(nil, i, k)); again != id {
				t.Fatalf("another generator gives %q for %q", again, id)
			}
		}
	}
	// Series 1 of a query is the single series of the same seed; another
	// seed gives other IDs.
	one := New(models.DefaultQuery())
	if string(one.AppendTraceID(nil, 1, 7)) != string(g.AppendTraceID(nil, 1, 7)) {
		t.Error("series 1 of three differs from the single series")
	}
	q.Seed = 1
	if string(New(q).AppendTraceID(nil, 1, 7)) == string(g.AppendTraceID(nil, 1, 7)) {
		t.Error("another seed gives the same trace ID")
	}
}

func TestLevelIndexIsSeverity(t *testing.T) {
	q := models.DefaultQuery()
	q.Kind = models.SignalLogs
	q.Series = 2
	g := New(q)
	levels := LogLevels()
	counts := make([]int, len(levels))
	for k := range int64(20_000) {
		for i := int64(1); i <= 2; i++ {
			j := g.LevelIndex(i, k)
			if levels[j] != g.Severity(i, k) {
				t.Fatalf("series %d tick %d: LevelIndex names %s, Severity %s", i, k, levels[j], g.Severity(i, k))
			}
			counts[j]++
		}
	}
	for j, n := range counts {
		if n == 0 {
			t.Errorf("level %s never occurs in 40000 lines", levels[j])
		}
	}
}
