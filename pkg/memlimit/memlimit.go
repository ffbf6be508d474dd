// Package memlimit keeps the memory the plugin holds in proportion to the
// streams it runs.
//
// The collector's heap goal is the live heap plus GOGC percent of the live
// heap, the goroutine stacks in use and the globals: at 10,000 streams
// about 65 MB of live heap and 63 MB of stack in use (the SDK parks a gRPC
// handler goroutine per RunStream, on a 16 KiB stack) let some 100 MB of
// garbage accumulate between collections. A collection frees it, but the
// runtime hands free pages back to the operating system slowly, so
// without a limit RSS settles about 90 MiB higher at 10,000 streams × 1 s
// than with it (developers/cpu-10k.md: 474 and 480 MiB without, 384 and
// 386 with, measured while the parked stacks were still 32 KiB).
// The price is CPU: with the limit the collector runs three times as
// often (every 10 s instead of every 30), about 1.1 µs a message, an
// eighth of the plugin's CPU there, or 0.011 cores. Memory is what a host
// running thousands of streams runs short of first, so the limit stays.
//
// While streams run, after each collection the package sets a soft
// memory limit (debug.SetMemoryLimit) of what the runtime holds apart from
// garbage and free pages, plus a headroom of a little per stream: the
// collector then runs once that headroom is used up, and the scavenger
// returns the rest to the operating system. The limit follows what the
// runtime measures after every cycle, so a heap that grows for good (more
// streams, a large query) raises it at the next cycle rather than making
// the collector run back to back. It never exceeds the limit the process
// started with (GOMEMLIMIT), which comes back once no stream runs.
package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// headroomPerStream is the garbage allowed to accumulate per running
	// stream between collections, which trades memory for collector CPU.
	// The SDK and grpc-go allocate about 360 bytes per message sent, and a
	// collection costs about 24 µs of CPU per parked stream, mostly
	// unwinding its stack. The pacer starts a cycle once about 70 % of the
	// headroom is used (its trigger runway), so a stream sending once a
	// second starts one every 10 messages or so, and the collections cost
	// about 2.4 µs a message, against 0.8 µs under Go's own goal, out of the
	// 8–10 µs a message costs in all at 10,000 streams (measured in the
	// plugin's own gctrace: developers/cpu-10k.md). RSS then stays within
	// 1.5 KiB a stream of the echo plugin sending the same messages.
	headroomPerStream = 5 << 10
	// minHeadroom keeps collections as rare as Go's own goal makes them
	// while few streams run, where a query's buffers would otherwise
	// trigger one cycle after another.
	minHeadroom = 32 << 20
)

var (
	mu      sync.Mutex
	streams int  // running streams
	armed   bool // a cleanup waits for the next collection
	// base is the limit the process started with: GOMEMLIMIT, or none
	// (math.MaxInt64).
	base = debug.SetMemoryLimit(-1)
	// samples are read after each collection, under mu.
	samples = []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
)

// Add counts a running stream until the returned function is called.
func Add() (done func()) {
	mu.Lock()
	defer mu.Unlock()
	streams++
	if !armed {
		arm()
	}
	return remove
}

func remove() {
	mu.Lock()
	defer mu.Unlock()
	if streams--; streams == 0 {
		// The pending cleanup sees no streams and stops.
		debug.SetMemoryLimit(base)
	}
}

// sentinel is allocated for each collection to find out when it ended;
// it holds a pointer so that it is not combined with other small objects.
type sentinel struct{ _ *byte }

// arm has collected called after the next collection; mu is held.
func arm() {
	armed = true
	runtime.AddCleanup(&sentinel{}, func(struct{}) { collected() }, struct{}{})
}

// collected sets the limit from what the collection left, and waits for
// the next one while streams run.
func collected() {
	mu.Lock()
	defer mu.Unlock()
	if streams == 0 {
		armed = false
		return
	}
	metrics.Read(samples)
	for _, m := range samples {
		if m.Value.Kind() != metrics.KindUint64 {
			// A toolchain without one of them: leave the limit alone
			// rather than guess.
			armed = false
			return
		}
	}
	u := usage{
		total:    samples[0].Value.Uint64(),
		released: samples[1].Value.Uint64(),
		free:     samples[2].Value.Uint64(),
		objects:  samples[3].Value.Uint64(),
		live:     samples[4].Value.Uint64(),
	}
	debug.SetMemoryLimit(limit(u, streams, base))
	arm()
}

// usage is the runtime's memory right after a collection, in bytes, as
// runtime/metrics names it.
type usage struct {
	total    uint64 // all memory the runtime mapped
	released uint64 // heap pages returned to the operating system
	free     uint64 // heap pages free and not returned
	objects  uint64 // heap objects, live and dead ones not swept yet
	live     uint64 // heap objects the collection marked live
}

// limit is the soft memory limit for streams running streams: what u holds
// apart from dead objects and free pages (stacks, runtime metadata, the
// live heap), plus the headroom, and at most ceiling.
func limit(u usage, streams int, ceiling int64) int64 {
	// The runtime's own split (mgcpacer.go): everything mapped and not
	// released, less free pages and heap objects, is not heap.
	// Sums in uint64, as the runtime counts; a reading that does not add
	// up (it never should) holds nothing rather than wrapping.
	var held uint64
	if gone := u.released + u.free + u.objects; gone < u.total+u.live {
		held = u.total + u.live - gone
	}
	if held > math.MaxInt64 {
		return ceiling
	}
	headroom := max(int64(minHeadroom), int64(streams)*headroomPerStream)
	if h := int64(held); h <= math.MaxInt64-headroom {
		return min(h+headroom, ceiling)
	}
	return ceiling
}
