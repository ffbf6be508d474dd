package schedule

import (
	"syscall"
	"time"
)

// sleep blocks the calling thread for d in nanosleep, whose precision is
// the kernel's timer slack (50 µs by default), unlike the runtime's
// millisecond epoll timeout. An interrupted sleep returns early; the clock
// then reads the time and sleeps again.
func sleep(d time.Duration) {
	ts := syscall.NsecToTimespec(d.Nanoseconds())
	_ = syscall.Nanosleep(&ts, nil) // EINTR only: the caller rechecks the time
}
