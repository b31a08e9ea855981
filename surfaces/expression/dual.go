package expression

import "math"

// dual is a hyper-dual number over the two variables x and y: the value of
// a function u at a point together with its first and second partial
// derivatives there,
//
//	(u, ∂u/∂x, ∂u/∂y, ∂²u/∂x², ∂²u/∂x∂y, ∂²u/∂y²),
//
// that is, u's second-order Taylor polynomial. Arithmetic on duals is
// arithmetic on truncated Taylor polynomials, so evaluating an expression
// on duals seeded with x = (x, 1, 0, 0, 0, 0) and y = (y, 0, 1, 0, 0, 0)
// gives its exact gradient and Hessian by the chain rule (forward-mode
// automatic differentiation), with no step size and no truncation error.
type dual struct {
	v          float64
	x, y       float64
	xx, xy, yy float64
}

func (a dual) add(b dual) dual {
	return dual{a.v + b.v, a.x + b.x, a.y + b.y, a.xx + b.xx, a.xy + b.xy, a.yy + b.yy}
}

func (a dual) sub(b dual) dual {
	return dual{a.v - b.v, a.x - b.x, a.y - b.y, a.xx - b.xx, a.xy - b.xy, a.yy - b.yy}
}

func (a dual) neg() dual {
	return dual{-a.v, -a.x, -a.y, -a.xx, -a.xy, -a.yy}
}

// mul is the product rule, (ab)″ = a″b + 2a′b′ + ab″.
func (a dual) mul(b dual) dual {
	return dual{
		v:  a.v * b.v,
		x:  a.x*b.v + a.v*b.x,
		y:  a.y*b.v + a.v*b.y,
		xx: a.xx*b.v + 2*a.x*b.x + a.v*b.xx,
		xy: a.xy*b.v + a.x*b.y + a.y*b.x + a.v*b.xy,
		yy: a.yy*b.v + 2*a.y*b.y + a.v*b.yy,
	}
}

// div differentiates q = a/b through a = qb, so that the value is the
// correctly rounded a.v/b.v rather than a.v times a rounded 1/b.v.
func (a dual) div(b dual) dual {
	q := a.v / b.v
	qx := (a.x - q*b.x) / b.v
	qy := (a.y - q*b.y) / b.v
	return dual{
		v:  q,
		x:  qx,
		y:  qy,
		xx: (a.xx - 2*qx*b.x - q*b.xx) / b.v,
		xy: (a.xy - qx*b.y - qy*b.x - q*b.xy) / b.v,
		yy: (a.yy - 2*qy*b.y - q*b.yy) / b.v,
	}
}

// addK returns a + k for a constant k.
func (a dual) addK(k float64) dual {
	a.v += k
	return a
}

// mulK returns a·k for a constant k.
func (a dual) mulK(k float64) dual {
	return dual{a.v * k, a.x * k, a.y * k, a.xx * k, a.xy * k, a.yy * k}
}

// divK returns a/k for a constant k.
func (a dual) divK(k float64) dual {
	return dual{a.v / k, a.x / k, a.y / k, a.xx / k, a.xy / k, a.yy / k}
}

// chain applies a function g of one variable to u, given g(u), g′(u) and
// g″(u): the second-order chain rule
//
//	∂g(u)/∂x = g′·∂u/∂x,  ∂²g(u)/∂x∂y = g″·∂u/∂x·∂u/∂y + g′·∂²u/∂x∂y.
func (u dual) chain(g, d1, d2 float64) dual {
	return dual{
		v:  g,
		x:  d1 * u.x,
		y:  d1 * u.y,
		xx: d2*u.x*u.x + d1*u.xx,
		xy: d2*u.x*u.y + d1*u.xy,
		yy: d2*u.y*u.y + d1*u.yy,
	}
}

// pow returns a^b for a base and an exponent that both vary, through the
// partial derivatives of F(a, b) = a^b:
//
//	F_a = b·a^(b−1),  F_b = a^b·ln a,
//	F_aa = b(b−1)·a^(b−2),  F_ab = a^(b−1)(1 + b·ln a),  F_bb = a^b·(ln a)².
//
// They need a > 0: elsewhere ln a is NaN, and so are the derivatives, as
// the value itself is for a < 0 and most b.
func (a dual) pow(b dual) dual {
	f := power(a.v, b.v)
	ln := math.Log(a.v)
	pb1 := math.Pow(a.v, b.v-1)
	fa := b.v * pb1
	fb := f * ln
	faa := b.v * (b.v - 1) * math.Pow(a.v, b.v-2)
	fab := pb1 * (1 + b.v*ln)
	fbb := fb * ln
	return dual{
		v:  f,
		x:  fa*a.x + fb*b.x,
		y:  fa*a.y + fb*b.y,
		xx: faa*a.x*a.x + 2*fab*a.x*b.x + fbb*b.x*b.x + fa*a.xx + fb*b.xx,
		xy: faa*a.x*a.y + fab*(a.x*b.y+a.y*b.x) + fbb*b.x*b.y + fa*a.xy + fb*b.xy,
		yy: faa*a.y*a.y + 2*fab*a.y*b.y + fbb*b.y*b.y + fa*a.yy + fb*b.yy,
	}
}

// powK returns u^k for a constant exponent k. The derivative coefficients
// k and k(k − 1) are tested for zero first so that x^0 and x^1 have finite
// derivatives at x = 0, where u^(k−1) or u^(k−2) is infinite.
func (u dual) powK(k float64) dual {
	if k == 2 {
		return u.chain(u.v*u.v, 2*u.v, 2)
	}
	if k >= 3 && k <= 16 && k == math.Trunc(k) {
		// u^(k−2) by multiplication, which is faster than math.Pow; the
		// value still comes from math.Pow, as in plain evaluation.
		p := u.v
		for i := 3; i < int(k); i++ {
			p *= u.v
		}
		return u.chain(math.Pow(u.v, k), k*p*u.v, k*(k-1)*p)
	}
	var d1, d2 float64
	if k != 0 {
		d1 = k * math.Pow(u.v, k-1)
	}
	if c := k * (k - 1); c != 0 {
		d2 = c * math.Pow(u.v, k-2)
	}
	return u.chain(math.Pow(u.v, k), d1, d2)
}

// kPow returns k^u for a constant base k: (k^u)′ = k^u·ln k.
func (u dual) kPow(k float64) dual {
	f := power(k, u.v)
	ln := math.Log(k)
	return u.chain(f, f*ln, f*ln*ln)
}

// choose returns a if pick, else b, and NaN everywhere if either value is
// NaN, as math.Min and math.Max do.
func choose(a, b dual, pick bool) dual {
	if math.IsNaN(a.v) || math.IsNaN(b.v) {
		n := math.NaN()
		return dual{n, n, n, n, n, n}
	}
	if pick {
		return a
	}
	return b
}

// unaryDual applies the function op to u. Each case computes the value with
// the same float64 code as unary, so that a dual's value always equals the
// plain evaluation bit for bit.
func unaryDual(op opcode, u dual) dual {
	switch op {
	case opNeg:
		return u.neg()
	case opSin:
		s := math.Sin(u.v)
		return u.chain(s, math.Cos(u.v), -s)
	case opCos:
		c := math.Cos(u.v)
		return u.chain(c, -math.Sin(u.v), -c)
	case opTan:
		t := math.Tan(u.v)
		d1 := 1 + t*t
		return u.chain(t, d1, 2*t*d1)
	case opExp:
		e := math.Exp(u.v)
		return u.chain(e, e, e)
	case opLog:
		d1 := 1 / u.v
		return u.chain(math.Log(u.v), d1, -d1*d1)
	case opSqrt:
		s := math.Sqrt(u.v)
		d1 := 0.5 / s
		return u.chain(s, d1, -d1/(2*u.v))
	case opAbs:
		return u.chain(math.Abs(u.v), sign(u.v), 0)
	case opTanh:
		t := math.Tanh(u.v)
		d1 := 1 - t*t
		return u.chain(t, d1, -2*t*d1)
	case opSinh:
		s := math.Sinh(u.v)
		return u.chain(s, math.Cosh(u.v), s)
	case opCosh:
		c := math.Cosh(u.v)
		return u.chain(c, math.Sinh(u.v), c)
	case opAtan:
		d1 := 1 / (1 + u.v*u.v)
		return u.chain(math.Atan(u.v), d1, -2*u.v*d1*d1)
	case opSigmoid:
		s, d1 := sigmoid(u.v), sigmoidSlope(u.v)
		return u.chain(s, d1, d1*(1-2*s))
	case opSoftplus:
		return u.chain(softplus(u.v), sigmoid(u.v), sigmoidSlope(u.v))
	}
	panic("expression: no unary operation " + op.String())
}

// binaryDual applies the binary operation op to a and b.
func binaryDual(op opcode, a, b dual) dual {
	switch op {
	case opAdd:
		return a.add(b)
	case opSub:
		return a.sub(b)
	case opMul:
		return a.mul(b)
	case opDiv:
		return a.div(b)
	case opPow:
		if b.x == 0 && b.y == 0 && b.xx == 0 && b.xy == 0 && b.yy == 0 {
			return a.powK(b.v) // a constant exponent: no ln a needed
		}
		return a.pow(b)
	case opMin:
		return choose(a, b, a.v <= b.v)
	case opMax:
		return choose(a, b, a.v >= b.v)
	}
	panic("expression: no binary operation " + op.String())
}

// The float64 semantics of every operation, shared by plain evaluation,
// constant folding and the values of duals.

// unary applies the function op to u.
func unary(op opcode, u float64) float64 {
	switch op {
	case opNeg:
		return -u
	case opSin:
		return math.Sin(u)
	case opCos:
		return math.Cos(u)
	case opTan:
		return math.Tan(u)
	case opExp:
		return math.Exp(u)
	case opLog:
		return math.Log(u)
	case opSqrt:
		return math.Sqrt(u)
	case opAbs:
		return math.Abs(u)
	case opTanh:
		return math.Tanh(u)
	case opSinh:
		return math.Sinh(u)
	case opCosh:
		return math.Cosh(u)
	case opAtan:
		return math.Atan(u)
	case opSigmoid:
		return sigmoid(u)
	case opSoftplus:
		return softplus(u)
	}
	panic("expression: no unary operation " + op.String())
}

// binary applies the binary operation op to a and b.
func binary(op opcode, a, b float64) float64 {
	switch op {
	case opAdd:
		return a + b
	case opSub:
		return a - b
	case opMul:
		return a * b
	case opDiv:
		return a / b
	case opPow:
		return power(a, b)
	case opMin:
		return minimum(a, b)
	case opMax:
		return maximum(a, b)
	}
	panic("expression: no binary operation " + op.String())
}

// power is a^b: math.Pow, except that a^2 is a·a, which math.Pow also gives
// whenever the result is a normal number.
func power(a, b float64) float64 {
	if b == 2 {
		return a * a
	}
	return math.Pow(a, b)
}

// sigmoid is the logistic function 1/(1 + e^(−u)).
func sigmoid(u float64) float64 { return 1 / (1 + math.Exp(-u)) }

// sigmoidSlope is sigmoid′(u) = σ(1 − σ), computed as e^(−|u|)/(1 + e^(−|u|))²,
// which keeps its precision in the tails, where 1 − σ would cancel.
func sigmoidSlope(u float64) float64 {
	e := math.Exp(-math.Abs(u))
	return e / ((1 + e) * (1 + e))
}

// softplus is ln(1 + e^u), computed as max(u, 0) + ln(1 + e^(−|u|)) so that
// it neither overflows for large u nor loses its value for very negative u.
func softplus(u float64) float64 { return math.Max(u, 0) + math.Log1p(math.Exp(-math.Abs(u))) }

// minimum is min(a, b): a on a tie, NaN if either is NaN.
func minimum(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	if a <= b {
		return a
	}
	return b
}

// maximum is max(a, b): a on a tie, NaN if either is NaN.
func maximum(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.NaN()
	}
	if a >= b {
		return a
	}
	return b
}

// sign is the derivative of |u|, taken as 0 at u = 0.
func sign(u float64) float64 {
	switch {
	case u > 0:
		return 1
	case u < 0:
		return -1
	case u == 0:
		return 0
	}
	return u // NaN
}
