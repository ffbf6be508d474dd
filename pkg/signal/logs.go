package signal

import (
	"math"
	"strconv"

	"github.com/tickstream/streaming/pkg/jsnum"
)

// A log line's level and text come from one 64-bit hash of (series, tick)
// on the series' own logs stream: the top 53 bits pick the level by a
// realistic mix, the low bits pick the message, the endpoint, the user and
// the status within the level. The numeric signal of the query's shape is
// the line's latency, so the shapes, limits and noise apply to logs too.

// logLevel is one severity with its share of the lines and what such
// lines say.
type logLevel struct {
	name     string
	share    float64 // cumulative: the level's upper bound in [0, 1)
	messages []string
	statuses []string
}

// logLevels are the levels from the most to the least frequent; their
// names are levels Grafana's logs panel recognises.
var logLevels = [...]logLevel{
	{"info", 0.70, []string{"request completed", "user signed in", "order created", "cache refreshed", "payment accepted"},
		[]string{"200", "200", "200", "201", "204", "304"}},
	{"debug", 0.88, []string{"cache hit", "query planned", "connection reused", "feature flag evaluated"},
		[]string{"200", "200", "304"}},
	{"warning", 0.96, []string{"slow request", "retrying upstream call", "rate limit near", "deprecated endpoint called"},
		[]string{"404", "409", "429", "499"}},
	{"error", 0.995, []string{"upstream timed out", "database query failed", "payment declined by provider"},
		[]string{"500", "502", "503", "504"}},
	{"critical", 1, []string{"out of memory, restarting worker", "disk full, writes rejected"},
		[]string{"500", "503"}},
}

// logPaths are the endpoints the lines report, with their methods.
var logPaths = [...]struct{ method, path string }{
	{"GET", "/api/orders"}, {"POST", "/api/orders"}, {"GET", "/api/users"}, {"GET", "/healthz"}, {"PUT", "/api/cart"}, {"GET", "/api/search"},
}

// logHash is series i's logs hash at tick k.
func (g *Generator) logHash(i, k int64) uint64 {
	return mix(g.streams[i-1].logs + bits(k)*golden)
}

// level returns the level of series i at tick k.
func (g *Generator) level(i, k int64) *logLevel {
	return &logLevels[g.LevelIndex(i, k)]
}

// Severity returns the level of series i's log line at tick k: info,
// debug, warning, error or critical, about 70, 18, 8, 3.5 and 0.5 % of
// the lines.
func (g *Generator) Severity(i, k int64) string {
	return g.level(i, k).name
}

// AppendLine appends the text of series i's log line at tick k, such as
//
//	request completed method=GET path=/api/orders status=200 latency_ms=42.7 user=u1234
//
// in key=value form that Grafana's logfmt parser reads. The latency is the
// query's numeric value rounded to 0.1. The text is ASCII without quotes,
// backslashes or < > &, so its JSON string is the text itself in quotes.
func (g *Generator) AppendLine(dst []byte, i, k int64) []byte {
	h := g.logHash(i, k)
	lvl := g.level(i, k)
	dst = append(dst, lvl.messages[(h&0xffff)%uint64(len(lvl.messages))]...)
	endpoint := &logPaths[(h>>16&0xffff)%uint64(len(logPaths))]
	dst = append(dst, " method="...)
	dst = append(dst, endpoint.method...)
	dst = append(dst, " path="...)
	dst = append(dst, endpoint.path...)
	dst = append(dst, " status="...)
	dst = append(dst, lvl.statuses[(h>>32&0xff)%uint64(len(lvl.statuses))]...)
	dst = append(dst, " latency_ms="...)
	latency := g.Value(i, k)
	if math.Abs(latency) < 1e15 { // beyond, every float is whole and ×10 could overflow
		latency = math.Round(latency*10) / 10
	}
	dst = jsnum.Append(dst, latency)
	dst = append(dst, " user=u"...)
	return strconv.AppendUint(dst, 1000+(h>>40)%9000, 10)
}

// LogLevels returns the names of the log levels, the index order of
// LevelIndex: info, debug, warning, error, critical.
func LogLevels() []string {
	names := make([]string, len(logLevels))
	for j := range logLevels {
		names[j] = logLevels[j].name
	}
	return names
}

// LevelIndex returns the index in LogLevels of series i's log line at
// tick k, the level Severity names: what a logs volume counts, without a
// string per line.
func (g *Generator) LevelIndex(i, k int64) int {
	u := float64(g.logHash(i, k)>>11) * 0x1p-53
	for j := range logLevels {
		if u < logLevels[j].share {
			return j
		}
	}
	return len(logLevels) - 1
}
