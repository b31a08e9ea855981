//go:build !amd64 || purego

package engine

// rmspropNesterovInAssembly reports whether rmspropNesterovUpdate is
// written in assembly in this build. It is not: this build uses the Go
// version.
const rmspropNesterovInAssembly = false

// rmspropNesterovUpdate is the part of an RMSPropNesterov step (Algorithm
// 8.6 of the book) after the look-ahead gradient grad = ∇f(θ + momentum·v):
// it sets o.g to grad and, coordinate by coordinate,
//
//	r ← rho·r + (1 − rho)·g²
//	v ← momentum·v − lr·g / √(eps + r)
//	next = θ + v
//
// leaving v at momentum·v where g is zero. On amd64 it is written in
// assembly (see rmspropnesterov_amd64.go); here it is the Go version,
// rmspropNesterovUpdateGo.
func rmspropNesterovUpdate(o *RMSPropNesterov, theta, grad, next *Point) {
	rmspropNesterovUpdateGo(o, theta, grad, next)
}
