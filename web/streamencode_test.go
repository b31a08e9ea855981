package web

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// awkwardFloats are numbers at the edges of encoding/json's formats: the
// switch to exponents at 1e-6 and 1e21, exponents of one, two and three
// digits, subnormals, signed zeros and the largest finite numbers.
var awkwardFloats = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, math.Nextafter(1e-6, 0), 1e-7, -1e-7, 1.5e-10,
	1e21, math.Nextafter(1e21, 0), 1e22, -1e100, 1e-100, 5e-324, -5e-324, math.SmallestNonzeroFloat64 * 3,
	math.MaxFloat64, -math.MaxFloat64, 123456789.125, 0.30000000000000004, 1.0 / 3, -2.5e-5, 2e20,
}

// randomFloat draws a number from awkwardFloats or of any magnitude.
func randomFloat(rng *rand.Rand) float64 {
	switch rng.IntN(3) {
	case 0:
		return awkwardFloats[rng.IntN(len(awkwardFloats))]
	case 1:
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(60)-30))
	default:
		f := math.Float64frombits(rng.Uint64())
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return 1
		}
		return f
	}
}

// randomPointsMessage makes a points message of 1 to 40 iterates of random
// numbers, with an id, averages, probes, traces and stages on some trials.
func randomPointsMessage(rng *rand.Rand, trial int) pointsMessage {
	id := int64(42)
	point := func() surfaces.Point { return surfaces.Point{randomFloat(rng), randomFloat(rng)} }
	m := pointsMessage{Type: "points", Run: rng.IntN(9)}
	if trial%2 == 0 {
		m.ID = &id
	}
	n := 1 + rng.IntN(40)
	for range n {
		m.Path = append(m.Path, point())
		m.Loss = append(m.Loss, randomFloat(rng))
	}
	if trial%3 == 0 {
		for range n {
			m.Average = append(m.Average, point())
		}
	}
	if trial%5 == 0 {
		for k := range rng.IntN(4) {
			m.Evals = append(m.Evals, [3]float64{float64(k), randomFloat(rng), randomFloat(rng)})
		}
	}
	if trial%7 == 0 {
		for range n {
			m.Trace = append(m.Trace, randomTrace(rng))
		}
	}
	if trial%11 == 0 {
		m.Stages = append(m.Stages, stageStart{From: 0, Sigma: 0.5}, stageStart{From: rng.IntN(100), Sigma: 0})
	}
	return m
}

// randomTrace makes a trace entry with each optional field present or not
// at random, as the optimizers' states have them in their combinations.
func randomTrace(rng *rand.Rand) engine.Trace {
	point := func() *surfaces.Point {
		if rng.IntN(2) == 0 {
			return nil
		}
		return &surfaces.Point{randomFloat(rng), randomFloat(rng)}
	}
	number := func() *float64 {
		if rng.IntN(2) == 0 {
			return nil
		}
		f := randomFloat(rng)
		return &f
	}
	hessian := func() *surfaces.Hessian {
		if rng.IntN(2) == 0 {
			return nil
		}
		return &surfaces.Hessian{XX: randomFloat(rng), XY: randomFloat(rng), YY: randomFloat(rng)}
	}
	t := engine.Trace{Gradient: surfaces.Point{randomFloat(rng), randomFloat(rng)}, Step: point(), State: engine.State{
		LR: number(), UpdateGradient: point(), LookAhead: point(), Velocity: point(), FirstMoment: point(),
		SecondMoment: point(), EffectiveLR: point(), Hessian: hessian(), Direction: point(),
		InverseHessian: hessian(), Beta: number(),
	}}
	if rng.IntN(2) == 0 {
		t.State.Eigenvalues = &[2]float64{randomFloat(rng), randomFloat(rng)}
		t.State.Eigenvectors = &[2]surfaces.Point{{randomFloat(rng), randomFloat(rng)}, {randomFloat(rng), randomFloat(rng)}}
	}
	return t
}

func TestAppendPointsMatchesJSON(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		m := randomPointsMessage(rng, trial)
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := appendPoints([]byte("kept"), &m)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if !bytes.Equal(got[4:], want) || string(got[:4]) != "kept" {
			t.Fatalf("trial %d:\nappendPoints %s\njson.Marshal     %s", trial, got, want)
		}
		var back pointsMessage
		if err := json.Unmarshal(got[4:], &back); err != nil {
			t.Fatal(err)
		}
		for k := range m.Path {
			if back.Path[k] != m.Path[k] || math.Float64bits(back.Loss[k]) != math.Float64bits(m.Loss[k]) {
				t.Fatalf("trial %d point %d: read back %v %v, sent %v %v", trial, k, back.Path[k], back.Loss[k], m.Path[k], m.Loss[k])
			}
		}
	}
}

// TestAppendPointsShortest checks that numbers are written with no more
// significant digits than it takes to read back the same float64: the
// number rounded to one digit fewer is always another float64.
func TestAppendPointsShortest(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var enc floatAppender
	for range 20000 {
		f := randomFloat(rng)
		text := string(enc.float(nil, f))
		back, err := strconv.ParseFloat(text, 64)
		if err != nil || back != f {
			t.Fatalf("%v written as %s, which reads back as %v (%v)", f, text, back, err)
		}
		n := significantDigits(text)
		if n < 2 {
			continue
		}
		// Rounded up past MaxFloat64, the shorter number reads as ±Inf.
		shorter := strconv.FormatFloat(f, 'e', n-2, 64)
		if g, _ := strconv.ParseFloat(shorter, 64); g == f {
			t.Fatalf("%v written as %s with %d digits, but %s reads back the same", f, text, n, shorter)
		}
	}
}

// significantDigits counts the digits of a number written in decimal from
// the first non-zero one to the last non-zero one, exponent left out.
func significantDigits(text string) int {
	if i := strings.IndexByte(text, 'e'); i >= 0 {
		text = text[:i]
	}
	text = strings.Trim(strings.NewReplacer("-", "", ".", "").Replace(text), "0")
	return len(text)
}

func TestAppendPointsRefusesNonFinite(t *testing.T) {
	t.Parallel()
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		m := pointsMessage{Type: "points", Path: []surfaces.Point{{1, 2}}, Loss: []float64{f}}
		if _, err := appendPoints(nil, &m); err == nil {
			t.Errorf("loss %v encoded without an error", f)
		}
		if _, err := appendPointsFrame(nil, &m); err == nil {
			t.Errorf("loss %v written to a binary frame without an error", f)
		}
		m.Loss[0], m.Path[0][1] = 1, f
		if _, err := appendPointsFrame(nil, &m); err == nil {
			t.Errorf("y = %v written to a binary frame without an error", f)
		}
		m.Loss[0], m.Path[0][1] = f, 2
		if _, err := json.Marshal(m); err == nil {
			t.Errorf("json.Marshal encoded loss %v", f)
		}
	}
}

// TestAppendPointsFrame checks that a binary frame holds every number of a
// points message bit for bit, after a header aligned for a Float64Array,
// and the same trace and stages JSON would.
func TestAppendPointsFrame(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		m := randomPointsMessage(rng, trial)
		prefix := []byte("kept")[:trial%5]
		got, err := appendPointsFrame(prefix, &m)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if !bytes.HasPrefix(got, prefix) {
			t.Fatalf("trial %d: the buffer's first bytes %q were overwritten", trial, got[:len(prefix)])
		}
		back, err := decodePointsFrame(got[len(prefix):])
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if back.Type != "points" || back.Run != m.Run || (back.ID == nil) != (m.ID == nil) || (m.ID != nil && *back.ID != *m.ID) {
			t.Fatalf("trial %d: header type %q, run %d, id %v; sent %q, %d, %v", trial, back.Type, back.Run, back.ID, m.Type, m.Run, m.ID)
		}
		for k := range m.Path {
			if !sameBits(back.Path[k][:], m.Path[k][:]) || !sameBits(back.Loss[k:k+1], m.Loss[k:k+1]) {
				t.Fatalf("trial %d point %d: read back %v %v, sent %v %v", trial, k, back.Path[k], back.Loss[k], m.Path[k], m.Loss[k])
			}
		}
		if len(back.Path) != len(m.Path) || len(back.Average) != len(m.Average) || len(back.Evals) != len(m.Evals) {
			t.Fatalf("trial %d: read back %d points, %d averages, %d probes; sent %d, %d, %d", trial,
				len(back.Path), len(back.Average), len(back.Evals), len(m.Path), len(m.Average), len(m.Evals))
		}
		for k := range m.Average {
			if !sameBits(back.Average[k][:], m.Average[k][:]) {
				t.Fatalf("trial %d average %d: read back %v, sent %v", trial, k, back.Average[k], m.Average[k])
			}
		}
		for k := range m.Evals {
			if !sameBits(back.Evals[k][:], m.Evals[k][:]) {
				t.Fatalf("trial %d probe %d: read back %v, sent %v", trial, k, back.Evals[k], m.Evals[k])
			}
		}
		trace, _ := json.Marshal(m.Trace)
		backTrace, _ := json.Marshal(back.Trace)
		if len(m.Trace) > 0 && !bytes.Equal(trace, backTrace) {
			t.Fatalf("trial %d: trace read back as %s, sent %s", trial, backTrace, trace)
		}
		if !slices.Equal(back.Stages, m.Stages) {
			t.Fatalf("trial %d: stages read back as %v, sent %v", trial, back.Stages, m.Stages)
		}
	}
}
