// Command coderules fails when the code Tickstream ships uses a construct
// the plugin catalog's code rules flag (internal/coderules); scripts/test.sh
// runs it from the module root.
//
//	coderules [-root .]
//
// It reads what the plugin validator's semgrep reads, and src/ besides:
// every Go file under pkg/ but the tests (*_test.go), whatever its build
// tags and whether or not the executable imports it, and every TypeScript
// and JavaScript file under src/ but the tests (*.test.*, *.spec.*). pkg/
// is the shipped backend and nothing else; test hosts and tools live in
// internal/ and cmd/, which the catalog does not review. It prints every
// finding and exits 1 when there is one, 2 when it cannot read the code.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
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
		fmt.Printf("coderules: %d finding(s) in pkg/ and src/: remove each construct (the rules are listed in DEVELOPERS.md, \"Code rules\")\n", len(findings))
		os.Exit(1)
	}
	fmt.Printf("coderules: %d files (pkg/ and src/ but tests), no construct the catalog's code rules flag (%d rules)\n", files, len(coderules.Rules))
}

// check runs every rule over the files under root's pkg/ and src/ and returns the
// findings and how many files it read.
func check(root string) ([]coderules.Finding, int, error) {
	goFiles, err := goFiles(root)
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

// goFiles returns every Go file under pkg/ that is not a test (*_test.go),
// relative to root and sorted: what the validator's semgrep reads, whatever
// builds into the executable (a file for another platform, a helper no
// package imports yet is read all the same).
func goFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "pkg"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if n := d.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(files)
	if err == nil && len(files) == 0 {
		err = fmt.Errorf("no Go files under %s", filepath.Join(root, "pkg"))
	}
	return files, err
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
