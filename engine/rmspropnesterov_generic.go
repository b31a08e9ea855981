//go:build !amd64 || purego

package engine

import "math"

// rmspropNesterovUpdate is the part of an RMSPropNesterov step (Algorithm
// 8.6 of the book) after the look-ahead gradient grad = ∇f(θ + momentum·v):
// it sets o.g to grad and, coordinate by coordinate,
//
//	r ← rho·r + (1 − rho)·g²
//	v ← momentum·v − lr·g / √(eps + r)
//	next = θ + v
//
// leaving v at momentum·v where g is zero. On amd64 it is written in
// assembly; see rmspropnesterov_amd64.go. The explicit conversions round
// each product, as the assembly does, where a compiler targeting fused
// multiply-add (arm64, GOAMD64=v3) would otherwise round a product and a
// sum once.
func rmspropNesterovUpdate(o *RMSPropNesterov, theta, grad, next *Point) {
	o.g = *grad
	for i := range theta {
		g := grad[i]
		o.r[i] = float64(o.Rho*o.r[i]) + float64((1-o.Rho)*(g*g))
		v := float64(o.Momentum * o.v[i])
		if g != 0 {
			v = v - o.LR*g/math.Sqrt(o.Eps+o.r[i])
		}
		o.v[i] = v
		next[i] = theta[i] + v
	}
}
