package web

import (
	"math"
	"net/http"
	"strconv"

	"saddlepoint/contour"
)

// Bounds of GET /api/grid's n, the nodes along each side of the grid.
const (
	minGridNodes     = 2
	maxGridNodes     = 128
	defaultGridNodes = 97 // odd, so a symmetric view has a node at its centre
)

// gridDecades is how many decades of f − min the log height scale resolves,
// the four that contour.Levels spaces its logarithmic levels over, so that
// the 3-D view's colour bands fall about where the 2-D plot's contours do.
const gridDecades = 4

// gridSpan is 10^gridDecades and gridLogTop log₁₀(1 + gridSpan), the log
// height scale's constants, worked out once rather than at every node.
var (
	gridSpan   = math.Pow(10, gridDecades)
	gridLogTop = math.Log10(1 + gridSpan)
)

// heightGrid is the answer of GET /api/grid: a surface's heights for the
// page's 3-D view, on n × n nodes evenly spaced over view, edges included.
// Z[j·n + i] is the height at x_i = xmin + i·(xmax − xmin)/(n − 1),
// y_j = ymin + j·(ymax − ymin)/(n − 1): rows run along x, from ymin up.
//
// Each height is a display transform of f, not f itself. With t the
// fraction of the grid's finite range that f rises above its least value,
//
//	t = clamp((f − Min) / (Max − Min), 0, 1),
//
// the height is t when Scale is "linear", and when Scale is "log"
//
//	z = log₁₀(1 + 10⁴·t) / log₁₀(1 + 10⁴),
//
// which resolves four decades of f − Min, as the log-spaced contour levels
// do. Both map Min to 0 and Max to 1 and are strictly increasing, so a
// client applies the same formula to the loss of an iterate to lift it onto
// the mesh. Scale is "log" when the plot's contour levels are log-spaced
// (contour.SpansDecades: more than half of the values lie in the lowest
// tenth of the range), as Rosenbrock's are; "linear" otherwise. Heights are
// rounded to four decimals, a ten-thousandth of the mesh's height and far
// below a pixel, which halves the size of the answer.
//
// JSON has no NaN or infinity, so non-finite values are clipped: +Inf is
// drawn at the top (1), −Inf at the bottom (0), and NaN, where f is
// undefined (the log of a negative number), at the bottom with its node's
// index listed in Undefined, for the client to shade as a hole. Min and Max
// are the least and greatest finite values; a grid with no two distinct
// finite values is flat at 0.
type heightGrid struct {
	View      [4]float64 `json:"view"` // [xmin, xmax, ymin, ymax]
	N         int        `json:"n"`
	Z         []float64  `json:"z"`
	Scale     string     `json:"scale"` // "linear" or "log"
	Min       float64    `json:"min"`
	Max       float64    `json:"max"`
	Undefined []int      `json:"undefined,omitempty"`
}

// handleGrid answers GET /api/grid: the heights of a surface, named as
// /plot names it (surface, expr, view, normalize), on n × n nodes
// (?n=, 2 to 128, default 97), for the page's 3-D view.
func (s *Server) handleGrid(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	surface, err := surfaceFromQuery(q)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	n := defaultGridNodes
	if v := q.Get("n"); v != "" {
		n, err = strconv.Atoi(v)
		if err != nil || n < minGridNodes || n > maxGridNodes {
			writeError(w, http.StatusBadRequest, "n: must be a whole number of nodes from "+
				strconv.Itoa(minGridNodes)+" to "+strconv.Itoa(maxGridNodes)+", got "+strconv.Quote(v))
			return
		}
	}
	writeJSON(w, http.StatusOK, heights(contour.Sample(surface.TwiceDifferentiable.Value, surface.View, n, n)))
}

// heights transforms a sampled surface into display heights, as heightGrid
// describes.
func heights(g contour.Grid) heightGrid {
	v := g.View
	h := heightGrid{View: [4]float64{v.XMin, v.XMax, v.YMin, v.YMax}, N: g.NX, Scale: "linear", Z: make([]float64, len(g.Values))}
	lo, hi, ok := g.Range()
	if !ok {
		lo, hi = 0, 0
	}
	h.Min, h.Max = lo, hi
	if contour.SpansDecades(g) {
		h.Scale = "log"
	}
	for k, f := range g.Values {
		switch {
		case math.IsNaN(f):
			h.Undefined = append(h.Undefined, k)
		case lo < hi:
			h.Z[k] = math.Round(h.height(f)*1e4) / 1e4
		case math.IsInf(f, 1):
			h.Z[k] = 1
		}
	}
	return h
}

// height is the display height of f (see heightGrid); f must not be NaN.
func (h heightGrid) height(f float64) float64 {
	// Halves, so that a range wider than the largest float64 cannot overflow.
	t := (f/2 - h.Min/2) / (h.Max/2 - h.Min/2)
	t = math.Min(1, math.Max(0, t))
	if h.Scale == "log" {
		return math.Log10(1+gridSpan*t) / gridLogTop
	}
	return t
}
