package engine_test

import (
	"math"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// FuzzRun runs any optimizer with any parameters in range over any catalogue
// surface from any start, and checks the run rules and determinism.
func FuzzRun(f *testing.F) {
	f.Add(uint8(0), uint8(0), -1.5, 1.7, 0.5, 0.5, uint16(50))
	f.Add(uint8(5), uint8(4), -1.2, 1.0, 0.0001, 0.9, uint16(300))
	f.Add(uint8(6), uint8(3), 1.0, 0.0, 0.0, 1.0, uint16(20))
	f.Add(uint8(3), uint8(0), 1.0, 0.0, 0.01, 0.0, uint16(20))
	f.Add(uint8(0), uint8(0), 1.0, 1.0, 0.015, 0.0, uint16(100)) // lr 1.5: diverges
	f.Fuzz(func(t *testing.T, method, surface uint8, x, y, p0, p1 float64, steps uint16) {
		methods, all := engine.Methods(), surfaces.All()
		m, s := methods[int(method)%len(methods)], all[int(surface)%len(all)]
		start := engine.Point{x, y}
		if !finite(x) || !finite(y) || math.Abs(x) > engine.DivergenceBound || math.Abs(y) > engine.DivergenceBound {
			t.Skip("start out of bounds")
		}
		// p0 and p1 place the first two parameters in their ranges.
		given := engine.Params{}
		for i, frac := range []float64{p0, p1} {
			if i < len(m.Params) && finite(frac) {
				p := m.Params[i]
				frac = math.Abs(math.Mod(frac, 1))
				given[p.Name] = p.Min + frac*(p.Max-p.Min)
			}
		}
		limits := engine.Limits{Steps: int(steps % 1000), Tol: 1e-8}
		run := func() engine.Result {
			opt, _, err := m.New(given)
			if err != nil {
				t.Fatalf("New(%v): %v", given, err)
			}
			return engine.Run(s, opt, start, limits)
		}
		a := run()
		if len(a.Path) == 0 {
			t.Fatalf("%s on %s from %v: empty path", m.Name, s.Name, start)
		}
		checkRunRules(t, s, start, limits, a)
		b := run()
		if a.Status != b.Status || len(a.Path) != len(b.Path) {
			t.Fatalf("not deterministic: %s after %d points, then %s after %d", a.Status, len(a.Path), b.Status, len(b.Path))
		}
		for i := range a.Path {
			if a.Path[i] != b.Path[i] {
				t.Fatalf("not deterministic at point %d: %v then %v", i, a.Path[i], b.Path[i])
			}
		}
	})
}
