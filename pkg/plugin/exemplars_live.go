package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/tickstream/streaming/pkg/capacity"
	"github.com/tickstream/streaming/pkg/channel"
	"github.com/tickstream/streaming/pkg/models"
	"github.com/tickstream/streaming/pkg/signal"
	"github.com/tickstream/streaming/pkg/wire"
)

// Live exemplars. A Live channel carries one frame schema, so the
// exemplars of a live range follow a channel of their own beside the
// stream's (pkg/channel/exemplars.go): its path is the stream's definition
// plus the exemplars' period in ticks, as the history computed it from its
// range (exemplarEvery), and the exemplarUrl that the schema links. The
// period is in the path because the stream never sees the panel's range:
// two panels whose ranges give the same period share one channel, and the
// stream sends at each tick k divisible by it the rows the history gives
// for k (exemplarRows): history and live agree point for point, and the
// exemplars stay in place as the panel slides. A query without exemplars
// has no such channel and its stream does no exemplar work.

// maxExemplarWait bounds how long an exemplar stream sleeps before it
// looks at the clock again: a period can be far longer than the clock's
// timer can wait.
const maxExemplarWait = 24 * time.Hour

// liveExemplars points the exemplar frame ex of the valid query q at its
// exemplar channel, as query() points the series frame at the stream:
// meta.channel, which @grafana/runtime follows without subscribe data, or
// for a hashed channel meta.custom, which the frontend follows with the
// definition (src/hashedStreams.ts). Nothing when there is no period (no
// kept tick) or it is beyond what a path carries.
//
// When the data source has no room for the exemplar channel (maxStreams,
// maxTotalPointsPerSecond), SubscribeStream will refuse it and the browser
// only hears "permission denied", so series, the query's series frame,
// says why, as it does for the stream's own refusal.
func (d *Datasource) liveExemplars(series, ex *data.Frame, q models.Query, e channel.Exemplars) {
	if e.Every < 1 || e.Every > channel.MaxExemplarEvery(q.TickInterval) {
		return
	}
	s := channel.ForExemplars(d.uid, q, e)
	if len(s.ID) > channel.MaxIDLength {
		return // only a uid of over 100 characters does this; the series frame says so
	}
	d.follow(ex, series, s, specCost(q, e), "exemplars")
}

// exemplarSchema is the schema of the exemplar channel id: the exemplar
// frame without rows, with meta.channel, so that a browser's streaming
// frame, which keeps the schema's meta but not the frame's name, still
// says which channel it follows (src/liveExemplars.ts names it again).
func (f *framer) exemplarSchema(url, id string) *data.Frame {
	frame := f.exemplarFrame(nil, url)
	frame.Meta.Channel = id
	return frame
}

// specCost is the share of maxTotalPointsPerSecond of the channel of q
// and e: a stream's points, or an exemplar channel's rows, one per series
// every e.Every ticks at most. It counts for a stream in maxStreams too.
func specCost(q models.Query, e channel.Exemplars) capacity.Cost {
	if e.Every == 0 {
		return streamCost(q)
	}
	return capacity.CostOf(q.Series, e.Every*q.TickInterval) // ≤ MaxExemplarSpanMs
}

// exemplarStream is one running exemplar channel, a task of the
// instance's runner like a stream: it sends the exemplars of each
// exemplar tick with the stream message that carries that tick (the
// message ticks of ticksPerMessage), so that an exemplar arrives with its
// point, and starts where a stream starts (firstStreamedTick), after the
// last tick a live history holds. Ticks without an exemplar cost nothing
// but a wake-up at the next exemplar's message.
type exemplarStream struct {
	d      *Datasource
	ctx    context.Context // for logging only
	path   string
	q      models.Query
	sender *backend.StreamSender
	gen    *signal.Generator
	cols   []wire.Column
	rows   []wire.Row
	due    due // in exemplar ticks (period every), at most catchUpTicks
}

func (d *Datasource) newExemplarStream(ctx context.Context, path string, q models.Query, e channel.Exemplars, sender *backend.StreamSender) *exemplarStream {
	per := ticksPerMessage(q.TickInterval, d.settings.MaxMessageRate)
	f := newFramer(q)
	return &exemplarStream{
		d: d, ctx: ctx, path: path, q: q, sender: sender,
		gen:  f.gen,
		cols: f.exemplarColumns(),
		due:  newDue(d.now().UnixMilli(), q.TickInterval, per, e.Every, catchUpTicks(q.Series)),
	}
}

// exemplarColumns write a stream message's exemplar rows, field for field
// the frame of exemplarFrame (its data link is in the schema only).
func (f *framer) exemplarColumns() []wire.Column {
	gen, labels := f.gen, f.labels
	cols := []wire.Column{
		wire.TimeColumn(f.q.TickInterval),
		func(dst []byte, r wire.Row) []byte { return wire.AppendFloat(dst, gen.Value(r.S, r.K)) },
		func(dst []byte, r wire.Row) []byte { // 32 hex digits: no escaping
			return append(gen.AppendTraceID(append(dst, '"'), r.S, r.K), '"')
		},
	}
	for _, key := range f.labelKeys() {
		cols = append(cols, func(dst []byte, r wire.Row) []byte { return wire.AppendString(dst, labels[r.S-1][key]) })
	}
	return cols
}

// wake is the Unix ms time of the message that carries the next exemplar
// tick, or at most maxExemplarWait from now.
func (s *exemplarStream) wake() int64 {
	return min(s.due.wake(), s.d.now().Add(maxExemplarWait).UnixMilli())
}

// send sends the exemplars of the ticks that fell due since the last
// message, if any, and returns when to call it again.
func (s *exemplarStream) send() (int64, error) {
	msg := messages.Get().(*[]byte)
	defer messages.Put(msg)
	return s.sendInto(msg)
}

// sendInto is send, with the message encoded into *msg.
func (s *exemplarStream) sendInto(msg *[]byte) (int64, error) {
	now := s.d.now()
	first, last, missed, ok := s.due.take(now.UnixMilli())
	if !ok {
		return s.wake(), nil
	}
	if missed > 0 {
		backend.Logger.FromContext(s.ctx).Warn("Exemplar stream fell behind; skipping the oldest missed exemplars", "path", s.path,
			"missed", missed, "sent", s.due.bound)
	}
	s.rows = exemplarRows(s.rows[:0], s.gen, s.q.Series, first, last, s.due.period)
	if len(s.rows) == 0 {
		return s.wake(), nil
	}
	*msg = wire.AppendTable((*msg)[:0], s.rows, s.cols)
	if err := sendCounted(msg, s.sender, "exemplar", len(s.rows), last, s.q.TickInterval, now); err != nil {
		return 0, err
	}
	return s.wake(), nil
}
