package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

const mib = 1 << 20

func TestLimit(t *testing.T) {
	// 10,000 parked streams: 160 MiB of stacks and runtime metadata,
	// 80 MiB live, 100 MiB of dead objects and 30 MiB of free pages that
	// the collector's own goal would have let accumulate.
	stacky := usage{total: 400 * mib, released: 10 * mib, free: 30 * mib, objects: 180 * mib, live: 80 * mib}
	held := int64(400-10-30-180+80) * mib
	tests := []struct {
		name    string
		u       usage
		streams int
		ceiling int64
		want    int64
	}{
		{"garbage and free pages are not kept, a headroom per stream is", stacky, 10_000, math.MaxInt64, held + 10_000*5<<10},
		{"few streams get the minimum headroom", stacky, 10, math.MaxInt64, held + 32*mib},
		{"never above the limit the process started with", stacky, 10_000, 200 * mib, 200 * mib},
		{"no overflow near the top", usage{total: math.MaxInt64, live: 0}, 1, math.MaxInt64, math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := limit(tt.u, tt.streams, tt.ceiling); got != tt.want {
				t.Errorf("limit = %d MiB, want %d MiB", got/mib, tt.want/mib)
			}
		})
	}
}

// TestAddLimitsMemoryWhileStreamsRun checks the lifecycle a plugin process
// goes through: no limit of its own before the first stream, one that
// follows each collection while streams run, the process's own limit back
// as soon as the last stream ends.
func TestAddLimitsMemoryWhileStreamsRun(t *testing.T) {
	if got := debug.SetMemoryLimit(-1); got != base {
		t.Fatalf("limit before any stream = %d, want the process's %d", got, base)
	}
	done := Add()
	var got int64
	for deadline := time.Now().Add(10 * time.Second); ; {
		runtime.GC()
		if got = debug.SetMemoryLimit(-1); got != base {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no memory limit was set after collections while a stream ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	mapped := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
	live := int64(s[2].Value.Uint64())
	// Below the limit lies everything the collector keeps; above it no
	// more than what is mapped plus the headroom, so garbage does not
	// count (the test's heap is small: the margins are generous).
	if got < live || got > mapped+minHeadroom+4*mib {
		t.Errorf("limit %d MiB with %d MiB live and %d MiB mapped: want at least the live heap and at most mapped + the %d MiB headroom",
			got/mib, live/mib, mapped/mib, minHeadroom/mib)
	}
	done()
	if got := debug.SetMemoryLimit(-1); got != base {
		t.Errorf("limit after the last stream = %d, want the process's %d back", got, base)
	}
	for range 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got != base {
		t.Errorf("limit after collections without streams = %d, want the process's %d", got, base)
	}
}
