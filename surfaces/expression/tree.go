package expression

import (
	"math"
	"strconv"
	"strings"
)

// opcode names an operation, both in the expression tree and in the
// compiled program.
type opcode uint8

const (
	// Leaves.
	opConst opcode = iota
	opX
	opY

	// Operators and functions of the language.
	opNeg
	opAdd
	opSub
	opMul
	opDiv
	opPow
	opSin
	opCos
	opTan
	opExp
	opLog
	opSqrt
	opAbs
	opTanh
	opSinh
	opCosh
	opAtan
	opSigmoid
	opSoftplus
	opMin
	opMax

	// Program-only forms of a binary operation with one constant operand k,
	// which keep the constant out of the stack.
	opAddK   // u + k
	opSubK   // u − k
	opKSub   // k − u
	opMulK   // u·k
	opDivK   // u/k
	opKDiv   // k/u
	opPowK   // u^k
	opKPow   // k^u
	opSquare // u^2, the commonest power
)

var opNames = [...]string{
	opConst: "const", opX: "x", opY: "y",
	opNeg: "-", opAdd: "+", opSub: "-", opMul: "*", opDiv: "/", opPow: "^",
	opSin: "sin", opCos: "cos", opTan: "tan", opExp: "exp", opLog: "log", opSqrt: "sqrt",
	opAbs: "abs", opTanh: "tanh", opSinh: "sinh", opCosh: "cosh", opAtan: "atan",
	opSigmoid: "sigmoid", opSoftplus: "softplus", opMin: "min", opMax: "max",
	opAddK: "+k", opSubK: "-k", opKSub: "k-", opMulK: "*k", opDivK: "/k", opKDiv: "k/",
	opPowK: "^k", opKPow: "k^", opSquare: "^2",
}

func (op opcode) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "op" + strconv.Itoa(int(op))
}

// function is one of the language's functions.
type function struct {
	op    opcode
	arity int
}

// functions are the language's functions by name.
var functions = map[string]function{
	"sin": {opSin, 1}, "cos": {opCos, 1}, "tan": {opTan, 1},
	"exp": {opExp, 1}, "log": {opLog, 1}, "sqrt": {opSqrt, 1}, "abs": {opAbs, 1},
	"tanh": {opTanh, 1}, "sinh": {opSinh, 1}, "cosh": {opCosh, 1}, "atan": {opAtan, 1},
	"sigmoid": {opSigmoid, 1}, "softplus": {opSoftplus, 1},
	"min": {opMin, 2}, "max": {opMax, 2},
}

// constants are the language's named constants.
var constants = map[string]float64{"pi": math.Pi, "e": math.E}

// node is a node of a parsed expression: a leaf (a number, a named constant
// or a variable), an operator or a function call.
type node struct {
	op    opcode
	value float64 // of opConst
	name  string  // of a named opConst, such as "pi"
	a, b  *node   // operands: a alone for unary operations
}

// precedence ranks n for printing: sums, products, negation, powers, and
// then atoms (numbers, names and calls), which never need parentheses.
func (n *node) precedence() int {
	switch n.op {
	case opAdd, opSub:
		return 1
	case opMul, opDiv:
		return 2
	case opNeg:
		return 3
	case opPow:
		return 4
	}
	return 5
}

// String returns n in the normal form of the language: single spaces around
// + and −, none around *, / and ^, ", " between arguments, and only the
// parentheses that the grammar needs, plus those around a negation that
// is the right operand of a binary operator, as in x - (-y) and 2^(-x).
// Parsing the normal form gives back the same tree.
func (n *node) String() string {
	var b strings.Builder
	n.format(&b)
	return b.String()
}

func (n *node) format(b *strings.Builder) {
	switch {
	case n.op == opConst && n.name != "":
		b.WriteString(n.name)
	case n.op == opConst:
		b.WriteString(formatNumber(n.value))
	case n.op == opX || n.op == opY:
		b.WriteString(n.op.String())
	case n.op == opNeg:
		b.WriteByte('-')
		n.a.formatOperand(b, n.a.precedence() < 4)
	case n.op == opAdd || n.op == opSub:
		n.a.format(b)
		b.WriteString(" " + n.op.String() + " ")
		n.b.formatOperand(b, n.b.precedence() <= 1 || n.b.op == opNeg)
	case n.op == opMul || n.op == opDiv:
		n.a.formatOperand(b, n.a.precedence() < 2)
		b.WriteString(n.op.String())
		n.b.formatOperand(b, n.b.precedence() <= 3)
	case n.op == opPow:
		n.a.formatOperand(b, n.a.precedence() <= 4)
		b.WriteByte('^')
		n.b.formatOperand(b, n.b.precedence() < 4)
	default: // a function call
		b.WriteString(n.op.String())
		b.WriteByte('(')
		n.a.format(b)
		if n.b != nil {
			b.WriteString(", ")
			n.b.format(b)
		}
		b.WriteByte(')')
	}
}

func (n *node) formatOperand(b *strings.Builder, parenthesize bool) {
	if parenthesize {
		b.WriteByte('(')
	}
	n.format(b)
	if parenthesize {
		b.WriteByte(')')
	}
}

// formatNumber writes v with the fewest digits that read back as v: in
// plain decimal notation from 1e-4 up to 1e21, and in scientific notation
// beyond, as in 1e-5 and 1e+21.
func formatNumber(v float64) string {
	if a := math.Abs(v); a != 0 && (a < 1e-4 || a >= 1e21) {
		s := strconv.FormatFloat(v, 'g', -1, 64)
		s = strings.Replace(s, "e-0", "e-", 1)
		return strings.Replace(s, "e+0", "e+", 1)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// fold replaces every subtree without variables by the constant it
// evaluates to, with the same float64 operations that evaluating it at
// every point would do.
func fold(n *node) *node {
	if n.a == nil {
		return n
	}
	a := fold(n.a)
	if n.b == nil {
		if a.op == opConst {
			return &node{op: opConst, value: unary(n.op, a.value)}
		}
		return &node{op: n.op, a: a}
	}
	b := fold(n.b)
	if a.op == opConst && b.op == opConst {
		return &node{op: opConst, value: binary(n.op, a.value, b.value)}
	}
	return &node{op: n.op, a: a, b: b}
}

// instr is one instruction of a compiled program, which runs on a stack.
// A leaf pushes its value; a unary operation, or a binary one with a
// constant operand k, replaces the top of the stack; a binary operation
// pops its right operand and replaces its left one, or, if swap is set,
// pops its left operand and replaces its right one.
type instr struct {
	op   opcode
	swap bool
	k    float64
}

// maxStack bounds the stack a program may need. Programs are compiled in
// Sethi–Ullman order, evaluating the operand that needs more stack first,
// so a tree with n leaves needs at most ⌊log₂ n⌋ + 1 slots; an expression
// of at most MaxLength characters has at most 250 leaves and so needs at
// most 8.
const maxStack = 10

// constantForms maps a binary operation with a constant right operand, and
// one with a constant left operand, to its program-only form.
var constantForms = map[opcode][2]opcode{
	opAdd: {opAddK, opAddK}, // addition commutes exactly in floating point
	opSub: {opSubK, opKSub},
	opMul: {opMulK, opMulK}, // as does multiplication
	opDiv: {opDivK, opKDiv},
	opPow: {opPowK, opKPow},
}

// stackNeed is the number of stack slots that compiling n needs.
func stackNeed(n *node) int {
	switch {
	case n.a == nil:
		return 1
	case n.b == nil:
		return stackNeed(n.a)
	}
	if _, ok := constantForms[n.op]; ok {
		if n.b.op == opConst {
			return stackNeed(n.a)
		}
		if n.a.op == opConst {
			return stackNeed(n.b)
		}
	}
	l, r := stackNeed(n.a), stackNeed(n.b)
	if l == r {
		return l + 1
	}
	return max(l, r)
}

// compile appends the program for the folded tree n to prog.
func compile(n *node, prog []instr) []instr {
	switch {
	case n.a == nil:
		return append(prog, instr{op: n.op, k: n.value})
	case n.b == nil:
		return append(compile(n.a, prog), instr{op: n.op})
	}
	if forms, ok := constantForms[n.op]; ok {
		if n.b.op == opConst {
			if n.op == opPow && n.b.value == 2 {
				return append(compile(n.a, prog), instr{op: opSquare})
			}
			return append(compile(n.a, prog), instr{op: forms[0], k: n.b.value})
		}
		if n.a.op == opConst {
			return append(compile(n.b, prog), instr{op: forms[1], k: n.a.value})
		}
	}
	if stackNeed(n.b) > stackNeed(n.a) {
		prog = compile(n.a, compile(n.b, prog))
		return append(prog, instr{op: n.op, swap: true})
	}
	prog = compile(n.b, compile(n.a, prog))
	return append(prog, instr{op: n.op})
}
