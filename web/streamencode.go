package web

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// A points message is almost all numbers: 10,000 steps of 6 optimizers are
// 180,000 of them. encoding/json reaches each through reflection, and a
// CPU profile of BenchmarkStream put a third of the stream's time in that
// machinery rather than in the formatting itself; appendPoints writes the
// same bytes directly into a buffer taken from messageBuffers, which the
// writer gives back once the message is on the wire.

// messageBuffers holds the buffers of sent points messages for reuse.
var messageBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer kept for reuse: a batch of 1000
// points with averages is under 64 KiB in JSON and 40 KiB in a binary
// frame, and a traced batch of 250 under 40 KiB in a binary frame and about
// 90 KiB in JSON; anything larger is left to the collector.
const maxPooledBuffer = 256 << 10

// traceNumbersGuess is about how many float64s a binary frame's trace entry
// holds (Adam's has 14, Newton's 16), to size the buffer once.
const traceNumbersGuess = 16

// newMessageBuffer returns an empty buffer, reused when one is free.
func newMessageBuffer() []byte {
	return (*messageBuffers.Get().(*[]byte))[:0]
}

// recycleMessageBuffer gives a message's buffer back once it has been
// written; nothing may use it afterwards.
func recycleMessageBuffer(b []byte) {
	if cap(b) <= maxPooledBuffer {
		messageBuffers.Put(&b)
	}
}

// appendPoints appends m encoded exactly as json.Marshal encodes it, byte
// for byte (TestAppendPointsMatchesJSON), and reports an error, as
// json.Marshal does, when a number is not finite.
func appendPoints(b []byte, m *pointsMessage) ([]byte, error) {
	var enc floatAppender
	b = appendMessageStart(b, m)
	b = append(b, `,"path":`...)
	b = enc.points(b, m.Path)
	b = append(b, `,"loss":`...)
	if m.Loss == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, v := range m.Loss {
			if i > 0 {
				b = append(b, ',')
			}
			b = enc.float(b, v)
		}
		b = append(b, ']')
	}
	if len(m.Average) > 0 {
		b = append(b, `,"average":`...)
		b = enc.points(b, m.Average)
	}
	if len(m.Evals) > 0 {
		b = append(b, `,"evals":[`...)
		for i, e := range m.Evals {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = enc.float(b, e[0])
			b = append(b, ',')
			b = enc.float(b, e[1])
			b = append(b, ',')
			b = enc.float(b, e[2])
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	// Traces and stages are rare and nested; encoding/json writes them.
	var err error
	if len(m.Trace) > 0 {
		if b, err = appendField(b, "trace", m.Trace); err != nil {
			return b, err
		}
	}
	if len(m.Stages) > 0 {
		if b, err = appendField(b, "stages", m.Stages); err != nil {
			return b, err
		}
	}
	b = append(b, '}')
	return b, enc.err
}

// appendMessageStart appends the start of m's JSON, and of a binary
// frame's header: {"type":…,"id":…,"run":…, without the closing brace.
func appendMessageStart(b []byte, m *pointsMessage) []byte {
	b = append(b, `{"type":`...)
	b = strconv.AppendQuote(b, m.Type)
	if m.ID != nil {
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, *m.ID, 10)
	}
	b = append(b, `,"run":`...)
	b = strconv.AppendInt(b, int64(m.Run), 10)
	return b
}

// appendField appends ,"name": and v as encoding/json encodes it.
func appendField(b []byte, name string, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return append(b, data...), nil
}

// floatAppender appends numbers as encoding/json does and remembers the
// first that JSON cannot hold.
type floatAppender struct {
	err error
}

// points appends ps as [[x,y],...], or null when ps is nil.
func (enc *floatAppender) points(b []byte, ps []surfaces.Point) []byte {
	if ps == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = enc.float(b, p[0])
		b = append(b, ',')
		b = enc.float(b, p[1])
		b = append(b, ']')
	}
	return append(b, ']')
}

// float appends f with the fewest digits that read back as f, in
// encoding/json's format: plain decimals for 1e-6 ≤ |f| < 1e21, otherwise
// an exponent without leading zeros (1e-7, not 1e-07).
func (enc *floatAppender) float(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if enc.err == nil {
			enc.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// A binary points frame carries the numbers of a points message as the
// float64s they are, little-endian, after a short JSON header; the client
// asks for it with "encoding": "binary". Its layout (docs/api.md):
//
//	uint32   L, the byte length of the header
//	[L]byte  the header: {"type":"points","id":…,"run":…,"points":n,
//	         "averages":a,"evals":e,"traces":t} with "stages" as in JSON,
//	         padded with spaces so that 4+L is a multiple of 8
//	n×3 float64  x, y and f(x, y) of each iterate
//	a×2 float64  the running average at each iterate (a is 0 or n)
//	e×3 float64  the line-search probes: iterate index, x, y
//	t entries    the trace of each iterate (t is 0 or n): a float64 whose
//	             value is a mask of the fields present, then the numbers of
//	             those fields in the order of their bits (appendTrace)
//
// Writing a float64 is a copy of its 8 bytes, where JSON needs the
// shortest decimal that reads back as it: the stream's main cost.

// frameAlign is the alignment of the numbers in a binary frame, so that a
// browser can read them in place as a Float64Array.
const frameAlign = 8

// appendPointsFrame appends m as a binary points frame. It reports an
// error, as appendPoints does, when a number is not finite.
func appendPointsFrame(b []byte, m *pointsMessage) ([]byte, error) {
	start := len(b)
	b = append(b, 0, 0, 0, 0) // the header's length, written below
	b = appendMessageStart(b, m)
	for _, count := range []struct {
		name string
		n    int
	}{{"points", len(m.Path)}, {"averages", len(m.Average)}, {"evals", len(m.Evals)}, {"traces", len(m.Trace)}} {
		b = append(b, `,"`...)
		b = append(b, count.name...)
		b = append(b, `":`...)
		b = strconv.AppendInt(b, int64(count.n), 10)
	}
	if len(m.Stages) > 0 {
		var err error
		if b, err = appendField(b, "stages", m.Stages); err != nil {
			return b, err
		}
	}
	b = append(b, '}')
	for (len(b)-start)%frameAlign != 0 {
		b = append(b, ' ')
	}
	binary.LittleEndian.PutUint32(b[start:], uint32(len(b)-start-4))

	numbers := len(b)
	b = slices.Grow(b, 8*(3*len(m.Path)+2*len(m.Average)+3*len(m.Evals)+traceNumbersGuess*len(m.Trace)))
	for i, p := range m.Path {
		b = appendFloats(b, p[0], p[1], m.Loss[i])
	}
	for _, p := range m.Average {
		b = appendFloats(b, p[0], p[1])
	}
	for _, e := range m.Evals {
		b = appendFloats(b, e[0], e[1], e[2])
	}
	for i := range m.Trace {
		b = appendTrace(b, &m.Trace[i])
	}
	for i := numbers; i < len(b); i += 8 {
		if !isFinite(math.Float64frombits(binary.LittleEndian.Uint64(b[i:]))) {
			return b, errors.New("a points frame holds a number that is not finite")
		}
	}
	return b, nil
}

// appendTrace appends a trace entry as a binary frame holds it: the mask of
// the fields present, then their numbers, in the order of their bits: 0
// gradient, 1 step, 2 lr, 3 update_gradient, 4 look_ahead, 5 velocity,
// 6 first_moment, 7 second_moment, 8 effective_lr, 9 hessian (XX, XY, YY),
// 10 eigenvalues, 11 eigenvectors (the first's x, y, then the second's),
// 12 direction, 13 inverse_hessian, 14 beta (docs/api.md).
func appendTrace(b []byte, t *engine.Trace) []byte {
	at := len(b)
	b = appendFloats(b, 0, t.Gradient[0], t.Gradient[1])
	mask := 1
	point := func(bit int, p *surfaces.Point) {
		if p != nil {
			mask |= 1 << bit
			b = appendFloats(b, p[0], p[1])
		}
	}
	number := func(bit int, f *float64) {
		if f != nil {
			mask |= 1 << bit
			b = appendFloats(b, *f)
		}
	}
	hessian := func(bit int, h *surfaces.Hessian) {
		if h != nil {
			mask |= 1 << bit
			b = appendFloats(b, h.XX, h.XY, h.YY)
		}
	}
	s := &t.State
	point(1, t.Step)
	number(2, s.LR)
	point(3, s.UpdateGradient)
	point(4, s.LookAhead)
	point(5, s.Velocity)
	point(6, s.FirstMoment)
	point(7, s.SecondMoment)
	point(8, s.EffectiveLR)
	hessian(9, s.Hessian)
	if s.Eigenvalues != nil {
		mask |= 1 << 10
		b = appendFloats(b, s.Eigenvalues[0], s.Eigenvalues[1])
	}
	if s.Eigenvectors != nil {
		mask |= 1 << 11
		b = appendFloats(b, s.Eigenvectors[0][0], s.Eigenvectors[0][1], s.Eigenvectors[1][0], s.Eigenvectors[1][1])
	}
	point(12, s.Direction)
	hessian(13, s.InverseHessian)
	number(14, s.Beta)
	binary.LittleEndian.PutUint64(b[at:], math.Float64bits(float64(mask)))
	return b
}

// appendFloats appends each of fs as its 8 bytes, little-endian.
func appendFloats(b []byte, fs ...float64) []byte {
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
	}
	return b
}

// isFinite reports whether f is neither infinite nor NaN.
func isFinite(f float64) bool { return f-f == 0 }
