package engine

import (
	"fmt"
	"math"
)

// The one-dimensional minimiser behind coordinate descent. It works on the
// slope as much as on the value: a minimiser is where φ' crosses zero from
// below, and the sign of φ' is known to within rounding right up to the
// crossing, whereas two values of φ near its minimum differ by less than
// their rounding once the points are closer than about √ε relative. So a
// minimiser that compared values only (golden section, or Brent's
// minimiser) could place the point no better than 1e-8 relative, leaving
// |∂f/∂x| about 1e-8 and the run's stopping test ‖∇f‖ < tol out of reach;
// finding the zero of φ' places it to the last few bits. Values still decide
// the bracketing, so that each step goes downhill.

// Limits of the one-dimensional minimiser. Each is far beyond what a
// minimisation over the catalogue needs, and only bounds the work a
// pathological function can cause.
const (
	maxBracketSteps = 200 // expansions and halvings while bracketing
	maxRootSteps    = 200 // iterations of Brent's method
)

// acceptSlope is how much smaller than at the start |φ'| must be for a trial
// point to be taken as the minimiser at once: a relative precision of about
// 1e-12 in the step for a smooth φ.
const acceptSlope = 1e-12

// slopeFunc evaluates φ and φ' at u, or fails when they cannot be had there.
type slopeFunc func(u float64) (value, slope float64, err error)

// lineMinimum returns a local minimiser u of φ, and φ(u), starting from u0,
// where φ(u0) = v0 and φ'(u0) = d0, with φ(u) ≤ v0. curvature is φ″(u0),
// or NaN if it is unknown. It moves downhill from u0, in the direction of
// −φ'(u0):
//
//  1. The first trial is the Newton step −d0/curvature when the curvature is
//     positive, and otherwise a step of 0.1·max(1, |u0|). A trial where |φ'|
//     is below 1e-12·|d0| without φ having risen is taken at once, so on a
//     quadratic the minimiser costs one evaluation.
//  2. While φ falls and φ' keeps its sign, the step doubles, until φ' changes
//     sign or φ rises: either way a minimiser lies between the last two
//     points, and narrow finds it.
//
// A point leaving the plane (|u| > DivergenceBound) while φ still falls is
// an error.
func lineMinimum(phi slopeFunc, u0, v0, d0, curvature float64) (u, v float64, err error) {
	if d0 == 0 || !finite(d0) {
		return u0, v0, nil
	}
	dir := -math.Copysign(1, d0)
	h := 0.1 * math.Max(1, math.Abs(u0))
	if curvature > 0 {
		if newton := math.Abs(d0) / curvature; newton > 0 && finite(newton) {
			h = newton
		}
	}
	lo, vlo, dlo := u0, v0, d0
	for range maxBracketSteps {
		t := lo + dir*h
		if t == lo {
			return lo, vlo, nil // no representable step is left
		}
		if math.Abs(t) > DivergenceBound {
			return lo, vlo, fmt.Errorf("engine: f still falls at coordinate %g, beyond the bound %g", t, float64(DivergenceBound))
		}
		vt, dt, err := phi(t)
		if err != nil {
			return lo, vlo, err
		}
		switch {
		case vt <= vlo && math.Abs(dt) <= acceptSlope*math.Abs(d0):
			return t, vt, nil
		case dir*dt >= 0 || vt > vlo:
			return narrow(phi, dir, lo, vlo, dlo, t, vt, dt)
		}
		lo, vlo, dlo, h = t, vt, dt, 2*h
	}
	return lo, vlo, nil // still falling after every doubling: take the lowest point
}

// narrow returns a local minimiser of φ between lo and hi, and φ there,
// where φ falls from lo towards hi (dir is the sign of hi − lo) and at hi
// either φ' has the other sign or is zero, or φ is higher than at lo; the
// v and d arguments are φ and φ' at lo and hi. The minimiser is no higher
// than lo. It keeps that shape of interval while it shrinks it:
//
//   - when φ' changes sign between lo and hi, Brent's method finds where
//     (see brentRoot), and that is the answer unless φ is higher there than
//     at lo; then φ must rise and fall again between them, so a lower
//     minimiser lies between lo and that point, which becomes hi;
//   - otherwise, and after such a miss, the interval is halved, keeping
//     the half that still has the shape.
//
// If the interval shrinks to nothing, lo is the answer.
func narrow(phi slopeFunc, dir, lo, vlo, dlo, hi, vhi, dhi float64) (float64, float64, error) {
	for range maxBracketSteps {
		if dhi == 0 && vhi <= vlo {
			return hi, vhi, nil
		}
		if dir*dhi > 0 {
			tol := 2 * machineEpsilon * math.Max(math.Abs(lo), math.Abs(hi))
			u, vu, du, err := brentRoot(phi, lo, vlo, dlo, hi, vhi, dhi, tol)
			if err != nil {
				return lo, vlo, err
			}
			if vu <= vlo {
				return u, vu, nil
			}
			hi, vhi, dhi = u, vu, du
		}
		m := lo + (hi-lo)/2
		if m == lo || m == hi {
			break
		}
		vm, dm, err := phi(m)
		if err != nil {
			return lo, vlo, err
		}
		if dir*dm < 0 && vm <= vlo {
			lo, vlo, dlo = m, vm, dm
		} else {
			hi, vhi, dhi = m, vm, dm
		}
	}
	return lo, vlo, nil
}

// machineEpsilon is the machine epsilon of float64, 2⁻⁵².
const machineEpsilon = 0x1p-52

// brentRoot returns a zero of φ' between a and b, where φ'(a) = fa and
// φ'(b) = fb have opposite signs, with φ there, by Brent's method as in
// his zeroin (R. P. Brent, Algorithms for Minimization without Derivatives,
// Prentice-Hall, 1973, chapter 4; the Fortran of Netlib's zeroin.f). va and
// vb are φ(a) and φ(b), carried along so that φ at the zero comes back
// without another evaluation, with φ' there. The zero is found to within
// 4ε|u| + tol.
func brentRoot(phi slopeFunc, a, va, fa, b, vb, fb, tol float64) (u, vu, du float64, err error) {
	// b is the best estimate, c the point that brackets the zero with b,
	// a the previous b.
	c, vc, fc := a, va, fa
	d := b - a
	e := d
	for range maxRootSteps {
		if math.Abs(fc) < math.Abs(fb) {
			a, va, fa = b, vb, fb
			b, vb, fb = c, vc, fc
			c, vc, fc = a, va, fa
		}
		tol1 := 2*machineEpsilon*math.Abs(b) + 0.5*tol
		xm := 0.5 * (c - b)
		if math.Abs(xm) <= tol1 || fb == 0 {
			return b, vb, fb, nil
		}
		if math.Abs(e) >= tol1 && math.Abs(fa) > math.Abs(fb) {
			// Interpolate: a secant step when only two points are known,
			// inverse quadratic interpolation through a, b and c otherwise.
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * xm * s
				q = 1 - s
			} else {
				q = fa / fc
				r := fb / fc
				p = s * (2*xm*q*(q-r) - (b-a)*(r-1))
				q = (q - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			// Take the interpolated step only if it falls well inside the
			// bracket and is less than half the step before last.
			if 2*p < 3*xm*q-math.Abs(tol1*q) && p < math.Abs(0.5*e*q) {
				e, d = d, p/q
			} else {
				d, e = xm, xm
			}
		} else {
			d, e = xm, xm // bisect
		}
		a, va, fa = b, vb, fb
		if math.Abs(d) > tol1 {
			b += d
		} else {
			b += math.Copysign(tol1, xm)
		}
		if vb, fb, err = phi(b); err != nil {
			return a, va, fa, err
		}
		if fb*math.Copysign(1, fc) > 0 {
			c, vc, fc = a, va, fa
			d = b - a
			e = d
		}
	}
	return b, vb, fb, nil
}
