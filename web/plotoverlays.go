package web

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"saddlepoint/contour"
	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// The plot's overlays that the server draws, for the page to show or hide:
// arrows of −∇f on a grid, and the contour levels written along their lines.
// Sizes are in SVG units, as the plot's.
const (
	// fieldSpacing is about the distance between the field's arrows.
	fieldSpacing = 40
	// fieldLongest and fieldShortest are the arrows of the largest and the
	// smallest |∇f| in the view, as fractions of the spacing.
	fieldLongest  = 0.85
	fieldShortest = 0.3

	// labelFontSize is the size .contour-label is drawn at (app.css), and
	// labelCharWidth about the width of one of its characters.
	labelFontSize  = 10
	labelCharWidth = 0.62 * labelFontSize
	// labelGap is the clear space kept around a label.
	labelGap = 3
	// labelsPerLevel and maxLabels keep the labels a help, not a crowd.
	labelsPerLevel = 3
	maxLabels      = 48
)

// gradientField returns arrows of −∇f, as SVG path data of their shafts
// (the plot's marker draws their heads), at the centres of a grid of cells
// about fieldSpacing units across that fill plot p's area. Each arrow points
// exactly along −∇f at its centre; its length grows with log |∇f| from
// fieldShortest to fieldLongest of the spacing over the view's range of
// magnitudes, so that a surface whose slope spans decades still shows both
// its plateaus and its walls. Where ∇f is zero, or f or ∇f is not finite,
// there is no arrow.
func gradientField(s surfaces.Surface, p templates.Plot) []string {
	nx := max(1, int(math.Round(p.Width/fieldSpacing)))
	ny := max(1, int(math.Round(p.Height/fieldSpacing)))
	cellW, cellH := p.Width/float64(nx), p.Height/float64(ny)
	type sample struct {
		cx, cy  float64 // the centre in SVG units
		ux, uy  float64 // the unit direction of −∇f in SVG units (y down)
		logNorm float64
	}
	var samples []sample
	lo, hi := math.Inf(1), math.Inf(-1)
	for j := range ny {
		for i := range nx {
			cx, cy := p.Left+(float64(i)+0.5)*cellW, p.Top+(float64(j)+0.5)*cellH
			at := surfaces.Point{
				p.XMin + (cx-p.Left)/p.Width*(p.XMax-p.XMin),
				p.YMax - (cy-p.Top)/p.Height*(p.YMax-p.YMin),
			}
			g := s.TwiceDifferentiable.Gradient(at)
			norm := math.Hypot(g[0], g[1])
			if f := s.TwiceDifferentiable.Value(at); !(norm > 0 && norm <= math.MaxFloat64) || f-f != 0 {
				continue // flat, or undefined: no direction to show
			}
			l := math.Log(norm)
			lo, hi = min(lo, l), max(hi, l)
			samples = append(samples, sample{cx: cx, cy: cy, ux: -g[0] / norm, uy: g[1] / norm, logNorm: l})
		}
	}
	spacing := min(cellW, cellH)
	arrows := make([]string, 0, len(samples))
	for _, s := range samples {
		frac := 1.0
		if hi > lo {
			frac = (s.logNorm - lo) / (hi - lo)
		}
		half := spacing * (fieldShortest + (fieldLongest-fieldShortest)*frac) / 2
		arrows = append(arrows, "M"+svgNumber(s.cx-s.ux*half)+","+svgNumber(s.cy-s.uy*half)+
			"l"+svgNumber(2*s.ux*half)+","+svgNumber(2*s.uy*half))
	}
	return arrows
}

// labelBox is a label's rectangle: its centre, the unit vector along its
// text, and half its length and height.
type labelBox struct {
	cx, cy, ux, uy, halfW, halfH float64
}

// overlaps reports whether two labels' rectangles meet, by the separating
// axis theorem: two convex shapes are apart exactly when their projections
// on one of their edges' normals are.
func (a labelBox) overlaps(b labelBox) bool {
	dx, dy := b.cx-a.cx, b.cy-a.cy
	for _, n := range [...][2]float64{{a.ux, a.uy}, {-a.uy, a.ux}, {b.ux, b.uy}, {-b.uy, b.ux}} {
		reach := func(r labelBox) float64 {
			return r.halfW*math.Abs(r.ux*n[0]+r.uy*n[1]) + r.halfH*math.Abs(-r.uy*n[0]+r.ux*n[1])
		}
		if math.Abs(dx*n[0]+dy*n[1]) > reach(a)+reach(b) {
			return false
		}
	}
	return true
}

// inside reports whether the label lies wholly in the box (left, top,
// width, height).
func (a labelBox) inside(left, top, width, height float64) bool {
	ex := a.halfW*math.Abs(a.ux) + a.halfH*math.Abs(a.uy)
	ey := a.halfW*math.Abs(a.uy) + a.halfH*math.Abs(a.ux)
	return a.cx-ex >= left && a.cx+ex <= left+width && a.cy-ey >= top && a.cy+ey <= top+height
}

// contourLabels writes each level's value along some of its lines, given in
// SVG units (lines[i] are the lines of sets[i]), inside plot p's area: on
// the longest lines first, half-way along or else a quarter of the way from
// either end, where the line is straight enough under the text, turned to
// read left to right, and never over another label.
func contourLabels(sets []contour.Set, lines [][][][2]float64, p templates.Plot) []templates.ContourLabel {
	var placed []labelBox
	var out []templates.ContourLabel
	for i, set := range sets {
		text := strings.Replace(strconv.FormatFloat(set.Level, 'g', 3, 64), "-", "−", 1)
		halfW := (float64(len([]rune(text)))*labelCharWidth)/2 + labelGap
		halfH := float64(labelFontSize)/2 + labelGap
		type measured struct {
			points [][2]float64
			length float64
		}
		var byLength []measured
		for _, l := range lines[i] {
			if len(l) > 1 {
				byLength = append(byLength, measured{l, polylineLength(l)})
			}
		}
		slices.SortStableFunc(byLength, func(a, b measured) int { return cmp.Compare(b.length, a.length) })
		count := 0
		for _, m := range byLength {
			l, total := m.points, m.length
			if count == labelsPerLevel || len(out) == maxLabels || total < 6*halfW {
				break
			}
			for _, at := range [...]float64{0.5, 0.25, 0.75} {
				s := at * total
				ax, ay := pointAlong(l, s-halfW)
				bx, by := pointAlong(l, s+halfW)
				chord := math.Hypot(bx-ax, by-ay)
				if chord < 1.6*halfW { // the line bends too much under the text
					continue
				}
				ux, uy := (bx-ax)/chord, (by-ay)/chord
				if ux < 0 || ux == 0 && uy > 0 { // read left to right
					ux, uy = -ux, -uy
				}
				cx, cy := pointAlong(l, s)
				box := labelBox{cx: cx, cy: cy, ux: ux, uy: uy, halfW: halfW, halfH: halfH}
				if !box.inside(p.Left, p.Top, p.Width, p.Height) || slices.ContainsFunc(placed, box.overlaps) ||
					!clearOfNeighbours(lines, i, cx, cy, labelFontSize/2) {
					continue
				}
				placed = append(placed, box)
				out = append(out, templates.ContourLabel{
					X: math.Round(cx*10) / 10, Y: math.Round(cy*10) / 10,
					Angle: math.Round(math.Atan2(uy, ux)*180/math.Pi*10) / 10,
					Text:  text,
				})
				count++
				break
			}
		}
	}
	return out
}

// clearOfNeighbours reports whether the lines of the levels either side of
// level i all pass farther than r from (cx, cy). Labels are placed only
// where their neighbours pass farther than half the type size from their
// centre, so that where the lines crowd (a valley's steep walls, rastrigin's
// rings) no label's text covers them.
func clearOfNeighbours(lines [][][][2]float64, i int, cx, cy, r float64) bool {
	for _, j := range [...]int{i - 1, i + 1} {
		if j < 0 || j >= len(lines) {
			continue
		}
		for _, l := range lines[j] {
			for k := 1; k < len(l); k++ {
				if segmentDistance(l[k-1], l[k], cx, cy) < r {
					return false
				}
			}
		}
	}
	return true
}

// segmentDistance is the distance from (x, y) to the segment from a to b.
func segmentDistance(a, b [2]float64, x, y float64) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if d := dx*dx + dy*dy; d > 0 {
		t = max(0, min(1, ((x-a[0])*dx+(y-a[1])*dy)/d))
	}
	return math.Hypot(a[0]+t*dx-x, a[1]+t*dy-y)
}

func polylineLength(l [][2]float64) float64 {
	total := 0.0
	for k := 1; k < len(l); k++ {
		total += math.Hypot(l[k][0]-l[k-1][0], l[k][1]-l[k-1][1])
	}
	return total
}

// pointAlong returns the point at arc length s along the polyline l,
// clamped to its ends.
func pointAlong(l [][2]float64, s float64) (x, y float64) {
	if s <= 0 {
		return l[0][0], l[0][1]
	}
	for k := 1; k < len(l); k++ {
		seg := math.Hypot(l[k][0]-l[k-1][0], l[k][1]-l[k-1][1])
		if s <= seg && seg > 0 {
			t := s / seg
			return l[k-1][0] + t*(l[k][0]-l[k-1][0]), l[k-1][1] + t*(l[k][1]-l[k-1][1])
		}
		s -= seg
	}
	last := l[len(l)-1]
	return last[0], last[1]
}
