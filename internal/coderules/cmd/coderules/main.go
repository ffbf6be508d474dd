// Command coderules fails when the code Tickstream ships uses a construct
// the plugin catalog's code rules flag (internal/coderules); scripts/test.sh
// runs it from the module root.
//
//	coderules [-root .]
//
// Shipped Go is every non-test .go file, whatever its build tags (a file
// for another platform ships in that platform's executable), of this
// module's packages that the backend executable (./pkg) is built from.
// Shipped TypeScript is src/ without its tests (*.test.*, *.spec.*), the
// source of module.js. It prints every finding and exits 1 when there is
// one, 2 when it cannot read the code.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tickstream/streaming/internal/coderules"
)

func main() {
	root := flag.String("root", ".", "module root (go.mod, src/)")
	flag.Parse()
	findings, files, err := check(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "coderules:", err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		fmt.Printf("coderules: %d finding(s) in shipped code: remove each construct (the rules are listed in DEVELOPERS.md, \"Code rules\")\n", len(findings))
		os.Exit(1)
	}
	fmt.Printf("coderules: %d shipped files, no construct the catalog's code rules flag (%d rules)\n", files, len(coderules.Rules))
}

// check runs every rule over the shipped files under root and returns the
// findings and how many files it read.
func check(root string) ([]coderules.Finding, int, error) {
	goFiles, err := shippedGo(root)
	if err != nil {
		return nil, 0, err
	}
	tsFiles, err := shippedTS(root)
	if err != nil {
		return nil, 0, err
	}
	var out []coderules.Finding
	for _, p := range goFiles {
		src, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			return nil, 0, err
		}
		fs, err := coderules.CheckGo(p, src)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, fs...)
	}
	for _, p := range tsFiles {
		src, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			return nil, 0, err
		}
		out = append(out, coderules.CheckTS(p, src)...)
	}
	return out, len(goFiles) + len(tsFiles), nil
}

// shippedGo returns the shipped Go files, relative to root and sorted.
func shippedGo(root string) ([]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if .Module}}{{if .Module.Main}}{{.Dir}}{{end}}{{end}}", "./pkg")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps ./pkg: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	var files []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		dir := sc.Text()
		if dir == "" {
			continue
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			rel, err := filepath.Rel(abs, filepath.Join(dir, n))
			if err != nil {
				return nil, err
			}
			files = append(files, filepath.ToSlash(rel))
		}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("go list -deps ./pkg found no Go files of this module under %s", abs)
	}
	return files, nil
}

// shippedTS returns the TypeScript and JavaScript files of src/ that are
// not tests, relative to root and sorted.
func shippedTS(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "src"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n := d.Name()
		ext := filepath.Ext(n)
		base := strings.TrimSuffix(n, ext)
		switch {
		case ext != ".ts" && ext != ".tsx" && ext != ".js" && ext != ".jsx":
		case strings.HasSuffix(base, ".test"), strings.HasSuffix(base, ".spec"):
		default:
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
