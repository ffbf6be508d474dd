package release

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// LoadSpec reads what the release of the project at root must be: the version
// from package.json (what webpack writes into plugin.json and mage into the
// executables) and the id and executable from src/plugin.json.
func LoadSpec(root string, platforms []Platform) (Spec, error) {
	var pkg struct {
		Version string `json:"version"`
	}
	if err := readJSON(filepath.Join(root, "package.json"), &pkg); err != nil {
		return Spec{}, err
	}
	var pj struct {
		ID         string `json:"id"`
		Executable string `json:"executable"`
	}
	if err := readJSON(filepath.Join(root, "src", "plugin.json"), &pj); err != nil {
		return Spec{}, err
	}
	if pkg.Version == "" || pj.ID == "" {
		return Spec{}, fmt.Errorf("package.json needs a version and src/plugin.json an id")
	}
	s := Spec{PluginID: pj.ID, Version: pkg.Version, Executable: pj.Executable}
	if s.Executable != "" {
		s.Platforms = platforms
	}
	return s, nil
}

func readJSON(p string, v any) error {
	body, err := os.ReadFile(p) // #nosec G304 -- a project file
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

// List returns one line per archive entry, like zipinfo: mode, size, name.
func List(zipPath string) ([]string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, err
	}
	defer func() { _ = zr.Close() }()
	lines := make([]string, 0, len(zr.File))
	for _, f := range zr.File {
		lines = append(lines, fmt.Sprintf("%v %10d  %s", f.Mode(), f.UncompressedSize64, f.Name))
	}
	return lines, nil
}
