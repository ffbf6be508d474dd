package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Capacity is one data source's use of its caps on all its streams
// together, and the caps.
type Capacity struct {
	// Streams counts its streams that run or are reserved.
	Streams int64
	// MaxStreams is its maxStreams.
	MaxStreams int64
	// PointsPerSecond is what those streams make together.
	PointsPerSecond float64
	// MaxPointsPerSecond is its maxTotalPointsPerSecond.
	MaxPointsPerSecond int64
}

var (
	capacityStreams = prometheus.NewDesc("tickstream_streams",
		"Streams a data source runs now, with those a subscription has reserved and RunStream has not started yet; compare with tickstream_streams_limit.",
		[]string{"datasource"}, nil)
	capacityMaxStreams = prometheus.NewDesc("tickstream_streams_limit",
		"A data source's maxStreams: the most streams it runs at once.",
		[]string{"datasource"}, nil)
	capacityPoints = prometheus.NewDesc("tickstream_stream_points_per_second",
		"Points per second (series × ticks) a data source's streams make together, as tickstream_streams counts them; compare with tickstream_stream_points_per_second_limit.",
		[]string{"datasource"}, nil)
	capacityMaxPoints = prometheus.NewDesc("tickstream_stream_points_per_second_limit",
		"A data source's maxTotalPointsPerSecond: the most points per second its streams make together.",
		[]string{"datasource"}, nil)
)

// capacities is the collector of every data source's Capacity. It reads
// them when Prometheus gathers, so that a stream's start and end cost
// nothing here.
type capacities struct {
	mu sync.Mutex
	// sources are in the order they were tracked; a uid tracked again
	// (Grafana replaces an instance when its settings change, and the old
	// one may linger a moment) reports its newest instance only.
	sources []*capacitySource
}

type capacitySource struct {
	uid  string
	read func() Capacity
}

var tracked = &capacities{}

func init() {
	prometheus.MustRegister(tracked)
}

// TrackCapacity exports read()'s figures for the data source uid, labelled
// datasource=uid, until the returned function is called.
func TrackCapacity(uid string, read func() Capacity) (stop func()) {
	src := &capacitySource{uid: uid, read: read}
	tracked.mu.Lock()
	tracked.sources = append(tracked.sources, src)
	tracked.mu.Unlock()
	return func() {
		tracked.mu.Lock()
		defer tracked.mu.Unlock()
		for i, s := range tracked.sources {
			if s == src {
				tracked.sources = append(tracked.sources[:i], tracked.sources[i+1:]...)
				return
			}
		}
	}
}

// Describe sends the four descriptors.
func (c *capacities) Describe(ch chan<- *prometheus.Desc) {
	ch <- capacityStreams
	ch <- capacityMaxStreams
	ch <- capacityPoints
	ch <- capacityMaxPoints
}

// Collect sends each tracked data source's figures, the newest instance's
// for a uid tracked twice.
func (c *capacities) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	sources := append([]*capacitySource(nil), c.sources...)
	c.mu.Unlock()
	seen := map[string]bool{}
	for i := len(sources) - 1; i >= 0; i-- {
		s := sources[i]
		if seen[s.uid] {
			continue
		}
		seen[s.uid] = true
		u := s.read()
		ch <- prometheus.MustNewConstMetric(capacityStreams, prometheus.GaugeValue, float64(u.Streams), s.uid)
		ch <- prometheus.MustNewConstMetric(capacityMaxStreams, prometheus.GaugeValue, float64(u.MaxStreams), s.uid)
		ch <- prometheus.MustNewConstMetric(capacityPoints, prometheus.GaugeValue, u.PointsPerSecond, s.uid)
		ch <- prometheus.MustNewConstMetric(capacityMaxPoints, prometheus.GaugeValue, float64(u.MaxPointsPerSecond), s.uid)
	}
}
