// Package release builds and checks Tickstream's release archive, laid out as
// Grafana's plugin tooling expects (grafana/plugin-actions package-plugin and
// grafana/plugin-validator): one zip named <plugin id>-<version>.zip holding a
// single top-level folder named after the plugin id, with the built dist/
// inside it, executables 0755, and its checksums beside it.
//
// The package has no SDK glue; scripts/package.sh drives it through
// cmd/pluginzip, and its tests build deliberately wrong archives to prove that
// Check refuses each of them.
package release

import (
	"fmt"
	"runtime"
	"strings"
)

// Platform is one GOOS/GOARCH pair the backend executable is built for.
type Platform struct {
	OS, Arch string
}

// String returns "os/arch".
func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Executable returns the file name mage gives the executable base built for p:
// <base>_<os>_<arch>, with ".exe" on Windows (grafana-plugin-sdk-go build).
func (p Platform) Executable(base string) string {
	name := fmt.Sprintf("%s_%s_%s", base, p.OS, p.Arch)
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// AllPlatforms are the six platforms "mage -v" (the SDK's BuildAll) builds, in
// BuildAll's order: the platforms of a release.
var AllPlatforms = []Platform{
	{"linux", "amd64"},
	{"windows", "amd64"},
	{"darwin", "amd64"},
	{"darwin", "arm64"},
	{"linux", "arm64"},
	{"linux", "arm"},
}

// HostPlatform is the platform this program runs on.
func HostPlatform() Platform { return Platform{runtime.GOOS, runtime.GOARCH} }

// ParsePlatforms reads a comma-separated list of os/arch pairs; "all" means
// AllPlatforms and "host" means HostPlatform. Only the six supported platforms
// are accepted, each at most once.
func ParsePlatforms(list string) ([]Platform, error) {
	switch list {
	case "all":
		return append([]Platform(nil), AllPlatforms...), nil
	case "host":
		list = HostPlatform().String()
	}
	var out []Platform
	seen := map[Platform]bool{}
	for _, item := range strings.Split(list, ",") {
		os, arch, ok := strings.Cut(strings.TrimSpace(item), "/")
		p := Platform{os, arch}
		if !ok || !supported(p) {
			return nil, fmt.Errorf("platform %q is not one of %s", item, platformList(AllPlatforms))
		}
		if seen[p] {
			return nil, fmt.Errorf("platform %s is listed twice", p)
		}
		seen[p] = true
		out = append(out, p)
	}
	return out, nil
}

func supported(p Platform) bool {
	for _, q := range AllPlatforms {
		if p == q {
			return true
		}
	}
	return false
}

func platformList(ps []Platform) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}

// Spec is what a release archive must be. Its values come from the sources
// (package.json's version, src/plugin.json's id and executable), never from
// the archive being checked.
type Spec struct {
	// PluginID is the plugin id: the zip's name prefix and its top folder.
	PluginID string
	// Version is package.json's version, which plugin.json's info.version
	// must carry and the zip's name ends with.
	Version string
	// Executable is plugin.json's "executable" (the executables' base name).
	Executable string
	// Platforms are exactly the platforms whose executables the zip holds.
	Platforms []Platform
	// SourceDir, when set, is the source tree the go_plugin_build_manifest
	// must describe (every listed file's sha256 matches, every .go file is
	// listed): the release's proof that its binaries come from these sources.
	SourceDir string
}

// ArchiveName is the zip's file name: <plugin id>-<version>.zip, as
// grafana/plugin-actions names it.
func (s Spec) ArchiveName() string { return s.PluginID + "-" + s.Version + ".zip" }
