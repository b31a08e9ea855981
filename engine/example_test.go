package engine_test

import (
	"fmt"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// Gradient descent with lr 0.25 on the bowl x² + y² halves θ at every step,
// since θ − 0.25·(2x, 2y) = θ/2.
func ExampleRun() {
	bowl, _ := surfaces.Lookup("bowl")
	sgd, _ := engine.LookupMethod("sgd")
	opt, params, err := sgd.New(engine.Params{"lr": 0.25})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sgd.Rule, params)

	r := engine.Run(bowl, opt, engine.Point{1, -2}, engine.Limits{Steps: 3, Tol: engine.DefaultTol})
	for i, p := range r.Path {
		fmt.Printf("θ%d = (%g, %g)  f = %g\n", i, p[0], p[1], r.Loss[i])
	}
	fmt.Println(r.Status)
	// Output:
	// θ ← θ − lr·g map[lr:0.25]
	// θ0 = (1, -2)  f = 5
	// θ1 = (0.5, -1)  f = 1.25
	// θ2 = (0.25, -0.5)  f = 0.3125
	// θ3 = (0.125, -0.25)  f = 0.078125
	// max_steps
}

// A Trajectory yields the iterates one at a time, for streaming. Newton's
// method reaches the bottom of a quadratic in one step, where the gradient
// vanishes and the run converges.
func ExampleTrajectory() {
	newton, _ := engine.LookupMethod("newton")
	opt, _, _ := newton.New(nil)
	tr := engine.NewTrajectory(surfaces.Bowl{}, opt, engine.Point{-1.5, 1.7}, engine.Limits{Steps: 100, Tol: 1e-8})
	for tr.Next() {
		it := tr.Iterate()
		fmt.Println(it.Theta, it.Loss)
	}
	fmt.Println(tr.Status())
	// Output:
	// [-1.5 1.7] 5.14
	// [0 0] 0
	// converged
}

// Resolve fills in the defaults and says what is wrong with a bad value.
func ExampleMethod_Resolve() {
	adam, _ := engine.LookupMethod("adam")
	params, _ := adam.Resolve(engine.Params{"lr": 0.01})
	fmt.Println(params)
	_, err := adam.Resolve(engine.Params{"beta1": 1})
	fmt.Println(err)
	// Output:
	// map[beta1:0.9 beta2:0.999 eps:1e-08 lr:0.01]
	// optimizer adam, parameter beta1: must be between 0 and 0.9999, got 1
}
