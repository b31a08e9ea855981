package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"saddlepoint/engine"
	"saddlepoint/raster"
	"saddlepoint/surfaces"
)

// Limits and timing of GET /api/animation.gif.
const (
	defaultAnimationWidth = 640
	minAnimationWidth     = 240
	maxAnimationWidth     = 1280
	// maxAnimationFrames bounds the frames of a GIF; a longer run is shown
	// at evenly spaced iterations, its last always among them.
	maxAnimationFrames = 120
	// frameDelay is the time between frames, in hundredths of a second.
	// A run with few iterates is played slower, so that it still takes
	// about animationSeconds, but never slower than maxFrameDelay.
	frameDelay       = 5
	maxFrameDelay    = 50
	animationSeconds = 4
	// lastFrameDelay holds the finished picture before the loop restarts.
	lastFrameDelay = 250
	// maxAnimationSteps bounds steps × optimizers: a GIF shows at most
	// maxAnimationFrames iterations, so a longer run only costs time.
	maxAnimationSteps = 200_000
)

// animationSlots bounds the GIFs rendered at once; each takes a core and
// up to tens of megabytes while it is drawn.
var animationSlots = make(chan struct{}, 2)

// The page's colours (web/static/css/app.css).
var (
	paperColour   = rgb(0xffffff)
	plotColour    = rgb(0xfbfcfe)
	inkColour     = rgb(0x15202b)
	mutedColour   = rgb(0x5b6b7a)
	frameColour   = rgb(0x8795a3)
	minimumColour = rgb(0x111111)
	// runColours are the Okabe–Ito colours of the page's runs, by index.
	runColours = [maxOptimizers]color.RGBA{
		rgb(0x0072b2), rgb(0xd55e00), rgb(0x009e73), rgb(0xcc79a7),
		rgb(0xe69f00), rgb(0x56b4e9), rgb(0x000000), rgb(0x8c564b),
	}
	// contourColours are the page's shades s0 … s9, dark for low levels.
	contourColours = [shades]color.RGBA{
		rgb(0x08306b), rgb(0x08519c), rgb(0x2171b5), rgb(0x4292c6), rgb(0x6baed6),
		rgb(0x85bcdb), rgb(0x9ecae1), rgb(0xb3d4e8), rgb(0xc6dbef), rgb(0xd6e5f4),
	}
)

func rgb(v uint32) color.RGBA {
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}

// animationPalette is the one palette every frame of every GIF uses: a
// transparent entry for the pixels a frame leaves as they were, the page's
// colours, each of the inks blended into the plot's background in eighths
// for anti-aliased edges, and a ramp of greys for the rest.
var animationPalette = sync.OnceValue(func() color.Palette {
	p := color.Palette{color.RGBA{}}
	inks := []color.RGBA{inkColour, mutedColour, frameColour, minimumColour}
	inks = append(inks, runColours[:]...)
	inks = append(inks, contourColours[:]...)
	for _, c := range append([]color.RGBA{paperColour, plotColour}, inks...) {
		p = append(p, c)
	}
	for _, c := range inks {
		for k := 1; k < 8; k++ {
			p = append(p, blend(plotColour, c, float64(k)/8))
		}
	}
	for k := range 16 {
		v := uint8(k * 17)
		p = append(p, color.RGBA{v, v, v, 0xff})
	}
	return p
})

// blend returns a·(1 − t) + b·t.
func blend(a, b color.RGBA, t float64) color.RGBA {
	mix := func(u, v uint8) uint8 { return uint8(math.Round(float64(u)*(1-t) + float64(v)*t)) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// goRegular is the Go font, which the GIF's text is set in.
var goRegular = sync.OnceValue(func() *sfnt.Font {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("web: parsing the Go font: " + err.Error())
	}
	return f
})

func newFace(size float64) font.Face {
	face, err := opentype.NewFace(goRegular(), &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("web: making a face of the Go font: " + err.Error())
	}
	return face
}

// handleAnimation answers GET /api/animation.gif?<the page's query> with
// the page's run as an animated GIF, for slides. The state is read as the
// page reads it (see pageState) and the optimizers run as POST /api/run runs
// them, in the page's order and colours. Each run's path grows frame by
// frame over the contour plot, with a dot at its head, a ring at the start,
// the iteration number above and a legend below. ?width= sets the width in
// pixels, 240 to 1280 (default 640); the height follows from the view, both
// axes sharing one scale.
//
// There is a frame for each iteration, or for 120 evenly spaced ones,
// the last among them, of a longer run. Frames are 50 ms apart, more (up to
// half a second) when there are too few of them to last four seconds, and
// the last holds for 2.5 s before the GIF starts again.
//
// A GIF cannot show a message, so a query the page would open with a
// warning, such as one whose view cannot be drawn, is refused here with 400
// and a JSON message naming the field, as are a cloud of starts and more
// than 200,000 steps over all the optimizers.
func (s *Server) handleAnimation(w http.ResponseWriter, r *http.Request) {
	a, err := parseAnimation(r.URL.Query())
	if err != nil {
		writeRequestError(w, err)
		return
	}
	select {
	case animationSlots <- struct{}{}:
		defer func() { <-animationSlots }()
	case <-r.Context().Done():
		return
	}
	runs, err := a.run.trajectories(r.Context())
	if err != nil {
		return // the client has gone
	}
	var buf bytes.Buffer
	if err := drawAnimation(a, runs).Encode(&buf); err != nil {
		s.log.Error("encoding an animation", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Header().Set("Content-Disposition", `inline; filename="saddlepoint-`+fileSafe(a.run.surface.Name)+`.gif"`)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// animation is a validated request for a GIF.
type animation struct {
	run   run
	width int
}

// parseAnimation reads the page's state and the GIF's width from a query.
func parseAnimation(q url.Values) (animation, error) {
	st, problem := parsePageState(q)
	if problem != "" {
		return animation{}, badRequest("%s", problem)
	}
	a := animation{width: defaultAnimationWidth}
	if v := q.Get("width"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < minAnimationWidth || n > maxAnimationWidth {
			return a, badRequest("width: must be a whole number of pixels from %d to %d, got %q", minAnimationWidth, maxAnimationWidth, v)
		}
		a.width = n
	}
	if st.cloud.N > 0 {
		return a, badRequest("starts: a GIF shows single runs, one per optimizer from the start point, not a cloud of %d starts; leave starts out", st.cloud.N)
	}
	n := len(st.optimizers)
	if n < 1 || n > maxOptimizers {
		return a, badRequest("opt: a GIF shows 1 to %d optimizers, one per colour, got %d", maxOptimizers, n)
	}
	if work := n * st.steps; work > maxAnimationSteps {
		return a, badRequest("steps: %d optimizers × %d steps is %d steps, more than the %d a GIF runs; use fewer steps or optimizers",
			n, st.steps, work, maxAnimationSteps)
	}
	a.run = run{surface: st.surface, start: st.start, limits: engine.Limits{Steps: st.steps, Tol: engine.DefaultTol, Budget: DefaultRunBudget}}
	for _, o := range displayOrder(st.optimizers) {
		c := optimizerChoice{method: o.method, params: o.params, continuation: o.continuation}
		if st.spec.Name == "least-squares" {
			if err := checkBatch(c, st.surface); err != nil {
				return a, badRequest("opt %s: %v", o.method.Name, err)
			}
		} else {
			c.params = withoutBatch(c)
		}
		a.run.optimizers = append(a.run.optimizers, c)
	}
	return a, nil
}

// displayOrder returns the optimizers in the order of the page's form, the
// catalogue's, which is the order the page runs and colours them in
// whatever the order of the URL.
func displayOrder(opts []pageOptimizer) []pageOptimizer {
	names := engine.MethodNames()
	sorted := slices.Clone(opts)
	slices.SortStableFunc(sorted, func(a, b pageOptimizer) int {
		return slices.Index(names, a.method.Name) - slices.Index(names, b.method.Name)
	})
	return sorted
}

// withoutBatch returns c's parameters with the minibatch size at its
// default, as the page sends them for a surface not made of examples.
func withoutBatch(c optimizerChoice) engine.Params {
	if _, ok := c.params["batch"]; !ok {
		return c.params
	}
	params := maps.Clone(c.params)
	for _, p := range c.method.Params {
		if p.Name == "batch" {
			params["batch"] = p.Default
		}
	}
	return params
}

// trajectory is one run of an animation.
type trajectory struct {
	name   string
	path   []surfaces.Point
	status engine.Status
}

// trajectories runs every job of r as handleRun does, stopping early with
// ctx's error when ctx ends.
func (r run) trajectories(ctx context.Context) ([]trajectory, error) {
	jobs := r.jobs()
	out := make([]trajectory, len(jobs))
	for i, j := range jobs {
		c := j.choice
		tr := engine.NewTrajectory(r.surface.TwiceDifferentiable, c.newOptimizer(), j.start, r.limits, r.options(c)...)
		var path []surfaces.Point
		for tr.Next() {
			path = append(path, tr.Iterate().Theta)
			if len(path)%1024 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		out[i] = trajectory{name: c.method.Name, path: path, status: tr.Status()}
	}
	return out, ctx.Err()
}

// fileSafe returns name with everything but letters, digits and '-'
// replaced, for a file name in a header.
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// frameIterations returns the iteration each frame shows, for runs whose
// longest path has n iterates: every one when there are few, else
// maxAnimationFrames evenly spaced, the first and the last among them.
func frameIterations(n int) []int {
	if n <= 1 {
		return []int{0}
	}
	frames := min(n, maxAnimationFrames)
	ks := make([]int, frames)
	for f := range ks {
		ks[f] = int(math.Round(float64(f) * float64(n-1) / float64(frames-1)))
	}
	return ks
}

// frameDelayFor returns the delay between the frames of an animation of
// the given number of frames, in hundredths of a second.
func frameDelayFor(frames int) int {
	if frames <= 1 {
		return frameDelay
	}
	d := int(math.Ceil(100 * animationSeconds / float64(frames-1)))
	return min(max(d, frameDelay), maxFrameDelay)
}

// animationLayout places everything in a GIF. Lengths scale with the
// width, unit being 1 at the default width.
type animationLayout struct {
	width, height int
	unit          float64
	view          surfaces.View
	// plot holds the pixels inside the frame; a point (x, y) of the view
	// is drawn at (left + (x − XMin)·scale, top + (YMax − y)·scale).
	plot      image.Rectangle
	left, top float64
	scale     float64
	// textMin and textMax bound the title line: the width a plot of a wide
	// view takes, which for a tall view is wider than its plot.
	textMin, textMax int

	titleFace, tickFace, legendFace font.Face
	titleBaseline                   int
	counter                         image.Rectangle // where the iteration number goes
	tickLength                      int
	xLabelBaseline                  int
	legendTop, legendRow            int
	legend                          []image.Point // baseline-left of each run's entry
}

func newAnimationLayout(s surfaces.Surface, width int, runs []trajectory, total int) *animationLayout {
	u := float64(width) / defaultAnimationWidth
	l := &animationLayout{
		width: width, unit: u, view: s.View,
		titleFace:  newFace(math.Max(10, 14*u)),
		tickFace:   newFace(math.Max(8, 11*u)),
		legendFace: newFace(math.Max(9, 12.5*u)),
		tickLength: max(2, int(math.Round(5*u))),
	}
	pad := math.Round(10 * u)
	v := s.View
	dx, dy := v.XMax-v.XMin, v.YMax-v.YMin

	// Margins wide enough for the tick labels.
	labelWidth := 0.0
	for _, t := range ticks(v.YMin, v.YMax) {
		labelWidth = math.Max(labelWidth, measure(l.tickFace, tickLabel(t)))
	}
	left := math.Ceil(labelWidth) + float64(l.tickLength) + math.Round(6*u) + pad
	right := pad * 1.5
	if xt := ticks(v.XMin, v.XMax); len(xt) > 0 {
		right = math.Max(right, math.Ceil(measure(l.tickFace, tickLabel(xt[len(xt)-1]))/2)+2)
	}
	side := float64(width) - left - right
	l.scale = side / math.Max(dx, dy)
	pw, ph := dx*l.scale, dy*l.scale

	title := l.titleFace.Metrics()
	l.titleBaseline = int(pad) + title.Ascent.Ceil()
	top := l.titleBaseline + title.Descent.Ceil() + int(pad)
	l.left = math.Round(left + (side-pw)/2) // a tall view is centred
	l.top = float64(top)
	l.plot = image.Rect(int(l.left), top, int(l.left)+int(math.Ceil(pw-1e-6)), top+int(math.Ceil(ph-1e-6)))

	l.textMin, l.textMax = int(math.Round(left)), int(math.Round(left+side))
	counterWidth := int(math.Ceil(measure(l.titleFace, counterText(total, total)))) + 2
	l.counter = image.Rect(l.textMax-counterWidth, l.titleBaseline-title.Ascent.Ceil(), l.textMax+1, l.titleBaseline+title.Descent.Ceil())

	tick := l.tickFace.Metrics()
	l.xLabelBaseline = l.plot.Max.Y + 1 + l.tickLength + int(math.Round(3*u)) + tick.Ascent.Ceil()

	// The legend flows in rows under the axis.
	lm := l.legendFace.Metrics()
	l.legendRow = int(math.Ceil(1.7 * float64(lm.Height.Ceil())))
	l.legendTop = l.xLabelBaseline + tick.Descent.Ceil() + int(math.Round(8*u))
	x, row := l.textMin, 0
	for _, r := range runs {
		w := int(math.Ceil(l.swatchWidth() + measure(l.legendFace, legendText(r))))
		if x > l.textMin && x+w > width-int(pad) {
			x, row = l.textMin, row+1
		}
		l.legend = append(l.legend, image.Pt(x, l.legendTop+row*l.legendRow+lm.Ascent.Ceil()))
		x += w + int(math.Round(22*u))
	}
	l.height = l.legendTop + (row+1)*l.legendRow + int(pad)/2
	return l
}

// pixel returns where point p of the view is drawn.
func (l *animationLayout) pixel(p surfaces.Point) raster.Point {
	return raster.Point{X: l.left + (p[0]-l.view.XMin)*l.scale, Y: l.top + (l.view.YMax-p[1])*l.scale}
}

func (l *animationLayout) swatchWidth() float64 { return math.Round(26 * l.unit) }

// Line widths and marker sizes, the page's at the default width.
func (l *animationLayout) pathWidth() float64    { return 2.4 * l.unit }
func (l *animationLayout) contourWidth() float64 { return math.Max(1, l.unit) }
func (l *animationLayout) headRadius() float64   { return 5 * l.unit }

// startRadius is a pixel larger than the page's start marker, so that the
// ring shows around the heads that sit on it at the start.
func (l *animationLayout) startRadius() float64 { return 7 * l.unit }

// drawAnimation draws the runs of a over its surface's contour plot, a
// frame per iteration of frameIterations.
func drawAnimation(a animation, runs []trajectory) *raster.Animation {
	longest := 0
	for _, r := range runs {
		longest = max(longest, len(r.path))
	}
	ks := frameIterations(longest)
	total := ks[len(ks)-1]
	l := newAnimationLayout(a.run.surface, a.width, runs, total)
	bounds := image.Rect(0, 0, l.width, l.height)

	// base holds what stays: the plot, and the paths as drawn so far.
	base := raster.NewCanvas(l.width, l.height)
	l.drawPlot(base, a.run.surface)
	l.drawLegend(base, runs)
	// frame is base with what moves drawn over it: the start marker, the
	// heads of the paths and the iteration number.
	frame := raster.NewCanvas(l.width, l.height)
	anim := raster.NewAnimation(raster.NewQuantizer(animationPalette()), l.width, l.height)

	start := l.pixel(a.run.start)
	drawn := make([]int, len(runs)) // the last iterate drawn of each run
	heads := make([]image.Rectangle, len(runs))
	delay := frameDelayFor(len(ks))
	var pts []raster.Point
	var changed []image.Rectangle
	for f, k := range ks {
		changed = append(changed[:0], l.counter)
		if f == 0 {
			changed[0] = bounds
		}
		for i, r := range runs {
			m := min(k, len(r.path)-1)
			if m > drawn[i] {
				pts = l.pathPixels(pts[:0], r.path[drawn[i]:m+1])
				changed = append(changed, base.Stroke(pts, l.pathWidth(), runColours[i], l.plot))
				drawn[i] = m
			}
			changed = append(changed, heads[i]) // to erase the old head
			heads[i] = image.Rectangle{}
			if c := l.headAt(r, k); c != nil {
				reach := l.headRadius() + 0.75*l.unit + 1
				heads[i] = image.Rect(int(c.X-reach), int(c.Y-reach), int(c.X+reach)+1, int(c.Y+reach)+1).Intersect(l.plot)
				changed = append(changed, heads[i])
			}
		}
		// Each changed rectangle is redrawn whole from base, so that
		// nothing is drawn twice over itself.
		for _, rect := range changed {
			if rect.Empty() {
				continue
			}
			draw.Draw(frame.Image, rect, base.Image, rect.Min, draw.Src)
			// The page draws the start marker over the paths; the heads
			// go over it here, so that the runs show from the first frame.
			frame.Disc(start, l.startRadius(), paperColour, rect)
			frame.Ring(start, l.startRadius(), 2.5*l.unit, inkColour, rect)
			for i, r := range runs {
				if c := l.headAt(r, k); c != nil {
					clip := rect.Intersect(l.plot)
					frame.Disc(*c, l.headRadius()+0.75*l.unit, paperColour, clip)
					frame.Disc(*c, l.headRadius()-0.75*l.unit, runColours[i], clip)
				}
			}
		}
		l.drawCounter(frame, k, total)
		d := delay
		if f == len(ks)-1 {
			d = lastFrameDelay
		}
		anim.Add(frame.Image, d, changed...)
	}
	return anim
}

// headAt returns where the head of run r is drawn at iteration k: its
// iterate k, or its last if it stopped before; nil if it has none or the
// point lies too far out to be drawn.
func (l *animationLayout) headAt(r trajectory, k int) *raster.Point {
	m := min(k, len(r.path)-1)
	if m < 0 {
		return nil
	}
	c := l.pixel(r.path[m])
	if math.Abs(c.X) > 1e9 || math.Abs(c.Y) > 1e9 || math.IsNaN(c.X+c.Y) {
		return nil
	}
	return &c
}

// pathPixels appends to dst the pixels of path, leaving out points less
// than half a pixel from the one before, but always ending at the last.
func (l *animationLayout) pathPixels(dst []raster.Point, path []surfaces.Point) []raster.Point {
	for i, p := range path {
		q := l.pixel(p)
		if n := len(dst); n > 0 && math.Hypot(q.X-dst[n-1].X, q.Y-dst[n-1].Y) < 0.5 {
			if i == len(path)-1 && n > 1 {
				dst[n-1] = q
			}
			continue
		}
		dst = append(dst, q)
	}
	return dst
}

// drawPlot draws the background, the contours, the frame with its ticks,
// the minima and the title, as the page's plot has them.
func (l *animationLayout) drawPlot(c *raster.Canvas, s surfaces.Surface) {
	c.FillRect(c.Image.Bounds(), paperColour)
	c.FillRect(l.plot, plotColour)

	v := s.View
	sets := contourSets(s, contourGrid)
	var pts []raster.Point
	// The palest levels first, so the dark ones near the minima stay on top.
	for i := len(sets) - 1; i >= 0; i-- {
		colour := contourColours[i*shades/len(sets)]
		for _, line := range sets[i].Lines {
			pts = pts[:0]
			for _, p := range line {
				pts = append(pts, l.pixel(p))
			}
			c.Stroke(pts, l.contourWidth(), colour, l.plot)
		}
	}

	// The frame, one pixel outside the plot, and the ticks outside it.
	p := l.plot
	c.FillRect(image.Rect(p.Min.X-1, p.Min.Y-1, p.Max.X+1, p.Min.Y), frameColour)
	c.FillRect(image.Rect(p.Min.X-1, p.Max.Y, p.Max.X+1, p.Max.Y+1), frameColour)
	c.FillRect(image.Rect(p.Min.X-1, p.Min.Y, p.Min.X, p.Max.Y), frameColour)
	c.FillRect(image.Rect(p.Max.X, p.Min.Y, p.Max.X+1, p.Max.Y), frameColour)
	gap := int(math.Round(4 * l.unit))
	for _, t := range ticks(v.XMin, v.XMax) {
		x := int(math.Floor(l.pixel(surfaces.Point{t, v.YMin}).X))
		x = min(max(x, p.Min.X-1), p.Max.X)
		c.FillRect(image.Rect(x, p.Max.Y+1, x+1, p.Max.Y+1+l.tickLength), frameColour)
		label := tickLabel(t)
		drawText(c, l.tickFace, float64(x)+0.5-measure(l.tickFace, label)/2, l.xLabelBaseline, label, mutedColour)
	}
	tm := l.tickFace.Metrics()
	for _, t := range ticks(v.YMin, v.YMax) {
		y := int(math.Floor(l.pixel(surfaces.Point{v.XMin, t}).Y))
		y = min(max(y, p.Min.Y-1), p.Max.Y)
		c.FillRect(image.Rect(p.Min.X-1-l.tickLength, y, p.Min.X-1, y+1), frameColour)
		label := tickLabel(t)
		baseline := y + (tm.Ascent.Ceil()-tm.Descent.Ceil())/2 + 1
		drawText(c, l.tickFace, float64(p.Min.X-1-l.tickLength-gap)-measure(l.tickFace, label), baseline, label, mutedColour)
	}

	for _, m := range s.Minima {
		q, arm := l.pixel(m), 5*l.unit
		c.Line(raster.Point{X: q.X - arm, Y: q.Y - arm}, raster.Point{X: q.X + arm, Y: q.Y + arm}, 2.2*l.unit, minimumColour, l.plot)
		c.Line(raster.Point{X: q.X - arm, Y: q.Y + arm}, raster.Point{X: q.X + arm, Y: q.Y - arm}, 2.2*l.unit, minimumColour, l.plot)
	}

	// The title: the surface's name, and its formula when the font has
	// every character of it, shortened to leave room for the counter.
	title := s.Name
	if s.Formula != "" && l.hasGlyphs(s.Formula) {
		title += "   f(x, y) = " + s.Formula
	}
	room := float64(l.counter.Min.X - l.textMin - int(math.Round(12*l.unit)))
	title = fit(l.titleFace, title, room)
	name, formula, _ := strings.Cut(title, "   ")
	drawText(c, l.titleFace, float64(l.textMin), l.titleBaseline, name, inkColour)
	if formula != "" {
		drawText(c, l.titleFace, float64(l.textMin)+measure(l.titleFace, name+"   "), l.titleBaseline, formula, mutedColour)
	}
}

// drawLegend draws each run's colour, name and how it ended.
func (l *animationLayout) drawLegend(c *raster.Canvas, runs []trajectory) {
	m := l.legendFace.Metrics()
	for i, r := range runs {
		at := l.legend[i]
		y := float64(at.Y) - float64(m.Ascent.Ceil()-m.Descent.Ceil())/2 + 0.5
		x0, x1 := float64(at.X)+l.unit, float64(at.X)+l.swatchWidth()-9*l.unit
		c.Line(raster.Point{X: x0, Y: y}, raster.Point{X: x1, Y: y}, l.pathWidth(), runColours[i], c.Image.Bounds())
		c.Disc(raster.Point{X: x1, Y: y}, l.headRadius()-0.75*l.unit, runColours[i], c.Image.Bounds())
		x := float64(at.X) + l.swatchWidth()
		drawText(c, l.legendFace, x, at.Y, r.name, inkColour)
		drawText(c, l.legendFace, x+measure(l.legendFace, r.name+"  "), at.Y, runOutcome(r), mutedColour)
	}
}

// drawCounter writes the iteration number, right-aligned in its box.
func (l *animationLayout) drawCounter(c *raster.Canvas, k, total int) {
	c.FillRect(l.counter, paperColour)
	text := counterText(k, total)
	drawText(c, l.titleFace, float64(l.counter.Max.X-1)-measure(l.titleFace, text), l.titleBaseline, text, inkColour)
}

func counterText(k, total int) string {
	return fmt.Sprintf("iteration %d of %d", k, total)
}

func legendText(r trajectory) string { return r.name + "  " + runOutcome(r) }

// runOutcome says in a few words how a run ended.
func runOutcome(r trajectory) string {
	steps := len(r.path) - 1
	n := strconv.Itoa(steps) + " steps"
	if steps == 1 {
		n = "1 step"
	}
	switch {
	case len(r.path) == 0:
		return "diverged at the start"
	case r.status == engine.Converged:
		return "converged in " + n
	case r.status == engine.Diverged:
		return "diverged after " + n
	case r.status == engine.Singular:
		return "singular after " + n
	case r.status == engine.Stalled:
		return "stalled after " + n
	}
	return n
}

// hasGlyphs reports whether the Go font has every character of s.
func (l *animationLayout) hasGlyphs(s string) bool {
	for _, r := range s {
		if _, ok := l.titleFace.GlyphAdvance(r); !ok && r != ' ' {
			return false
		}
	}
	return true
}

// fit returns s, shortened with an ellipsis if it is wider than room.
func fit(face font.Face, s string, room float64) string {
	if measure(face, s) <= room {
		return s
	}
	for s != "" {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
		if measure(face, s+"…") <= room {
			return s + "…"
		}
	}
	return ""
}

// measure returns the advance of s in pixels.
func measure(face font.Face, s string) float64 {
	return float64(font.MeasureString(face, s)) / 64
}

// drawText draws s with its baseline's left end at (x, baseline).
func drawText(c *raster.Canvas, face font.Face, x float64, baseline int, s string, col color.RGBA) {
	d := font.Drawer{
		Dst:  c.Image,
		Src:  image.NewUniform(col),
		Face: face,
		Dot:  fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.I(baseline)},
	}
	d.DrawString(s)
}
