package plugin

import "github.com/tickstream/streaming/pkg/signal"

// due is the catch-up rule of a running channel, the one place where a
// data stream (stream.go) and an exemplar stream (exemplars_live.go) decide
// which ticks a message carries and when the next one goes out. Messages
// go out at the message ticks, those divisible by per, so that fast ticks
// are batched and every viewer's batches line up; each carries every tick
// since the previous message, up to the latest message tick at the
// caller's clock reading, the one that also times the message's lag.
// After a stall (a suspended machine, a long GC pause) a message carries
// only the latest bound periods that fell due and skips the older ones,
// since no panel holds more than a query may return. The two streams
// count the bound in different units, which is why period is part of the
// rule: a data stream sends a row per tick (period 1), an exemplar stream
// rows at the ticks divisible by its exemplars' period, so its bound
// counts those ticks.
//
// Plain integers and no pointers: it sits inside each stream and costs no
// allocation or indirection on the hot path.
type due struct {
	next   int64 // the first tick not sent yet
	per    int64 // ticks per message
	tick   int64 // the tick interval in ms
	period int64 // the ticks that count toward bound: those divisible by period
	bound  int64 // most periods of one message
	// skipped says the bound was hit once already, so that a stream
	// stalled again and again warns once.
	skipped bool
}

// newDue starts the rule of a stream started at nowMs: its first message
// carries the ticks after the last message tick that has come
// (firstStreamedTick), so that it continues every live history served
// since.
func newDue(nowMs, tick, per, period, bound int64) due {
	return due{next: firstStreamedTick(nowMs, tick, per), per: per, tick: tick, period: period, bound: bound}
}

// wake is the Unix ms time of the message that carries the next tick
// divisible by period: a stream asks for the grid time of its next
// message rather than ticking at a fixed period, so it never drifts off
// the grid and streams due at the same time are sent in one wake-up; an
// exemplar stream sleeps through the messages without exemplars.
func (d *due) wake() int64 {
	return signal.TickTime(ceilMultiple(ceilMultiple(d.next, d.period), d.per), d.tick)
}

// take returns the ticks first … last that a message sent at nowMs (Unix
// ms) carries, and moves next past them. ok is false when no message tick
// has come since the previous message (the runner woke early, or the wall
// clock stepped back); then nothing moves and nothing is due. last is the
// latest message tick that has come: the ticks after it wait for the next
// message. first is next, or after a stall the earliest of the latest
// bound periods; the ticks before it are skipped.
//
// missed is 0 but the first time the bound is hit: then it is how many
// periods fell due, of which bound are sent, for the caller's one warning
// (its own words, on its own logger).
func (d *due) take(nowMs int64) (first, last, missed int64, ok bool) {
	last = floorMultiple(signal.LastTickAtOrBefore(nowMs, d.tick), d.per)
	if last < d.next {
		return 0, 0, 0, false
	}
	first = d.next
	d.next = last + 1
	// The earliest and the latest tick of a period in first … last; with
	// none, latest is oldest - period, within any bound.
	oldest, latest := ceilMultiple(first, d.period), floorMultiple(last, d.period)
	if (latest-oldest)/d.period < d.bound {
		return first, last, 0, true
	}
	if !d.skipped {
		d.skipped = true
		missed = (latest-oldest)/d.period + 1
	}
	return latest - (d.bound-1)*d.period, last, missed, true
}
