package expression

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/parser/lexer"
)

// parse checks text and turns it into an expression tree, in four passes:
// the characters (so that expr's lexer meets only those of the language),
// the tokens from expr's lexer (names, numbers, operators, parentheses and
// the places where an operator is missing, each reported where it occurs),
// expr's parser (the grammar), and the syntax tree (arities).
func parse(text string) (*node, *Error) {
	runes := []rune(text)
	if len(runes) > MaxLength {
		return nil, &Error{Column: MaxLength + 1, Message: fmt.Sprintf(
			"the expression is %d characters long; at most %d are allowed", len(runes), MaxLength)}
	}
	if strings.TrimSpace(text) == "" {
		return nil, &Error{Message: "the expression is empty: type a function of x and y, such as x^2 + y^2"}
	}
	if err := checkCharacters(runes); err != nil {
		return nil, err
	}
	toks, numbers, err := checkTokens(text, runes)
	if err != nil {
		return nil, err
	}

	// expr's parser reads integers as int and fails on those beyond its
	// range; the numbers are already read, so it is given zeros in their
	// place, which keep every position.
	blanked := []byte(text)
	for _, t := range toks {
		if t.Kind == lexer.Number {
			start := len(string(runes[:t.From]))
			for i := range len(t.Value) {
				blanked[start+i] = '0'
			}
		}
	}
	tree, perr := parser.Parse(string(blanked))
	if perr != nil {
		return nil, parserError(perr, toks, len(runes))
	}
	c := converter{numbers: numbers}
	n := c.convert(tree.Node)
	if c.err != nil {
		return nil, c.err
	}
	return n, nil
}

// errorAt returns an *Error at the given column whose message ends by
// saying where it is.
func errorAt(column int, format string, args ...any) *Error {
	return &Error{Column: column, Message: fmt.Sprintf(format, args...) + fmt.Sprintf(" at column %d", column)}
}

// characterHints say what to type instead of a character from mathematical
// notation.
var characterHints = map[rune]string{
	'²': "write x^2 for a square", '³': "write x^3 for a cube",
	'−': "type - for minus", '×': "type * for times", '·': "type * for times", '⋅': "type * for times",
	'÷': "type / for division", '[': "use parentheses", ']': "use parentheses",
	'{': "use parentheses", '}': "use parentheses",
}

// checkCharacters reports the first character outside the language:
// anything but letters, digits, '_', spaces, the operators, parentheses,
// commas and decimal points, and comments, which expr's lexer would skip.
func checkCharacters(runes []rune) *Error {
	for i, r := range runes {
		if r == '/' && i+1 < len(runes) && (runes[i+1] == '/' || runes[i+1] == '*') {
			return errorAt(i+2, "unexpected '%c'", runes[i+1])
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || strings.ContainsRune("_+-*/^(),.", r) {
			continue
		}
		what := fmt.Sprintf("'%c'", r)
		if !unicode.IsPrint(r) {
			what = fmt.Sprintf("%U", r)
		}
		if hint, ok := characterHints[r]; ok {
			return &Error{Column: i + 1, Message: fmt.Sprintf("unexpected character %s at column %d (%s)", what, i+1, hint)}
		}
		return errorAt(i+1, "unexpected character %s", what)
	}
	return nil
}

// checkTokens lexes text with expr's lexer and checks its tokens from left
// to right: numbers, names, operators, commas, the nesting of parentheses
// and missing operators. It returns the tokens and the value of each
// number by its position.
func checkTokens(text string, runes []rune) ([]lexer.Token, map[int]float64, *Error) {
	l := lexer.New()
	l.Reset(file.NewSource(text))
	var toks []lexer.Token
	var lexErr *file.Error
	for {
		t, err := l.Next()
		if err != nil {
			if !errors.As(err, &lexErr) {
				lexErr = &file.Error{Message: err.Error()}
			}
			break
		}
		if t.Kind == lexer.EOF {
			break
		}
		toks = append(toks, t)
	}

	numbers := make(map[int]float64)
	type paren struct{ call bool }
	var open []paren
	for i, t := range toks {
		col := t.From + 1
		var prev, next *lexer.Token
		if i > 0 {
			prev = &toks[i-1]
		}
		if i+1 < len(toks) {
			next = &toks[i+1]
		}
		if startsOperand(t) && prev != nil && endsOperand(*prev, &t) {
			return nil, nil, errorAt(col, "missing operator before '%s'", t.Value)
		}
		switch t.Kind {
		case lexer.Number:
			v, err := readNumber(t.Value, col)
			if err != nil {
				return nil, nil, err
			}
			numbers[t.From] = v
		case lexer.Identifier:
			if err := checkName(t, next); err != nil {
				return nil, nil, err
			}
		case lexer.Operator:
			switch t.Value {
			case "+", "-", "*", "/", "^":
			case ",":
				if len(open) == 0 || !open[len(open)-1].call {
					return nil, nil, errorAt(col, "unexpected ','")
				}
				if next != nil && next.Is(lexer.Bracket, ")") {
					return nil, nil, errorAt(next.From+1, "unexpected ')'")
				}
			case "**":
				return nil, nil, &Error{Column: col, Message: fmt.Sprintf("unexpected '**' at column %d (write ^ for powers)", col)}
			default:
				return nil, nil, errorAt(col, "unexpected '%s'", t.Value)
			}
		case lexer.Bracket:
			switch t.Value {
			case "(":
				open = append(open, paren{call: prev != nil && prev.Kind == lexer.Identifier})
				if len(open) > MaxDepth {
					return nil, nil, &Error{Column: col, Message: fmt.Sprintf(
						"the parentheses nest too deeply at column %d: at most %d levels are allowed", col, MaxDepth)}
				}
			case ")":
				if len(open) == 0 {
					return nil, nil, errorAt(col, "unexpected ')'")
				}
				open = open[:len(open)-1]
			default:
				return nil, nil, errorAt(col, "unexpected '%s'", t.Value)
			}
		default:
			return nil, nil, errorAt(col, "unexpected %s", t)
		}
	}
	if lexErr != nil {
		return nil, nil, lexerError(lexErr, runes)
	}
	if len(open) > 0 {
		return nil, nil, errorAt(len(runes)+1, "expected ')'")
	}
	return toks, numbers, nil
}

// startsOperand reports whether t can only begin an operand.
func startsOperand(t lexer.Token) bool {
	return t.Kind == lexer.Number || t.Kind == lexer.Identifier || t.Is(lexer.Bracket, "(")
}

// endsOperand reports whether t ends an operand, given what follows it: a
// name followed by '(' is a function being called.
func endsOperand(t lexer.Token, next *lexer.Token) bool {
	switch {
	case t.Kind == lexer.Number || t.Is(lexer.Bracket, ")"):
		return true
	case t.Kind == lexer.Identifier:
		_, isFunction := functions[t.Value]
		return !(isFunction && next.Is(lexer.Bracket, "("))
	}
	return false
}

// readNumber reads a number literal, which must be decimal.
func readNumber(s string, col int) (float64, *Error) {
	if strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, errorAt(col, "malformed number '%s'", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	switch {
	case err == nil:
		return v, nil
	case errors.Is(err, strconv.ErrRange) && math.IsInf(v, 0):
		return 0, errorAt(col, "the number '%s' is too large", s)
	case errors.Is(err, strconv.ErrRange):
		return v, nil // too small: 0 or a subnormal number, as typed
	}
	return 0, errorAt(col, "malformed number '%s'", s)
}

// checkName checks the name t, which must be a function if a '(' follows
// it and a variable or constant otherwise.
func checkName(t lexer.Token, next *lexer.Token) *Error {
	name, col := t.Value, t.From+1
	_, isFunction := functions[name]
	_, isConstant := constants[name]
	isVariable := name == "x" || name == "y" || isConstant
	if next != nil && next.Is(lexer.Bracket, "(") {
		switch {
		case isFunction:
			return nil
		case isVariable: // x(y + 1)
			return errorAt(next.From+1, "missing operator before '('")
		}
		msg := fmt.Sprintf("unknown function '%s'", name)
		if s := suggest(name, functionNames()); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		} else if strings.EqualFold(name, "pow") {
			msg += " (write a^b for powers)"
		}
		return &Error{Column: col, Message: msg}
	}
	switch {
	case isVariable:
		return nil
	case isFunction:
		return &Error{Column: col, Message: fmt.Sprintf(
			"unknown variable '%s' (%s is a function: write %s(...))", name, name, name)}
	}
	msg := fmt.Sprintf("unknown variable '%s'", name)
	if s := suggest(name, []string{"x", "y", "pi", "e"}); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return &Error{Column: col, Message: msg}
}

func functionNames() []string {
	names := make([]string, 0, len(functions))
	for name := range functions {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// aliases are names from other notations for names of the language.
var aliases = map[string]string{"ln": "log", "arctan": "atan", "π": "pi", "sigma": "sigmoid"}

// suggest returns the candidate that name was most likely meant to be, or
// "" if none is close: a case-insensitive match, an alias, a candidate
// within edit distance len(name)/3, or a candidate of three letters or more
// that name starts with, as in cosine for cos.
func suggest(name string, candidates []string) string {
	lower := strings.ToLower(name)
	if a, ok := aliases[lower]; ok && slices.Contains(candidates, a) {
		return a
	}
	best, bestDistance := "", utf8.RuneCountInString(name)/3+1
	for _, c := range candidates {
		if d := editDistance(lower, c); d < bestDistance {
			best, bestDistance = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		if len(c) >= 3 && strings.HasPrefix(lower, c) && len(c) > len(best) {
			best = c
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in characters.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	row := make([]int, len(rb)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		diagonal := row[0]
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			diagonal, row[j] = row[j], min(row[j]+1, row[j-1]+1, diagonal+cost)
		}
	}
	return row[len(rb)]
}

// lexerError translates an error of expr's lexer. Once the characters are
// checked, the only one left is a number run into a name, as in 2x.
func lexerError(e *file.Error, runes []rune) *Error {
	at := min(max(e.From, 0), len(runes))
	if word, ok := strings.CutPrefix(e.Message, "bad number syntax: "); ok {
		if w, err := strconv.Unquote(word); err == nil {
			start := at - (utf8.RuneCountInString(w) - 1)
			// The number's own characters, then the name it runs into.
			end := start
			for end < len(runes) && (runes[end] >= '0' && runes[end] <= '9' || runes[end] == '.') {
				end++
			}
			if end > start && end < len(runes) && unicode.IsLetter(runes[end]) {
				nameEnd := end
				for nameEnd < len(runes) && (unicode.IsLetter(runes[nameEnd]) || unicode.IsDigit(runes[nameEnd]) || runes[nameEnd] == '_') {
					nameEnd++
				}
				return errorAt(end+1, "missing operator before '%s'", string(runes[end:nameEnd]))
			}
			return errorAt(start+1, "malformed number '%s'", w)
		}
	}
	return errorAt(at+1, "malformed expression")
}

// parserError translates an error of expr's parser, which names the token
// it did not expect.
func parserError(err error, toks []lexer.Token, length int) *Error {
	var e *file.Error
	if !errors.As(err, &e) {
		return &Error{Column: 1, Message: "malformed expression: " + err.Error()}
	}
	if strings.HasPrefix(e.Message, "unexpected token EOF") || strings.HasPrefix(e.Message, "unexpected end") {
		return errorAt(length+1, "expected a number, a variable, a function or '('")
	}
	for _, t := range toks {
		if t.From == e.From {
			return errorAt(t.From+1, "unexpected '%s'", t.Value)
		}
	}
	return errorAt(e.From+1, "malformed expression")
}

// converter turns expr's syntax tree into an expression tree. The tokens
// are already checked, so only arities are left to check; anything else
// unexpected is reported at its place rather than trusted.
type converter struct {
	numbers map[int]float64
	err     *Error
}

func (c *converter) fail(n ast.Node, format string, args ...any) *node {
	if c.err == nil {
		c.err = errorAt(n.Location().From+1, format, args...)
	}
	return &node{op: opConst}
}

func (c *converter) convert(n ast.Node) *node {
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		v, ok := c.numbers[n.Location().From]
		if !ok {
			return c.fail(n, "unexpected number")
		}
		return &node{op: opConst, value: v}
	case *ast.IdentifierNode:
		switch n.Value {
		case "x":
			return &node{op: opX}
		case "y":
			return &node{op: opY}
		}
		if v, ok := constants[n.Value]; ok {
			return &node{op: opConst, value: v, name: n.Value}
		}
		return c.fail(n, "unknown variable '%s'", n.Value)
	case *ast.UnaryNode:
		switch n.Operator {
		case "-":
			return &node{op: opNeg, a: c.convert(n.Node)}
		case "+":
			return c.convert(n.Node)
		}
		return c.fail(n, "unexpected '%s'", n.Operator)
	case *ast.BinaryNode:
		op, ok := map[string]opcode{"+": opAdd, "-": opSub, "*": opMul, "/": opDiv, "^": opPow}[n.Operator]
		if !ok {
			return c.fail(n, "unexpected '%s'", n.Operator)
		}
		return &node{op: op, a: c.convert(n.Left), b: c.convert(n.Right)}
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return c.fail(n, "unexpected call")
		}
		return c.call(n, callee.Value, n.Arguments)
	case *ast.BuiltinNode:
		return c.call(n, n.Name, n.Arguments)
	}
	return c.fail(n, "unexpected '%s'", n)
}

func (c *converter) call(n ast.Node, name string, args []ast.Node) *node {
	f, ok := functions[name]
	if !ok {
		return c.fail(n, "unknown function '%s'", name)
	}
	if len(args) != f.arity {
		plural := "s"
		if f.arity == 1 {
			plural = ""
		}
		return c.fail(n, "%s takes %d argument%s, not %d,", name, f.arity, plural, len(args))
	}
	call := &node{op: f.op, a: c.convert(args[0])}
	if f.arity == 2 {
		call.b = c.convert(args[1])
	}
	return call
}
