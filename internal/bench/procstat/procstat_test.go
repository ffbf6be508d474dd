package procstat

import (
	"os"
	"testing"
	"time"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name, stat string
		want       time.Duration
		wantErr    bool
	}{
		// utime 150 and stime 25 ticks: 1.75 s. The name holds ") " to
		// show fields are counted from the last ')'.
		{name: "name with spaces", stat: "42 (tick) stream) S 1 42 42 0 -1 4194560 100 0 0 0 150 25 0 0 20 0 9 0 1 1 1",
			want: 1750 * time.Millisecond},
		{name: "no paren", stat: "42 tick S 1", wantErr: true},
		{name: "short", stat: "42 (tick) S 1 42 42", wantErr: true},
		{name: "bad utime", stat: "42 (tick) S 1 42 42 0 -1 4194560 100 0 0 0 x 25 0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStat(42, []byte(tt.stat))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCPUOfSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, err := CPU(os.Getpid()); err != nil {
		t.Fatalf("CPU: %v", err)
	}
}

func TestParseMachineStat(t *testing.T) {
	stat := "cpu  100 5 50 800 40 3 2 10 7 0\ncpu0 50 2 25 400 20 1 1 5 3 0\n"
	busy, total, err := parseMachineStat([]byte(stat))
	if err != nil {
		t.Fatal(err)
	}
	// user+nice+system+irq+softirq+steal = 170 ticks; +idle+iowait = 1010.
	if busy != 1700*time.Millisecond || total != 10100*time.Millisecond {
		t.Errorf("busy, total = %v, %v; want 1.7s, 10.1s", busy, total)
	}
	if _, _, err := parseMachineStat([]byte("intr 1 2 3\n")); err == nil {
		t.Error("a /proc/stat without the cpu line parsed")
	}
}
