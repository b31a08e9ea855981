package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// shownPlot is what the page shows of its plot's view.
type shownPlot struct {
	View    string   `json:"view"`    // data-view: "xmin xmax ymin ymax"
	Box     string   `json:"box"`     // data-box: "left top width height"
	Ticks   []string `json:"ticks"`   // the axes' tick labels
	Contour string   `json:"contour"` // the first contour's path
	Moving  bool     `json:"moving"`  // a preview transform is on
	Search  string   `json:"search"`  // the page's query
	Points  []string `json:"points"`  // the polyline each trajectory's canvas holds, "x,y x,y …"
	Counts  []int    `json:"counts"`  // each trajectory's number of points
	Marker  int      `json:"marker"`  // window.viewTestMarker: gone after a reload
}

const readPlot = `(() => {
	const svg = document.querySelector("#plot");
	const trajectories = [...document.querySelectorAll('[data-testid="trajectory"]')];
	return {
		view: svg.dataset.view,
		box: svg.dataset.box,
		ticks: [...svg.querySelectorAll(".axes .tick")].map((t) => t.textContent),
		contour: svg.querySelector(".contour")?.getAttribute("d") ?? "",
		moving: svg.querySelector(".zoomable").hasAttribute("transform"),
		search: window.location.search,
		points: trajectories.map((_, i) => window.saddlepoint.plot().drawnPath(i).map((p) => p.join(",")).join(" ")),
		counts: trajectories.map((el) => Number(el.dataset.points)),
		marker: window.viewTestMarker ?? 0,
	};
})()`

func showPlot(t *testing.T, ctx context.Context) shownPlot {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[shownPlot](readPlot))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitForView polls until the plot draws a view other than old, with no
// preview left on, and returns it.
func waitForView(t *testing.T, ctx context.Context, old string) shownPlot {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p := showPlot(t, ctx)
		if p.View != old && !p.Moving {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the plot still shows view %q (preview on: %v)", p.View, p.Moving)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// numbers reads space-separated numbers.
func numbers(t *testing.T, s string) []float64 {
	t.Helper()
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		out = append(out, v)
	}
	return out
}

// toScreen returns the client pixel nearest SVG point (x, y) of the plot:
// a whole pixel, as mouse events' coordinates are.
func toScreen(t *testing.T, ctx context.Context, x, y float64) (float64, float64) {
	t.Helper()
	p, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(`(() => {
		const p = new DOMPoint(%g, %g).matrixTransform(document.querySelector("#plot").getScreenCTM());
		return [p.x, p.y];
	})()`, x, y)))
	if err != nil {
		t.Fatal(err)
	}
	return math.Round(p[0]), math.Round(p[1])
}

// dataAt returns the data point at client pixels (px, py) of a plot showing p.
func dataAt(t *testing.T, ctx context.Context, p shownPlot, px, py float64) [2]float64 {
	t.Helper()
	pt, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](fmt.Sprintf(`(() => {
		const p = new DOMPoint(%g, %g).matrixTransform(document.querySelector("#plot").getScreenCTM().inverse());
		return [p.x, p.y];
	})()`, px, py)))
	if err != nil {
		t.Fatal(err)
	}
	v, b := numbers(t, p.View), numbers(t, p.Box)
	return [2]float64{v[0] + (pt[0]-b[0])/b[2]*(v[1]-v[0]), v[3] - (pt[1]-b[1])/b[3]*(v[3]-v[2])}
}

// checkPathsExact checks that each trajectory counts every point of its
// /api/run path and draws each on the canvas, where the view p shows puts
// it (to within 0.05 of a unit), but those it may leave out.
func checkPathsExact(t *testing.T, p shownPlot, want runReply) {
	t.Helper()
	v, b := numbers(t, p.View), numbers(t, p.Box)
	if len(p.Points) != len(want.Runs) {
		t.Fatalf("%d trajectories drawn, want %d", len(p.Points), len(want.Runs))
	}
	for i, w := range want.Runs {
		// The polyline is numbers separated by commas or spaces. It leaves
		// out an iterate within a unit (about a pixel) of the last one drawn,
		// as it would not show, but never the first or the last.
		nums := strings.FieldsFunc(p.Points[i], func(r rune) bool { return r == ',' || r == ' ' })
		if p.Counts[i] != len(w.Path) || len(nums)%2 != 0 {
			t.Errorf("%s drawn with %d points (%d numbers in its polyline), /api/run has %d", w.Name, p.Counts[i], len(nums), len(w.Path))
			continue
		}
		drawn := 0
		var lx, ly float64
		for k, pt := range w.Path {
			wx := b[0] + (pt[0]-v[0])/(v[1]-v[0])*b[2]
			wy := b[1] + (v[3]-pt[1])/(v[3]-v[2])*b[3]
			// The last pair is the last iterate's, however close.
			if last := 2*drawn == len(nums)-2; last == (k == len(w.Path)-1) && 2*drawn < len(nums) {
				x, _ := strconv.ParseFloat(nums[2*drawn], 64)
				y, _ := strconv.ParseFloat(nums[2*drawn+1], 64)
				if math.Abs(x-wx) <= 0.051 && math.Abs(y-wy) <= 0.051 {
					drawn++
					lx, ly = wx, wy
					continue
				}
			}
			if k == 0 || k == len(w.Path)-1 || math.Hypot(wx-lx, wy-ly) >= 1.1 {
				t.Errorf("%s point %d, (%.2f, %.2f) for %v in view %v, is not drawn", w.Name, k, wx, wy, pt, v)
				break
			}
		}
		if 2*drawn != len(nums) {
			t.Errorf("%s: %d of its polyline's %d points are iterates of /api/run", w.Name, drawn, len(nums)/2)
		}
	}
}

// TestBrowserZoomPan zooms the plot with the wheel, pans it with a drag,
// resets it, walks back through the views, and opens a zoomed link: each
// time the server's contours and axes for the new view replace the old,
// the view is in the URL, and the trajectories keep every point of
// /api/run, drawn exactly where the new view puts them, with nothing run
// again. A drag does not move the start; a click afterwards still does.
func TestBrowserZoomPan(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	const query = "surface=rosenbrock&start=-1.5,2&steps=150&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)"
	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.5, 2], "steps": 150,
		"optimizers": [{"name": "momentum", "lr": 0.0005}, {"name": "adam", "lr": 0.05}]}`)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+query), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.viewTestMarker = 1`)); err != nil {
		t.Fatal(err)
	}
	home := showPlot(t, ctx)
	if home.View != "-2 2 -1 3" || strings.Contains(home.Search, "view=") {
		t.Fatalf("rosenbrock opens on view %q, URL %q", home.View, home.Search)
	}
	checkPathsExact(t, home, want)

	// Zoom in with the wheel about a point a third of the way across.
	b := numbers(t, home.Box)
	px, py := toScreen(t, ctx, b[0]+b[2]/3, b[1]+b[3]/3)
	under := dataAt(t, ctx, home, px, py)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, px, py,
		func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 1e-9, -400 } /* deltaX: 0 would be left out of the command */)); err != nil {
		t.Fatal(err)
	}
	zoomed := waitForView(t, ctx, home.View)
	v := numbers(t, zoomed.View)
	if w := v[1] - v[0]; !(w < 4*0.6) {
		t.Errorf("after zooming in the view %v is %g wide, want well under rosenbrock's 4", v, w)
	}
	if got := dataAt(t, ctx, zoomed, px, py); math.Abs(got[0]-under[0]) > 1e-6 || math.Abs(got[1]-under[1]) > 1e-6 {
		t.Errorf("the point under the wheel moved from %v to %v (view %v)", under, got, zoomed.View)
	}
	if q, _ := url.ParseQuery(strings.TrimPrefix(zoomed.Search, "?")); q.Get("view") != strings.ReplaceAll(zoomed.View, " ", ",") {
		t.Errorf("URL view %q, plot view %q", q.Get("view"), zoomed.View)
	}
	if strings.Join(zoomed.Ticks, " ") == strings.Join(home.Ticks, " ") || zoomed.Contour == home.Contour {
		t.Errorf("zooming kept the old axes %v or contours", zoomed.Ticks)
	}
	checkPathsExact(t, zoomed, want)
	screenshot(t, ctx, "view-zoomed")

	// A drag pans: the view moves with the pointer, the start does not.
	px, py = toScreen(t, ctx, b[0]+b[2]/2, b[1]+b[3]/2)
	grabbed := dataAt(t, ctx, zoomed, px, py)
	err := chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, px, py, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, px+30, py+10, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, px+90, py+40, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, px+90, py+40, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	)
	if err != nil {
		t.Fatal(err)
	}
	panned := waitForView(t, ctx, zoomed.View)
	if got := dataAt(t, ctx, panned, px+90, py+40); math.Abs(got[0]-grabbed[0]) > 1e-6 || math.Abs(got[1]-grabbed[1]) > 1e-6 {
		t.Errorf("the point grabbed, %v, is now %v under the pointer", grabbed, got)
	}
	pv := numbers(t, panned.View)
	if math.Abs((pv[1]-pv[0])-(v[1]-v[0])) > 1e-9 {
		t.Errorf("panning changed the view's width from %g to %g", v[1]-v[0], pv[1]-pv[0])
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.querySelector("#start-x").value, document.querySelector("#start-y").value]`))
	if err != nil {
		t.Fatal(err)
	}
	if start != [2]string{"-1.5", "2"} {
		t.Errorf("a drag moved the start to %v", start)
	}
	checkPathsExact(t, panned, want)
	if panned.Marker != 1 {
		t.Error("the page reloaded")
	}

	// Reset view goes back to rosenbrock's own; back and forward walk the
	// views without reloading; 0 resets too.
	if err := chromedp.Do(ctx, chromedp.Click(`#reset-view`)); err != nil {
		t.Fatal(err)
	}
	reset := waitForView(t, ctx, panned.View)
	if reset.View != home.View || strings.Contains(reset.Search, "view=") {
		t.Errorf("reset shows view %q with URL %q, want %q and no view", reset.View, reset.Search, home.View)
	}
	checkPathsExact(t, reset, want)
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	back := waitForView(t, ctx, reset.View)
	if back.View != panned.View {
		t.Errorf("back shows view %q, want the panned %q", back.View, panned.View)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	if back2 := waitForView(t, ctx, back.View); back2.View != zoomed.View {
		t.Errorf("back again shows view %q, want the zoomed %q", back2.View, zoomed.View)
	}
	press(t, ctx, "0")
	if again := waitForView(t, ctx, zoomed.View); again.View != home.View {
		t.Errorf("0 shows view %q, want %q", again.View, home.View)
	}
	if p := showPlot(t, ctx); p.Marker != 1 {
		t.Error("walking through the views reloaded the page")
	}

	// A link with a view opens on it, server-rendered; a click sets the
	// start where the zoomed view puts it.
	const zoomedLink = "surface=rosenbrock&view=0,1.5,0.25,1.75&start=-1.5,2&steps=150&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+zoomedLink), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	opened := showPlot(t, ctx)
	if opened.View != "0 1.5 0.25 1.75" || !strings.Contains(opened.Search, "view=0,1.5,0.25,1.75") {
		t.Errorf("the zoomed link opens on view %q, URL %q", opened.View, opened.Search)
	}
	checkPathsExact(t, opened, want)
	b = numbers(t, opened.Box)
	px, py = toScreen(t, ctx, b[0]+b[2]/2, b[1]+b[3]/2)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(px, py)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	start, err = chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.querySelector("#start-x").value, document.querySelector("#start-y").value]`))
	if err != nil {
		t.Fatal(err)
	}
	if start != [2]string{"0.75", "1"} {
		t.Errorf("a click in the middle of view [0, 1.5] × [0.25, 1.75] set the start to %v, want (0.75, 1)", start)
	}
}

// TestBrowserOverlayToggles toggles each overlay: its layer shows or hides
// at once, with nothing run again, and the URL keeps the choice, which a
// reload restores.
func TestBrowserOverlayToggles(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	const query = "surface=rosenbrock&start=-1.2,1&steps=200&opt=momentum(lr=0.001,average=uniform)&opt=bfgs"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+query), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	for _, tc := range []struct {
		name, layer string // the overlay, and the elements it draws
		on          bool   // by default
	}{
		{"grad", ".gradient-field path", false},
		{"labels", ".contour-labels text", true},
		{"velocity", ".velocities path", false},
		{"probes", ".probes circle", true},
		{"averages", ".average", true},
		{"minima", ".minima .minimum path", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			type layer struct {
				Checked bool   `json:"checked"`
				Count   int    `json:"count"`
				Shown   int    `json:"shown"`
				Search  string `json:"search"`
				Label   string `json:"label"`
			}
			read := func() layer {
				t.Helper()
				l, err := chromedp.Run(ctx, chromedp.Evaluate[layer](fmt.Sprintf(`(() => {
					const box = document.querySelector('#overlays input[value=%q]');
					const els = [...document.querySelectorAll(%q)];
					return {
						checked: box.checked,
						count: els.length,
						shown: els.filter((el) => getComputedStyle(el).visibility === "visible").length,
						search: window.location.search,
						label: box.closest("label").textContent.trim(),
					};
				})()`, tc.name, "#plot-container "+tc.layer)))
				if err != nil {
					t.Fatal(err)
				}
				return l
			}
			before := read()
			if before.Checked != tc.on || before.Count == 0 || (before.Shown == before.Count) != tc.on || before.Shown != 0 && !tc.on {
				t.Fatalf("%s opens checked=%v with %d of %d elements shown, want checked=%v", tc.name, before.Checked, before.Shown, before.Count, tc.on)
			}
			if before.Label == "" {
				t.Errorf("the %s checkbox has no label", tc.name)
			}
			// Toggle by keyboard: focus the box and press space.
			if err := chromedp.Do(ctx, chromedp.Focus(fmt.Sprintf(`#overlays input[value=%q]`, tc.name))); err != nil {
				t.Fatal(err)
			}
			press(t, ctx, " ")
			after := read()
			if after.Checked == tc.on || after.Count != before.Count || (after.Shown == after.Count) == tc.on || after.Shown != 0 && tc.on {
				t.Errorf("toggled %s: checked=%v with %d of %d elements shown", tc.name, after.Checked, after.Shown, after.Count)
			}
			q, _ := url.ParseQuery(strings.TrimPrefix(after.Search, "?"))
			listed := strings.Contains(","+q.Get("overlays")+",", ","+tc.name+",")
			if !q.Has("overlays") || listed == tc.on {
				t.Errorf("toggled %s: URL overlays=%q", tc.name, q.Get("overlays"))
			}
			if runs := waitForRuns(t, ctx, 2); len(runs) != 2 {
				t.Fatal(runs)
			}
			// A reload keeps it; toggling back restores the default URL.
			if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`#plot`)); err != nil {
				t.Fatal(err)
			}
			waitForRuns(t, ctx, 2)
			if reloaded := read(); reloaded.Checked != after.Checked || reloaded.Shown != after.Shown {
				t.Errorf("after a reload %s is checked=%v with %d shown, want %v with %d", tc.name, reloaded.Checked, reloaded.Shown, after.Checked, after.Shown)
			}
			if err := chromedp.Do(ctx, chromedp.Click(fmt.Sprintf(`#overlays input[value=%q]`, tc.name))); err != nil {
				t.Fatal(err)
			}
			if back := read(); back.Checked != tc.on || strings.Contains(back.Search, "overlays=") {
				t.Errorf("toggled %s back: checked=%v, URL %q", tc.name, back.Checked, back.Search)
			}
		})
	}

	// Every overlay on, zoomed in, for a person to look at.
	for _, name := range []string{"grad", "velocity"} {
		if err := chromedp.Do(ctx, chromedp.Click(fmt.Sprintf(`#overlays input[value=%q]`, name))); err != nil {
			t.Fatal(err)
		}
	}
	screenshot(t, ctx, "view-overlays")
	checkVelocityArrows(t, ctx, srv)
	old := showPlot(t, ctx).View
	press(t, ctx, "+")
	waitForView(t, ctx, old)
	screenshot(t, ctx, "view-overlays-zoomed")
	// And in the dark theme, for the lecture hall.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"+showPlot(t, ctx).Search+"&theme=dark"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	screenshot(t, ctx, "view-overlays-dark")
}

// TestBrowserPinch pinches the plot with two fingers on a touch screen:
// spreading them to twice their distance halves the view about the point
// between them, which stays under the fingers, and sets no start.
func TestBrowserPinch(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	touch := func(kind input.DispatchTouchEventType, points ...[2]float64) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			var tps []*input.TouchPoint
			for i, p := range points {
				id := float64(i + 1)
				tps = append(tps, &input.TouchPoint{X: p[0], Y: p[1], ID: &id})
			}
			_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: kind, TouchPoints: tps})
			return chromedp.Void{}, err
		}
	}
	enableTouch := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 2})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx, enableTouch, chromedp.Navigate(srv.URL+"/?surface=himmelblau&start=-4,-4&opt=adam(lr=0.1)"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	home := showPlot(t, ctx)
	b := numbers(t, home.Box)
	cx, cy := toScreen(t, ctx, b[0]+b[2]*0.6, b[1]+b[3]*0.4)
	centre := dataAt(t, ctx, home, cx, cy)
	steps := []chromedp.Action[chromedp.Void]{touch(input.DispatchTouchEventTypeTouchStart, [2]float64{cx - 40, cy}, [2]float64{cx + 40, cy})}
	for _, d := range []float64{50, 60, 70, 80} {
		steps = append(steps, touch(input.DispatchTouchEventTypeTouchMove, [2]float64{cx - d, cy}, [2]float64{cx + d, cy}))
	}
	steps = append(steps, touch(input.DispatchTouchEventTypeTouchEnd))
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	pinched := waitForView(t, ctx, home.View)
	hv, pv := numbers(t, home.View), numbers(t, pinched.View)
	if w, want := pv[1]-pv[0], (hv[1]-hv[0])/2; math.Abs(w-want) > 1e-9*want {
		t.Errorf("spreading two fingers to twice their distance made the view %g wide, want %g", w, want)
	}
	if got := dataAt(t, ctx, pinched, cx, cy); math.Abs(got[0]-centre[0]) > 1e-6 || math.Abs(got[1]-centre[1]) > 1e-6 {
		t.Errorf("the point between the fingers moved from %v to %v", centre, got)
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.querySelector("#start-x").value, document.querySelector("#start-y").value]`))
	if err != nil {
		t.Fatal(err)
	}
	if start != [2]string{"-4", "-4"} {
		t.Errorf("a pinch moved the start to %v", start)
	}
	screenshot(t, ctx, "view-pinched")
}

// TestBrowserZoomTypedFunction zooms a typed function's plot: its view
// boxes follow the view, a run after it sends that view and keeps it, and
// reset goes back to the view it was typed with.
func TestBrowserZoomTypedFunction(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=custom&expr=x%5E2%2B3*y%5E2&view=-3,3,-2,2&start=2,1&steps=40&opt=sgd(lr=0.1)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	home := showPlot(t, ctx)
	press(t, ctx, "+")
	zoomed := waitForView(t, ctx, home.View)
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[string](`["#view-xmin", "#view-xmax", "#view-ymin", "#view-ymax"].map((id) => document.querySelector(id).value).join(" ")`))
	if err != nil {
		t.Fatal(err)
	}
	if boxes != zoomed.View {
		t.Errorf("the view boxes show %q, the plot %q", boxes, zoomed.View)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(`#steps`, "41"), chromedp.Click(`#run`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 1)
	want := apiRuns(t, srv, `{"surface": "custom", "expr": "x^2+3*y^2", "start": [2, 1], "steps": 41, "optimizers": [{"name": "sgd", "lr": 0.1}]}`)
	if runs[0].Points != len(want.Runs[0].Path) {
		t.Errorf("the run after zooming drew %d points, /api/run gives %d", runs[0].Points, len(want.Runs[0].Path))
	}
	after := showPlot(t, ctx)
	if after.View != zoomed.View || !strings.Contains(after.Search, "view="+strings.ReplaceAll(zoomed.View, " ", ",")) {
		t.Errorf("after a run the plot shows %q with URL %q, want the zoomed %q", after.View, after.Search, zoomed.View)
	}
	checkPathsExact(t, after, want)
	if err := chromedp.Do(ctx, chromedp.Click(`#reset-view`)); err != nil {
		t.Fatal(err)
	}
	if reset := waitForView(t, ctx, zoomed.View); reset.View != "-3 3 -2 2" {
		t.Errorf("reset shows %q, want the typed view -3 3 -2 2", reset.View)
	}
}

// checkVelocityArrows checks the momentum run's velocity arrows, drawn on
// the page of TestBrowserOverlayToggles, against /api/run's trace: each
// starts at an iterate k and points along the velocity after step k − 1,
// as long as it at the plot's scale within 6 to 60 units, and there is one
// at the last iterate.
func checkVelocityArrows(t *testing.T, ctx context.Context, srv *httptest.Server) {
	t.Helper()
	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 200, "trace": true,
		"optimizers": [{"name": "momentum", "lr": 0.001, "average": "uniform"}]}`)
	var velocities [][2]float64 // after each step
	for _, raw := range want.Runs[0].Trace {
		var tr struct {
			State struct {
				Velocity [2]float64 `json:"velocity"`
			} `json:"state"`
		}
		if err := json.Unmarshal(raw, &tr); err != nil {
			t.Fatal(err)
		}
		velocities = append(velocities, tr.State.Velocity)
	}
	arrows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#plot-container .run.c0 .velocities path')].map((p) => p.getAttribute("d"))`))
	if err != nil {
		t.Fatal(err)
	}
	p := showPlot(t, ctx)
	v, b := numbers(t, p.View), numbers(t, p.Box)
	scale := b[2] / (v[1] - v[0])
	path := want.Runs[0].Path
	if len(arrows) < 3 {
		t.Fatalf("%d velocity arrows drawn for momentum", len(arrows))
	}
	last := -1
	for _, d := range arrows {
		var x0, y0, x1, y1 float64
		if _, err := fmt.Sscanf(d, "M%g,%gL%g,%g", &x0, &y0, &x1, &y1); err != nil {
			t.Fatalf("arrow %q: %v", d, err)
		}
		k := -1
		for i, pt := range path {
			sx := b[0] + (pt[0]-v[0])*scale
			sy := b[1] + (v[3]-pt[1])*scale
			if math.Abs(sx-x0) <= 0.051 && math.Abs(sy-y0) <= 0.051 && i > 0 {
				k = i
			}
		}
		if k < 1 {
			t.Errorf("arrow %q starts at no iterate", d)
			continue
		}
		last = max(last, k)
		vel := velocities[k-1]
		dx, dy := x1-x0, -(y1 - y0)
		length, norm := math.Hypot(dx, dy), math.Hypot(vel[0], vel[1])
		if cos := (dx*vel[0] + dy*vel[1]) / (length * norm); cos < math.Cos(0.15/length) {
			t.Errorf("arrow at iterate %d points along (%g, %g), the velocity is %v", k, dx, dy, vel)
		}
		if wantLen := min(60, max(6, norm*scale)); math.Abs(length-wantLen) > 0.15 {
			t.Errorf("arrow at iterate %d is %g long, want %g", k, length, wantLen)
		}
	}
	if last != len(path)-1 {
		t.Errorf("the last velocity arrow is at iterate %d, want the last, %d", last, len(path)-1)
	}
}

// canvasPixel is the colour the paths' canvas holds where the plot draws
// run's iterate k (or its last drawn iterate, for k < 0).
type canvasPixel struct {
	RGBA [4]int `json:"rgba"`
	Far  bool   `json:"far"` // the iterate lies 8 units or more from every iterate shown
}

// readCanvasPixel reads the paths' canvas at an iterate of a run, through
// the plot's SVG matrix and the canvas's box on screen (not the canvas's
// own transform), once two frames have passed.
func readCanvasPixel(t *testing.T, ctx context.Context, run, k int) canvasPixel {
	t.Helper()
	px, err := chromedp.Run(ctx, chromedp.Evaluate[canvasPixel](fmt.Sprintf(`(async () => {
		for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
		const plot = window.saddlepoint.plot();
		const drawn = plot.drawnPath(%[1]d);
		const run = window.saddlepoint.state.runs[%[1]d];
		const [x, y] = %[2]d < 0 ? drawn.at(-1) : plot.toSVG(run.path[%[2]d]);
		const client = new DOMPoint(x, y).matrixTransform(document.querySelector("#plot").getScreenCTM());
		const canvas = document.querySelector("#plot-container canvas.paths");
		const box = canvas.getBoundingClientRect();
		const cx = Math.floor((client.x - box.left) * canvas.width / box.width);
		const cy = Math.floor((client.y - box.top) * canvas.height / box.height);
		return {
			rgba: [...canvas.getContext("2d").getImageData(cx, cy, 1, 1).data],
			far: run.path.slice(0, run.drawn).map((p) => plot.toSVG(p)).every(([dx, dy]) => Math.hypot(dx - x, dy - y) >= 8),
		};
	})()`, run, k), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return px
}

// TestBrowserCanvasPixels checks the paths' canvas itself: paused early, a
// run's colour is on the canvas at its last drawn iterate and not yet at
// its last iterate; at the end it is at both; seeking back takes the end
// away again; and the dark theme's colour replaces the light one's.
func TestBrowserCanvasPixels(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	// One run, drawn solid (the first colour has no dashes), so that any
	// pixel on its line is its colour.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?surface=rosenbrock&start=-1.5,2&steps=150&opt=adam(lr=0.05)&theme=light"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 1)
	last := runs[0].Points - 1
	light, dark := [3]int{0x00, 0x72, 0xb2}, [3]int{0x2f, 0x8f, 0xd8}
	is := func(p canvasPixel, c [3]int) bool {
		for i := range 3 {
			if math.Abs(float64(p.RGBA[i]-c[i])) > 8 {
				return false
			}
		}
		return p.RGBA[3] > 200
	}
	seek := func(k int) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`window.saddlepoint.timeline.seek(%d)`, k))); err != nil {
			t.Fatal(err)
		}
	}

	seek(5)
	if p := readCanvasPixel(t, ctx, 0, -1); !is(p, light) {
		t.Errorf("paused at iterate 5, the canvas holds %v at the last drawn iterate, want the run's colour %v", p.RGBA, light)
	}
	end := readCanvasPixel(t, ctx, 0, last)
	if !end.Far {
		t.Fatalf("the run's last iterate lies within 8 units of its first six; the test needs a run that travels")
	}
	if end.RGBA[3] != 0 {
		t.Errorf("paused at iterate 5, the canvas holds %v at the last iterate, %d, not yet reached", end.RGBA, last)
	}
	seek(last)
	if p := readCanvasPixel(t, ctx, 0, last); !is(p, light) {
		t.Errorf("at the end the canvas holds %v at the last iterate, want %v", p.RGBA, light)
	}
	screenshot(t, ctx, "canvas-end")
	seek(5)
	if p := readCanvasPixel(t, ctx, 0, last); p.RGBA[3] != 0 {
		t.Errorf("seeking back to iterate 5 left %v at the last iterate", p.RGBA)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.saddlepoint.theme.set("dark")`)); err != nil {
		t.Fatal(err)
	}
	if p := readCanvasPixel(t, ctx, 0, -1); !is(p, dark) {
		t.Errorf("in the dark theme the canvas holds %v at the last drawn iterate, want %v", p.RGBA, dark)
	}
}

// TestBrowserCanvasIncremental replays four runs, three of them dashed,
// each frame stroking only its new segments, and checks half-way that the
// canvas covers what drawing every path whole covers: the dashes carry on
// across the frames' strokes. (It compares coverage, not colour: where two
// runs cross, the one drawn in the later frame lies on top until the
// timeline stops.)
func TestBrowserCanvasIncremental(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?surface=rosenbrock&start=-1.2,1&steps=400&opt=sgd(lr=0.001)&opt=momentum(lr=0.001)&opt=nesterov(lr=0.001)&opt=adam(lr=0.05)&speed=150"),
		chromedp.WaitVisible(`#plot`),
	); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 4)
	type comparison struct {
		Frames  int  `json:"frames"`  // frames drawn before the comparison
		Playing bool `json:"playing"` // whether the timeline played at the comparison
		Inked   int  `json:"inked"`   // pixels inked by either drawing
		Differ  int  `json:"differ"`  // pixels one drawing covers and the other does not
	}
	c, err := chromedp.Run(ctx, chromedp.Evaluate[comparison](`(async () => {
		const frame = () => new Promise((r) => requestAnimationFrame(r));
		const timeline = window.saddlepoint.timeline;
		timeline.restart();
		let frames = 0;
		// The page draws each frame before this waiting sees it.
		for (; !(timeline.k >= 200 && timeline.playing) && frames < 1000; frames++) await frame();
		const canvas = document.querySelector("#plot-container canvas.paths");
		const read = () => canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
		const played = read();
		const paths = window.saddlepoint.plot().paths;
		paths.redraw();
		paths.flush();
		const whole = read();
		let inked = 0, differ = 0;
		for (let i = 3; i < played.length; i += 4) {
			if (played[i] === 0 && whole[i] === 0) continue;
			inked++;
			if (Math.abs(played[i] - whole[i]) > 96) differ++;
		}
		return {frames, playing: timeline.playing, inked, differ};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Playing || c.Frames < 10 {
		t.Fatalf("compared after %d frames, playing: %v; want a playback of ten frames or more", c.Frames, c.Playing)
	}
	if c.Inked < 1000 || float64(c.Differ) > 0.02*float64(c.Inked) {
		t.Errorf("drawn frame by frame and whole, the canvas differs at %d of the %d pixels inked", c.Differ, c.Inked)
	}
	// Once the timeline stops, the paths are drawn whole: in the runs'
	// order, colour for colour.
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.saddlepoint.timeline.state === "ended"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the playback never ended: %v", err)
	}
	differ, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(async () => {
		await new Promise((r) => requestAnimationFrame(r));
		const canvas = document.querySelector("#plot-container canvas.paths");
		const read = () => canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
		const ended = read();
		const paths = window.saddlepoint.plot().paths;
		paths.redraw();
		paths.flush();
		const whole = read();
		return ended.filter((v, i) => Math.abs(v - whole[i]) > 8).length;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if differ > 0 {
		t.Errorf("once the playback ended the canvas differs from the paths drawn whole at %d channels of its pixels", differ)
	}
	screenshot(t, ctx, "canvas-incremental")
}
