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
