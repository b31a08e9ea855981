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
				if k == 0 {
					d.WriteByte('M')
				} else {
					d.WriteByte('L')
				}
				svgLine[k] = [2]float64{toX(pt[0]), toY(pt[1])}
				d.WriteString(svgNumber(svgLine[k][0]))
				d.WriteByte(',')
				d.WriteString(svgNumber(svgLine[k][1]))
			}
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
