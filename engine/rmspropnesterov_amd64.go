//go:build !purego

package engine

// rmspropNesterovInAssembly reports whether rmspropNesterovUpdate is
// written in assembly in this build: it is, below.
const rmspropNesterovInAssembly = true

// rmspropNesterovUpdate is the part of an RMSPropNesterov step (Algorithm
// 8.6 of the book) after the look-ahead gradient grad = ∇f(θ + momentum·v):
// it sets o.g to grad and, coordinate by coordinate,
//
//	r ← rho·r + (1 − rho)·g²
//	v ← momentum·v − lr·g / √(eps + r)
//	next = θ + v
//
// leaving v at momentum·v where g is zero, exactly as the Go version,
// rmspropNesterovUpdateGo in adaptive.go, does (build with -tags purego to
// use it).
//
// It is written in assembly because Go code stores a Point coordinate by
// coordinate, and whoever then copies the Point whole (the caller of Step,
// with its result) waits until both 8-byte stores have reached the cache: a
// store-forwarding stall, which here comes at the end of the step's long
// dependent chain (each velocity depends on the last through the look-ahead
// gradient, a square root and a division). The assembly works on both
// coordinates at once with SSE2's packed instructions, which round each
// coordinate exactly as the scalar ones do (IEEE 754 gives every one of
// these operations a correctly rounded result), in the same order as the
// Go version, and stores v and the next iterate whole.
//
//go:noescape
func rmspropNesterovUpdate(o *RMSPropNesterov, theta, grad, next *Point)
