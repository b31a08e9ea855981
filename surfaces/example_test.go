package surfaces_test

import (
	"fmt"

	"saddlepoint/surfaces"
)

func ExampleLookup() {
	s, ok := surfaces.Lookup("rosenbrock")
	if !ok {
		panic("no rosenbrock")
	}
	p := s.Start
	g := s.Gradient(p)
	fmt.Printf("%s: f = %s\n", s.Name, s.Formula)
	fmt.Printf("start (%g, %g): f = %.6g, ∇f = (%.6g, %.6g)\n", p[0], p[1], s.Value(p), g[0], g[1])
	fmt.Println("minima:", s.Minima)
	// Output:
	// rosenbrock: f = (1−x)² + 100(y−x²)²
	// start (-1.2, 1): f = 24.2, ∇f = (-215.6, -88)
	// minima: [[1 1]]
}
