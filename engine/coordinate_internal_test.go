package engine

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// lineFunc is a function of one variable with its first two derivatives.
type lineFunc struct {
	name                string
	value, slope, curve func(u float64) float64
}

var (
	// parabola has its minimum at u = 3.
	parabola = lineFunc{"(u − 3)²",
		func(u float64) float64 { return (u - 3) * (u - 3) },
		func(u float64) float64 { return 2 * (u - 3) },
		func(float64) float64 { return 2 }}
	// expLinear has its minimum at u = ln 2, and grows fast on the right.
	expLinear = lineFunc{"eᵘ − 2u",
		func(u float64) float64 { return math.Exp(u) - 2*u },
		func(u float64) float64 { return math.Exp(u) - 2 },
		func(u float64) float64 { return math.Exp(u) }}
	// doubleWell has minima near −1.04 and 0.96 and a maximum near 0.075.
	doubleWell = lineFunc{"(u² − 1)² + 0.3u",
		func(u float64) float64 { return (u*u-1)*(u*u-1) + 0.3*u },
		func(u float64) float64 { return 4*u*(u*u-1) + 0.3 },
		func(u float64) float64 { return 12*u*u - 4 }}
	// ripples is a slice of rastrigin, with a local minimum near every
	// integer.
	ripples = lineFunc{"u² − 10cos(2πu) + 10",
		func(u float64) float64 { return u*u - 10*math.Cos(2*math.Pi*u) + 10 },
		func(u float64) float64 { return 2*u + 20*math.Pi*math.Sin(2*math.Pi*u) },
		func(u float64) float64 { return 2 + 40*math.Pi*math.Pi*math.Cos(2*math.Pi*u) }}
	// bump is a parabola with its minimum at u = 5 and a tall narrow bump
	// at u = 1: a local minimum near 0.76 before the bump, a local maximum
	// near 0.999 on it.
	bump = lineFunc{"0.1u² − u + 5exp(−100(u − 1)²)",
		func(u float64) float64 { return 0.1*u*u - u + 5*math.Exp(-100*(u-1)*(u-1)) },
		func(u float64) float64 { return 0.2*u - 1 - 1000*(u-1)*math.Exp(-100*(u-1)*(u-1)) },
		func(u float64) float64 {
			w := u - 1
			return 0.2 - 1000*math.Exp(-100*w*w)*(1-200*w*w)
		}}
)

// counted returns φ of l as a slopeFunc that records the points it is
// asked for.
func (l lineFunc) counted(trials *[]float64) slopeFunc {
	return func(u float64) (float64, float64, error) {
		*trials = append(*trials, u)
		return l.value(u), l.slope(u), nil
	}
}

// minimize runs lineMinimum on l from u0, with the curvature or without it.
func (l lineFunc) minimize(tb testing.TB, u0 float64, withCurvature bool) (u, v float64, trials []float64) {
	tb.Helper()
	c := math.NaN()
	if withCurvature {
		c = l.curve(u0)
	}
	u, v, err := lineMinimum(l.counted(&trials), u0, l.value(u0), l.slope(u0), c)
	if err != nil {
		tb.Fatalf("%s from %g: %v", l.name, u0, err)
	}
	return u, v, trials
}

// TestLineMinimumFindsLocalMinima starts the minimiser from many points of
// several functions, with and without the curvature, and checks that it
// returns a local minimiser — φ' zero to a few ulps, φ″ ≥ 0 — no higher
// than the start, with φ there as it says, and every trial on the downhill
// side of the start.
func TestLineMinimumFindsLocalMinima(t *testing.T) {
	t.Parallel()
	for _, l := range []lineFunc{parabola, expLinear, doubleWell, ripples, bump} {
		for _, withCurvature := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s curvature %v", l.name, withCurvature), func(t *testing.T) {
				t.Parallel()
				for u0 := -3.0; u0 <= 3; u0 += 0.0625 {
					d0 := l.slope(u0)
					u, v, trials := l.minimize(t, u0, withCurvature)
					if v != l.value(u) {
						t.Fatalf("from %g: φ(%g) = %g, returned %g", u0, u, l.value(u), v)
					}
					if v > l.value(u0) {
						t.Errorf("from %g: φ rose from %g to %g at %g", u0, l.value(u0), v, u)
					}
					if d0 == 0 {
						continue
					}
					// The partial derivative at a zero found to within a few
					// ulps is about φ″·ulp(u), plus the rounding of φ'
					// itself, both far below this.
					if s := l.slope(u); math.Abs(s) > 1e-9*math.Max(1, math.Abs(d0)) {
						t.Errorf("from %g (φ' = %g): ended at %g with φ' = %g", u0, d0, u, s)
					}
					if c := l.curve(u); c < 0 {
						t.Errorf("from %g: ended at %g with φ″ = %g, a maximum", u0, u, c)
					}
					for _, x := range trials {
						if (x-u0)*d0 >= 0 {
							t.Errorf("from %g (φ' = %g): trial %g is uphill", u0, d0, x)
						}
					}
					if len(trials) > 60 {
						t.Errorf("from %g: %d evaluations", u0, len(trials))
					}
				}
			})
		}
	}
}

// TestLineMinimumCases follows the minimiser down each of its paths.
func TestLineMinimumCases(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	tests := []struct {
		name      string
		l         lineFunc
		u0        float64
		curvature float64 // φ″ as given to lineMinimum, NaN for unknown
		want      float64 // the minimiser, to 1e-4; φ' must vanish there
		evals     int     // how many evaluations, or 0 for any
		// first, if set, checks the first trial point.
		first func(l lineFunc, t float64) bool
	}{
		// The Newton step lands on the minimum of a parabola.
		{name: "newton on a parabola", l: parabola, u0: -1, curvature: 2, want: 3, evals: 1},
		// Without the curvature: steps 0.1, 0.2, 0.4, 0.8, 1.6 from −1
		// reach 2.1, still falling; 3.7 is past the minimum, and Brent's
		// secant step on the linear φ' lands on 3.
		{name: "bracket a parabola", l: parabola, u0: -1, curvature: nan, want: 3},
		// From 2 the doubling steps go left to 1.8 and 1.4, then 0.6 is past
		// the right-hand minimum near 0.96, a local minimum, while the
		// global one is near −1.04.
		{name: "nearest well", l: doubleWell, u0: 2, curvature: nan, want: 0.96015},
		// A Newton step of 1.05 from 0 clears the bump's top and lands where
		// φ ≈ 2.8, above φ(0), and still falls: the minimum before the bump
		// lies between 0 and 1.05, and halving brackets it.
		{name: "over the hump", l: bump, u0: 0, curvature: 1 / 1.05, want: 0.76261,
			first: func(l lineFunc, t float64) bool { return t > 1 && l.value(t) > l.value(0) && l.slope(t) < 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var trials []float64
			u, _, err := lineMinimum(tt.l.counted(&trials), tt.u0, tt.l.value(tt.u0), tt.l.slope(tt.u0), tt.curvature)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(tt.l.slope(u)) > 1e-12 {
				t.Errorf("ended at %.17g with φ' = %g", u, tt.l.slope(u))
			}
			if math.Abs(u-tt.want) > 1e-4 {
				t.Errorf("ended at %.17g, want %g", u, tt.want)
			}
			if tt.evals > 0 && len(trials) != tt.evals {
				t.Errorf("%d evaluations %v, want %d", len(trials), trials, tt.evals)
			}
			if tt.first != nil && !tt.first(tt.l, trials[0]) {
				t.Errorf("first trial %g is not where this path starts", trials[0])
			}
		})
	}
}

// TestLineMinimumEdges checks the cases where the minimiser does not move
// or cannot finish.
func TestLineMinimumEdges(t *testing.T) {
	t.Parallel()
	var trials []float64
	// A flat start: no move, no evaluation.
	if u, v, err := lineMinimum(parabola.counted(&trials), 3, 0, 0, 2); u != 3 || v != 0 || err != nil || len(trials) != 0 {
		t.Errorf("flat start: %g, %g, %v after %d evaluations", u, v, err, len(trials))
	}
	// A Newton step too small to change u: no move.
	near := 1 + 0x1p-60
	shifted := lineFunc{"(u − (1 + 2⁻⁶⁰))²",
		func(u float64) float64 { return (u - near) * (u - near) },
		func(u float64) float64 { return 2 * (u - near) }, nil}
	if u, _, err := lineMinimum(shifted.counted(&trials), 1, 0, shifted.slope(1), 2); u != 1 || err != nil || len(trials) != 0 {
		t.Errorf("rounded-off step: %g, %v after %d evaluations", u, err, len(trials))
	}
	// Falling without bound: −u² from 1 goes right for ever.
	falling := lineFunc{"−u²", func(u float64) float64 { return -u * u }, func(u float64) float64 { return -2 * u }, nil}
	u, v, err := lineMinimum(falling.counted(&trials), 1, -1, -2, -2)
	if err == nil || u < 1 || v > -1 {
		t.Errorf("unbounded: %g, %g, %v; want an error with the lowest point found", u, v, err)
	}
	// A failing evaluation is passed on.
	broken := errors.New("broken")
	_, _, err = lineMinimum(func(float64) (float64, float64, error) { return 0, 0, broken }, 0, 1, 1, 1)
	if !errors.Is(err, broken) {
		t.Errorf("failing φ: error %v, want %v", err, broken)
	}
}

// TestBrentRoot checks the root finder on Brent's own test, u³ − 2u − 5,
// and on a linear slope, where one secant step is exact.
func TestBrentRoot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		slope func(float64) float64
		a, b  float64
		root  float64
		most  int // evaluations
	}{
		{"cubic", func(u float64) float64 { return u*u*u - 2*u - 5 }, 2, 3, 2.0945514815423265, 12},
		{"cubic reversed", func(u float64) float64 { return u*u*u - 2*u - 5 }, 3, 2, 2.0945514815423265, 12},
		{"linear", func(u float64) float64 { return 4 * (u - 0.3) }, -1, 1, 0.3, 3},
		{"steep", func(u float64) float64 { return math.Atan(1e6 * (u - 1e-3)) }, -5, 5, 1e-3, 80},
	}
	for _, tt := range tests {
		evals := 0
		phi := func(u float64) (float64, float64, error) {
			evals++
			return 0, tt.slope(u), nil
		}
		tol := 2 * machineEpsilon * math.Max(math.Abs(tt.a), math.Abs(tt.b))
		u, _, du, err := brentRoot(phi, tt.a, 0, tt.slope(tt.a), tt.b, 0, tt.slope(tt.b), tol)
		if err != nil || du != tt.slope(u) {
			t.Fatalf("%s: %v, φ' = %g at %g, want %g", tt.name, err, du, u, tt.slope(u))
		}
		if math.Abs(u-tt.root) > 4*machineEpsilon*math.Abs(u)+tol {
			t.Errorf("%s: root %.17g, want %.17g", tt.name, u, tt.root)
		}
		if evals > tt.most {
			t.Errorf("%s: %d evaluations, want at most %d", tt.name, evals, tt.most)
		}
	}
}
