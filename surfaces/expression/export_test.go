package expression

// DualValue returns the value part of e's hyper-dual evaluation at (x, y),
// which must equal e.Value bit for bit.
func DualValue(e *Expression, x, y float64) float64 { return e.program.dual(x, y).v }

// StackNeed returns the stack that e's program needs.
func StackNeed(e *Expression) int {
	n, most := 0, 0
	for _, in := range e.program {
		switch {
		case in.op == opConst || in.op == opX || in.op == opY:
			n++
		case in.op == opAdd || in.op == opSub || in.op == opMul || in.op == opDiv ||
			in.op == opPow || in.op == opMin || in.op == opMax:
			n--
		}
		most = max(most, n)
	}
	return most
}
