package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// canvasView is what the 3-D view's canvas shows: a checksum of its pixels,
// how many colours it holds, how many pixels differ from its corner (the
// background), and how many are close to each run's colour.
type canvasView struct {
	Sum       int   `json:"sum"`
	Colours   int   `json:"colours"`
	Drawn     int   `json:"drawn"`
	Pixels    int   `json:"pixels"`
	RunPixels []int `json:"runPixels"`
	Paths     int   `json:"paths"`
}

// readCanvas reads back the WebGL canvas's pixels (it keeps its drawing
// buffer) through a 2-D canvas, after two frames so a pending paint is done.
const readCanvas = `(() => {
	const gl = document.querySelector("#view3d .view3d-gl");
	if (!gl) return {sum: 0, colours: 0, drawn: 0, pixels: 0, runPixels: [0, 0], paths: 0};
	const c = document.createElement("canvas");
	[c.width, c.height] = [gl.width, gl.height];
	const ctx = c.getContext("2d", {willReadFrequently: true});
	ctx.drawImage(gl, 0, 0);
	const d = ctx.getImageData(0, 0, c.width, c.height).data;
	const runs = ["c0", "c1"].map((cls) => {
		const probe = document.createElement("span");
		probe.className = cls;
		document.body.append(probe);
		const css = getComputedStyle(probe).getPropertyValue("--c").trim();
		probe.remove();
		const m = css.match(/^#(..)(..)(..)$/);
		return m.slice(1).map((h) => parseInt(h, 16));
	});
	const colours = new Set();
	const runPixels = runs.map(() => 0);
	let sum = 0, drawn = 0;
	for (let i = 0; i < d.length; i += 4) {
		sum = (sum * 31 + d[i] * 7 + d[i + 1] * 11 + d[i + 2] * 13) % 1000000007;
		colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
		if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) drawn++;
		runs.forEach((rgb, k) => {
			if (Math.abs(d[i] - rgb[0]) + Math.abs(d[i + 1] - rgb[1]) + Math.abs(d[i + 2] - rgb[2]) < 24) runPixels[k]++;
		});
	}
	return {sum, colours: colours.size, drawn, pixels: d.length / 4, runPixels, paths: Number(gl.dataset.paths ?? 0)};
})()`

// showCanvas returns what the 3-D view's canvas shows.
func showCanvas(t *testing.T, ctx context.Context) canvasView {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[canvasView](afterFrames(readCanvas), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// waitForPaths waits until the 3-D view has drawn paths for want runs.
func waitForPaths(t *testing.T, ctx context.Context, want int) canvasView {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		v := showCanvas(t, ctx)
		if v.Paths == want {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("the 3-D view drew %d paths, want %d", v.Paths, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkPainted fails unless the canvas shows a picture: most of it drawn
// over, in many colours, with each run's colour clearly present.
func checkPainted(t *testing.T, v canvasView, runs int) {
	t.Helper()
	if v.Pixels == 0 || v.Drawn < v.Pixels/8 || v.Colours < 500 {
		t.Errorf("the 3-D view looks blank: %d of %d pixels differ from the corner, %d colours", v.Drawn, v.Pixels, v.Colours)
	}
	for k := range runs {
		if v.RunPixels[k] < 150 {
			t.Errorf("run %d's path has only %d pixels of its colour in the 3-D view", k, v.RunPixels[k])
		}
	}
}

// screenshotElement saves the element sel as name.png in screenshotDir.
func screenshotElement(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", sel, err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// view3dState is the 3-D view's toggle, camera and visibility.
type view3dState struct {
	Pressed  string  `json:"pressed"`
	Shown    bool    `json:"shown"`
	Plot     bool    `json:"plot"`
	URL      string  `json:"url"`
	Yaw      float64 `json:"yaw"`
	Pitch    float64 `json:"pitch"`
	Distance float64 `json:"distance"`
	K        int     `json:"k"`
}

const readView3d = `(() => {
	const v = window.saddlepoint.view3d();
	return {
		pressed: document.querySelector("#view-toggle").getAttribute("aria-pressed"),
		shown: document.querySelector("#view3d").getBoundingClientRect().width > 0,
		plot: !document.querySelector("#plot-container").hidden && document.querySelector("#plot").getBoundingClientRect().width > 0,
		url: location.search,
		yaw: v?.camera.yaw, pitch: v?.camera.pitch, distance: v?.camera.distance,
		k: window.saddlepoint.timeline.k,
	};
})()`

func showView3d(t *testing.T, ctx context.Context) view3dState {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[view3dState](readView3d))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestBrowser3DView switches Rosenbrock's plot with adam and momentum to the
// 3-D view: the canvas draws the surface with both paths on it, dragging,
// the arrow keys and the wheel turn and zoom it, and it never turns by
// itself.
func TestBrowser3DView(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=rosenbrock&start=-1.2,1&steps=300&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	if v := showView3d(t, ctx); v.Pressed != "false" || v.Shown || !v.Plot {
		t.Fatalf("before the toggle: %+v, want the 2-D plot", v)
	}

	if err := chromedp.Do(ctx, chromedp.Click(`#view-toggle`)); err != nil {
		t.Fatal(err)
	}
	v := showView3d(t, ctx)
	if v.Pressed != "true" || !v.Shown || v.Plot || !strings.Contains(v.URL, "view3d=1") {
		t.Fatalf("after the toggle: %+v, want the 3-D view and view3d=1 in the URL", v)
	}
	shown := waitForPaths(t, ctx, 2)
	checkPainted(t, shown, 2)
	screenshotElement(t, ctx, "#view3d", "3d-rosenbrock")
	screenshot(t, ctx, "3d-rosenbrock-page")

	// Left alone, it stays still: no turning by itself.
	time.Sleep(500 * time.Millisecond)
	if still := showCanvas(t, ctx); still.Sum != shown.Sum {
		t.Error("the 3-D view changed while nobody touched it")
	}

	// A drag turns it.
	box, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ X, Y float64 }](`(() => {
		const c = document.querySelector("#view3d .view3d-gl");
		c.scrollIntoView({block: "center"});
		const r = c.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, box.X, box.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X+60, box.Y+10, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X+120, box.Y+20, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, box.X+120, box.Y+20, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	); err != nil {
		t.Fatal(err)
	}
	dragged := showView3d(t, ctx)
	if dragged.Yaw == v.Yaw || dragged.Pitch == v.Pitch {
		t.Errorf("a drag left the camera at yaw %g pitch %g (was %g, %g)", dragged.Yaw, dragged.Pitch, v.Yaw, v.Pitch)
	}
	turned := showCanvas(t, ctx)
	if turned.Sum == shown.Sum {
		t.Error("a drag left the 3-D view's pixels as they were")
	}
	checkPainted(t, turned, 2)

	// With the view focused, the arrow keys turn it and leave the timeline
	// alone (they step it elsewhere on the page); the wheel zooms.
	if err := chromedp.Do(ctx, chromedp.Focus(`#view3d .view3d-gl`)); err != nil {
		t.Fatal(err)
	}
	press(t, ctx, kb.ArrowLeft)
	keyed := showView3d(t, ctx)
	if keyed.Yaw == dragged.Yaw || keyed.K != dragged.K {
		t.Errorf("← on the focused view: yaw %g → %g, timeline %d → %d; want a turn and the same iterate", dragged.Yaw, keyed.Yaw, dragged.K, keyed.K)
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, box.X, box.Y,
		// DevTools wants both deltas, and a zero one is left out of its JSON.
		func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 1, -300 })); err != nil {
		t.Fatal(err)
	}
	if zoomed := showView3d(t, ctx); !(zoomed.Distance < keyed.Distance) {
		t.Errorf("the wheel left the camera at distance %g (was %g)", zoomed.Distance, keyed.Distance)
	}
	if z := showCanvas(t, ctx); z.Sum == turned.Sum {
		t.Error("the keys and the wheel left the pixels as they were")
	}
}

// TestBrowser3DRoundTrip switches to the 3-D view, reloads the page, which
// keeps it, and switches back with V: the 2-D plot shows every path whole
// and the URL no longer asks for 3-D.
func TestBrowser3DRoundTrip(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=rosenbrock&start=-1.2,1&steps=300&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`)); err != nil {
		t.Fatal(err)
	}
	before := waitForRuns(t, ctx, 2)
	if err := chromedp.Do(ctx, chromedp.Click(`#view-toggle`)); err != nil {
		t.Fatal(err)
	}
	if v := showView3d(t, ctx); !strings.Contains(v.URL, "view3d=1") {
		t.Fatalf("after the toggle the URL is %s, want view3d=1", v.URL)
	}

	// A reload keeps the 3-D view.
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(`#view3d .view3d-gl`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	if v := showView3d(t, ctx); v.Pressed != "true" || !v.Shown || v.Plot {
		t.Fatalf("after a reload: %+v, want the 3-D view", v)
	}
	checkPainted(t, waitForPaths(t, ctx, 2), 2)

	// V, pressed anywhere but in a field, brings the 2-D plot back, with
	// every path as it was.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`)); err != nil {
		t.Fatal(err)
	}
	press(t, ctx, "v")
	back := showView3d(t, ctx)
	if back.Pressed != "false" || back.Shown || !back.Plot || strings.Contains(back.URL, "view3d") {
		t.Fatalf("after V: %+v, want the 2-D plot and no view3d in the URL", back)
	}
	after := waitForRuns(t, ctx, 2)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the 2-D paths after the 3-D view: %+v, want %+v", after, before)
	}
}

// TestBrowser3DSaddle opens a link to the saddle in 3-D: the view shows at
// once, with a path per run.
func TestBrowser3DSaddle(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=saddle&start=-1.5,0.01&steps=80&opt=sgd(lr=0.05)&opt=momentum(lr=0.02)&view3d=1"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#view3d .view3d-gl`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	checkPainted(t, waitForPaths(t, ctx, 2), 2)
	screenshotElement(t, ctx, "#view3d", "3d-saddle")
}

// TestBrowser3DWithoutWebGL hides WebGL 2 from the page: the toggle still
// swaps the views, and the 3-D view says why it cannot draw.
func TestBrowser3DWithoutWebGL(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	noWebGL := chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => {
			const getContext = HTMLCanvasElement.prototype.getContext;
			HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
				return type === "webgl2" ? null : getContext.call(this, type, ...rest);
			};
		})()`})
		return err
	})
	if err := chromedp.Do(ctx, noWebGL, chromedp.Navigate(srv.URL+"/?surface=bowl&opt=sgd"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	if err := chromedp.Do(ctx, chromedp.Click(`#view-toggle`)); err != nil {
		t.Fatal(err)
	}
	// The 3-D view's code loads on the first switch; give it a moment.
	var note string
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(note, "WebGL") && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if note, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#view3d .view3d-note")?.textContent ?? ""`)); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(note, "WebGL") {
		t.Errorf("without WebGL the 3-D view says %q, want a word on WebGL", note)
	}
	if v := showView3d(t, ctx); v.Pressed != "true" || !v.Shown || v.Plot {
		t.Errorf("without WebGL, after the toggle: %+v, want the 3-D view's place with its message", v)
	}
}

// TestBrowserExportFrom3D: an SVG exported while the 3-D view hides the
// plot, on a page opened in it, holds each path and average whole, as
// exported from the plot once it is shown.
func TestBrowserExportFrom3D(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=rosenbrock&steps=300&opt=adam(lr=0.05,average=uniform)&opt=momentum(lr=0.001)&view3d=1"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#view3d`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	const lines = `[...new DOMParser().parseFromString(window.saddlepoint.exporter.svg(), "image/svg+xml").querySelectorAll("polyline")]
		.map((p) => p.getAttribute("points"))`
	in3D, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](lines))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#view-toggle`), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	in2D, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](lines))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in3D, in2D) {
		t.Fatalf("polylines exported in 3-D differ from those in 2-D:\n%.200q\n%.200q", in3D, in2D)
	}
	// Two paths and adam's average (momentum has none: its polyline is empty).
	drawn := slices.DeleteFunc(in2D, func(p string) bool { return len(strings.Fields(p)) < 2 })
	if len(drawn) != 3 {
		t.Errorf("%d polylines with points, want 3", len(drawn))
	}
}
