package web

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// FuzzDecodeRun feeds arbitrary bytes to the run request decoder. The
// invariants: it never panics; it either refuses with a request error that
// names a field or says the JSON is malformed, or accepts a run whose every
// number is finite and within its limits.
func FuzzDecodeRun(f *testing.F) {
	for _, seed := range []string{
		`{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 50, "optimizers": [{"name": "adam", "lr": 0.01}]}`,
		`{"surface": "custom", "expr": "x^2 + sin(y)", "view": [-1, 1, -1, 1], "optimizers": [{"name": "sgd"}]}`,
		`{"surface": "deep-linear", "starts": {"n": 3, "seed": 2}, "optimizers": [{"name": "cg", "variant": "polak-ribiere"}]}`,
		`{"surface": "rastrigin", "optimizers": [{"name": "adam", "continuation": {"sigma0": 1, "stages": 3}}]}`,
		`{"surface": "least-squares", "normalize": true, "optimizers": [{"name": "sgd", "batch": 8}]}`,
		`{"surface": "bowl", "steps": 1e400, "optimizers": []}`,
		`[{"surface": null}]`,
		`{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": -0}], "start": [1e308, -1e308]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req runRequest
		err := decodeStrict(data, &req, runFields)
		var r run
		if err == nil {
			r, err = validateRun(req)
		}
		if err != nil {
			if _, ok := err.(*requestError); !ok {
				t.Fatalf("not a request error: %T %v", err, err)
			}
			if msg := err.Error(); !strings.Contains(msg, ":") {
				t.Fatalf("error %q names no field", msg)
			}
			return
		}
		finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
		if !finite(r.start[0]) || !finite(r.start[1]) || r.limits.Steps < 1 || r.limits.Steps > 100000 ||
			len(r.optimizers) < 1 || len(r.optimizers) > maxOptimizers || len(r.starts) > maxStarts {
			t.Fatalf("accepted an out-of-range run: %+v", r)
		}
		for _, c := range r.optimizers {
			if _, err := json.Marshal(c.params); err != nil {
				t.Fatalf("resolved parameters do not encode: %v", err)
			}
		}
	})
}

// FuzzWebSocketMessage feeds arbitrary bytes to a session's message handler
// with no connection behind it. The invariants: it never panics, every
// text reply it queues is valid JSON of a known type, and every binary reply
// is a well-formed points frame.
func FuzzWebSocketMessage(f *testing.F) {
	for _, seed := range []string{
		`{"type": "run", "id": 1, "surface": "bowl", "steps": 3, "optimizers": [{"name": "sgd"}]}`,
		`{"type": "run", "id": 2, "encoding": "binary", "surface": "rosenbrock", "steps": 4, "trace": true, "optimizers": [{"name": "bfgs"}, {"name": "adam", "average": "uniform"}]}`,
		`{"type": "run", "encoding": "binary", "surface": "rastrigin", "steps": 3, "optimizers": [{"name": "sgd", "continuation": {"sigma0": 1, "stages": 2}}]}`,
		`{"type": "cancel"}`,
		`{"type": "jump"}`,
		`{"type": "run", "id": -9223372036854775808, "surface": "custom", "expr": "((((x))))", "optimizers": [{"name": "newton"}]}`,
		`not json`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx, cancel := contextForTest(t)
		defer cancel()
		sess := &session{send: make(chan outgoing, 1<<10), metrics: newMetrics()}
		sess.handle(ctx, data)
		sess.cancelRun()
		close(sess.send)
		for msg := range sess.send {
			if msg.binary {
				if frame, err := decodePointsFrame(msg.data); err != nil || frame.Type != "points" {
					t.Fatalf("binary reply of type %q: %v", frame.Type, err)
				}
				continue
			}
			var v struct {
				Type string `json:"type"`
			}
			if err := json.Unmarshal(msg.data, &v); err != nil {
				t.Fatalf("reply %q is not JSON: %v", msg.data, err)
			}
			switch v.Type {
			case "started", "points", "done", "error":
			default:
				t.Fatalf("reply of unknown type %q", v.Type)
			}
		}
	})
}

// contextForTest is a context cancelled when the test ends.
func contextForTest(t *testing.T) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx, cancel
}
