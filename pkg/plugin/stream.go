package plugin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/memlimit"
	"github.com/tickstream/streaming/pkg/metrics"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/schedule"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// maxCatchUpTicks bounds the frame RunStream sends after a stall (a
// suspended machine, a long GC pause): no panel holds more points than a
// query may return, so older missed ticks are skipped rather than sent.
// With several series the bound is catchUpTicks, which also keeps to the
// query's budget of maxQueryPoints.
const maxCatchUpTicks = maxDataPointsCap

// catchUpTicks is the most ticks one message carries after a stall: as
// many as one series of a query may return at most, min(10000, 1000000 /
// series), which is QueryData's pointLimit for the largest maxDataPoints.
func catchUpTicks(series int64) int64 {
	return pointLimit(maxCatchUpTicks, series)
}

// ticksPerMessage is c = ceil(1000 / (maxMessageRate × tickInterval)), the
// ticks one message carries so that a stream sends at most maxMessageRate
// messages a second; 1 when ticks are slow enough to send each alone.
// Both factors are validated (rate ≤ 1000, tick ≤ 86400000), so the
// product fits an int64.
func ticksPerMessage(tickInterval, maxMessageRate int64) int64 {
	return ceilMultiple(1000, maxMessageRate*tickInterval) / (maxMessageRate * tickInterval)
}

// ceilMultiple returns the least multiple of m at or after k (m > 0); the
// grid helpers of signal are exactly that rounding, with m as the interval.
func ceilMultiple(k, m int64) int64 {
	return signal.TickTime(signal.FirstTickAtOrAfter(k, m), m)
}

// floorMultiple returns the greatest multiple of m at or before k (m > 0).
func floorMultiple(k, m int64) int64 {
	return signal.TickTime(signal.LastTickAtOrBefore(k, m), m)
}

// errDisposed ends a stream whose instance was replaced. Returning an
// error, not nil, makes Grafana call RunStream again, which reaches the new
// instance and its settings.
var errDisposed = errors.New("the data source's settings changed; the stream restarts with the new settings")

// SubscribeStream decides whether a browser may subscribe to a channel
// path, before any stream runs: a path that is not a canonical Tickstream
// path does not exist (NotFound); a valid one that this data source's
// settings refuse, or that the subscriber's data contradicts, is
// PermissionDenied, and so is a new stream past maxStreams or
// maxTotalPointsPerSecond (a channel that runs already is always joined).
// On success the subscriber gets the frame schema once, since RunStream
// sends data only. An exemplar channel (exemplars_live.go) is a stream
// like any other here, with the exemplar frame's schema and its own cost.
func (d *Datasource) SubscribeStream(ctx context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	logger := backend.Logger.FromContext(ctx)
	q, e, err := d.streamSpec(req.Path, req.Data)
	if errors.Is(err, channel.ErrOtherStream) {
		logger.Info("Subscription refused: the subscribe data describes another stream than the path", "path", req.Path)
		metrics.SubscriptionRefused(metrics.ReasonDataMismatch)
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	if err != nil {
		logger.Info("Subscription refused: unknown channel path", "error", err)
		metrics.SubscriptionRefused(metrics.ReasonNotFound)
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	if kind, reason := d.refusal(q); reason != "" {
		logger.Info("Subscription refused", "path", req.Path, "reason", reason)
		metrics.SubscriptionRefused(kind)
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	if !channel.IsHashed(req.Path) && hasSubscribeData(req.Data) {
		if dataQuery, errs := models.ParseQuery(req.Data, d.settings); errs != nil || dataQuery != q {
			logger.Info("Subscription refused: the subscribe data describes another stream than the path", "path", req.Path)
			metrics.SubscriptionRefused(metrics.ReasonDataMismatch)
			return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
		}
	}
	var frame *data.Frame
	if e.Every != 0 {
		frame = newFramer(q).exemplarSchema(e.URL, channel.ID(d.uid, req.Path))
	} else {
		frame = newFramer(q).schema()
	}
	schema, err := backend.NewInitialFrame(frame, data.IncludeSchemaOnly)
	if err != nil {
		return nil, fmt.Errorf("encode the stream schema: %w", err)
	}
	// Last, so that only a subscription that is otherwise accepted holds
	// a share; RunStream takes the reservation over.
	if err := d.load.Reserve(req.Path, specCost(q, e)); err != nil {
		logger.Warn("Subscription refused", "path", req.Path, "reason", err.Error())
		metrics.SubscriptionRefused(metrics.ReasonCapacity)
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK, InitialData: schema}, nil
}

// hasSubscribeData reports whether a subscriber sent data at all; Grafana
// sends none when it follows a query's meta.channel, and null means none.
func hasSubscribeData(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && !bytes.Equal(raw, []byte("null"))
}

// refusal says why this data source will not run q, or "" when it will,
// with the kind of refusal that the metrics count: broken settings, or a
// query beyond the settings' limits.
func (d *Datasource) refusal(q models.Query) (metrics.Reason, string) {
	if d.settingsErrors != nil {
		return metrics.ReasonSettings, d.settingsMessage()
	}
	if errs := q.Check(d.settings); errs != nil {
		return metrics.ReasonLimits, models.JoinMessages(errs)
	}
	return metrics.ReasonLimits, ""
}

// PublishStream refuses every publication: Tickstream channels carry only
// what the plugin generates.
func (d *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends the channel's ticks as they fall due, each grid tick
// after the start exactly once and in order, with the same values QueryData
// gives; on an exemplar channel, the exemplars QueryData gives for those
// ticks (exemplars_live.go). Grafana runs it once per channel for all subscribers. It returns
// nil only when ctx is done, the send error as soon as a send fails, and
// errDisposed when the instance is replaced. A path it cannot run (only
// reachable by skipping SubscribeStream) waits for ctx instead of failing,
// because Grafana would retry a failure forever.
//
// A panic in the generator ends only this stream, as an error (Grafana
// then restarts it): the runner recovers it and the other streams go on.
func (d *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	task, stop := d.startStream(ctx, req, sender)
	if task == nil {
		return d.idle(ctx)
	}
	err := d.await(ctx, task)
	stop()
	return d.stopped(ctx, req.Path, err)
}

// startStream starts the stream of req as a task of the runners, or
// returns a nil task for a path that cannot run. stop ends the task and
// gives back its share of the data source's load and memory.
//
// RunStream's goroutine is parked for as long as its stream runs, 10,000
// of them at once in a busy plugin. Parsing and validating a path grows
// each of those stacks to 32 KiB, and the collector shrinks a parked stack
// only while it uses under a quarter of it. The SDK's and grpc-go's frames
// under RunStream use about 6 KiB; when RunStream itself held the query
// and its checks (a frame of over a kilobyte) while parked, the stacks
// stayed at 32 KiB. Doing that work here, in a call that returns before
// RunStream parks in await, lets them shrink to 16 KiB, as the echo
// plugin's: 157 MiB less stack at 10,000 streams (developers/cpu-10k.md).
// The margin is under a kilobyte, so whatever RunStream keeps while it
// waits stays small; tickbench's "Go stacks in use" rows show it.
func (d *Datasource) startStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) (task *schedule.Task, stop func()) {
	q, e, err := d.streamSpec(req.Path, req.Data)
	reason := ""
	if err != nil {
		reason = err.Error()
	} else {
		_, reason = d.refusal(q)
	}
	// The logger is made where it is used, not kept: it is a few hundred
	// bytes per stream for two lines.
	if reason != "" {
		backend.Logger.FromContext(ctx).Warn("Stream cannot run; idle until its subscribers leave", "path", req.Path, "reason", reason)
		return nil, nil
	}

	backend.Logger.FromContext(ctx).Info("Stream started", "path", req.Path)
	// The stream is made before it takes its shares of the load and the
	// memory, which only stop gives back: a panic in making it (a bug,
	// which the SDK recovers as this request's error) leaves none behind.
	var wake int64
	var send func() (int64, error)
	if e.Every != 0 {
		s := d.newExemplarStream(ctx, req.Path, q, e, sender)
		wake, send = s.wake(), s.send
	} else {
		s := d.newStream(ctx, req.Path, q, sender)
		wake, send = s.wake(), s.send
	}
	metrics.StreamStarted()
	unload := d.load.Start(req.Path, specCost(q, e))
	forget := memlimit.Add()
	task = d.runners.Start(wake, send)
	return task, func() {
		task.Stop()
		forget()
		unload()
		metrics.StreamStopped()
	}
}

// await waits for the end of a running stream: nil when its subscribers
// left, or why it ended.
func (d *Datasource) await(ctx context.Context, task *schedule.Task) error {
	select {
	case <-ctx.Done():
		return nil
	case <-d.disposed.Done():
		return errDisposed
	case err := <-task.Failed():
		return err
	}
}

// stopped logs the end of a stream and returns the error RunStream
// returns: a panic's value, with its stack in the log.
func (d *Datasource) stopped(ctx context.Context, path string, err error) error {
	if err == nil {
		backend.Logger.FromContext(ctx).Info("Stream stopped", "path", path, "reason", "no subscribers left")
		return nil
	}
	if p, ok := errors.AsType[*schedule.PanicError](err); ok {
		backend.Logger.FromContext(ctx).Error("Stream failed", "path", path, "panic", p.Value, "stack", string(p.Stack))
		err = fmt.Errorf("stream %s failed: %v", path, p.Value)
	}
	backend.Logger.FromContext(ctx).Info("Stream stopped", "path", path, "error", err)
	return err
}

// idle waits for the end of a stream that sends nothing.
func (d *Datasource) idle(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-d.disposed.Done():
		return errDisposed
	}
}

// maxKeptMessage is the largest message buffer kept between messages; a
// catch-up message can be megabytes, and holding that for the process's
// life would cost more than growing it again.
const maxKeptMessage = 64 << 10

// messages holds the buffers that messages are encoded into. A stream
// needs one only while it sends, and a runner sends its streams one after
// the other, so the few buffers the pool keeps (about one per core) serve
// every stream instead of one held by each: at 100 series a message is
// several KB, and thousands of streams would each keep theirs.
var messages = sync.Pool{New: func() any { return new([]byte) }}

// stream is one running channel: RunStream starts it as a task of the
// instance's runner, which calls send at the grid time of each message.
// Which ticks a message carries, and when the next one goes out, is due's
// rule (due.go): messages at the ticks k divisible by c = ticksPerMessage,
// each carrying every tick since the previous message, so that fast ticks
// are batched to at most maxMessageRate messages a second and every
// viewer's batches line up; after a stall every tick that fell due, at
// most catchUpTicks of them. Each message is encoded into a buffer from
// messages (pkg/wire), so a stream in steady state allocates nothing of
// its own.
type stream struct {
	d      *Datasource
	ctx    context.Context // for logging only
	path   string
	q      models.Query
	sender *backend.StreamSender
	value  wire.ValueFunc
	due    due // in ticks (period 1), at most catchUpTicks or the kind's rowLimit
	// gaps writes the messages of a query that is not plain numbers
	// (layout.go); nil for plain numbers, which value writes.
	gaps *gapsStream
}

func (d *Datasource) newStream(ctx context.Context, path string, q models.Query, sender *backend.StreamSender) *stream {
	per := ticksPerMessage(q.TickInterval, d.settings.MaxMessageRate)
	return &stream{
		d: d, ctx: ctx, path: path, q: q, sender: sender,
		value: d.values(q),
		due:   newDue(d.now().UnixMilli(), q.TickInterval, per, 1, rowLimit(q, catchUpTicks(q.Series))),
		gaps:  d.newGapsStream(q),
	}
}

// wake is the Unix ms time of the message that carries the next tick.
func (s *stream) wake() int64 {
	return s.due.wake()
}

// send sends the ticks that fell due since the last message and returns
// when to call it again.
func (s *stream) send() (int64, error) {
	// One clock read serves the message and its lag: on a virtual machine
	// a read can cost a few hundred ns, a few percent of a message.
	now := s.d.now()
	first, last, missed, ok := s.due.take(now.UnixMilli())
	if !ok {
		return s.wake(), nil // woke early, or the wall clock stepped back
	}
	if missed > 0 {
		backend.Logger.FromContext(s.ctx).Warn("Stream fell behind; skipping the oldest missed ticks", "path", s.path,
			"missed", missed, "sent", s.due.bound)
	}
	send := s.d.sendMessage
	if s.gaps != nil {
		send = s.gaps.sendMessage
	}
	msg := messages.Get().(*[]byte)
	err := send(msg, s.sender, s.q, s.value, first, last, now)
	messages.Put(msg)
	if err != nil {
		return 0, err
	}
	return s.wake(), nil
}

// sendMessage sends the ticks next … last of q as one data-only frame
// encoded into *msg, and counts it, with its lag from its last tick to now
// (read just before it was encoded).
func (d *Datasource) sendMessage(msg *[]byte, sender *backend.StreamSender, q models.Query, value wire.ValueFunc, next, last int64, now time.Time) error {
	count := last - next + 1
	*msg = wire.AppendFrame((*msg)[:0], next, count, q.TickInterval, q.Series, value)
	return sendCounted(msg, sender, "stream", int(count*q.Series), last, q.TickInterval, now)
}

// sendCounted sends the encoded message *msg, whose latest tick is last
// on a grid of tick ms, and counts it with its points and its lag to now
// (read just before it was encoded); what names the frame in a send
// error. A buffer grown past maxKeptMessage is let go.
func sendCounted(msg *[]byte, sender *backend.StreamSender, what string, points int, last, tick int64, now time.Time) error {
	if err := sender.SendBytes(*msg); err != nil {
		metrics.SendFailed()
		return fmt.Errorf("send %s frame: %w", what, err)
	}
	metrics.MessagesSent(1, points)
	metrics.ObserveLag(now.Sub(time.UnixMilli(signal.TickTime(last, tick))))
	if cap(*msg) > maxKeptMessage {
		*msg = nil
	}
	return nil
}
