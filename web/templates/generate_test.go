package templates

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsCurrent fails when a .templ file has changed without
// `make generate`: the committed *_templ.go files must be what the pinned
// templ would write today, because `go run ./cmd/server` compiles them as
// they are.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	// Read the sources here, not only in the templ subprocess, so that go
	// test's cache notices when they change.
	sources, err := filepath.Glob("*.templ")
	if err != nil || len(sources) == 0 {
		t.Fatalf("no .templ files found: %v", err)
	}
	for _, name := range sources {
		if _, err := os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
		if _, err := os.ReadFile(name[:len(name)-len(".templ")] + "_templ.go"); err != nil {
			t.Errorf("%s has no generated code: %v", name, err)
		}
	}
	// From the module root, as `make generate` runs it: the generated code
	// names each source by its path from there.
	check := exec.Command("go", "tool", "templ", "generate", "-check", "-path", ".")
	check.Dir = filepath.Join("..", "..")
	out, err := check.CombinedOutput()
	if err != nil {
		t.Fatalf("generated templ code is stale; run `make generate` and commit the result:\n%s", out)
	}
}
