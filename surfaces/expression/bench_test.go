package expression_test

import (
	"testing"

	"saddlepoint/surfaces"
)

var sink float64

// BenchmarkExpression measures a typed surface's Value, Gradient and
// Hessian together, one operation being all three at one point, beside the
// catalogue's hand-derived version of the same function.
func BenchmarkExpression(b *testing.B) {
	for _, name := range []string{"rosenbrock", "beale", "rastrigin"} {
		e := mustParse(b, typedBuiltins[name])
		s, _ := surfaces.Lookup(name)
		p := surfaces.Point{-1.2, 1}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g, h := e.Gradient(p), e.Hessian(p)
				sink += e.Value(p) + g[0] + h.XY
			}
		})
		b.Run(name+"/value", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink += e.Value(p)
			}
		})
		b.Run(name+"/catalogue", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g, h := s.Gradient(p), s.Hessian(p)
				sink += s.Value(p) + g[0] + h.XY
			}
		})
	}
	b.Run("parse/rosenbrock", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mustParse(b, typedBuiltins["rosenbrock"])
		}
	})
}
