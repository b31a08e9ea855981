// Package scenarios is Saddlepoint's scenario library: one-click states of
// the page, each tied to an idea of chapter 8 of Goodfellow, Bengio &
// Courville, Deep Learning (MIT Press, 2016), with a few sentences on what
// to watch. The catalogue is plain data, listed in the chapter's order; the
// web package serves it and tests that every scenario still shows what its
// text claims.
package scenarios

// Scenario is one entry of the library.
type Scenario struct {
	// ID is the scenario's slug, such as "momentum-ravine".
	ID string
	// Title names the idea, for a heading or a menu.
	Title string
	// Section is the section of chapter 8 the idea comes from, such as
	// "8.3.2".
	Section string
	// Text says in three to six sentences what to watch and why.
	Text string
	// URL is a path on the site that opens the page in the scenario's
	// state, in the page's URL form: surface, start, steps, starts and one
	// opt per optimizer (see web/pagestate.go).
	URL string
	// Optimizers names the optimizers the URL ticks, in its order, so that
	// their update rules can be shown beside the text.
	Optimizers []string
}

// All returns every scenario in the chapter's order. The slice is the
// caller's to keep.
func All() []Scenario {
	out := make([]Scenario, len(library))
	for i, s := range library {
		out[i] = s
		out[i].Optimizers = append([]string(nil), s.Optimizers...)
	}
	return out
}

// Lookup returns the scenario with the given ID.
func Lookup(id string) (Scenario, bool) {
	for _, s := range All() {
		if s.ID == id {
			return s, true
		}
	}
	return Scenario{}, false
}

// library is the catalogue. Every number a text states was measured on the
// engine, and web/scenarios_test.go checks each claim again, so a change
// that breaks a scenario's lesson fails a test rather than a lecture.
var library = []Scenario{
	{
		ID:      "minibatch-noise",
		Title:   "Minibatch noise needs a decaying learning rate",
		Section: "8.1.3",
		URL:     "/?surface=bowl&start=-1.5,1.7&steps=300&opt=sgd(lr=0.2,noise=1,seed=1)&opt=momentum(lr=0.2,momentum=0,noise=1,seed=1,schedule=linear,lr_final=0.002,decay_steps=300)",
		Text: "A minibatch gives only an estimate of the gradient; the noise knob imitates one by adding Gaussian noise of standard deviation 1 to every gradient. " +
			"At a constant learning rate, SGD reaches the bottom of the bowl quickly and then keeps wandering around it, because the true gradient shrinks near the minimum but the noise does not. " +
			"The second run is momentum with its momentum set to 0, which is exactly SGD, fed the same noise (same seed) but with a learning rate that falls linearly to 1% of its starting value, as section 8.3.1 suggests. " +
			"Its wandering dies down and it ends several times closer to the minimum. " +
			"This is why stochastic gradient descent needs a shrinking learning rate where full-batch gradient descent does not.",
		Optimizers: []string{"sgd", "momentum"},
	},
	{
		ID:      "cliff-clipping",
		Title:   "Clipping the gradient at a cliff",
		Section: "8.2.4",
		URL:     "/?surface=cliff&start=-3,2&steps=200&opt=sgd(lr=0.1)&opt=momentum(lr=0.1,momentum=0,clip=0.5)",
		Text: "This surface is a gentle slope that ends at a wall a hundred times steeper, like the cliffs that products of many large weights create in deep and recurrent networks. " +
			"Plain SGD walks down the slope, but every step that lands on the wall meets a huge gradient and is flung far back, out of the picture, again and again. " +
			"The second run is the same SGD (momentum with momentum 0) with the gradient's length clipped to 0.5, so no step can be longer than 0.05: it stops at the foot of the wall, next to the minimum. " +
			"Clipping keeps the gradient's direction and gives up only its size, and near a cliff the size is the part that cannot be trusted.",
		Optimizers: []string{"sgd", "momentum"},
	},
	{
		ID:      "momentum-ravine",
		Title:   "Momentum in a ravine",
		Section: "8.3.2",
		URL:     "/?surface=ravine&start=-4.5,1.5&steps=200&opt=sgd(lr=0.05)&opt=momentum(lr=0.05,momentum=0.9)",
		Text: "The ravine is twenty times more curved across than along, the kind of poor conditioning section 8.2.1 describes. " +
			"At this learning rate SGD drops quickly to the valley floor and then crawls along it, because the gradient there is weak; after 200 steps it is still well short of the minimum. " +
			"Momentum keeps a velocity, a decaying sum of past gradients: along the floor the gradients all point the same way and build up a step up to 1/(1 − α) = 10 times longer, while across the valley they alternate in sign and largely cancel. " +
			"With the same learning rate, momentum reaches the minimum in under a hundred steps, overshooting a little on the way as a rolling ball would.",
		Optimizers: []string{"sgd", "momentum"},
	},
	{
		ID:      "nesterov-lookahead",
		Title:   "Nesterov momentum looks ahead",
		Section: "8.3.3",
		URL:     "/?surface=ravine&start=-4.5,1.5&steps=200&opt=momentum(lr=0.2,momentum=0.9)&opt=nesterov(lr=0.2,momentum=0.9)",
		Text: "At a larger learning rate, classical momentum swings from wall to wall of the ravine, and the swings die out only slowly. " +
			"Nesterov momentum takes the gradient not where the parameters are but where the velocity is about to carry them, at θ + αv, so it feels the opposite wall before reaching it and brakes. " +
			"With the same learning rate and momentum, its swings across the valley are gone within a few steps, and it reaches a loss of 0.0001 in half as many steps as classical momentum. " +
			"The book notes that with stochastic gradients the look-ahead does not improve the rate of convergence; on a smooth surface like this one the gain is plain to see.",
		Optimizers: []string{"momentum", "nesterov"},
	},
	{
		ID:      "symmetry-breaking",
		Title:   "Symmetric starts stay symmetric",
		Section: "8.4",
		URL:     "/?surface=deep-linear&start=0.2,0.2&steps=200&opt=sgd(lr=0.1)&opt=momentum(lr=0.02,momentum=0.9)&opt=adam(lr=0.05)",
		Text: "The deep-linear loss belongs to two weights in series, and swapping them leaves it unchanged, just as swapping two hidden units of a layer leaves a network's function unchanged. " +
			"Started with both weights equal, each optimizer computes the same update for both, so every path runs straight along the diagonal x = y and the two weights never become different. " +
			"That is why section 8.4 insists that initialization break the symmetry: two units with the same inputs that start out identical are trained identically, and one of them is wasted. " +
			"Click the plot just off the diagonal and the paths curve towards other points of the hyperbola of minima; start exactly at the origin and nothing moves at all, since the gradient there is zero.",
		Optimizers: []string{"sgd", "momentum", "adam"},
	},
	{
		ID:      "init-too-small",
		Title:   "Initial weights too small: stuck near a saddle",
		Section: "8.4",
		URL:     "/?surface=deep-linear&start=0,0&steps=200&starts=40,normal,0.001,1&opt=sgd(lr=0.15)",
		Text: "Forty starts drawn at random within about 0.001 of the origin, where the deep-linear loss has a saddle point. " +
			"The random draw breaks the symmetry, but so close to the saddle the gradient is tiny, and every run sits on the plateau around it for twenty steps or more before it speeds away. " +
			"All of them leave along the diagonal y = x, the direction in which the saddle curves downwards, and settle on the hyperbola of minima near (1, 1) or (−1, −1). " +
			"In a deep network, weights that start too small shrink the signal at every layer in the same way, and training opens with a long flat stretch.",
		Optimizers: []string{"sgd"},
	},
	{
		ID:      "init-too-large",
		Title:   "Initial weights too large: blown away",
		Section: "8.4",
		URL:     "/?surface=deep-linear&start=0,0&steps=200&starts=40,normal,2.5,1&opt=sgd(lr=0.15)",
		Text: "The same learning rate as with the tiny cloud, but the starts are now spread about 2.5 around the origin. " +
			"Far from the origin the surface is steep and sharply curved, its curvature growing with x² + y², so a step that is modest near the origin is far too long out there. " +
			"The runs that start farthest out are thrown off and diverge, while those that start closer in settle on the hyperbola of minima within a few steps. " +
			"Section 8.4 weighs both failures of scale: weights too small leave training stuck near a saddle, weights too large make it explode, and the same learning rate is safe or fatal depending on where initialization puts the parameters.",
		Optimizers: []string{"sgd"},
	},
	{
		ID:      "adagrad-decay",
		Title:   "AdaGrad's learning rate dies early",
		Section: "8.5.1",
		URL:     "/?surface=rosenbrock&start=-1.2,1&steps=1000&opt=sgd(lr=0.001)&opt=adagrad(lr=0.1)",
		Text: "AdaGrad divides each coordinate's step by the square root of the sum of all its squared gradients so far. " +
			"Rosenbrock's start sits on a steep wall, where the first gradient is about (−216, −88); its square stays in that sum for the rest of the run, so after one step AdaGrad's effective learning rate on x is below 0.0005, and it only falls from there (point at an iterate: the inspector shows it as the effective step size). " +
			"On the valley floor, where the gradient is small, AdaGrad can therefore only creep: after 1000 steps, plain SGD with a learning rate a hundred times smaller has gone further along the valley. " +
			"This is the weakness section 8.5.1 reports for deep networks: accumulating from the very first step can shrink the learning rate too soon and too far.",
		Optimizers: []string{"sgd", "adagrad"},
	},
	{
		ID:      "rmsprop-forgets",
		Title:   "RMSProp forgets the steep start",
		Section: "8.5.2",
		URL:     "/?surface=beale&start=1,1.5&steps=300&opt=adagrad(lr=0.02)&opt=rmsprop(lr=0.02,rho=0.9)",
		Text: "Beale's function has steep walls around a flat basin, so the gradients at the start are a hundred times larger than those near the minimum at (3, 0.5). " +
			"AdaGrad, with the same learning rate, remembers every squared gradient it has met and stays stuck near the start. " +
			"RMSProp keeps an exponentially decaying average instead, and ρ = 0.9 gives it a memory of roughly ten steps: once the run leaves the walls, the old gradients fade from the average, its effective learning rate grows more than tenfold, and it crosses the basin to the minimum. " +
			"Section 8.5.2 puts it this way: after finding a convex bowl, RMSProp converges as fast as an AdaGrad run started inside that bowl.",
		Optimizers: []string{"adagrad", "rmsprop"},
	},
	{
		ID:      "adam-bias-correction",
		Title:   "Adam with and without bias correction",
		Section: "8.5.3",
		URL:     "/?surface=two-wells&start=-1.8,1.2&steps=200&opt=adam(lr=0.1)&opt=adamw(lr=0.1,weight_decay=0,bias_correction=false)",
		Text: "Adam's moment estimates s and r start at zero, so early on they are too small, r far more than s because ρ₂ = 0.999 is closer to 1 than ρ₁ = 0.9; Algorithm 8.7 divides them by 1 − ρᵗ to undo this. " +
			"The page ticks each optimizer once, so the second run is AdamW with its weight decay set to 0, which makes it plain Adam, and with bias_correction turned off. " +
			"Without the correction its first steps are three to six times longer than the learning rate promises. " +
			"Starting in the deeper well on the left, that run overshoots, jumps the ridge and settles in the shallow well on the right, while corrected Adam stays and finds the deeper minimum.",
		Optimizers: []string{"adam", "adamw"},
	},
	{
		ID:      "newton-saddle",
		Title:   "Newton's method is drawn to a saddle point",
		Section: "8.6.1",
		URL:     "/?surface=saddle&start=-1.5,0.01&steps=200&opt=sgd(lr=0.1)&opt=newton(alpha=0)",
		Text: "On x² − y² the origin is a saddle point: the gradient vanishes there, but it is a minimum along x and a maximum along y. " +
			"Newton's method jumps to the point where its quadratic model of the loss has zero gradient, and on a quadratic surface that point is the saddle itself, so it lands there in a single step and stops, reporting convergence. " +
			"Gradient descent is pushed away from the saddle along y, where the surface falls, and escapes; the surface has no minimum, so escaping means running downhill until the run leaves the plotting range, which the legend reports as diverged. " +
			"Section 8.6.1 gives this attraction to saddle points as a main reason why plain Newton's method does not suit neural networks, whose losses are full of them.",
		Optimizers: []string{"sgd", "newton"},
	},
	{
		ID:      "newton-regularized",
		Title:   "Regularized Newton escapes the saddle",
		Section: "8.6.1",
		URL:     "/?surface=deep-linear&start=0.3,0.25&steps=200&opt=newton(alpha=3)&opt=newton-ls",
		Text: "From this start, plain Newton's method (set alpha to 0 to see it) heads straight for the saddle point at the origin of the deep-linear loss and stays there with the loss stuck at 1. " +
			"Adding αI to the Hessian with α = 3, more than the saddle's most negative curvature of −2, makes the matrix positive definite near the saddle, so every step goes downhill and the run reaches the hyperbola of minima. " +
			"The price is speed: where the curvature is small, a large α shrinks Newton's step towards a short gradient step, the gradient divided by α. " +
			"Newton's method with line search instead picks, at every point, the smallest shift that makes the Hessian positive definite and then a step length along the resulting direction, and needs only a handful of iterations.",
		Optimizers: []string{"newton", "newton-ls"},
	},
	{
		ID:      "cg-vs-zigzag",
		Title:   "Conjugate gradients against the zig-zag",
		Section: "8.6.2",
		URL:     "/?surface=rotated-ravine&start=-3,-1&steps=200&opt=sgd(lr=0.45)&opt=cg(variant=polak-ribiere)",
		Text: "Steepest descent zig-zags in a narrow valley because each new direction undoes part of the progress the previous one made. " +
			"SGD near the largest stable learning rate shows the waste here: it crosses the tilted valley at every step while sliding slowly along it. " +
			"Conjugate gradients picks each new direction conjugate to the last with respect to the Hessian, so minimizing along it keeps the minimum already found along the earlier direction; on a two-dimensional quadratic two exact line searches would be enough, and the inexact ones used here need three. " +
			"Set cg's restart to 1 to make every direction the plain negative gradient: that is steepest descent with line searches, the picture section 8.6.2 starts from, and it needs well over a hundred right-angled zig-zags here.",
		Optimizers: []string{"sgd", "cg"},
	},
	{
		ID:      "bfgs-vs-lbfgs",
		Title:   "BFGS and limited-memory BFGS",
		Section: "8.6.3",
		URL:     "/?surface=rosenbrock&start=-1.2,1&steps=200&opt=bfgs&opt=lbfgs(memory=1)",
		Text: "BFGS builds an approximation M of the inverse Hessian from the gradients it meets, refining it after every line search, and so follows Rosenbrock's curved valley to (1, 1) in about forty iterations. " +
			"Storing M takes memory that grows with the square of the number of parameters, which rules it out for large networks. " +
			"L-BFGS stores only the most recent steps and gradient changes and rebuilds the product of M with the gradient from them; with memory 1 it starts each time from the identity and uses only the latest pair, as in the book's description. " +
			"That costs it some iterations here, about fifty-five, and with memory 5 it keeps pace with BFGS.",
		Optimizers: []string{"bfgs", "lbfgs"},
	},
	{
		ID:      "normalization-ravine",
		Title:   "Unnormalized features make a ravine",
		Section: "8.7.1",
		URL:     "/?surface=least-squares&start=-0.5,2.5&steps=200&opt=sgd(lr=0.02)&opt=momentum(lr=0.04,momentum=0)",
		Text: "This is linear regression with two weights on features whose scales differ by a factor of about five and whose means are not zero, so the loss is a long tilted ravine with a condition number near 90. " +
			"SGD at a learning rate of 0.02 is stable but still short of the minimum after 200 steps. " +
			"The second run, SGD again (momentum with momentum 0) at 0.04, is past the stability limit that the steep direction sets and diverges. " +
			"Tick \"normalize the features\", or open the next scenario, to see what standardizing the inputs does to the same problem.",
		Optimizers: []string{"sgd", "momentum"},
	},
	{
		ID:      "normalization-bowl",
		Title:   "Normalized features make a bowl",
		Section: "8.7.1",
		URL:     "/?surface=least-squares&normalize=true&start=-0.5,2.5&steps=200&opt=sgd(lr=0.04)&opt=momentum(lr=0.5,momentum=0)",
		Text: "The same regression with both features standardized to mean 0 and variance 1, and the targets centred: the ravine becomes a nearly round bowl, whose condition number of 1.35 comes only from the features' correlation. " +
			"The learning rate of 0.04 that diverged on the raw features now converges steadily, and the second run, SGD again (momentum with momentum 0) at 0.5, reaches the minimum in about ten steps; anything up to about 0.85 is stable. " +
			"The minimum has moved, because each weight now multiplies a rescaled feature. " +
			"Batch normalization (section 8.7.1) standardizes the inputs of every layer in the same spirit, reparametrizing the network so that gradient descent meets a better-conditioned surface.",
		Optimizers: []string{"sgd", "momentum"},
	},
	{
		ID:      "coordinate-descent-coupled",
		Title:   "Coordinate descent on a coupled valley",
		Section: "8.7.2",
		URL:     "/?surface=coupled&start=1.5,-1&steps=200&opt=coordinate-descent&opt=cg(variant=polak-ribiere)",
		Text: "Coordinate descent minimizes exactly along x with y held fixed, then along y with x fixed, and so on. " +
			"On this surface the best x is almost exactly the current y and the other way round, so each exact minimization moves only a little way up the diagonal valley before the other coordinate must catch up: the path climbs a staircase of tiny steps and is still more than 0.1 from the minimum after 200 of them. " +
			"Conjugate gradients, whose search directions mix both coordinates, gets there in two. " +
			"On the ravine, where x and y do not interact, the same coordinate descent finishes in a single sweep: as section 8.7.2 warns, it does well only when the best value of one variable hardly depends on the others.",
		Optimizers: []string{"coordinate-descent", "cg"},
	},
	{
		ID:      "polyak-averaging",
		Title:   "Polyak averaging calms a noisy run",
		Section: "8.7.3",
		URL:     "/?surface=bowl&start=-1.5,1.7&steps=500&opt=sgd(lr=0.2,noise=2,seed=1,average=uniform)",
		Text: "With a large constant learning rate and noisy gradients, SGD reaches the bowl's minimum and then jumps around it, typically half a unit or more away. " +
			"Polyak averaging keeps the mean of all the iterates so far, drawn dashed: the noise in successive iterates points every which way and mostly cancels in the mean, so the average ends within 0.1 of the minimum although the iterates rarely come that close. " +
			"Averaging needs no extra gradients and leaves the path itself unchanged; it only changes which point we report as the answer. " +
			"Section 8.7.3 recommends an exponentially decaying average on non-convex surfaces, where points visited long ago may lie in another valley; set average to exponential to compare.",
		Optimizers: []string{"sgd"},
	},
	{
		ID:      "continuation-rastrigin",
		Title:   "Continuation on a rippled bowl",
		Section: "8.7.6",
		URL:     "/?surface=rastrigin&start=2.3,-1.6&steps=300&opt=adam(lr=0.05)&opt=adamw(lr=0.05,weight_decay=0,stages=4,sigma0=2)",
		Text: "Rastrigin's function is a bowl covered in ripples, with a local minimum near every point of the integer grid. " +
			"Adam sees only the ripple it stands in, so from this start it settles in the dimple near (2, −2) with a loss of about 8, though the global minimum at the origin has loss 0. " +
			"The second run is the same Adam (AdamW with its weight decay set to 0) used as a continuation method, section 8.7.6: it first minimizes the loss blurred with Gaussian noise of width σ = 2, in which the ripples average out and only the bowl remains, then runs three more stages at σ = 1, 0.5 and finally 0, the true surface, each starting where the previous one ended. " +
			"Watch the contours sharpen from stage to stage: the easy early problems lead the run into the global minimum's basin before the ripples come back, and it ends at the origin.",
		Optimizers: []string{"adam", "adamw"},
	},
}
