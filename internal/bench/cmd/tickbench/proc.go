package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/tickstream/streaming/internal/bench/procstat"
)

// procStatusKB reads a "kB" line of /proc/<pid>/status, e.g. VmHWM (the
// peak RSS, which host.Plugin.RSS does not give).
func procStatusKB(pid int, key string) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			fs := strings.Fields(rest)
			if len(fs) == 0 {
				break
			}
			return strconv.ParseInt(fs[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, key)
}

// cpuMeter measures the CPU a plugin process and the host used between
// Start and Stop, against wall time.
type cpuMeter struct {
	pid                int
	wall0              time.Time
	plugin0, host0     time.Duration
	Wall, Plugin, Host time.Duration
}

func startMeter(pid int) (*cpuMeter, error) {
	c, err := procstat.CPU(pid)
	if err != nil {
		return nil, err
	}
	return &cpuMeter{pid: pid, wall0: time.Now(), plugin0: c, host0: procstat.SelfCPU()}, nil
}

func (m *cpuMeter) Stop() error {
	c, err := procstat.CPU(m.pid)
	if err != nil {
		return err
	}
	m.Wall = time.Since(m.wall0)
	m.Plugin = c - m.plugin0
	m.Host = procstat.SelfCPU() - m.host0
	return nil
}

// PluginCores and HostCores are CPU time over wall time.
func (m *cpuMeter) PluginCores() float64 { return m.Plugin.Seconds() / m.Wall.Seconds() }
func (m *cpuMeter) HostCores() float64   { return m.Host.Seconds() / m.Wall.Seconds() }

// machine describes the machine for the report.
type machine struct {
	CPU, Kernel, Go, LoadAvg string
	Cores                    int
	MemGiB                   float64
	// BusyBefore is the share of all cores in use over the seconds before
	// the run (other processes: the bench has not started any yet); -1
	// when /proc/stat could not be read.
	BusyBefore float64
}

// quietBusy is the most BusyBefore a run may start with to be called
// quiet: a tenth of the machine, well below a build or a test run.
const quietBusy = 0.1

func describeMachine() machine {
	m := machine{Cores: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if kb, err := procStatusKBFile("/proc/meminfo", "MemTotal"); err == nil {
		m.MemGiB = float64(kb) / (1 << 20)
	}
	if out, err := exec.Command("uname", "-srm").Output(); err == nil {
		m.Kernel = strings.TrimSpace(string(out))
	}
	m.LoadAvg = loadAvg()
	m.BusyBefore = busyOver(2 * time.Second)
	return m
}

// busyOver is the share of all cores busy during the next d, or -1.
func busyOver(d time.Duration) float64 {
	b0, t0, err0 := procstat.MachineCPU()
	time.Sleep(d)
	b1, t1, err1 := procstat.MachineCPU()
	if err0 != nil || err1 != nil || t1 <= t0 {
		return -1
	}
	return float64(b1-b0) / float64(t1-t0)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func procStatusKBFile(path, key string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			fs := strings.Fields(rest)
			if len(fs) > 0 {
				return strconv.ParseInt(fs[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("%s: no %s", path, key)
}
