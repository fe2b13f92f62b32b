package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is heard's module path.
const module = "github.com/heard-council/heard"

// layerRule is one rule of the layering: which packages may import what.
type layerRule struct {
	name string
	// broken reports whether pkg importing imp breaks the rule.
	broken func(pkg, imp string) bool
}

// layerRules are the layering of DESIGN.md section 7 and api/doc.go:
// dependencies point inward, and each library stays in its room.
var layerRules = []layerRule{
	{"gin only in the HTTP service (api)", func(pkg, imp string) bool {
		return strings.HasPrefix(imp, "github.com/gin-gonic/") && pkg != module+"/api"
	}},
	{"gorm only in the store (analytics/store)", func(pkg, imp string) bool {
		return strings.HasPrefix(imp, "gorm.io/") && pkg != module+"/analytics/store"
	}},
	{"analytics on the standard library only", func(pkg, imp string) bool {
		first, _, _ := strings.Cut(imp, "/")
		return pkg == module+"/analytics" && strings.Contains(first, ".")
	}},
	{"nothing imports api but main", func(pkg, imp string) bool {
		return imp == module+"/api" && pkg != module
	}},
	{"the command line does not import the HTTP service, nor use cases either front end", func(pkg, imp string) bool {
		inner := []string{module + "/api/report", module + "/api/ingest", module + "/api/account", module + "/api/action"}
		return (pkg == module+"/api/cli" || slices.Contains(inner, pkg)) &&
			(imp == module+"/api" || imp == module+"/api/cli")
	}},
	{"analytics, importers and dashboards import no outer layer", func(pkg, imp string) bool {
		core := pkg == module+"/analytics" || strings.HasPrefix(pkg, module+"/importers") || pkg == module+"/dashboards"
		outer := strings.HasPrefix(imp, module+"/api") || imp == module+"/analytics/store" && pkg != module+"/analytics/store" ||
			pkg == module+"/analytics" && strings.HasPrefix(imp, module+"/") ||
			pkg == module+"/dashboards" && strings.HasPrefix(imp, module+"/importers") ||
			strings.HasPrefix(pkg, module+"/importers") && imp == module+"/dashboards"
		return core && outer
	}},
}

// imports lists each of the module's packages with what it imports (not
// its tests), as go list reports it.
func imports(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", pattern).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkgs[f[0]] = f[1:]
	}
	return pkgs
}

// TestLayering checks the layering on the code as it is: a package that
// imports what its room forbids fails it, naming the rule.
func TestLayering(t *testing.T) {
	pkgs := imports(t, "./...")
	if len(pkgs) < 8 {
		t.Fatalf("go list found %d packages: the check proves nothing", len(pkgs))
	}
	for pkg, imps := range pkgs {
		for _, imp := range imps {
			for _, r := range layerRules {
				if r.broken(pkg, imp) {
					t.Errorf("%s imports %s: %s", pkg, imp, r.name)
				}
			}
		}
	}
}

// TestLayeringRulesBite checks that each rule catches the import it is
// written against, so that a rule cannot pass by being wrong.
func TestLayeringRulesBite(t *testing.T) {
	for _, c := range []struct{ pkg, imp, rule string }{
		{module + "/api/cli", "github.com/gin-gonic/gin", "gin"},
		{module + "/api/report", "gorm.io/gorm", "gorm"},
		{module + "/analytics", "golang.org/x/text/unicode/norm", "standard library"},
		{module + "/cmd/benchimport", module + "/api", "nothing imports api"},
		{module + "/api/cli", module + "/api", "command line"},
		{module + "/dashboards", module + "/api/report", "outer layer"},
		{module + "/importers", module + "/analytics/store", "outer layer"},
	} {
		caught := false
		for _, r := range layerRules {
			caught = caught || r.broken(c.pkg, c.imp) && strings.Contains(r.name, c.rule)
		}
		if !caught {
			t.Errorf("%s importing %s is not caught by the rule %q", c.pkg, c.imp, c.rule)
		}
	}
}
