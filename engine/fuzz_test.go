package engine_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// FuzzRun runs any optimizer with any parameters in range over any catalogue
// surface from any start, with the knobs that knobs picks, and checks the run
// rules and determinism.
func FuzzRun(f *testing.F) {
	f.Add(uint8(0), uint8(0), -1.5, 1.7, 0.5, 0.5, uint16(50), uint8(0))
	f.Add(uint8(5), uint8(4), -1.2, 1.0, 0.0001, 0.9, uint16(300), uint8(0))
	f.Add(uint8(6), uint8(3), 1.0, 0.0, 0.0, 1.0, uint16(20), uint8(0))
	f.Add(uint8(3), uint8(0), 1.0, 0.0, 0.01, 0.0, uint16(20), uint8(0))
	f.Add(uint8(0), uint8(0), 1.0, 1.0, 0.015, 0.0, uint16(100), uint8(0)) // lr 1.5: diverges
	f.Add(uint8(2), uint8(4), -1.2, 1.0, 0.001, 0.9, uint16(200), uint8(0xff))
	f.Add(uint8(7), uint8(6), 0.5, -0.5, 0.01, 0.5, uint16(100), uint8(0x5a))
	f.Fuzz(func(t *testing.T, method, surface uint8, x, y, p0, p1 float64, steps uint16, knobs uint8) {
		methods, all := engine.Methods(), surfaces.All()
		m, s := methods[int(method)%len(methods)], all[int(surface)%len(all)]
		start := engine.Point{x, y}
		if !finite(x) || !finite(y) || math.Abs(x) > engine.DivergenceBound || math.Abs(y) > engine.DivergenceBound {
			t.Skip("start out of bounds")
		}
		// p0 and p1 place the first two parameters in their ranges or pick
		// one of their values.
		given := engine.Params{}
		for i, frac := range []float64{p0, p1} {
			if i < len(m.Params) && finite(frac) {
				p := m.Params[i]
				frac = math.Abs(math.Mod(frac, 1))
				switch p.Kind {
				case engine.Number:
					given[p.Name] = p.Min + frac*(p.Max-p.Min)
				case engine.Integer:
					given[p.Name] = math.Round(p.Min + frac*(p.Max-p.Min))
				case engine.Bool:
					given[p.Name] = frac < 0.5
				case engine.Choice:
					given[p.Name] = p.Choices[min(int(frac*float64(len(p.Choices))), len(p.Choices)-1)]
				}
			}
		}
		// The bits of knobs turn on the knobs the method has: noise, clipping,
		// a schedule and an average.
		has := func(name string) bool {
			return slices.ContainsFunc(m.Params, func(p engine.Param) bool { return p.Name == name })
		}
		if has("noise") {
			if knobs&1 != 0 {
				given["noise"], given["seed"] = 0.5, float64(knobs)
			}
			if knobs&2 != 0 {
				given["clip"] = 1.0
			}
			given["schedule"] = []string{"constant", "linear", "exponential", "step", "cosine"}[int(knobs>>2&7)%5]
			given["average"] = []string{"none", "uniform", "exponential"}[int(knobs>>5&3)%3]
		}
		limits := engine.Limits{Steps: int(steps % 1000), Tol: 1e-8}
		run := func() engine.Result {
			opt, resolved, err := m.New(given)
			if err != nil {
				t.Fatalf("New(%v): %v", given, err)
			}
			opts := append(m.Options(resolved), engine.WithTrace())
			return engine.Run(s, opt, start, limits, opts...)
		}
		a := run()
		if len(a.Path) == 0 {
			t.Fatalf("%s on %s from %v: empty path", m.Name, s.Name, start)
		}
		checkRunRules(t, s, start, limits, a)
		if _, err := json.Marshal(a.Trace); err != nil {
			t.Fatalf("the trace does not encode: %v", err)
		}
		for k, avg := range a.Average {
			if !finite(avg[0]) || !finite(avg[1]) {
				t.Fatalf("Average[%d] = %v is not finite", k, avg)
			}
		}
		b := run()
		if !samePath(a, b) || !slices.Equal(a.Average, b.Average) || !slices.Equal(a.Evals, b.Evals) {
			t.Fatalf("not deterministic: %s after %d points, then %s after %d", a.Status, len(a.Path), b.Status, len(b.Path))
		}
	})
}
