package web

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// frameHeader is the JSON header of a binary points frame.
type frameHeader struct {
	Type     string       `json:"type"`
	ID       *int64       `json:"id"`
	Run      int          `json:"run"`
	Points   int          `json:"points"`
	Averages int          `json:"averages"`
	Evals    int          `json:"evals"`
	Traces   int          `json:"traces"`
	Stages   []stageStart `json:"stages"`
}

// decodePointsFrame reads a binary points frame as docs/api.md describes
// it, independently of the encoder: the header's length, the header, its
// padding, and exactly the numbers it announces.
func decodePointsFrame(data []byte) (serverMessage, error) {
	var msg serverMessage
	if len(data) < 4 {
		return msg, fmt.Errorf("frame of %d bytes has no header length", len(data))
	}
	n := int(binary.LittleEndian.Uint32(data))
	if (4+n)%8 != 0 || 4+n > len(data) {
		return msg, fmt.Errorf("header of %d bytes in a frame of %d: the numbers must start within it, at a multiple of 8", n, len(data))
	}
	header := data[4 : 4+n]
	if trimmed := strings.TrimRight(string(header), " "); len(header)-len(trimmed) >= 8 {
		return msg, fmt.Errorf("header %q padded by more than 7 spaces", header)
	}
	var h frameHeader
	if err := decodeStrict(header, &h, "type, id, run, points, averages, evals, traces, stages"); err != nil {
		return msg, fmt.Errorf("header %q: %v", header, err)
	}
	if (h.Averages != 0 && h.Averages != h.Points) || (h.Traces != 0 && h.Traces != h.Points) {
		return msg, fmt.Errorf("%d averages and %d traces for %d points", h.Averages, h.Traces, h.Points)
	}
	numbers := data[4+n:]
	if len(numbers)%8 != 0 || len(numbers) < 8*(3*h.Points+2*h.Averages+3*h.Evals+3*h.Traces) {
		return msg, fmt.Errorf("%d bytes of numbers, too few for the header's counts or not whole float64s", len(numbers))
	}
	next := func() float64 {
		f := math.Float64frombits(binary.LittleEndian.Uint64(numbers))
		numbers = numbers[8:]
		return f
	}
	msg = serverMessage{Type: h.Type, ID: h.ID, Run: h.Run, Stages: h.Stages}
	for range h.Points {
		msg.Path = append(msg.Path, [2]float64{next(), next()})
		msg.Loss = append(msg.Loss, next())
	}
	for range h.Averages {
		msg.Average = append(msg.Average, [2]float64{next(), next()})
	}
	for range h.Evals {
		msg.Evals = append(msg.Evals, [3]float64{next(), next(), next()})
	}
	for range h.Traces {
		entry, err := decodeTrace(&numbers)
		if err != nil {
			return msg, err
		}
		msg.Trace = append(msg.Trace, entry)
	}
	if len(numbers) != 0 {
		return msg, fmt.Errorf("%d bytes left over after the numbers the header announces", len(numbers))
	}
	return msg, nil
}

// traceFields names the fields of a trace entry in a binary frame, as
// docs/api.md lists them, in the order of their bits in the entry's mask
// (bit 0 first) and of their numbers after it, with how many numbers each
// has. A Point is x, y; a Hessian XX, XY, YY; eigenvectors the first
// vector's x, y, then the second's.
var traceFields = []struct {
	name    string
	numbers int
}{
	{"gradient", 2}, {"step", 2}, {"lr", 1}, {"update_gradient", 2}, {"look_ahead", 2},
	{"velocity", 2}, {"first_moment", 2}, {"second_moment", 2}, {"effective_lr", 2},
	{"hessian", 3}, {"eigenvalues", 2}, {"eigenvectors", 4}, {"direction", 2},
	{"inverse_hessian", 3}, {"beta", 1},
}

// decodeTrace reads a trace entry from the front of numbers, by the mask
// and field table of traceFields, and returns it as /api/run writes it.
func decodeTrace(numbers *[]byte) (json.RawMessage, error) {
	take := func(k int) ([]float64, error) {
		if len(*numbers) < 8*k {
			return nil, fmt.Errorf("a trace entry runs past the frame's end")
		}
		fs := make([]float64, k)
		for i := range fs {
			fs[i] = math.Float64frombits(binary.LittleEndian.Uint64((*numbers)[8*i:]))
		}
		*numbers = (*numbers)[8*k:]
		return fs, nil
	}
	head, err := take(1)
	if err != nil {
		return nil, err
	}
	mask := int(head[0])
	if float64(mask) != head[0] || mask&1 == 0 || mask >= 1<<len(traceFields) {
		return nil, fmt.Errorf("trace mask %v: want a whole number below %d with the gradient's bit", head[0], 1<<len(traceFields))
	}
	entry, state := map[string]any{}, map[string]any{}
	for bit, field := range traceFields {
		if mask&(1<<bit) == 0 {
			continue
		}
		fs, err := take(field.numbers)
		if err != nil {
			return nil, err
		}
		var v any
		switch field.numbers {
		case 1:
			v = fs[0]
		case 2:
			v = fs
		case 3:
			v = surfaces.Hessian{XX: fs[0], XY: fs[1], YY: fs[2]}
		case 4:
			v = [2][2]float64{{fs[0], fs[1]}, {fs[2], fs[3]}}
		}
		if field.name == "gradient" || field.name == "step" {
			entry[field.name] = v
		} else {
			state[field.name] = v
		}
	}
	entry["state"] = state
	// Through engine.Trace, so that the fields come in its order.
	text, err := json.Marshal(entry)
	if err != nil {
		return nil, err
	}
	var trace engine.Trace
	if err := decodeStrict(text, &trace, "gradient, step, state"); err != nil {
		return nil, err
	}
	return json.Marshal(trace)
}
