package coderules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// goFuncs maps an import path and a function to the rule that flags it.
// semgrep's patterns are "pkg.F(...)", so a name stands for its package
// when the file imports it under that name or, as semgrep matches text,
// when an identifier merely spelled like the package is used that way.
var goFuncs = map[string]map[string]string{
	"os": merge(
		names("access-os-environment", "Environ", "Clearenv", "ExpandEnv"),
		names("access-forbidden-os-environment", "Getenv", "LookupEnv", "Setenv", "Unsetenv"),
		names("access-file-system-with-os", "DirFS", "Getwd", "IsExist", "IsNotExist", "IsPermission",
			"Lchown", "Link", "Mkdir", "MkdirAll", "MkdirTemp", "Readfile", "ReadFile", "Readlink", "Remove",
			"RemoveAll", "Rename", "SameFile", "Symlink", "TempDir", "Truncate", "UserCacheDir", "UserConfigDir",
			"UserHomeDir", "WriteFile", "ReadDir", "Create", "CreateTemp", "NewFile", "Open", "OpenFile",
			"Chdir", "Chmod", "Chown", "Chtimes", "Close", "Fd", "Name", "Read", "ReadAt", "Readdir",
			"Readdirnames", "Seek", "Stat", "Sync", "Write", "WriteAt", "WriteString", "FileInfo", "Lstat"),
	),
	"path/filepath": names("access-file-system-with-filepath", "Walk", "WalkDir", "VolumeName", "EvalSymlinks", "Glob"),
	"fmt":           names("fmt-print-logging", "Print", "Printf", "Println"),
}

// goEnvSyscall are syscall's environment functions, which the validator
// flags twice: as syscall and as environment access.
var goEnvSyscall = map[string]string{
	"Environ": "access-os-environment", "Clearenv": "access-os-environment",
	"Getenv": "access-forbidden-os-environment", "Setenv": "access-forbidden-os-environment",
	"Unsetenv": "access-forbidden-os-environment",
}

// allowedEnv are the prefixes of the environment variables the validator
// lets a plugin read (its metavariable-regex is a negative look-ahead at
// the start of the name, so these match as prefixes).
var allowedEnv = []string{
	"GF_PLUGIN", "GF_VERSION", "GF_EDITION", "GF_ENTERPRISE_LICENSE_PATH", "GF_ENTERPRISE_LICENSE_TEXT",
	"GF_ENTERPRISE_APP_URL", "GF_ENTERPRISE_LICENSE_VALIDATION_KEY", "GF_ENTERPRISE_LICENSE_VALIDATION_TYPE",
	"AWS_AUTH_AllowedAuthProviders", "AWS_AUTH_AssumeRoleEnabled", "AWS_AUTH_SESSION_DURATION",
	"GFAZPL_AZURE_CLOUD", "GFAZPL_MANAGED_IDENTITY_ENABLED", "GFAZPL_MANAGED_IDENTITY_CLIENT_ID",
	"AZURE_CLOUD", "AZURE_MANAGED_IDENTITY_ENABLED", "AZURE_MANAGED_IDENTITY_CLIENT_ID",
}

func names(id string, fns ...string) map[string]string {
	m := make(map[string]string, len(fns))
	for _, f := range fns {
		m[f] = id
	}
	return m
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// CheckGo returns the findings in one Go source file; path is how findings
// name it. A file that does not parse is an error: the check cannot vouch
// for it.
func CheckGo(path string, src []byte) ([]Finding, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []Finding
	add := func(pos token.Pos, id, what string) {
		out = append(out, Finding{Path: path, Line: fset.Position(pos).Line, RuleID: id, What: what})
	}

	// The name each import is known by in this file.
	imported := map[string]string{} // name -> import path
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p == "github.com/grafana/sqlds" || strings.HasPrefix(p, "github.com/grafana/sqlds/v2") {
			add(imp.Pos(), "outdated-sqlds-version", "import "+imp.Path.Value)
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name == "." && p == "syscall" {
			add(imp.Pos(), "access-syscall", `import . "syscall"`)
		}
		imported[name] = p
	}
	pkgOf := func(x ast.Expr) string {
		id, ok := x.(*ast.Ident)
		if !ok {
			return ""
		}
		if p, ok := imported[id.Name]; ok {
			return p
		}
		switch id.Name { // spelled like a package, as semgrep matches it
		case "fs":
			return "io/fs"
		case "filepath":
			return "path/filepath"
		}
		return id.Name
	}

	// Calls first, so that an environment lookup can look at its argument;
	// then every other reference to a flagged function.
	seen := map[*ast.SelectorExpr]bool{}    // reported with their call
	callees := map[*ast.SelectorExpr]bool{} // called, not only referred to
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		callees[sel] = true
		if pkg := pkgOf(sel.X); (pkg == "os" || pkg == "syscall") && goFuncs["os"][sel.Sel.Name] == "access-forbidden-os-environment" {
			seen[sel] = true
			if pkg == "syscall" {
				add(sel.Pos(), "access-syscall", "syscall."+sel.Sel.Name)
			}
			if name, ok := envName(call); !ok || !allowed(name) {
				add(sel.Pos(), "access-forbidden-os-environment", pkg+"."+sel.Sel.Name+"("+envArg(call)+")")
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok || seen[sel] {
			return true
		}
		pkg, fn := pkgOf(sel.X), sel.Sel.Name
		what := pkg + "." + fn
		switch pkg {
		case "syscall":
			add(sel.Pos(), "access-syscall", what)
			if id := goEnvSyscall[fn]; id != "" {
				add(sel.Pos(), id, what)
			}
		case "io/fs":
			if callees[sel] { // fs.FileMode as a type is no access; semgrep's fs.$F(...) is a call
				add(sel.Pos(), "access-file-system-with-fs", "fs."+fn)
			}
		case "os":
			// os.FileInfo is a type: semgrep's os.FileInfo(...) sees only a
			// conversion, not a parameter's type.
			if id := goFuncs[pkg][fn]; id != "" && (fn != "FileInfo" || callees[sel]) {
				add(sel.Pos(), id, what)
			}
		default:
			if id := goFuncs[pkg][fn]; id != "" {
				add(sel.Pos(), id, what)
			}
		}
		return true
	})
	return out, nil
}

// envName returns the variable name of an environment call whose first
// argument is a string literal.
func envName(call *ast.CallExpr) (string, bool) {
	if len(call.Args) == 0 {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func envArg(call *ast.CallExpr) string {
	if name, ok := envName(call); ok {
		return strconv.Quote(name)
	}
	return "a name that is not a string literal"
}

func allowed(name string) bool {
	for _, p := range allowedEnv {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
