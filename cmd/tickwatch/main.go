// Command tickwatch checks Grafana Live end to end with Tickstream's own
// values, and load-tests it: it plays many dashboard viewers against one
// Grafana or several (an HA pair on Redis), each opening the panels of
// -streams Tickstream queries as a browser does (the history from
// /api/ds/query, then a Live subscription to the channel the answer
// names), and checks every tick each viewer receives against the value
// it must have, which Tickstream defines as a pure function of the query
// and the tick's time; for a query with exemplars, each viewer follows
// the exemplar channel too and checks every exemplar the same way. No
// other load tool can tell whether every point
// reached every viewer, exactly and in order, and how late; this one can
// because it computes the values with the plugin's own code.
//
// Usage:
//
//	go run ./cmd/tickwatch -url http://localhost:3000 -user admin -password admin \
//	    -datasource tickstream -streams 5 -viewers 20 -tick 100ms -duration 20s -json r.json
//
// Exit status: 0 when every tick was delivered once, in order and exact;
// 1 when any was missing, repeated, out of order or wrong (the report
// names the stream, the viewer and the time of the first); 2 for a usage
// or connection error, with a message that says what to fix. See
// docs/tickwatch.md.
package main

import (
	"os"

	"github.com/tickstream/streaming/internal/tickwatch"
)

func main() {
	os.Exit(tickwatch.Main(os.Args[1:], os.Stdout, os.Stderr))
}
