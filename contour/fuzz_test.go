package contour

import (
	"math"
	"testing"

	"saddlepoint/surfaces"
)

// fuzzGrid builds a small grid from fuzz input: nx and ny pick its size and
// each byte of data one value, with three bytes kept for NaN and ±Inf.
func fuzzGrid(nx, ny uint8, data []byte) Grid {
	g := Grid{
		View: surfaces.View{XMin: -1.5, XMax: 2.5, YMin: 0.25, YMax: 3},
		NX:   2 + int(nx%9),
		NY:   2 + int(ny%9),
	}
	g.Values = make([]float64, g.NX*g.NY)
	if len(data) == 0 {
		return g
	}
	for n := range g.Values {
		switch b := data[n%len(data)]; b {
		case 255:
			g.Values[n] = math.NaN()
		case 254:
			g.Values[n] = math.Inf(1)
		case 253:
			g.Values[n] = math.Inf(-1)
		default:
			g.Values[n] = (float64(b) - 128) / 8
		}
	}
	return g
}

// onCrossedEdge reports whether p lies on a grid edge between two finite
// nodes that straddle level, where the linear interpolation of the nodes'
// values is level.
func onCrossedEdge(g Grid, p surfaces.Point, level float64) bool {
	crossed := func(i0, j0, i1, j1 int, along float64, u0, u1 float64) bool {
		a, b := g.At(i0, j0), g.At(i1, j1)
		if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) ||
			level < min(a, b) || level > max(a, b) || along < min(u0, u1) || along > max(u0, u1) {
			return false
		}
		v := a + (b-a)*(along-u0)/(u1-u0)
		return math.Abs(v-level) <= 1e-9*(math.Abs(a)+math.Abs(b)+1)
	}
	for j := range g.NY {
		for i := range g.NX {
			node := g.Node(i, j)
			if p[1] == node[1] && i+1 < g.NX && crossed(i, j, i+1, j, p[0], node[0], g.Node(i+1, j)[0]) {
				return true
			}
			if p[0] == node[0] && j+1 < g.NY && crossed(i, j, i, j+1, p[1], node[1], g.Node(i, j+1)[1]) {
				return true
			}
		}
	}
	return false
}

func FuzzLines(f *testing.F) {
	f.Add(uint8(3), uint8(3), []byte{0, 200, 0, 200, 0, 200}, 0.5)       // stripes
	f.Add(uint8(1), uint8(1), []byte{120, 140, 140, 120}, 0.0)           // a saddle cell
	f.Add(uint8(5), uint8(4), []byte{128, 255, 140, 254, 100, 253}, 1.0) // missing values
	f.Add(uint8(7), uint8(7), []byte{10, 20, 30, 250, 40, 50, 60}, -5.0)
	f.Add(uint8(2), uint8(6), []byte{136}, 1.0)      // flat at the level
	f.Add(uint8(4), uint8(4), []byte{128, 136}, 0.0) // level on the nodes
	f.Fuzz(func(t *testing.T, nx, ny uint8, data []byte, level float64) {
		g := fuzzGrid(nx, ny, data)
		lines := Lines(g, level)
		checkLines(t, g, level, lines)
		hx := (g.View.XMax - g.View.XMin) / float64(g.NX-1)
		hy := (g.View.YMax - g.View.YMin) / float64(g.NY-1)
		for n, l := range lines {
			for k, p := range l {
				if !onCrossedEdge(g, p, level) {
					t.Fatalf("line %d point %d = %v is on no edge crossing level %v", n, k, p, level)
				}
				// Consecutive points share a cell.
				if k > 0 && (math.Abs(p[0]-l[k-1][0]) > hx*(1+1e-12) || math.Abs(p[1]-l[k-1][1]) > hy*(1+1e-12)) {
					t.Fatalf("line %d jumps from %v to %v", n, l[k-1], p)
				}
			}
		}
	})
}
