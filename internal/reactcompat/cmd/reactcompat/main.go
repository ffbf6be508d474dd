// Command reactcompat fails when the built frontend uses a React API that
// React 19 removed (internal/reactcompat: the catalog's reactcompat
// rules). Grafana 12.x shares React 18 with plugins and 13.x React 19, so
// the one module.js that serves both must use none of them.
// scripts/browser-test.sh runs it on dist/ before loading module.js.
//
//	reactcompat [DIR]
//
// It reads every .js file under DIR (default dist): module.js and any
// chunk webpack split off, which ship alike. It prints every finding and
// exits 1 when there is one, 2 when it cannot read DIR or DIR holds no
// module.js.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tickstream/streaming/internal/reactcompat"
)

func main() {
	dir := "dist"
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: reactcompat [DIR]  (default dist)")
		os.Exit(2)
	}
	if len(os.Args) == 2 {
		dir = os.Args[1]
	}
	findings, files, err := check(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reactcompat:", err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		fmt.Printf("reactcompat: %d finding(s): Grafana 13 runs React 19, which removed these APIs; replace each as it says\n", len(findings))
		os.Exit(1)
	}
	fmt.Printf("reactcompat: %d file(s) in %s use no API React 19 removed (%d rules)\n", files, dir, len(reactcompat.Rules))
}

// check reads every .js file under dir and returns the findings and how many files it read.
func check(dir string) ([]reactcompat.Finding, int, error) {
	var out []reactcompat.Finding
	files := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		code, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		out = append(out, reactcompat.Check(path, code)...)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	if _, err := os.Stat(filepath.Join(dir, "module.js")); errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%s has no module.js: build the frontend first (npm run build)", dir)
	}
	return out, files, nil
}
