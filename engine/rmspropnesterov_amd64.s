//go:build !purego

#include "go_asm.h"
#include "textflag.h"

// func rmspropNesterovUpdate(o *RMSPropNesterov, theta, grad, next *Point)
//
// Both coordinates at once, each operation in the order of the Go version:
//
//	r    = rho·r + (1 − rho)·(g·g)
//	step = (lr·g) / √(eps + r)
//	v    = momentum·v − step   where g ≠ 0 (or is NaN), momentum·v where g = ±0
//	next = θ + v
TEXT ·rmspropNesterovUpdate(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), AX
	MOVQ grad+16(FP), BX
	MOVUPD (BX), X0 // g
	MOVUPD X0, RMSPropNesterov_g(AX)

	// r = rho·r + (1 − rho)·(g·g)
	MOVSD RMSPropNesterov_Rho(AX), X1
	MOVSD $1.0, X2
	SUBSD X1, X2 // 1 − rho
	UNPCKLPD X1, X1
	UNPCKLPD X2, X2
	MOVUPD RMSPropNesterov_r(AX), X3
	MULPD X1, X3 // rho·r
	MOVAPD X0, X4
	MULPD X0, X4 // g·g
	MULPD X2, X4 // (1 − rho)·(g·g)
	ADDPD X4, X3
	MOVUPD X3, RMSPropNesterov_r(AX)

	// step = (lr·g) / √(eps + r)
	MOVSD RMSPropNesterov_Eps(AX), X5
	UNPCKLPD X5, X5
	ADDPD X3, X5
	SQRTPD X5, X5
	MOVSD RMSPropNesterov_LR(AX), X6
	UNPCKLPD X6, X6
	MULPD X0, X6
	DIVPD X5, X6

	// v = momentum·v − step, or momentum·v where g = ±0
	MOVSD RMSPropNesterov_Momentum(AX), X7
	UNPCKLPD X7, X7
	MOVUPD RMSPropNesterov_v(AX), X8
	MULPD X7, X8 // momentum·v
	MOVAPD X8, X9
	SUBPD X6, X9
	XORPD X10, X10
	CMPPD X0, X10, $4 // all ones where g ≠ 0 or g is NaN (NEQ_UQ)
	ANDPD X10, X9
	ANDNPD X8, X10
	ORPD X10, X9
	MOVUPD X9, RMSPropNesterov_v(AX)

	// next = θ + v
	MOVQ theta+8(FP), BX
	MOVUPD (BX), X11
	ADDPD X9, X11
	MOVQ next+24(FP), BX
	MOVUPD X11, (BX)
	RET
