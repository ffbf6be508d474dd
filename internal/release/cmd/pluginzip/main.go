// Command pluginzip packs a built dist/ folder into Tickstream's release zip
// and checks a zip's layout; scripts/package.sh runs it.
//
//	pluginzip pack  [-root .] [-dist dist] [-out DIR] [-platforms host|all|os/arch,...] [-source DIR]
//	pluginzip check [-root .] [-platforms ...] [-source DIR] ZIP
//	pluginzip docs  [-root .] [-dist dist]
//
// docs does what @grafana/plugin-docs-cli's validate and build do at release
// (that CLI cannot be installed here): it checks the folder src/plugin.json's
// docsPath names against the catalog's docs rules and writes the pages, their
// images and manifest.json into -dist/<docsPath>/, which pack then zips.
// pack writes <id>-<version>.zip, .sha1 and .sha256 into -out and then checks
// them exactly as check does; both exit 1 listing every problem found.
// -source makes the check compare go_plugin_build_manifest with the sources.
// SOURCE_DATE_EPOCH, when set, is the entries' modification time.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tickstream/streaming/internal/release"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	fset := flag.NewFlagSet("pluginzip "+cmd, flag.ExitOnError)
	root := fset.String("root", ".", "project folder (package.json, src/plugin.json)")
	platforms := fset.String("platforms", "host", `executables the zip holds: "host", "all" or os/arch,...`)
	source := fset.String("source", "", "check go_plugin_build_manifest against this source folder")
	dist := fset.String("dist", "", "built plugin folder (pack; default ROOT/dist)")
	out := fset.String("out", "", "output folder (pack; default ROOT/.cache/package)")
	if err := fset.Parse(args); err != nil {
		os.Exit(2)
	}
	ps, err := release.ParsePlatforms(*platforms)
	if err != nil {
		die(2, err)
	}
	spec, err := release.LoadSpec(*root, ps)
	if err != nil {
		die(2, err)
	}
	spec.SourceDir = *source

	var zipPath string
	switch cmd {
	case "docs":
		if fset.NArg() != 0 {
			usage()
		}
		if *dist == "" {
			*dist = filepath.Join(*root, "dist")
		}
		out, err := release.BuildDocs(*root, *dist)
		if err != nil {
			die(1, err)
		}
		if out == "" {
			fmt.Println("pluginzip: src/plugin.json has no docsPath; no catalog docs to build")
		} else {
			fmt.Printf("pluginzip: docs checked and built into %s\n", out)
		}
		return
	case "pack":
		if fset.NArg() != 0 {
			usage()
		}
		if *dist == "" {
			*dist = filepath.Join(*root, "dist")
		}
		if *out == "" {
			*out = filepath.Join(*root, ".cache", "package")
		}
		mtime, err := modTime()
		if err != nil {
			die(2, err)
		}
		res, err := release.Pack(*dist, *out, spec, mtime)
		if err != nil {
			die(1, err)
		}
		for _, s := range res.Skipped {
			fmt.Printf("pluginzip: left out %s (not a platform of this package)\n", s)
		}
		zipPath = res.Zip
	case "check":
		if fset.NArg() != 1 {
			usage()
		}
		zipPath = fset.Arg(0)
	default:
		usage()
	}

	lines, err := release.List(zipPath)
	if err != nil {
		die(1, err)
	}
	fmt.Printf("%s:\n", zipPath)
	for _, l := range lines {
		fmt.Println("  " + l)
	}
	if err := release.Check(zipPath, spec); err != nil {
		fmt.Fprintf(os.Stderr, "pluginzip: %s does not have the release layout:\n%v\n", zipPath, err)
		os.Exit(1)
	}
	fmt.Printf("pluginzip: layout ok: %s (%s), with .sha1 and .sha256\n", filepath.Base(zipPath), platformNames(spec.Platforms))
}

func platformNames(ps []release.Platform) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.String()
	}
	return s
}

func modTime() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Now().UTC().Truncate(time.Second), nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: pluginzip pack [-root .] [-dist dist] [-out DIR] [-platforms host|all|os/arch,...] [-source DIR]")
	fmt.Fprintln(os.Stderr, "       pluginzip check [-root .] [-platforms ...] [-source DIR] ZIP")
	fmt.Fprintln(os.Stderr, "       pluginzip docs  [-root .] [-dist dist]")
	os.Exit(2)
}

func die(code int, err error) {
	fmt.Fprintln(os.Stderr, "pluginzip:", err)
	os.Exit(code)
}
