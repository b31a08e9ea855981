package engine_test

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"saddlepoint/engine"
)

// bookCase is one trajectory of testdata/book-trajectories.json, computed by
// an independent implementation of the book's algorithms under the run rules
// with tol 1e-8.
type bookCase struct {
	Surface   string         `json:"surface"`
	Start     engine.Point   `json:"start"`
	Steps     int            `json:"steps"`
	Optimizer map[string]any `json:"optimizer"` // "name" and the parameters
	Status    engine.Status  `json:"status"`
	Path      []engine.Point `json:"path"`
	Loss      []float64      `json:"loss"`
}

func loadBookCases(tb testing.TB) []bookCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/book-trajectories.json")
	if err != nil {
		tb.Fatal(err)
	}
	var file struct {
		Cases []bookCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		tb.Fatal(err)
	}
	if len(file.Cases) == 0 {
		tb.Fatal("no cases in testdata/book-trajectories.json")
	}
	return file.Cases
}

// TestBookTrajectories replays every reference trajectory and wants every
// point and loss to agree to 1e-9 relative.
func TestBookTrajectories(t *testing.T) {
	t.Parallel()
	const rel = 1e-9
	for i, c := range loadBookCases(t) {
		name, _ := c.Optimizer["name"].(string)
		t.Run(fmt.Sprintf("%d-%s-%s", i, name, c.Surface), func(t *testing.T) {
			t.Parallel()
			s := lookupSurface(t, c.Surface)
			params := engine.Params{}
			for k, v := range c.Optimizer {
				if k == "name" {
					continue
				}
				f, ok := v.(float64)
				if !ok {
					t.Fatalf("parameter %s = %v is not a number", k, v)
				}
				params[k] = f
			}
			opt := newOptimizer(t, name, params)
			limits := engine.Limits{Steps: c.Steps, Tol: 1e-8}
			r := engine.Run(s, opt, c.Start, limits)
			checkRunRules(t, s, c.Start, limits, r)
			if r.Status != c.Status || len(r.Path) != len(c.Path) {
				t.Fatalf("Run = %s with %d points, want %s with %d", r.Status, len(r.Path), c.Status, len(c.Path))
			}
			for k := range c.Path {
				got, want := r.Path[k], c.Path[k]
				if !near(got[0], want[0], rel) || !near(got[1], want[1], rel) {
					t.Errorf("Path[%d] = %v, want %v", k, got, want)
				}
				if !near(r.Loss[k], c.Loss[k], rel) {
					t.Errorf("Loss[%d] = %v, want %v", k, r.Loss[k], c.Loss[k])
				}
			}
		})
	}
}
