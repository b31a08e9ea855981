package web

import (
	"encoding/json"
	"math"
	"strconv"
	"sync"

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
// points with averages is under 64 KiB; a batch with traces is far larger
// and rare, and is left to the collector.
const maxPooledBuffer = 128 << 10

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
	b = append(b, `{"type":`...)
	b = strconv.AppendQuote(b, m.Type)
	if m.ID != nil {
		b = append(b, `,"id":`...)
		b = strconv.AppendInt(b, *m.ID, 10)
	}
	b = append(b, `,"run":`...)
	b = strconv.AppendInt(b, int64(m.Run), 10)
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
