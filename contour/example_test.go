package contour_test

import (
	"fmt"

	"saddlepoint/contour"
	"saddlepoint/surfaces"
)

func ExampleLines() {
	bowl := func(p surfaces.Point) float64 { return p[0]*p[0] + p[1]*p[1] }
	g := contour.Sample(bowl, surfaces.View{XMin: -2, XMax: 2, YMin: -2, YMax: 2}, 64, 64)
	for _, l := range contour.Lines(g, 1) {
		fmt.Printf("%d points, closed: %t\n", len(l), l.Closed())
	}
	// Output:
	// 129 points, closed: true
}

func ExampleLevels() {
	rosenbrock := func(p surfaces.Point) float64 {
		x, y := p[0], p[1]
		return (1-x)*(1-x) + 100*(y-x*x)*(y-x*x)
	}
	g := contour.Sample(rosenbrock, surfaces.View{XMin: -2, XMax: 2, YMin: -1, YMax: 3}, 101, 101)
	for _, level := range contour.Levels(g, 4) {
		fmt.Printf("%.3g\n", level)
	}
	// Output:
	// 0.251
	// 2.51
	// 25.1
	// 251
}
