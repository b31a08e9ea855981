// Package raster draws the few shapes an animated plot needs, polylines,
// discs and rings, anti-aliased onto an RGBA image, and assembles a
// sequence of such images into a compact animated GIF over one fixed
// palette.
//
// Every shape is a set of filled polygons that golang.org/x/image/vector
// rasterises with exact pixel coverage. A stroke of width w is the union of
// a w-wide rectangle around each segment and a disc of diameter w at each
// vertex, which gives round joins and caps. The rasteriser sums signed
// areas, so all these polygons are wound the same way, and where they
// overlap the coverage saturates instead of cancelling.
//
// Coordinates are pixels, x to the right and y down, with (0, 0) the
// top-left corner of the image; the centre of pixel (i, j) is
// (i + 0.5, j + 0.5). The package knows nothing of surfaces or optimizers.
package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// Point is a position in pixels.
type Point struct{ X, Y float64 }

// Canvas draws anti-aliased shapes onto an RGBA image. It is not safe for
// concurrent use.
type Canvas struct {
	Image *image.RGBA

	z vector.Rasterizer
	// The polygons of the shape being built: polygon k is
	// pts[ends[k-1]:ends[k]], and lo, hi bound them all.
	pts    []Point
	ends   []int
	lo, hi Point
}

// NewCanvas returns a canvas over a new transparent w × h image.
func NewCanvas(w, h int) *Canvas {
	return &Canvas{Image: image.NewRGBA(image.Rect(0, 0, w, h))}
}

// FillRect paints the pixels of r, clipped to the image, in colour col,
// without anti-aliasing.
func (c *Canvas) FillRect(r image.Rectangle, col color.RGBA) {
	draw.Draw(c.Image, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// maxPieceArea bounds the bounding box, in square pixels, of the pieces a
// long line is filled in: the rasteriser's work grows with the area it
// covers, which for a line crossing the whole image would be all of it.
const maxPieceArea = 64 * 64

// Stroke draws the polyline through pts, width pixels wide, with round
// joins and a round cap at its last point, in colour col over what is
// there, changing only pixels inside clip. Its first point gets no cap, so
// a path drawn a piece at a time, each piece starting where the one before
// ended, covers each joint once. Points with a coordinate that is not
// finite break the line, and so does a segment too long to measure in
// float64. Stroke returns the rectangle of pixels it may have changed,
// empty if none.
func (c *Canvas) Stroke(pts []Point, width float64, col color.RGBA, clip image.Rectangle) image.Rectangle {
	return c.polyline(pts, width/2, col, clip, image.Rectangle{})
}

// Line draws the segment from a to b, width pixels wide with round caps at
// both ends, as Stroke does.
func (c *Canvas) Line(a, b Point, width float64, col color.RGBA, clip image.Rectangle) image.Rectangle {
	if finite(a) && c.near(a, width/2, clip) {
		c.circle(a, width/2, false)
	}
	return c.polyline([]Point{a, b}, width/2, col, clip, image.Rectangle{})
}

// polyline strokes the polyline through pts h to each side, with a disc at
// every point but the first, filling it a piece at a time, and returns
// changed grown by the pixels it may have changed.
func (c *Canvas) polyline(pts []Point, h float64, col color.RGBA, clip, changed image.Rectangle) image.Rectangle {
	// Segments are cut to a margin around the clip first, which keeps the
	// rasteriser's work proportional to what is visible however far away
	// a point lies.
	ext := outset(clip, 2*h+2)
	for i := 1; i < len(pts); i++ {
		a, b, ok := clipSegment(pts[i-1], pts[i], ext)
		if !ok {
			continue
		}
		c.quad(a, b, h)
		if b == pts[i] {
			c.circle(b, h, false)
		}
		if (c.hi.X-c.lo.X)*(c.hi.Y-c.lo.Y) > maxPieceArea {
			changed = changed.Union(c.fill(col, clip))
		}
	}
	return changed.Union(c.fill(col, clip))
}

// Disc fills the disc of radius r around centre in colour col, changing
// only pixels inside clip, and returns the rectangle of pixels it may have
// changed.
func (c *Canvas) Disc(centre Point, r float64, col color.RGBA, clip image.Rectangle) image.Rectangle {
	if !finite(centre) || !c.near(centre, r, clip) {
		return image.Rectangle{}
	}
	c.circle(centre, r, false)
	return c.fill(col, clip)
}

// Ring draws the circle of radius r around centre as a line width pixels
// wide, leaving its inside as it was, changing only pixels inside clip, and
// returns the rectangle of pixels it may have changed.
func (c *Canvas) Ring(centre Point, r, width float64, col color.RGBA, clip image.Rectangle) image.Rectangle {
	if !finite(centre) || !c.near(centre, r+width/2, clip) {
		return image.Rectangle{}
	}
	c.circle(centre, r+width/2, false)
	if inner := r - width/2; inner > 0 {
		c.circle(centre, inner, true)
	}
	return c.fill(col, clip)
}

// near reports whether the square around the disc of radius r around p
// meets clip and the image, which saves building a polygon that fill would
// throw away.
func (c *Canvas) near(p Point, r float64, clip image.Rectangle) bool {
	r += 1
	box := image.Rect(int(math.Floor(p.X-r)), int(math.Floor(p.Y-r)), int(math.Ceil(p.X+r)), int(math.Ceil(p.Y+r)))
	return box.Overlaps(clip.Intersect(c.Image.Bounds()))
}

// quad adds the rectangle h to each side of segment ab. Its winding,
// relative to the segment's direction, is the same for every segment: it
// has negative signed area in pixel coordinates.
func (c *Canvas) quad(a, b Point, h float64) {
	dx, dy := b.X-a.X, b.Y-a.Y
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	nx, ny := -dy/n*h, dx/n*h
	c.polygon(
		Point{a.X + nx, a.Y + ny},
		Point{b.X + nx, b.Y + ny},
		Point{b.X - nx, b.Y - ny},
		Point{a.X - nx, a.Y - ny},
	)
}

// circle adds a polygon close to the circle of radius r around p: wound as
// quad winds (negative signed area), or the other way round when hole is
// set, which cuts it out of a shape wound the first way.
func (c *Canvas) circle(p Point, r float64, hole bool) {
	if !(r > 0) {
		return
	}
	// Sides about a pixel long keep the polygon within a hundredth of a
	// pixel of the circle for the radii a plot uses.
	n := int(math.Ceil(2 * math.Pi * r))
	n = min(max(n, 8), 128)
	sign := -1.0
	if hole {
		sign = 1
	}
	start := len(c.pts)
	for k := range n {
		t := sign * 2 * math.Pi * float64(k) / float64(n)
		c.pts = append(c.pts, Point{p.X + r*math.Cos(t), p.Y + r*math.Sin(t)})
	}
	c.close(start)
}

func (c *Canvas) polygon(pts ...Point) {
	start := len(c.pts)
	c.pts = append(c.pts, pts...)
	c.close(start)
}

// close ends the polygon that began at pts[start] and widens the bounds to
// take it in.
func (c *Canvas) close(start int) {
	if len(c.ends) == 0 {
		c.lo = Point{math.Inf(1), math.Inf(1)}
		c.hi = Point{math.Inf(-1), math.Inf(-1)}
	}
	for _, p := range c.pts[start:] {
		c.lo = Point{math.Min(c.lo.X, p.X), math.Min(c.lo.Y, p.Y)}
		c.hi = Point{math.Max(c.hi.X, p.X), math.Max(c.hi.Y, p.Y)}
	}
	c.ends = append(c.ends, len(c.pts))
}

// fill paints the polygons added since the last fill in colour col over
// what is there, inside clip, and forgets them.
func (c *Canvas) fill(col color.RGBA, clip image.Rectangle) image.Rectangle {
	defer func() { c.pts, c.ends = c.pts[:0], c.ends[:0] }()
	if len(c.ends) == 0 {
		return image.Rectangle{}
	}
	r := image.Rect(
		int(math.Floor(c.lo.X)), int(math.Floor(c.lo.Y)),
		int(math.Ceil(c.hi.X)), int(math.Ceil(c.hi.Y)),
	).Intersect(clip).Intersect(c.Image.Bounds())
	if r.Empty() {
		return image.Rectangle{}
	}
	// The rasteriser covers r alone, so that its cost, which grows with
	// its area, is that of the shape and not of the image.
	c.z.Reset(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	start := 0
	for _, end := range c.ends {
		poly := c.pts[start:end]
		c.z.MoveTo(float32(poly[0].X-ox), float32(poly[0].Y-oy))
		for _, p := range poly[1:] {
			c.z.LineTo(float32(p.X-ox), float32(p.Y-oy))
		}
		c.z.ClosePath()
		start = end
	}
	c.z.Draw(c.Image, r, image.NewUniform(col), image.Point{})
	return r
}

// outset returns r grown by d on every side, in floating point.
func outset(r image.Rectangle, d float64) [4]float64 {
	return [4]float64{float64(r.Min.X) - d, float64(r.Min.Y) - d, float64(r.Max.X) + d, float64(r.Max.Y) + d}
}

// clipSegment returns the part of segment ab inside the rectangle
// [x0, x1] × [y0, y1] given as {x0, y0, x1, y1}, by the Liang–Barsky
// algorithm; ok is false when none of it is inside. An end that lies
// inside is returned unchanged.
func clipSegment(a, b Point, r [4]float64) (Point, Point, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := b.X-a.X, b.Y-a.Y
	if !finite(a) || !finite(b) || !finite(Point{dx, dy}) {
		return a, b, false
	}
	// Each edge is p·t ≤ q for the points a + t·(b − a) inside it.
	for _, e := range [4][2]float64{
		{-dx, a.X - r[0]}, {dx, r[2] - a.X},
		{-dy, a.Y - r[1]}, {dy, r[3] - a.Y},
	} {
		p, q := e[0], e[1]
		switch {
		case p == 0:
			if q < 0 {
				return a, b, false
			}
		case p < 0:
			t0 = math.Max(t0, q/p)
		default:
			t1 = math.Min(t1, q/p)
		}
	}
	if !(t0 <= t1) {
		return a, b, false
	}
	ca, cb := a, b
	if t0 > 0 {
		ca = Point{a.X + t0*dx, a.Y + t0*dy}
	}
	if t1 < 1 {
		cb = Point{a.X + t1*dx, a.Y + t1*dy}
	}
	return ca, cb, true
}

func finite(p Point) bool {
	return p.X-p.X == 0 && p.Y-p.Y == 0
}
