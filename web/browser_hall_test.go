package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"saddlepoint/scenarios"
)

// The lecture hall and reach: the light and dark themes, presenter mode,
// the page in a frame, dash patterns that tell runs apart without colour,
// a keyboard walk through every control, and the layout from a tablet to
// a 4K projector.

// viewport sets the size of the page's window in CSS pixels.
func viewport(t *testing.T, ctx context.Context, w, h int64) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatal(err)
	}
}

// prefersColourScheme makes the page see the system's preference as scheme
// ("light" or "dark").
func prefersColourScheme(scheme string) chromedp.Action[chromedp.Void] {
	return prefersMedia("prefers-color-scheme", scheme)
}

// prefersMedia makes the page see the media feature name (such as
// "prefers-reduced-motion") as value.
func prefersMedia(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: name, Value: value}},
		})
		return err
	})
}

// evaluate runs js in the page after two animation frames and decodes its
// value, so that what the script reads has been drawn.
func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](afterFrames(js), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// open loads a page of srv and waits until its want runs have drawn.
func open(t *testing.T, ctx context.Context, srv *httptest.Server, path string, want int) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, want)
}

// themeView is what the theme changes: the page's attribute and URL, the
// toggle, the stored choice, and computed colours of the page, the plot and
// the loss chart's axes.
type themeView struct {
	Theme   string `json:"theme"`
	Pressed string `json:"pressed"`
	Search  string `json:"search"`
	Stored  string `json:"stored"`
	Body    string `json:"body"`
	Ink     string `json:"ink"`
	PlotBg  string `json:"plotBg"`
	Contour string `json:"contour"`
	Axis    string `json:"axis"`
}

const readTheme = `({
	theme: document.documentElement.dataset.theme ?? "",
	pressed: document.querySelector("#theme-toggle").getAttribute("aria-pressed"),
	search: location.search,
	stored: localStorage.getItem("saddlepoint-theme") ?? "",
	body: getComputedStyle(document.body).backgroundColor,
	ink: getComputedStyle(document.body).color,
	plotBg: getComputedStyle(document.querySelector(".plot-area")).fill,
	contour: getComputedStyle(document.querySelector(".contour.s0")).stroke,
	axis: (() => { const u = window.saddlepoint.chart.uplot; return u.axes[1].stroke(u, 1); })(),
})`

// TestBrowserTheme switches between the light and the dark theme: the
// page's computed colours, the plot's and the loss chart's change; the
// choice is kept in the URL (through a run) and in storage; a link with
// theme= opens in that theme, from the server's HTML on; without a choice
// the page follows the system's preference.
func TestBrowserTheme(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	if err := chromedp.Do(ctx, prefersColourScheme("light")); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, srv, "/?surface=bowl&opt=sgd&opt=momentum", 2)
	light := evaluate[themeView](t, ctx, readTheme)
	if light.Theme != "light" || light.Pressed != "false" || strings.Contains(light.Search, "theme=") {
		t.Fatalf("a first visit with a light system shows %+v, want the light theme and no theme in the URL", light)
	}
	screenshot(t, ctx, "theme-light")

	if err := chromedp.Do(ctx, chromedp.Click(`#theme-toggle`)); err != nil {
		t.Fatal(err)
	}
	dark := evaluate[themeView](t, ctx, readTheme)
	if dark.Theme != "dark" || dark.Pressed != "true" || !strings.Contains(dark.Search, "theme=dark") || dark.Stored != "dark" {
		t.Fatalf("after the toggle: %+v, want dark, pressed, in the URL and stored", dark)
	}
	for _, c := range []struct{ what, light, dark string }{
		{"page background", light.Body, dark.Body},
		{"text", light.Ink, dark.Ink},
		{"plot background", light.PlotBg, dark.PlotBg},
		{"lowest contour", light.Contour, dark.Contour},
		{"chart axis", light.Axis, dark.Axis},
	} {
		if c.light == c.dark {
			t.Errorf("the %s is %s in both themes", c.what, c.light)
		}
	}
	if lum(t, dark.Body) > 0.1 || lum(t, dark.Ink) < 0.75 {
		t.Errorf("the dark theme draws %s text on %s", dark.Ink, dark.Body)
	}
	if lum(t, light.Body) < 0.85 || lum(t, light.Ink) > 0.2 {
		t.Errorf("the light theme draws %s text on %s", light.Ink, light.Body)
	}
	// A run rewrites the URL; the theme stays in it.
	if err := chromedp.Do(ctx, chromedp.SetValue(`#param-sgd-lr`, "0.05"), chromedp.Click(`#run`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	link := evaluate[string](t, ctx, `location.pathname + location.search`)
	if !strings.Contains(link, "theme=dark") || !strings.Contains(link, "opt=sgd(lr=0.05)") {
		t.Fatalf("after a run the URL is %s, want the run and theme=dark", link)
	}
	screenshot(t, ctx, "dark")
	// The list of shortcuts, a dialog, in the dark theme; it lists P.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`), chromedp.KeyEvent("?"), chromedp.WaitVisible(`#shortcuts`)); err != nil {
		t.Fatal(err)
	}
	if text := evaluate[string](t, ctx, `document.querySelector("#shortcuts dl").textContent`); !strings.Contains(text, "presenter mode") {
		t.Errorf("the shortcut list %q lacks presenter mode", text)
	}
	screenshot(t, ctx, "dark-shortcuts")
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(`#shortcuts`)); err != nil {
		t.Fatal(err)
	}

	// The link opens dark before any script runs: the server renders it.
	resp, err := http.Get(srv.URL + link)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(html), `<html lang="en" data-theme="dark"`) {
		t.Errorf("the server's page for %s does not start dark: %.200s", link, html)
	}

	// A link's theme wins over the stored choice, and is not stored.
	open(t, ctx, srv, "/?surface=bowl&opt=sgd&theme=light", 1)
	if v := evaluate[themeView](t, ctx, readTheme); v.Theme != "light" || v.Body != light.Body || v.Stored != "dark" {
		t.Errorf("theme=light with dark stored shows %+v, want light (and dark still stored)", v)
	}
	// Without a theme in the link, the stored choice.
	open(t, ctx, srv, "/?surface=bowl&opt=sgd", 1)
	if v := evaluate[themeView](t, ctx, readTheme); v.Theme != "dark" || v.Body != dark.Body {
		t.Errorf("with dark stored the page shows %+v, want dark", v)
	}
	// With no choice, the system's preference, followed as it changes.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`), prefersColourScheme("dark")); err != nil {
		t.Fatal(err)
	}
	open(t, ctx, srv, "/?surface=bowl&opt=sgd", 1)
	if v := evaluate[themeView](t, ctx, readTheme); v.Theme != "dark" || v.Pressed != "true" {
		t.Errorf("with a dark system the page shows %+v, want dark", v)
	}
	if err := chromedp.Do(ctx, prefersColourScheme("light")); err != nil {
		t.Fatal(err)
	}
	if v := evaluate[themeView](t, ctx, readTheme); v.Theme != "light" || v.Body != light.Body || v.Axis != light.Axis {
		t.Errorf("after the system turned light the page shows %+v", v)
	}
}

// lum is the lightness (0 black to 1 white) of a CSS rgb() colour: its
// channels weighted as in relative luminance, without the gamma.
func lum(t *testing.T, css string) float64 {
	t.Helper()
	var r, g, b float64
	if _, err := fmt.Sscanf(strings.ReplaceAll(css, ",", ""), "rgb(%g %g %g)", &r, &g, &b); err != nil {
		t.Fatalf("reading colour %q: %v", css, err)
	}
	return (0.2126*r + 0.7152*g + 0.0722*b) / 255
}

// presenterView is what presenter mode changes.
type presenterView struct {
	On           bool    `json:"on"`
	Pressed      string  `json:"pressed"`
	Search       string  `json:"search"`
	Controls     bool    `json:"controls"`
	Line         float64 `json:"line"`
	Contour      float64 `json:"contour"`
	Font         float64 `json:"font"`
	Plot         rect    `json:"plot"`
	Playback     rect    `json:"playback"`
	Legend       rect    `json:"legend"`
	ChartLine    float64 `json:"chartLine"`
	InnerWidth   float64 `json:"innerWidth"`
	InnerHeight  float64 `json:"innerHeight"`
	ScrollWidth  float64 `json:"scrollWidth"`
	FullScreened bool    `json:"fullScreened"`
}

type rect struct {
	Left   float64 `json:"left"`
	Top    float64 `json:"top"`
	Right  float64 `json:"right"`
	Bottom float64 `json:"bottom"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

const readPresenter = `(() => {
	const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
	const u = window.saddlepoint.chart.uplot;
	return {
		on: document.documentElement.hasAttribute("data-presenter"),
		pressed: document.querySelector("#presenter-toggle").getAttribute("aria-pressed"),
		search: location.search,
		controls: document.querySelector("#controls").getClientRects().length > 0,
		line: parseFloat(getComputedStyle(document.querySelector('[data-testid="trajectory"]')).strokeWidth),
		contour: parseFloat(getComputedStyle(document.querySelector(".contour")).strokeWidth),
		font: parseFloat(getComputedStyle(document.querySelector("#legend")).fontSize),
		plot: box("#plot"),
		playback: box("#playback"),
		legend: box("#legend"),
		chartLine: u.series[1].width,
		innerWidth: innerWidth,
		innerHeight: innerHeight,
		scrollWidth: document.documentElement.scrollWidth,
		fullScreened: document.fullscreenElement === document.documentElement,
	};
})()`

// TestBrowserPresenter switches presenter mode on a 1920 × 1080 projector,
// by the header's button and by P: the control panel goes, the plot fills
// the screen's height with the playback bar under it and the legend beside
// it, and type, paths, contours and the chart's lines grow. Full screen (F)
// keeps it; a 4K projector scales it up again.
func TestBrowserPresenter(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	viewport(t, ctx, 1920, 1080)
	open(t, ctx, srv, "/?surface=rosenbrock&steps=400&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)", 2)
	normal := evaluate[presenterView](t, ctx, readPresenter)
	if normal.On || normal.Pressed != "false" || !normal.Controls {
		t.Fatalf("the page opens as %+v, want presenter mode off and the controls shown", normal)
	}

	check := func(how string) presenterView {
		t.Helper()
		v := evaluate[presenterView](t, ctx, readPresenter)
		if !v.On || v.Pressed != "true" || !strings.Contains(v.Search, "presenter=1") {
			t.Fatalf("after %s: %+v, want presenter mode on, pressed and in the URL", how, v)
		}
		if v.Controls {
			t.Errorf("after %s the control panel is still shown", how)
		}
		if v.Line < 1.8*normal.Line || v.Contour <= normal.Contour || v.Font < 1.2*normal.Font || v.ChartLine <= normal.ChartLine {
			t.Errorf("after %s paths, contours, type and chart lines are %g, %g, %g, %g px; without it %g, %g, %g, %g",
				how, v.Line, v.Contour, v.Font, v.ChartLine, normal.Line, normal.Contour, normal.Font, normal.ChartLine)
		}
		if v.Plot.Height < 0.75*v.InnerHeight {
			t.Errorf("after %s the plot is %g px tall on a screen of %g", how, v.Plot.Height, v.InnerHeight)
		}
		if v.Playback.Top < v.Plot.Bottom-1 || v.Playback.Bottom > v.InnerHeight {
			t.Errorf("after %s the playback bar %+v is not under the plot %+v on the screen", how, v.Playback, v.Plot)
		}
		if v.Legend.Left < v.Plot.Right || v.Legend.Bottom > v.InnerHeight {
			t.Errorf("after %s the legend %+v is not beside the plot %+v on the screen", how, v.Legend, v.Plot)
		}
		if v.ScrollWidth > v.InnerWidth {
			t.Errorf("after %s the page is %g px wide on a screen of %g", how, v.ScrollWidth, v.InnerWidth)
		}
		return v
	}

	if err := chromedp.Do(ctx, chromedp.Click(`#presenter-toggle`)); err != nil {
		t.Fatal(err)
	}
	check("the button")
	screenshot(t, ctx, "presenter")
	if err := chromedp.Do(ctx, chromedp.Click(`#theme-toggle`)); err != nil {
		t.Fatal(err)
	}
	check("the dark theme")
	screenshot(t, ctx, "presenter-dark")
	if err := chromedp.Do(ctx, chromedp.Click(`#theme-toggle`)); err != nil {
		t.Fatal(err)
	}

	// P from the page, not from a field, switches it off and on again.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`)); err != nil {
		t.Fatal(err)
	}
	press(t, ctx, "p")
	off := evaluate[presenterView](t, ctx, readPresenter)
	if off.On || !off.Controls || off.Line != normal.Line || strings.Contains(off.Search, "presenter") {
		t.Errorf("after P: %+v, want presenter mode off as at first", off)
	}
	press(t, ctx, "p")
	check("P")

	// Full screen keeps presenter mode and its layout.
	press(t, ctx, "f")
	if v := check("F"); !v.FullScreened {
		t.Errorf("F did not put the page in full screen")
	}
	press(t, ctx, "f")

	// A link with presenter=1 opens in presenter mode, which a run keeps.
	link := evaluate[string](t, ctx, `location.pathname + location.search`)
	open(t, ctx, srv, link, 2)
	check("opening " + link)

	// A 4K projector: twice the type and line widths of a 1080p one.
	at1080 := evaluate[presenterView](t, ctx, readPresenter)
	viewport(t, ctx, 3840, 2160)
	at4K := check("a 4K screen")
	if at4K.Font < 1.8*at1080.Font || at4K.Line < 1.8*at1080.Line {
		t.Errorf("at 4K type and paths are %g and %g px, at 1080p %g and %g: want about twice", at4K.Font, at4K.Line, at1080.Font, at1080.Line)
	}
	screenshot(t, ctx, "presenter-4k")

	// A lecture from the keyboard: 1 opens the first scenario, still in
	// presenter mode, and the scenario menu names it.
	first := scenarios.All()[0]
	press(t, ctx, "1")
	var loc string
	for deadline := time.Now().Add(10 * time.Second); !strings.HasPrefix(loc, first.URL+"&"); time.Sleep(100 * time.Millisecond) {
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
		if time.Now().After(deadline) {
			t.Fatalf("key 1 did not open the first scenario %s in presenter mode: at %s", first.URL, loc)
		}
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	shown := evaluate[struct {
		On       bool   `json:"on"`
		Scenario string `json:"scenario"`
	}](t, ctx, `({on: document.documentElement.hasAttribute("data-presenter"), scenario: document.querySelector("#scenario").value})`)
	if !shown.On || shown.Scenario != first.URL {
		t.Errorf("at %s presenter mode is %v and the menu shows %q, want on and %q", loc, shown.On, shown.Scenario, first.URL)
	}
}

// TestBrowserEmbed opens the page as a frame would show it (embed=1): no
// masthead, no control panel, only the plot with every run drawn in full,
// the playback bar, a key to the runs and a link that opens the full page
// in the same state.
func TestBrowserEmbed(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	viewport(t, ctx, 960, 600)
	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 400,
		"optimizers": [{"name": "momentum", "lr": 0.0005}, {"name": "adam", "lr": 0.05}]}`)
	link := "/?surface=rosenbrock&start=-1.2,1&steps=400&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)"
	open(t, ctx, srv, link+"&embed=1", 2)
	runs := waitForRuns(t, ctx, 2)
	for i, r := range runs {
		if r.Points != len(want.Runs[i].Path) {
			t.Errorf("%s is drawn with %d points, /api/run has %d", r.Optimizer, r.Points, len(want.Runs[i].Path))
		}
	}
	type embedView struct {
		Shown       map[string]bool `json:"shown"`
		Href        string          `json:"href"`
		Target      string          `json:"target"`
		PlotBottom  float64         `json:"plotBottom"`
		InnerHeight float64         `json:"innerHeight"`
		Scroll      float64         `json:"scroll"`
	}
	v := evaluate[embedView](t, ctx, `(() => {
		const shown = {};
		for (const sel of [".masthead", "#controls", "#exports", "#loss-panel", "#inspector", "#plot", "#playback", "#legend", "#open-full"]) {
			shown[sel] = document.querySelector(sel).getClientRects().length > 0;
		}
		const a = document.querySelector("#open-full");
		return {shown, href: a.href, target: a.target, plotBottom: document.querySelector("#plot").getBoundingClientRect().bottom,
			innerHeight: innerHeight, scroll: document.documentElement.scrollHeight - innerHeight};
	})()`)
	for sel, shown := range v.Shown {
		wantShown := strings.Contains("#plot #playback #legend #open-full", sel)
		if shown != wantShown {
			t.Errorf("embedded, %s shown: %v, want %v", sel, shown, wantShown)
		}
	}
	full, err := url.Parse(v.Href)
	if err != nil {
		t.Fatal(err)
	}
	if full.Query().Has("embed") || full.Query().Get("surface") != "rosenbrock" || len(full.Query()["opt"]) != 2 || v.Target != "_blank" {
		t.Errorf("the open link goes to %s (target %q), want the full page of the same state in a new tab", v.Href, v.Target)
	}
	if v.Scroll > 0 || v.PlotBottom > v.InnerHeight {
		t.Errorf("the embedded page scrolls by %g px; the plot ends at %g of %g", v.Scroll, v.PlotBottom, v.InnerHeight)
	}
	screenshot(t, ctx, "embed")
}

// TestBrowserEmbedFramed frames the page from a course site, another
// origin, that the server is configured to allow (-frame-ancestors), and
// checks that the page inside the frame draws its runs.
func TestBrowserEmbedFramed(t *testing.T) {
	ctx := browser(t)
	link := "/?surface=bowl&opt=sgd&opt=adam(lr=0.1)"
	// A course site (another origin) that the server lets frame it.
	var framed string
	course := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><title>Lecture 8</title><h1>Lecture 8</h1>
			<iframe src="%s%s&embed=1" width="900" height="560" allow="fullscreen"></iframe>`, framed, link)
	}))
	defer course.Close()
	framed = newTestServerFor(t, NewServer(Config{
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		FrameAncestors: []string{course.URL},
	})).URL
	if err := chromedp.Do(ctx, chromedp.Navigate(course.URL), chromedp.WaitVisible(`iframe`)); err != nil {
		t.Fatal(err)
	}
	// The frame's document is read afresh until it has loaded and drawn
	// both runs to their end.
	deadline := time.Now().Add(30 * time.Second)
	for {
		frames, err := chromedp.Run(ctx, chromedp.Nodes(`iframe`, chromedp.Populate(-1, true)))
		if err != nil || len(frames) != 1 {
			t.Fatalf("the course page's frame: %v %v", frames, err)
		}
		try, cancel := context.WithTimeout(ctx, 2*time.Second)
		ended, err := chromedp.Run(try, chromedp.Nodes(`#legend .status:not([data-status="running"])`, chromedp.FromNode(frames[0]), chromedp.AtLeast(2)))
		cancel()
		if err == nil && len(ended) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the framed page did not draw its runs to their end: %v", err)
		}
	}
	screenshot(t, ctx, "embed-framed")
}

// TestBrowserDashes ticks eight optimizers, one for each run colour, and
// checks that each run's path has its own dash pattern (solid for the
// first), that its legend swatch and its loss-chart series show the same
// pattern, and that the swatches beside the optimizers do too.
func TestBrowserDashes(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	names := []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "rmsprop-nesterov", "adam", "adamw"}
	open(t, ctx, srv, "/?surface=bowl&steps=60&opt="+strings.Join(names, "&opt="), len(names))
	type dashes struct {
		Plot     []string    `json:"plot"`
		Legend   []string    `json:"legend"`
		Controls []string    `json:"controls"`
		Chart    [][]float64 `json:"chart"`
	}
	d := evaluate[dashes](t, ctx, `({
		plot: [...document.querySelectorAll('[data-testid="trajectory"]')].map((el) => getComputedStyle(el).strokeDasharray),
		legend: [...document.querySelectorAll("#legend tbody .swatch line")].map((el) => getComputedStyle(el).strokeDasharray),
		controls: [...document.querySelectorAll('.optimizer:has(input[name="optimizer"]:checked) .swatch line')].map((el) => getComputedStyle(el).strokeDasharray),
		chart: window.saddlepoint.chart.uplot.series.slice(1).map((s) => s.dash ?? []),
	})`)
	if len(d.Plot) != 8 || len(d.Legend) != 8 || len(d.Controls) != 8 || len(d.Chart) != 8 {
		t.Fatalf("dash patterns of %d paths, %d legend swatches, %d control swatches, %d chart series; want 8 each", len(d.Plot), len(d.Legend), len(d.Controls), len(d.Chart))
	}
	if d.Plot[0] != "none" || len(d.Chart[0]) != 0 {
		t.Errorf("the first run is dashed %q on the plot, %v on the chart; want solid", d.Plot[0], d.Chart[0])
	}
	seen := map[string]string{}
	for i, p := range d.Plot {
		if other, ok := seen[p]; ok {
			t.Errorf("%s and %s share the dash pattern %q", other, names[i], p)
		}
		seen[p] = names[i]
		if d.Legend[i] != p || d.Controls[i] != p {
			t.Errorf("%s is dashed %q on the plot, %q in the legend, %q beside its checkbox", names[i], p, d.Legend[i], d.Controls[i])
		}
		if i > 0 && len(d.Chart[i]) < 2 {
			t.Errorf("%s is dashed %q on the plot but %v on the chart", names[i], p, d.Chart[i])
		}
	}
	// The chart's pattern is the plot's, in the chart's line widths: the
	// same proportions.
	for i := 1; i < len(d.Chart); i++ {
		var plot []float64
		for _, f := range strings.FieldsFunc(d.Plot[i], func(r rune) bool { return r == ',' || r == ' ' }) {
			var v float64
			fmt.Sscanf(strings.TrimSuffix(f, "px"), "%g", &v)
			plot = append(plot, v)
		}
		if len(plot) != len(d.Chart[i]) {
			t.Errorf("%s: plot dashes %v, chart dashes %v", names[i], plot, d.Chart[i])
			continue
		}
		ratio := d.Chart[i][0] / plot[0]
		if plot[0] == 0 {
			ratio = d.Chart[i][1] / plot[1]
		}
		for j := range plot {
			if diff := d.Chart[i][j] - ratio*plot[j]; diff > 0.01 || diff < -0.01 {
				t.Errorf("%s: chart dashes %v are not plot dashes %v scaled", names[i], d.Chart[i], plot)
				break
			}
		}
	}
	screenshot(t, ctx, "dashes")
}

// focusStop is one element Tab reached.
type focusStop struct {
	Desc    string  `json:"desc"`
	Visible bool    `json:"visible"`
	Ring    bool    `json:"ring"`
	Outline string  `json:"outline"`
	Width   float64 `json:"width"`
	Body    bool    `json:"body"`
	Name    string  `json:"-"`
}

const readFocus = `(() => {
	const el = document.activeElement;
	if (!el || el === document.body) return {body: true};
	const s = getComputedStyle(el);
	const r = el.getBoundingClientRect();
	const colour = s.outlineColor;
	return {
		desc: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "") + (el.value && el.type === "checkbox" ? "[" + el.value + "]" : ""),
		visible: r.width > 0 && r.height > 0 && el.matches(":focus-visible"),
		ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && !/rgba\(.*, 0\)$|transparent/.test(colour),
		outline: s.outlineStyle + " " + s.outlineWidth + " " + colour,
		width: parseFloat(s.outlineWidth),
	};
})()`

// focusWalk presses Tab until the focus leaves the page or comes round
// again, and returns every stop with its accessible name from Chromium's
// accessibility tree.
func focusWalk(t *testing.T, ctx context.Context) []focusStop {
	t.Helper()
	// A click on the masthead's corner, outside any control, starts the
	// walk at the top of the page.
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`),
		chromedp.MouseClickXY(2, 2),
	); err != nil {
		t.Fatal(err)
	}
	var stops []focusStop
	seen := map[string]bool{}
	for i := 0; i < 400; i++ {
		press(t, ctx, kb.Tab)
		stop, err := chromedp.Run(ctx, chromedp.Evaluate[focusStop](readFocus))
		if err != nil {
			t.Fatal(err)
		}
		if stop.Body {
			break
		}
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.JSPath(`document.activeElement`)))
		if err != nil || len(nodes) != 1 {
			t.Fatalf("the focused node: %v %v", nodes, err)
		}
		fetch := false
		ax, err := chromedp.Run(ctx, chromedp.Action[*accessibility.GetPartialAXTreeResult](func(ctx context.Context, target *chromedp.Target) (*accessibility.GetPartialAXTreeResult, error) {
			res, err := cdp.Call(ctx, target, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{BackendNodeID: nodes[0].BackendNodeID, FetchRelatives: &fetch})
			return &res, err
		}))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ax.Nodes {
			if n.BackendDOMNodeID == nodes[0].BackendNodeID && n.Name != nil {
				json.Unmarshal(n.Name.Value, &stop.Name)
			}
		}
		key := fmt.Sprintf("%s %d", stop.Desc, nodes[0].BackendNodeID)
		if seen[key] {
			break
		}
		seen[key] = true
		stops = append(stops, stop)
	}
	return stops
}

// TestBrowserFocusWalk walks the page with Tab, in the light and the dark
// theme and in presenter mode: every stop must be visible, ringed by an
// outline of at least 2 px and named for a screen reader, in the order of
// the page (the header, the controls, the playback bar, the exports, the
// legend). Every input, select and button of the page, shown or not, must
// have a label.
func TestBrowserFocusWalk(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	open(t, ctx, srv, "/?surface=bowl&opt=sgd&opt=momentum", 2)

	unlabelled := evaluate[[]string](t, ctx, `[...document.querySelectorAll("input, select, textarea, button")].filter((el) => {
		if (el.labels?.length && [...el.labels].some((l) => l.textContent.trim())) return false;
		if (el.getAttribute("aria-label")?.trim() || el.getAttribute("title")?.trim()) return false;
		const by = el.getAttribute("aria-labelledby");
		if (by && by.split(" ").every((id) => document.getElementById(id)?.textContent.trim())) return false;
		return !(el.tagName === "BUTTON" && el.textContent.trim());
	}).map((el) => el.outerHTML.slice(0, 120))`)
	for _, el := range unlabelled {
		t.Errorf("no label: %s", el)
	}

	order := []string{"select#scenario", "button#theme-toggle", "button#presenter-toggle", "select#surface", `input[sgd]`, "button#run", "button#play", "button#export-png", "input#chart-log", "button.pick-run"}
	for _, mode := range []struct{ name, setup string }{
		{"light", ``},
		{"dark", `document.querySelector("#theme-toggle").click()`},
		{"presenter", `document.querySelector("#presenter-toggle").click()`},
	} {
		if mode.setup != "" {
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](mode.setup)); err != nil {
				t.Fatal(err)
			}
		}
		stops := focusWalk(t, ctx)
		// The header, the playback bar and the legend at least; with the
		// control panel and the exports, many more.
		if least := map[bool]int{true: 12, false: 40}[mode.name == "presenter"]; len(stops) < least {
			t.Errorf("%s: Tab reached only %d controls", mode.name, len(stops))
		}
		var descs []string
		defer func() { t.Logf("%s: Tab walks %d stops: %s", mode.name, len(descs), strings.Join(descs, " ")) }()
		for _, s := range stops {
			descs = append(descs, s.Desc)
			if !s.Visible || !s.Ring {
				t.Errorf("%s: %s has focus without a visible ring (%s)", mode.name, s.Desc, s.Outline)
			}
			if strings.TrimSpace(s.Name) == "" {
				t.Errorf("%s: %s has no accessible name", mode.name, s.Desc)
			}
		}
		at := -1
		for _, want := range order {
			if mode.name == "presenter" && (want == "select#surface" || want == `input[sgd]` || want == "button#run" || want == "button#export-png") {
				continue // the control panel and the exports are hidden
			}
			i := indexWith(descs, want, at+1)
			if i < 0 {
				t.Errorf("%s: Tab does not reach %s after %s: %s", mode.name, want, descs[max(at, 0)], strings.Join(descs, " "))
				continue
			}
			at = i
		}
		if mode.name == "presenter" && indexWith(descs, "select#surface", 0) >= 0 {
			t.Errorf("presenter: Tab reaches the hidden control panel")
		}
		// Rings to look at: the header's toggle and the play button.
		for _, id := range []string{"theme-toggle", "play"} {
			tabTo(t, ctx, id)
			screenshot(t, ctx, "focus-"+mode.name+"-"+id)
		}
	}
}

// tabTo presses Tab from the top of the page until the element with the
// id has the focus.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(2, 2)); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		press(t, ctx, kb.Tab)
		if evaluate[string](t, ctx, `document.activeElement.id`) == id {
			return
		}
	}
	t.Fatalf("Tab never reached #%s", id)
}

// indexWith finds the first of descs from start that matches want: a tag
// with an #id or .class, or input[value] for a checkbox.
func indexWith(descs []string, want string, start int) int {
	for i := start; i < len(descs); i++ {
		d := descs[i]
		if strings.HasPrefix(want, "input[") && strings.HasSuffix(d, strings.TrimPrefix(want, "input")) {
			return i
		}
		if d == want || strings.HasPrefix(d, want+".") || strings.HasPrefix(d, want+"[") {
			return i
		}
	}
	return -1
}

// TestBrowserTablet lays the page out on a tablet: upright (768 × 1024) the
// controls stand above the plot, in two columns, and nothing is wider than
// the screen; lying (1024 × 768) the controls stand beside it. On a phone
// (390 × 844) they stand above it in one column.
func TestBrowserTablet(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	type layout struct {
		Controls    rect    `json:"controls"`
		Stage       rect    `json:"stage"`
		Plot        rect    `json:"plot"`
		Playback    rect    `json:"playback"`
		Surface     rect    `json:"surface"`
		Optimizers  rect    `json:"optimizers"`
		InnerWidth  float64 `json:"innerWidth"`
		ScrollWidth float64 `json:"scrollWidth"`
	}
	const readLayout = `(() => {
		const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect(); return {left: r.left, top: r.top + scrollY, right: r.right, bottom: r.bottom + scrollY, width: r.width, height: r.height}; };
		return {controls: box("#controls"), stage: box(".stage"), plot: box("#plot"), playback: box("#playback"),
			surface: box("#controls > .group"), optimizers: box("#controls > .optimizers"),
			innerWidth: innerWidth, scrollWidth: document.documentElement.scrollWidth};
	})()`
	for _, size := range []struct {
		w, h    int64
		stacked bool // the controls above the plot
		columns int  // of the controls
	}{{768, 1024, true, 2}, {1024, 768, false, 1}, {390, 844, true, 1}} {
		name := fmt.Sprintf("tablet-%dx%d", size.w, size.h)
		viewport(t, ctx, size.w, size.h)
		open(t, ctx, srv, "/?surface=rosenbrock&steps=400&opt=momentum(lr=0.0005)&opt=adam(lr=0.05)", 2)
		l := evaluate[layout](t, ctx, readLayout)
		if l.ScrollWidth > l.InnerWidth {
			t.Errorf("%s: the page is %g px wide", name, l.ScrollWidth)
		}
		if l.Playback.Right > l.InnerWidth || l.Plot.Right > l.InnerWidth {
			t.Errorf("%s: the plot %+v or the playback bar %+v run off the screen", name, l.Plot, l.Playback)
		}
		if size.stacked {
			if l.Controls.Bottom > l.Stage.Top || l.Plot.Width < 0.8*l.InnerWidth {
				t.Errorf("%s: controls %+v, plot %+v: want the controls above a plot as wide as the screen", name, l.Controls, l.Plot)
			}
			if beside := l.Optimizers.Left >= l.Surface.Right && l.Optimizers.Top <= l.Surface.Bottom; beside != (size.columns == 2) {
				t.Errorf("%s: the optimizers %+v beside the surface %+v: %v, want %d columns of controls", name, l.Optimizers, l.Surface, beside, size.columns)
			}
		} else if l.Controls.Right > l.Stage.Left || l.Plot.Width < 0.55*l.InnerWidth {
			t.Errorf("%s: controls %+v, plot %+v: want the controls beside a plot over half the screen wide", name, l.Controls, l.Plot)
		}
		screenshot(t, ctx, name)
	}
}
