package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// designSection returns the text of DESIGN.md's section with this heading,
// up to the next section.
func designSection(t *testing.T, heading string) string {
	t.Helper()
	data, err := os.ReadFile("DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("DESIGN.md has no section %q", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

var (
	mapFolder = regexp.MustCompile("^### `([^`]+)`$")
	mapEntry  = regexp.MustCompile("^- `([^`]+)`: ")
)

// designMap returns the files DESIGN.md's "Where things are" lists: each
// "- `name`: what it holds" under a "### `folder`" heading.
func designMap(t *testing.T) []string {
	t.Helper()
	var files []string
	folder := ""
	for _, line := range strings.Split(designSection(t, "Where things are"), "\n") {
		if m := mapFolder.FindStringSubmatch(line); m != nil {
			folder = m[1]
			continue
		}
		if m := mapEntry.FindStringSubmatch(line); m != nil {
			if folder == "" {
				t.Errorf("DESIGN.md lists %s before any folder heading", m[1])
				continue
			}
			files = append(files, filepath.ToSlash(filepath.Join(folder, m[1])))
		}
	}
	return files
}

// filesToMap returns the files the map must list: every Go file but tests
// at the root and under internal/ and cmd/ (testdata aside), and every
// script.
func filesToMap(t *testing.T) []string {
	t.Helper()
	isSource := func(name string) bool { return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") }
	var out []string
	roots, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range roots {
		if !e.IsDir() && isSource(e.Name()) {
			out = append(out, e.Name())
		}
	}
	for _, dir := range []string{"internal", "cmd", "scripts"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return err
			case d.IsDir() && d.Name() == "testdata":
				return filepath.SkipDir
			case !d.IsDir() && (dir == "scripts" || isSource(d.Name())):
				out = append(out, filepath.ToSlash(p))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// DESIGN.md's map of the tree is the tree: every file it must list is
// listed, and every file it lists exists.
func TestDesignMapListsEveryFile(t *testing.T) {
	listed := designMap(t)
	if len(listed) == 0 {
		t.Fatal("DESIGN.md's map lists no files")
	}
	for _, f := range filesToMap(t) {
		if !slices.Contains(listed, f) {
			t.Errorf("%s is not in DESIGN.md's \"Where things are\": add it under its folder with what it holds", f)
		}
	}
	seen := map[string]bool{}
	for _, f := range listed {
		if seen[f] {
			t.Errorf("DESIGN.md lists %s twice", f)
		}
		seen[f] = true
		if _, err := os.Stat(filepath.FromSlash(f)); err != nil {
			t.Errorf("DESIGN.md lists %s, which does not exist", f)
		}
	}
}

// importsOf returns every package the non-test Go files of dir import.
func importsOf(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out = append(out, f+" imports "+p)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no imports found in %s", dir)
	}
	return out
}

// The layers table's "Does not know" column, held to the imports.
func TestDesignLayers(t *testing.T) {
	const module = "github.com/solarnetwork/terraform-provider-solarnetwork/"
	terraform := regexp.MustCompile(`^github\.com/hashicorp/terraform-`)
	for _, c := range []struct {
		dir       string
		forbidden *regexp.Regexp
		why       string
	}{
		{"internal/provider", regexp.MustCompile(`^net(/|$)`), "the provider sends nothing itself: the client classifies every answer"},
		{"internal/client", terraform, "the client knows nothing of Terraform"},
		{"internal/s10kprofile", terraform, "s10kprofile knows nothing of Terraform"},
		{"internal/duration", regexp.MustCompile(`^(github\.com/hashicorp/|net(/|$))`), "duration knows nothing of Terraform or HTTP"},
		{"internal/expiration", regexp.MustCompile(`^(github\.com/hashicorp/|net(/|$))`), "expiration knows nothing of Terraform or HTTP"},
		{"internal/provider/validate", regexp.MustCompile("^" + regexp.QuoteMeta(module+"internal/provider") + "$"), "the validators do not know the provider's resources"},
		{"internal/simulator", regexp.MustCompile("^" + regexp.QuoteMeta(module+"internal/client") + "$"), "the simulator is written apart from the client"},
		{"internal/protocol", regexp.MustCompile("^" + regexp.QuoteMeta(module+"internal/provider") + "$"), "the protocol server does not know the provider's resources"},
	} {
		for _, imp := range importsOf(t, c.dir) {
			if _, pkg, _ := strings.Cut(imp, " imports "); c.forbidden.MatchString(pkg) {
				t.Errorf("%s: %s (DESIGN.md's layers table)", imp, c.why)
			}
		}
	}
}
