package expression_test

import (
	"fmt"

	"saddlepoint/surfaces"
	"saddlepoint/surfaces/expression"
)

func ExampleParse() {
	e, err := expression.Parse("(1-x)^2 + 100*(y-x^2)^2")
	if err != nil {
		panic(err)
	}
	p := surfaces.Point{-1.2, 1}
	fmt.Println("f =", e)
	fmt.Printf("f(-1.2, 1) = %.6g\n", e.Value(p))
	fmt.Printf("∇f = %.6g\n", e.Gradient(p))
	h := e.Hessian(p)
	fmt.Printf("∇²f = [%.6g %.6g; %.6g %.6g]\n", h.XX, h.XY, h.XY, h.YY)

	_, err = expression.Parse("sin(x + (y*2)")
	fmt.Println(err)
	_, err = expression.Parse("sine(x)")
	fmt.Println(err)
	// Output:
	// f = (1 - x)^2 + 100*(y - x^2)^2
	// f(-1.2, 1) = 24.2
	// ∇f = [-215.6 -88]
	// ∇²f = [1330 480; 480 200]
	// expected ')' at column 14
	// unknown function 'sine' (did you mean sin?)
}

func ExampleSurface() {
	s, err := expression.Surface("x^2 + 10*y^2", surfaces.View{})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Name, s.Formula, s.View, s.Start)
	// Output:
	// custom x^2 + 10*y^2 {-3 3 -3 3} [-1.5 -1.5]
}
