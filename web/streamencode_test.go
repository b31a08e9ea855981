package web

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
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

func TestAppendPointsMatchesJSON(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	id := int64(42)
	point := func() surfaces.Point { return surfaces.Point{randomFloat(rng), randomFloat(rng)} }
	for trial := range 300 {
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
			step, lr := point(), randomFloat(rng)
			m.Trace = append(m.Trace, engine.Trace{Gradient: point(), Step: &step, State: engine.State{LR: &lr}},
				engine.Trace{Gradient: point()})
		}
		if trial%11 == 0 {
			m.Stages = append(m.Stages, stageStart{From: 0, Sigma: 0.5}, stageStart{From: rng.IntN(100), Sigma: 0})
		}
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
		if _, err := json.Marshal(m); err == nil {
			t.Errorf("json.Marshal encoded loss %v", f)
		}
	}
}
