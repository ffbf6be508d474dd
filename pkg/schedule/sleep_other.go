//go:build !linux

package schedule

import "time"

// sleep waits d with the runtime's timers, which elsewhere than Linux are
// as precise as the platform offers.
func sleep(d time.Duration) {
	time.Sleep(d)
}
