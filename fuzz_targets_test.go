package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	fuzzFunc     = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)
	makeFuzzLine = regexp.MustCompile(`(?m)^\tgo test .*-fuzz '\^(Fuzz\w+)\$\$' .*-fuzztime \$\(FUZZTIME\) (\./\S+)/$`)
	fuzzTimeSet  = regexp.MustCompile(`FUZZTIME ?\??= ?(\S+)`)
	fuzzCount    = regexp.MustCompile(`^[0-9]+x$`)
)

// fuzzTargetsInTree returns every fuzz target as "./dir FuzzName".
func fuzzTargetsInTree(t *testing.T) []string {
	t.Helper()
	var targets []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range fuzzFunc.FindAllStringSubmatch(string(data), -1) {
			targets = append(targets, "./"+filepath.ToSlash(filepath.Dir(path))+" "+m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(targets)
	return targets
}

// A fuzz target only guards anything if `make fuzz` runs it; the committed
// seeds alone run in every go test.
func TestMakeFuzzRunsEveryFuzzTarget(t *testing.T) {
	makefile, err := os.ReadFile("GNUmakefile")
	if err != nil {
		t.Fatal(err)
	}
	var run []string
	for _, m := range makeFuzzLine.FindAllStringSubmatch(string(makefile), -1) {
		run = append(run, m[2]+" "+m[1])
	}
	slices.Sort(run)
	if want := fuzzTargetsInTree(t); !slices.Equal(run, want) {
		t.Errorf("make fuzz runs\n  %s\nbut the tree has the fuzz targets\n  %s", strings.Join(run, "\n  "), strings.Join(want, "\n  "))
	}
}

// A -fuzztime given as a duration fails now and then at its deadline with
// "context deadline exceeded" and no failing input: a race in Go's fuzz
// coordinator (golang/go#75804, fixed in Go 1.27) that a loaded CI machine
// hits. A count of executions ("20000x") sets no deadline.
func TestFuzzRunsAreBoundedByCount(t *testing.T) {
	for _, file := range []string{"GNUmakefile", ".ci/run", ".github/workflows/test.yml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		matches := fuzzTimeSet.FindAllStringSubmatch(string(data), -1)
		if len(matches) == 0 {
			t.Errorf("%s sets no FUZZTIME", file)
		}
		for _, m := range matches {
			if !fuzzCount.MatchString(m[1]) {
				t.Errorf("%s sets FUZZTIME %s; give a count of executions such as 20000x", file, m[1])
			}
		}
	}
}
