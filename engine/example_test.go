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
	fmt.Println(sgd.Rule, " lr =", params.Float("lr"))

	r := engine.Run(bowl, opt, engine.Point{1, -2}, engine.Limits{Steps: 3, Tol: engine.DefaultTol})
	for i, p := range r.Path {
		fmt.Printf("θ%d = (%g, %g)  f = %g\n", i, p[0], p[1], r.Loss[i])
	}
	fmt.Println(r.Status)
	// Output:
	// θ ← θ − lr·g  lr = 0.25
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
	tr := engine.NewTrajectory(&surfaces.Bowl{}, opt, engine.Point{-1.5, 1.7}, engine.Limits{Steps: 100, Tol: 1e-8})
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
	for _, name := range []string{"lr", "beta1", "beta2", "eps", "bias_correction"} {
		fmt.Printf("%s=%v ", name, params[name])
	}
	fmt.Printf("schedule=%v\n", params["schedule"])
	_, err := adam.Resolve(engine.Params{"beta1": 1})
	fmt.Println(err)
	sgd, _ := engine.LookupMethod("sgd")
	_, err = sgd.Resolve(engine.Params{"bias_correction": false})
	fmt.Println(err)
	// Output:
	// lr=0.01 beta1=0.9 beta2=0.999 eps=1e-08 bias_correction=true schedule=constant
	// optimizer adam, parameter beta1: must be between 0 and 0.9999, got 1
	// optimizer sgd, parameter bias_correction: unknown parameter of sgd (allowed: lr, clip, schedule, lr_final, decay_steps, gamma, step_size, noise, seed, batch, average, average_decay)
}

// The book's linear schedule takes lr down to lr_final over decay_steps
// updates and then holds it there.
func ExampleSchedule() {
	s := engine.Schedule{Kind: "linear", LR: 0.1, Final: 0.001, DecaySteps: 4}
	for k := range 6 {
		fmt.Printf("lr%d = %.5f\n", k, s.LRAt(k))
	}
	// Output:
	// lr0 = 0.10000
	// lr1 = 0.07525
	// lr2 = 0.05050
	// lr3 = 0.02575
	// lr4 = 0.00100
	// lr5 = 0.00100
}

// A run can average its iterates, as Polyak averaging does, and trace what
// every step did. Method.Options turns the average parameter into the run
// option. Here gradient descent with lr 0.25 halves θ at every step on the
// bowl, and the average of 1, 1/2 and 1/4 is 7/12.
func ExampleRun_average() {
	sgd, _ := engine.LookupMethod("sgd")
	opt, params, _ := sgd.New(engine.Params{"lr": 0.25, "average": "uniform"})
	opts := append(sgd.Options(params), engine.WithTrace())
	r := engine.Run(&surfaces.Bowl{}, opt, engine.Point{1, -2}, engine.Limits{Steps: 2}, opts...)
	for k := range r.Path {
		fmt.Printf("θ%d = %v  average %.4f  ∇f = %v  step %v\n", k, r.Path[k], r.Average[k], r.Trace[k].Gradient, r.Trace[k].Step)
	}
	// Output:
	// θ0 = [1 -2]  average [1.0000 -2.0000]  ∇f = [2 -4]  step &[-0.5 1]
	// θ1 = [0.5 -1]  average [0.7500 -1.5000]  ∇f = [1 -2]  step &[-0.25 0.5]
	// θ2 = [0.25 -0.5]  average [0.5833 -1.1667]  ∇f = [0.5 -1]  step <nil>
}
