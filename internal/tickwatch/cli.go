package tickwatch

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
)

// urlList is the repeatable, comma-separated -url flag.
type urlList []string

func (u *urlList) String() string { return strings.Join(*u, ",") }

func (u *urlList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*u = append(*u, s)
		}
	}
	return nil
}

// Main is cmd/tickwatch with its arguments: it parses the flags, runs,
// prints the report and returns the exit status (0 all delivered, 1
// problems found, 2 usage or connection error).
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tickwatch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	var urls urlList
	var jsonPath string
	fs.Var(&urls, "url", "Grafana address, e.g. http://localhost:3000; repeat it or separate by commas for several instances (an HA pair): the viewers are spread over them")
	fs.StringVar(&cfg.Token, "token", "", "service account token; without -token and -user, $TICKWATCH_TOKEN (kept out of the process list)")
	fs.StringVar(&cfg.User, "user", "", "Grafana user to log in as, instead of -token")
	fs.StringVar(&cfg.Password, "password", "", "the user's password")
	fs.StringVar(&cfg.Datasource, "datasource", "", "uid of the Tickstream data source")
	fs.IntVar(&cfg.Streams, "streams", 5, "distinct queries (panels) each viewer shows")
	fs.IntVar(&cfg.Viewers, "viewers", 20, "viewers: Live connections, each showing every stream")
	fs.DurationVar(&cfg.Tick, "tick", time.Second, "tickInterval of the default query")
	fs.StringVar(&cfg.Query, "query", "", `query JSON, $i standing for the stream's number (default {"tickInterval": -tick, "seed": $i})`)
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to check, after the ramp")
	fs.DurationVar(&cfg.Ramp, "ramp", 2*time.Second, "over how long the viewers open, one after the other")
	fs.DurationVar(&cfg.History, "history", time.Minute, "range of each panel's history query")
	fs.DurationVar(&cfg.Grace, "grace", 10*time.Second, "how long to wait after -duration for the last ticks before counting them missing")
	fs.DurationVar(&cfg.Progress, "progress", 2*time.Second, "interval of the progress lines; 0 for none")
	fs.StringVar(&jsonPath, "json", "", "write the report as JSON to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tickwatch: unexpected argument %q: every setting is a flag (-h lists them)\n", fs.Arg(0))
		return 2
	}
	cfg.URLs = urls
	if cfg.Token == "" && cfg.User == "" {
		cfg.Token = os.Getenv("TICKWATCH_TOKEN")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	report, err := Run(ctx, cfg, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "tickwatch:", err)
		return 2
	}
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "tickwatch:", err)
		return 2
	}
	if jsonPath != "" {
		if err := report.WriteJSON(jsonPath); err != nil {
			fmt.Fprintln(stderr, "tickwatch: -json:", err)
			return 2
		}
	}
	if !report.OK() {
		return 1
	}
	return 0
}
