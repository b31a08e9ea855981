package web

import (
	"math"
	"strconv"
	"strings"

	"saddlepoint/contour"
	"saddlepoint/surfaces"
	"saddlepoint/web/templates"
)

// Plot geometry, in SVG user units. The plot area is scaled so the longer
// side of the view spans plotSide units and both axes share one scale, so a
// gradient step is drawn perpendicular to the contour it crosses.
const (
	plotSide     = 640
	marginLeft   = 56
	marginRight  = 16
	marginTop    = 16
	marginBottom = 48
	contourGrid  = 241 // grid nodes along the longer side of the view
	// blurredGrid is the grid of a blurred surface, each of whose values
	// costs hundreds of evaluations of the surface; blurring leaves nothing
	// finer to resolve.
	blurredGrid   = 81
	contourLevels = 24
	shades        = 10 // CSS classes s0 … s9
)

// buildPlot computes the contour plot of s in its view, with the gradient
// field drawn for the page to show or hide, and no start marked (see
// markStart): a class clicking start points asks for one computation.
func buildPlot(s surfaces.Surface) templates.Plot {
	p := buildPlotOnGrid(s, contourGrid)
	p.Field = gradientField(s, p)
	return p
}

// buildBlurredPlot computes the contour plot of s blurred by a Gaussian of
// standard deviation sigma (see surfaces.Blurred), as a continuation run
// sees it, with no start marked.
func buildBlurredPlot(s surfaces.Surface, sigma float64) templates.Plot {
	s.TwiceDifferentiable = surfaces.NewBlurred(s.TwiceDifferentiable, sigma)
	return buildPlotOnGrid(s, blurredGrid)
}

// buildPlotOnGrid computes the contour plot of s from a grid of nodes values
// along the longer side of its view, with the levels' labels.
func buildPlotOnGrid(s surfaces.Surface, nodes int) templates.Plot {
	v := s.View
	dx, dy := v.XMax-v.XMin, v.YMax-v.YMin
	scale := plotScale(v)
	p := templates.Plot{
		Surface: s.Name, Formula: s.Formula, About: s.About,
		Left: marginLeft, Top: marginTop,
		Width: dx * scale, Height: dy * scale,
		XMin: v.XMin, XMax: v.XMax, YMin: v.YMin, YMax: v.YMax,
	}
	p.FrameWidth = marginLeft + p.Width + marginRight
	p.FrameHeight = marginTop + p.Height + marginBottom
	toX := func(x float64) float64 { return p.Left + (x-v.XMin)*scale }
	toY := func(y float64) float64 { return p.Top + (v.YMax-y)*scale }

	sets := contourSets(s, nodes)
	lines := make([][][][2]float64, len(sets)) // in SVG units
	for i, set := range sets {
		var d strings.Builder
		for _, line := range set.Lines {
			svgLine := make([][2]float64, len(line))
			for k, pt := range line {
				svgLine[k] = [2]float64{toX(pt[0]), toY(pt[1])}
			}
			writePath(&d, svgLine)
			lines[i] = append(lines[i], svgLine)
		}
		if d.Len() == 0 {
			continue
		}
		p.Levels = append(p.Levels, templates.ContourLevel{
			Level: set.Level,
			Label: strconv.FormatFloat(set.Level, 'g', 4, 64),
			Path:  d.String(),
			Shade: i * shades / len(sets),
		})
	}
	p.Labels = contourLabels(sets, lines, p)
	for _, t := range ticks(v.XMin, v.XMax) {
		p.XTicks = append(p.XTicks, templates.Tick{Pos: toX(t), Label: tickLabel(t)})
	}
	for _, t := range ticks(v.YMin, v.YMax) {
		p.YTicks = append(p.YTicks, templates.Tick{Pos: toY(t), Label: tickLabel(t)})
	}
	for _, m := range s.Minima {
		p.Minima = append(p.Minima, templates.Marker{X: toX(m[0]), Y: toY(m[1]), Label: "minimum at " + pointLabel(m)})
	}
	return p
}

// markStart returns p with start marked: the plot's start point, and its
// marker in SVG units, placed as buildPlotOnGrid places every point.
func markStart(p templates.Plot, start surfaces.Point) templates.Plot {
	scale := plotScale(surfaces.View{XMin: p.XMin, XMax: p.XMax, YMin: p.YMin, YMax: p.YMax})
	p.StartX, p.StartY = start[0], start[1]
	p.Start = templates.Marker{
		X: p.Left + (start[0]-p.XMin)*scale, Y: p.Top + (p.YMax-start[1])*scale,
		Label: "start at " + pointLabel(start),
	}
	return p
}

// plotScale is the SVG units per unit of the view v: its longer side spans
// plotSide.
func plotScale(v surfaces.View) float64 {
	return plotSide / math.Max(v.XMax-v.XMin, v.YMax-v.YMin)
}

// contourSets samples s on a grid of nodes values along the longer side of
// its view (square cells) and traces its contour lines at the levels
// contour.Levels chooses, for the page's plot and the GIF alike.
func contourSets(s surfaces.Surface, nodes int) []contour.Set {
	v := s.View
	dx, dy := v.XMax-v.XMin, v.YMax-v.YMin
	nx, ny := nodes, nodes
	if dx > dy {
		ny = max(2, int(math.Round(float64(nodes-1)*dy/dx))+1)
	} else {
		nx = max(2, int(math.Round(float64(nodes-1)*dx/dy))+1)
	}
	// The function itself: the catalogue entry's promoted method would copy
	// the whole entry at every node.
	grid := contour.Sample(s.TwiceDifferentiable.Value, v, nx, ny)
	return contour.Contours(grid, contour.Levels(grid, contourLevels))
}

// pathTolerance is how far, in SVG units, a contour's path may pass from
// the points of its line: a fifth of a pixel with the plot at its own size.
const pathTolerance = 0.2

// writePath writes line, in SVG units, to d as path data: the points
// Douglas–Peucker keeps within pathTolerance of the line, each rounded to a
// tenth of a unit as svgNumber rounds, the first absolute (M) and the rest
// relative to the one before (l), which takes fewer digits. A marching
// squares line has a point on every grid cell it crosses, most of them on
// a straight enough run: the page's plot carried some 11,000 points, which
// its first paint parsed, styled and drew.
func writePath(d *strings.Builder, line [][2]float64) {
	if len(line) == 0 {
		return
	}
	keep := make([]bool, len(line))
	keep[0], keep[len(line)-1] = true, true
	simplify(line, 0, len(line)-1, keep)
	tenths := func(v float64) int { return int(math.Round(v * 10)) }
	x, y := tenths(line[0][0]), tenths(line[0][1])
	d.WriteByte('M')
	d.WriteString(svgNumber(line[0][0]))
	d.WriteByte(',')
	d.WriteString(svgNumber(line[0][1]))
	d.WriteByte('l')
	first := true
	for k := 1; k < len(line); k++ {
		if !keep[k] {
			continue
		}
		nx, ny := tenths(line[k][0]), tenths(line[k][1])
		if nx == x && ny == y {
			continue
		}
		dx, dy := tenthsText(nx-x), tenthsText(ny-y)
		if !first && dx[0] != '-' {
			d.WriteByte(' ')
		}
		d.WriteString(dx)
		if dy[0] != '-' {
			d.WriteByte(',')
		}
		d.WriteString(dy)
		x, y, first = nx, ny, false
	}
	if first { // a line of one point, drawn as an empty segment
		d.WriteString("0,0")
	}
}

// simplify marks in keep the points of line[i+1:j] that Douglas–Peucker
// keeps: the farthest from the chord from line[i] to line[j] if farther
// than pathTolerance, and recursively those either side of it.
func simplify(line [][2]float64, i, j int, keep []bool) {
	if j-i < 2 {
		return
	}
	ax, ay := line[i][0], line[i][1]
	cx, cy := line[j][0]-ax, line[j][1]-ay
	chord := math.Hypot(cx, cy)
	far, farthest := -1.0, 0
	for k := i + 1; k < j; k++ {
		px, py := line[k][0]-ax, line[k][1]-ay
		dist := math.Hypot(px, py) // a closed line's chord is a point
		if chord > 0 {
			dist = math.Abs(px*cy-py*cx) / chord
		}
		if dist > far {
			far, farthest = dist, k
		}
	}
	if far <= pathTolerance {
		return
	}
	keep[farthest] = true
	simplify(line, i, farthest, keep)
	simplify(line, farthest, j, keep)
}

// tenthsText writes n tenths as a decimal with no leading zero: 15 as
// "1.5", -5 as "-.5", 20 as "2".
func tenthsText(n int) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	whole, frac := n/10, n%10
	switch {
	case frac == 0:
		return sign + strconv.Itoa(whole)
	case whole == 0:
		return sign + "." + strconv.Itoa(frac)
	default:
		return sign + strconv.Itoa(whole) + "." + strconv.Itoa(frac)
	}
}

// svgNumber formats a coordinate to a tenth of a unit, which is finer than a
// pixel at any size the plot is shown.
func svgNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// ticks returns round tick positions inside [lo, hi]: multiples of 1, 2 or
// 5 times a power of ten, about five to ten of them.
func ticks(lo, hi float64) []float64 {
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{2, 5, 10} {
		if step >= raw {
			break
		}
		step = m * mag
	}
	var out []float64
	for k := math.Ceil(lo / step); k*step <= hi+1e-9*step; k++ {
		t := k * step
		if math.Abs(t) < 1e-12*step {
			t = 0
		}
		out = append(out, t)
	}
	return out
}

func tickLabel(t float64) string {
	return strings.Replace(strconv.FormatFloat(t, 'g', 6, 64), "-", "−", 1)
}

func pointLabel(p surfaces.Point) string {
	return "(" + strconv.FormatFloat(p[0], 'g', 6, 64) + ", " + strconv.FormatFloat(p[1], 'g', 6, 64) + ")"
}
