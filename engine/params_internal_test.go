package engine

import (
	"errors"
	"strings"
	"testing"
)

// knobs is a method with one parameter of each kind, to test Resolve.
var knobs = Method{Name: "knobs", Params: []Param{
	{Name: "rate", Kind: Number, Default: 0.5, Min: 0, Max: 1},
	{Name: "every", Kind: Integer, Default: 10.0, Min: 1, Max: 100},
	{Name: "on", Kind: Bool, Default: true},
	{Name: "shape", Kind: Choice, Default: "linear", Choices: []string{"constant", "linear"}},
}}

func TestResolveKinds(t *testing.T) {
	t.Parallel()
	got, err := knobs.Resolve(map[string]any{"every": 20.0, "on": false, "shape": "constant"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Float("rate") != 0.5 || got.Int("every") != 20 || got.Bool("on") || got.String("shape") != "constant" {
		t.Errorf("resolved %v", got)
	}
	for _, tc := range []struct {
		name  string
		given map[string]any
		want  string
	}{
		{"number as string", map[string]any{"rate": "fast"}, `rate: must be a number between 0 and 1, got "fast"`},
		{"number out of range", map[string]any{"rate": 2.0}, "rate: must be between 0 and 1, got 2"},
		{"number null", map[string]any{"rate": nil}, "rate: must be a number between 0 and 1, got null"},
		{"integer fractional", map[string]any{"every": 2.5}, "every: must be a whole number between 1 and 100, got 2.5"},
		{"integer out of range", map[string]any{"every": 0.0}, "every: must be between 1 and 100, got 0"},
		{"bool as number", map[string]any{"on": 1.0}, "on: must be true or false, got 1"},
		{"bool as string", map[string]any{"on": "true"}, `on: must be true or false, got "true"`},
		{"choice unknown", map[string]any{"shape": "cubic"}, `shape: must be one of "constant", "linear", got "cubic"`},
		{"choice as number", map[string]any{"shape": 1.0}, `shape: must be one of "constant", "linear", got 1`},
		{"choice as array", map[string]any{"shape": []any{"linear"}}, `shape: must be one of "constant", "linear", got an array`},
		{"unknown", map[string]any{"speed": 1.0}, "speed: unknown parameter of knobs (allowed: rate, every, on, shape)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := knobs.Resolve(tc.given)
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a *ParamError", err)
			}
			if msg := pe.Param + ": " + pe.Reason; msg != tc.want {
				t.Errorf("got %q, want %q", msg, tc.want)
			}
		})
	}
}

func TestParamsAccessorsPanicOnWrongType(t *testing.T) {
	t.Parallel()
	p := Params{"shape": "linear"}
	defer func() {
		r := recover()
		if r == nil || !strings.HasPrefix(r.(string), "engine: ") {
			t.Errorf("recovered %v, want an engine: panic", r)
		}
	}()
	p.Float("shape")
}
