package survey_test

import (
	"context"
	"fmt"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

// A basin map of gradient descent on himmelblau, 4 × 4 starts: each start
// is labelled with the minimum its run ended at, printed with the top row
// first as on a plot.
func ExampleBasins() {
	s, _ := surfaces.Lookup("himmelblau")
	sgd, _ := engine.LookupMethod("sgd")
	params, _ := sgd.Resolve(engine.Params{"lr": 0.01})
	setup := survey.Setup{F: s.TwiceDifferentiable, Method: sgd, Params: params, Limits: engine.Limits{Steps: 1000, Tol: 1e-8}}
	m, _ := survey.Basins(context.Background(), setup, s.View, 4, s.Minima)
	for j := m.Resolution - 1; j >= 0; j-- {
		fmt.Println(m.Basin[j*m.Resolution : (j+1)*m.Resolution])
	}
	fmt.Println(m.Minima[0], "is minimum 0; the first start is", survey.GridStart(s.View, 4, 0, 0))
	// Output:
	// [1 1 0 0]
	// [1 1 0 0]
	// [2 2 3 3]
	// [2 2 3 3]
	// [3 2] is minimum 0; the first start is [-3.75 -3.75]
}

// A sweep of momentum's learning rate against its momentum on the ravine:
// at lr 0.1, momentum 0.9 converges where plain gradient descent still
// crawls along the valley, and lr 1 diverges whatever the momentum.
func ExampleSweep() {
	s, _ := surfaces.Lookup("ravine")
	momentum, _ := engine.LookupMethod("momentum")
	params, _ := momentum.Resolve(nil)
	setup := survey.Setup{F: s.TwiceDifferentiable, Method: momentum, Params: params, Limits: engine.Limits{Steps: 500, Tol: 1e-8}}
	x := survey.Axis{Param: "lr", Min: 0.01, Max: 1, N: 3, Scale: survey.Log}
	y := survey.Axis{Param: "momentum", Min: 0, Max: 0.9, N: 2, Scale: survey.Linear}
	m, _ := survey.Sweep(context.Background(), setup, s.Start, x, y)
	for k, r := range m.Runs {
		fmt.Printf("lr %-4g momentum %-3g %-9s after %d steps\n", m.X[k%len(m.X)], m.Y[k/len(m.X)], r.Status, r.Steps)
	}
	// Output:
	// lr 0.01 momentum 0   max_steps after 500 steps
	// lr 0.1  momentum 0   max_steps after 500 steps
	// lr 1    momentum 0   diverged  after 12 steps
	// lr 0.01 momentum 0.9 max_steps after 500 steps
	// lr 0.1  momentum 0.9 converged after 350 steps
	// lr 1    momentum 0.9 diverged  after 30 steps
}

// Tuning gradient descent's learning rate on the bowl x² + y².
func ExampleTuneLR() {
	s, _ := surfaces.Lookup("bowl")
	sgd, _ := engine.LookupMethod("sgd")
	params, _ := sgd.Resolve(nil)
	setup := survey.Setup{F: s.TwiceDifferentiable, Method: sgd, Params: params, Limits: engine.Limits{Steps: 100, Tol: 1e-8}}
	t, _ := survey.TuneLR(context.Background(), setup, s.Start)
	best := t.Runs[t.Best]
	fmt.Printf("lr %g: %s after %d steps; lr %g: %s\n", t.Grid[t.Best], best.Status, best.Steps, t.Grid[len(t.Grid)-1], t.Runs[len(t.Runs)-1].Status)
	// Output:
	// lr 0.562: converged after 10 steps; lr 10: diverged
}
