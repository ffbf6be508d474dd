package host

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStopRemovesTheSocketOfAKilledPlugin: a plugin killed the way
// TestPluginKilledAndRestarted kills one cannot remove its unix socket;
// Stop does, so the suite leaves nothing in the temp folder.
func TestStopRemovesTheSocketOfAKilledPlugin(t *testing.T) {
	t.Parallel()
	for _, kill := range []bool{false, true} {
		p, err := Start(pluginBinary)
		if err != nil {
			t.Fatal(err)
		}
		addr := p.Addr()
		if addr == nil || addr.Network() != "unix" {
			p.Stop()
			t.Fatalf("the plugin serves on %v, want a unix socket", addr)
		}
		socket := addr.String()
		if filepath.Dir(socket) != p.socketDir {
			t.Errorf("socket %s is not in the plugin's own folder %s", socket, p.socketDir)
		}
		if kill {
			proc, err := os.FindProcess(p.Pid())
			if err == nil {
				err = proc.Kill()
			}
			if err != nil {
				p.Stop()
				t.Fatalf("kill: %v", err)
			}
			if ok, _ := eventually(30*time.Second, func() (bool, string) { return p.Exited(), "" }); !ok {
				p.Stop()
				t.Fatal("the killed plugin has not exited")
			}
			if _, err := os.Stat(socket); err != nil {
				t.Logf("the killed plugin's socket is already gone (%v): this kernel or go-plugin removed it", err)
			}
		}
		p.Stop()
		for _, path := range []string{socket, p.socketDir} {
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("killed=%v: %s is left after Stop (stat: %v)", kill, path, err)
			}
		}
	}
}
