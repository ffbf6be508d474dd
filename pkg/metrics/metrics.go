// Package metrics holds Tickstream's Prometheus metrics, the ones an
// operator needs to see what the plugin is doing for Grafana: how many
// streams run, how much they send and how late, how much history queries
// serve and why subscriptions are refused.
//
// The metrics are registered on prometheus.DefaultRegisterer when the
// package is loaded. That is the registry the plugin SDK gathers in
// Diagnostics.CollectMetrics (backend/serve.go passes
// prometheus.DefaultGatherer), and Grafana serves the result at
// /api/plugins/<plugin id>/metrics; nothing else needs to be set up.
//
// Every function is safe for concurrent use and cheap enough for a
// stream's send loop: the collectors, and each label value of the one
// labelled metric, are resolved once at load time, so a call is an atomic
// add (a few for the histogram) with no map lookup and no allocation.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Reason is why SubscribeStream refused a subscription; it is the reason
// label of tickstream_subscriptions_refused_total.
type Reason uint8

// The reasons a subscription is refused, in the order SubscribeStream
// checks them.
const (
	// ReasonNotFound: the path is not a canonical Tickstream channel path
	// (status NotFound). Usually a hand-made or outdated channel address.
	ReasonNotFound Reason = iota
	// ReasonSettings: the data source's own settings (jsonData) are
	// invalid, so it runs no stream at all (PermissionDenied). Fix the
	// data source, not the query.
	ReasonSettings
	// ReasonLimits: a valid path that this data source's limits refuse
	// (minTickInterval, maxSeries, maxPointsPerSecond; PermissionDenied).
	ReasonLimits
	// ReasonDataMismatch: the subscriber's data describes another stream
	// than the path (PermissionDenied).
	ReasonDataMismatch
	// ReasonCapacity: the data source runs as many streams, or as many
	// points per second, as its maxStreams or maxTotalPointsPerSecond
	// allow (PermissionDenied); room comes back as streams end.
	ReasonCapacity

	reasons // the number of reasons; keep last
)

// reasonLabels are the label values, indexed by Reason.
var reasonLabels = [reasons]string{
	ReasonNotFound:     "not_found",
	ReasonSettings:     "settings",
	ReasonLimits:       "limits",
	ReasonDataMismatch: "data_mismatch",
	ReasonCapacity:     "capacity",
}

// String returns the reason's label value, e.g. "not_found".
func (r Reason) String() string {
	if r >= reasons {
		return "unknown"
	}
	return reasonLabels[r]
}

// LagBuckets are the upper bounds, in seconds, of
// tickstream_send_lag_seconds: 0.1 ms to 5 s in 1-2.5-5 steps. A healthy
// stream sends within a millisecond or so of its tick; tens of
// milliseconds mean a busy machine or GC pauses; seconds mean a stall (the
// stream then catches up with one large message).
var LagBuckets = []float64{
	0.0001, 0.00025, 0.0005,
	0.001, 0.0025, 0.005,
	0.01, 0.025, 0.05,
	0.1, 0.25, 0.5,
	1, 2.5, 5,
}

var (
	activeStreams = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "tickstream_active_streams",
		Help: "Streams (RunStream calls) running in this plugin process now. Grafana runs one per channel and instance, so this is the number of distinct live queries being served.",
	})
	messagesSent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tickstream_messages_sent_total",
		Help: "Stream messages (frames) sent to Grafana. Fast ticks are batched, so this grows at most maxMessageRate per second per stream.",
	})
	pointsSent = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tickstream_points_sent_total",
		Help: "Points sent on streams, counting each series' value at each tick. The main driver of the plugin's CPU cost.",
	})
	sendErrors = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tickstream_send_errors_total",
		Help: "Stream sends that failed. Each ends its stream with an error, which Grafana answers by running the stream again.",
	})
	historyPoints = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "tickstream_history_points_total",
		Help: "Points returned by QueryData (panel history and alert rules), counting each series' value at each time.",
	})
	subscriptionsRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "tickstream_subscriptions_refused_total",
		Help: "Subscriptions SubscribeStream refused, by reason: not_found (not a Tickstream path), settings (invalid data source settings), limits (beyond the data source's limits), data_mismatch (subscribe data contradicts the path), capacity (the data source's maxStreams or maxTotalPointsPerSecond is reached).",
	}, []string{"reason"})
	sendLag = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "tickstream_send_lag_seconds",
		Help:    "Time from the timestamp of a stream message's last tick to the message's send: how late live data leaves the plugin.",
		Buckets: LagBuckets,
	})

	// refused holds the pre-resolved counter of each reason, so that
	// SubscriptionRefused does no label lookup.
	refused [reasons]prometheus.Counter
)

func init() {
	for r, label := range reasonLabels {
		// Resolving every label value now also exports each reason as 0
		// before its first refusal, so rate() and alerts see the series.
		refused[r] = subscriptionsRefused.WithLabelValues(label)
	}
	prometheus.MustRegister(activeStreams, messagesSent, pointsSent, sendErrors,
		historyPoints, subscriptionsRefused, sendLag)
}

// StreamStarted counts a stream that starts sending
// (tickstream_active_streams +1). Pair it with StreamStopped.
func StreamStarted() { activeStreams.Inc() }

// StreamStopped counts a stream that has ended, for whatever reason
// (tickstream_active_streams −1).
func StreamStopped() { activeStreams.Dec() }

// MessagesSent counts messages sent on a stream and the points they
// carried (tickstream_messages_sent_total, tickstream_points_sent_total).
// Negative counts are ignored: a counter never goes down.
func MessagesSent(messages, points int) {
	if messages > 0 {
		messagesSent.Add(float64(messages))
	}
	if points > 0 {
		pointsSent.Add(float64(points))
	}
}

// SendFailed counts a failed stream send (tickstream_send_errors_total).
func SendFailed() { sendErrors.Inc() }

// HistoryServed counts the points one QueryData response carried
// (tickstream_history_points_total). Negative counts are ignored.
func HistoryServed(points int) {
	if points > 0 {
		historyPoints.Add(float64(points))
	}
}

// SubscriptionRefused counts a subscription refused for reason
// (tickstream_subscriptions_refused_total{reason=...}). A Reason that is
// not one of the constants is ignored.
func SubscriptionRefused(reason Reason) {
	if reason < reasons {
		refused[reason].Inc()
	}
}

// ObserveLag records how long after its last tick's timestamp a message
// was sent (tickstream_send_lag_seconds). A negative d (the wall clock
// stepped back) is recorded as 0, so it cannot lower the histogram's sum.
func ObserveLag(d time.Duration) {
	sendLag.Observe(max(d, 0).Seconds())
}
