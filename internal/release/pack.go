package release

import (
	"archive/zip"
	"crypto/sha1" // #nosec G505 -- the .sha1 file is what Grafana's plugin submission form asks for, not a security boundary
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// File modes inside the archive: Grafana runs the executables, so they are
// 0755 (plugin-validator's binarypermissions requires exactly that); every
// other file is 0644 and every folder 0755, whatever the build left on disk
// (the SDK writes go_plugin_build_manifest 0755).
const (
	ModeExecutable fs.FileMode = 0o755
	ModeFile       fs.FileMode = 0o644
	ModeDir        fs.FileMode = 0o755
)

// Result lists what Pack wrote.
type Result struct {
	Zip, SHA1, SHA256 string
	// Skipped are dist/ files left out: executables of platforms not in the
	// spec (a test package from dist/ keeps only the host's).
	Skipped []string
}

// Pack writes spec.ArchiveName() into outDir from the built distDir, then
// <zip>.sha1 (the bare hex digest, as grafana/plugin-actions writes it) and
// <zip>.sha256 (sha256sum's format, so "sha256sum -c" verifies it). Every
// entry gets mtime modTime. It copies distDir as it is, except executables of
// platforms not in spec.Platforms; Check then judges the result.
func Pack(distDir, outDir string, spec Spec, modTime time.Time) (Result, error) {
	var res Result
	if spec.PluginID == "" || spec.Version == "" || spec.Executable == "" {
		return res, errors.New("pack: plugin id, version and executable must be set")
	}
	want := map[string]bool{}
	for _, p := range spec.Platforms {
		want[p.Executable(spec.Executable)] = true
	}

	type entry struct {
		rel  string // slash path below distDir
		abs  string
		mode fs.FileMode
	}
	var entries []entry
	err := filepath.WalkDir(distDir, func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(distDir, abs)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		switch {
		case d.IsDir():
			entries = append(entries, entry{rel + "/", abs, ModeDir | fs.ModeDir})
		case d.Type()&fs.ModeSymlink != 0:
			return fmt.Errorf("pack: %s is a symbolic link; the archive holds regular files only", abs)
		case !d.Type().IsRegular():
			return fmt.Errorf("pack: %s is not a regular file", abs)
		case isExecutableName(rel, spec.Executable):
			if !want[rel] {
				res.Skipped = append(res.Skipped, rel)
				return nil
			}
			entries = append(entries, entry{rel, abs, ModeExecutable})
		default:
			entries = append(entries, entry{rel, abs, ModeFile})
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("pack: reading %s: %w", distDir, err)
	}
	for _, p := range spec.Platforms {
		name := p.Executable(spec.Executable)
		if _, err := os.Stat(filepath.Join(distDir, name)); err != nil {
			return res, fmt.Errorf("pack: the %s executable %s is missing from %s (build it with mage)", p, name, distDir)
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].rel < entries[j].rel })

	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return res, err
	}
	res.Zip = filepath.Join(outDir, spec.ArchiveName())
	tmp, err := os.CreateTemp(outDir, ".pack-*.zip")
	if err != nil {
		return res, err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()

	zw := zip.NewWriter(tmp)
	addDir := func(name string) error {
		h := &zip.FileHeader{Name: name, Method: zip.Store, Modified: modTime}
		h.SetMode(ModeDir | fs.ModeDir)
		_, err := zw.CreateHeader(h)
		return err
	}
	if err := addDir(spec.PluginID + "/"); err != nil {
		return res, err
	}
	for _, e := range entries {
		name := path.Join(spec.PluginID, e.rel)
		if e.mode.IsDir() {
			if err := addDir(name + "/"); err != nil {
				return res, err
			}
			continue
		}
		if err := addFile(zw, name, e.abs, e.mode, modTime); err != nil {
			return res, err
		}
	}
	if err := zw.Close(); err != nil {
		return res, err
	}
	if err := tmp.Close(); err != nil {
		return res, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return res, err
	}
	if err := os.Rename(tmp.Name(), res.Zip); err != nil {
		return res, err
	}

	sum1, sum256, err := digests(res.Zip)
	if err != nil {
		return res, err
	}
	res.SHA1 = res.Zip + ".sha1"
	res.SHA256 = res.Zip + ".sha256"
	if err := os.WriteFile(res.SHA1, []byte(sum1+"\n"), 0o644); err != nil {
		return res, err
	}
	line := sum256 + "  " + filepath.Base(res.Zip) + "\n"
	if err := os.WriteFile(res.SHA256, []byte(line), 0o644); err != nil {
		return res, err
	}
	return res, nil
}

func addFile(zw *zip.Writer, name, abs string, mode fs.FileMode, modTime time.Time) error {
	f, err := os.Open(abs) // #nosec G304 -- a file of the dist/ folder being packaged
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modTime}
	h.SetMode(mode)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, f)
	return err
}

// isExecutableName reports whether rel (a path below the plugin folder) is
// named like a backend executable: <base>_<anything> at the top level.
func isExecutableName(rel, base string) bool {
	return !strings.Contains(rel, "/") && strings.HasPrefix(rel, base+"_")
}

// digests returns the hex SHA-1 and SHA-256 of the file at p.
func digests(p string) (string, string, error) {
	f, err := os.Open(p) // #nosec G304 -- the archive just written
	if err != nil {
		return "", "", err
	}
	defer func() { _ = f.Close() }()
	h1, h256 := sha1.New(), sha256.New() // #nosec G401
	if _, err := io.Copy(io.MultiWriter(h1, h256), f); err != nil {
		return "", "", err
	}
	return hex.EncodeToString(h1.Sum(nil)), hex.EncodeToString(h256.Sum(nil)), nil
}
