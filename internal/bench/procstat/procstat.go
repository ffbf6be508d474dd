// Package procstat reads a process's CPU time from /proc for the bench
// (cmd/tickbench) and the soak (cmd/ticksoak). Both measure the plugin
// from outside, as Grafana sees it; one reader means their CPU figures
// are taken the same way and can be quoted side by side in the docs.
//
// RSS is not here: internal/host's Plugin.RSS already reads it for the harness,
// and both commands call that.
package procstat

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat:
// 100 on every Linux the bench runs on (the kernel ABI fixes it for x86
// and arm64).
const clockTicks = 100

// CPU is a process's user+system CPU time so far, from /proc/<pid>/stat
// (all its threads, living and ended), at 10 ms resolution.
func CPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	return parseStat(pid, b)
}

// parseStat takes utime+stime from the text of /proc/<pid>/stat.
func parseStat(pid int, b []byte) (time.Duration, error) {
	// The command name (field 2) may hold spaces; fields count from ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no ')'", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime/stime", pid)
	}
	return time.Duration(ut+st) * time.Second / clockTicks, nil
}

// SelfCPU is this process's own user+system CPU time: the host side of a
// bench or soak (receiving and checking every row). It is 0 if getrusage
// fails, which it does not on Linux.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MachineCPU is the CPU time all processes have used so far (busy) and the
// time all cores have existed for (total), from the first line of
// /proc/stat. The bench samples it twice to tell whether the machine was
// quiet before it began: the load average cannot say, since it still
// counts the build that just preceded the run.
func MachineCPU() (busy, total time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseMachineStat(b)
}

// parseMachineStat reads the "cpu" line of /proc/stat: user nice system
// idle iowait irq softirq steal …, in USER_HZ; idle and iowait are not busy.
func parseMachineStat(b []byte) (busy, total time.Duration, err error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: first line %q is not the cpu total", line)
	}
	var sum, idle int64
	for i, s := range f[1:min(len(f), 9)] { // guest times are already in user
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: field %d: %w", i+1, err)
		}
		sum += v
		if i == 3 || i == 4 {
			idle += v
		}
	}
	return time.Duration(sum-idle) * time.Second / clockTicks, time.Duration(sum) * time.Second / clockTicks, nil
}
