package expression

// program is a compiled expression.
type program []instr

// value evaluates p at (x, y) in float64.
func (p program) value(x, y float64) float64 {
	var stack [maxStack]float64
	n := 0
	for i := range p {
		in := &p[i]
		switch in.op {
		case opConst:
			stack[n] = in.k
			n++
		case opX:
			stack[n] = x
			n++
		case opY:
			stack[n] = y
			n++
		case opAddK:
			stack[n-1] += in.k
		case opSubK:
			stack[n-1] -= in.k
		case opKSub:
			stack[n-1] = in.k - stack[n-1]
		case opMulK:
			stack[n-1] *= in.k
		case opDivK:
			stack[n-1] /= in.k
		case opKDiv:
			stack[n-1] = in.k / stack[n-1]
		case opSquare:
			stack[n-1] *= stack[n-1]
		case opPowK:
			stack[n-1] = power(stack[n-1], in.k)
		case opKPow:
			stack[n-1] = power(in.k, stack[n-1])
		case opAdd:
			n--
			stack[n-1] += stack[n]
		case opMul:
			n--
			stack[n-1] *= stack[n]
		case opSub, opDiv, opPow, opMin, opMax:
			n--
			a, b := stack[n-1], stack[n]
			if in.swap {
				a, b = b, a
			}
			stack[n-1] = binary(in.op, a, b)
		default:
			stack[n-1] = unary(in.op, stack[n-1])
		}
	}
	return stack[0]
}

// dual evaluates p at (x, y) in hyper-dual numbers, giving the value with
// its exact gradient and Hessian. The commonest operations work on the
// stack in place.
func (p program) dual(x, y float64) dual {
	var stack [maxStack]dual
	n := 0
	for i := range p {
		in := &p[i]
		switch in.op {
		case opConst:
			stack[n] = dual{v: in.k}
			n++
		case opX:
			stack[n] = dual{v: x, x: 1}
			n++
		case opY:
			stack[n] = dual{v: y, y: 1}
			n++
		case opAddK:
			stack[n-1].v += in.k
		case opSubK:
			stack[n-1].v -= in.k
		case opKSub:
			t := &stack[n-1]
			*t = dual{in.k - t.v, -t.x, -t.y, -t.xx, -t.xy, -t.yy}
		case opMulK:
			t := &stack[n-1]
			*t = dual{t.v * in.k, t.x * in.k, t.y * in.k, t.xx * in.k, t.xy * in.k, t.yy * in.k}
		case opDivK:
			stack[n-1] = stack[n-1].divK(in.k)
		case opKDiv:
			u := stack[n-1]
			q := in.k / u.v
			d1 := -q / u.v
			stack[n-1] = u.chain(q, d1, -2*d1/u.v)
		case opSquare:
			u := stack[n-1]
			stack[n-1] = u.chain(u.v*u.v, 2*u.v, 2)
		case opPowK:
			stack[n-1] = stack[n-1].powK(in.k)
		case opKPow:
			stack[n-1] = stack[n-1].kPow(in.k)
		case opAdd:
			n--
			a, b := &stack[n-1], &stack[n]
			*a = dual{a.v + b.v, a.x + b.x, a.y + b.y, a.xx + b.xx, a.xy + b.xy, a.yy + b.yy}
		case opSub:
			n--
			a, b := &stack[n-1], &stack[n]
			if in.swap {
				a, b = b, a
			}
			stack[n-1] = dual{a.v - b.v, a.x - b.x, a.y - b.y, a.xx - b.xx, a.xy - b.xy, a.yy - b.yy}
		case opMul:
			n--
			stack[n-1] = stack[n-1].mul(stack[n]) // the value commutes exactly
		case opDiv, opPow, opMin, opMax:
			n--
			a, b := stack[n-1], stack[n]
			if in.swap {
				a, b = b, a
			}
			stack[n-1] = binaryDual(in.op, a, b)
		default:
			stack[n-1] = unaryDual(in.op, stack[n-1])
		}
	}
	return stack[0]
}
