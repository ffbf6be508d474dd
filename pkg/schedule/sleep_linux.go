package schedule

import (
	"time"

	"golang.org/x/sys/unix"
)

// sleep blocks the calling thread for d in nanosleep, whose precision is
// the kernel's timer slack (50 µs by default), unlike the runtime's
// millisecond epoll timeout. It goes through golang.org/x/sys/unix, not
// the frozen syscall package, which the plugin catalog's code rules refuse
// (DEVELOPERS.md, "Sleeping without the syscall package", has the trade-off
// and the figures). An interrupted sleep returns early; the clock then
// reads the time and sleeps again.
func sleep(d time.Duration) {
	ts := unix.NsecToTimespec(d.Nanoseconds())
	_ = unix.Nanosleep(&ts, nil) // EINTR only: the caller rechecks the time
}
