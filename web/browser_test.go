package web

import (
	"context"
	"encoding/json"
	"fmt"
	"image/gif"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"saddlepoint/scenarios"
)

// screenshotDir receives the browser tests' screenshots, for a person to
// look at; it is ignored by git.
const screenshotDir = "../.screenshots"

// browser starts headless Chromium for one test and fails the test on any
// error the page logs or throws. Without Chromium the test is skipped,
// except on CI (CI=true), where it must run.
func browser(t testing.TB) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed; .ci/run installs it (apt-get install chromium)")
		}
		t.Skip("skipping the browser test: Chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	var mu sync.Mutex
	var problems []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level == cdplog.EntryLevelError {
				problems = append(problems, fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			problems = append(problems, fmt.Sprintf("uncaught at %s:%d: %s", d.URL, d.LineNumber, msg))
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("browser: %s", p)
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// screenshot saves the page as name.png in screenshotDir.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// drawnRun is what the page shows of one run.
type drawnRun struct {
	Optimizer string `json:"optimizer"`
	Points    int    `json:"points"`
	Status    string `json:"status"`
}

const readRuns = `[...document.querySelectorAll('[data-testid="trajectory"]')].map((el) => ({
	optimizer: el.dataset.optimizer,
	points: Number(el.dataset.points),
	status: document.querySelector('#legend tr[data-optimizer="' + el.dataset.optimizer + '"] .status')?.dataset.status ?? "",
}))`

// waitForRuns polls the page until the last run requested has started and
// every trajectory's legend shows a final status, and returns what is drawn:
// want trajectories, or with want 0 however many the request draws (a cloud
// of starts draws one per start).
// (The legend is aria-busy from a request until its runs start, so that a
// quick earlier run cannot pass for the last one.)
func waitForRuns(t *testing.T, ctx context.Context, want int) []drawnRun {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
			Busy bool       `json:"busy"`
			Runs []drawnRun `json:"runs"`
		}](`({busy: document.querySelector("#legend").getAttribute("aria-busy") === "true", runs: `+readRuns+`})`))
		if err != nil {
			t.Fatal(err)
		}
		runs := shown.Runs
		finished := !shown.Busy && len(runs) > 0 && (want == 0 || len(runs) == want)
		for _, r := range runs {
			finished = finished && r.Status != "" && r.Status != "running"
		}
		if finished {
			return runs
		}
		if time.Now().After(deadline) {
			t.Fatalf("runs never finished drawing: %+v", runs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserRosenbrockAdamMomentum is the newcomer's first minute: pick
// rosenbrock, tick adam beside momentum, click a start point, and watch both
// paths drawn to the end, each with exactly the points of /api/run.
func TestBrowserRosenbrockAdamMomentum(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)

	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#plot`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The default page runs its ticked optimizers at once.
	if runs := waitForRuns(t, ctx, 2); runs[0].Optimizer != "sgd" || runs[1].Optimizer != "momentum" {
		t.Fatalf("default page drew %+v, want sgd and momentum", runs)
	}
	screenshot(t, ctx, "default")

	err = chromedp.Do(ctx,
		chromedp.SetValue(`#surface`, "rosenbrock"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#surface").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`),
		chromedp.Click(`input[name="optimizer"][value="sgd"]`),
		chromedp.Click(`input[name="optimizer"][value="adam"]`),
		chromedp.SetValue(`#param-adam-lr`, "0.05"),
		chromedp.SetValue(`#param-momentum-lr`, "0.0005"),
		chromedp.SetValue(`#steps`, "400"),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Click at a quarter of the plot area's width and height from its
	// top-left corner: data point (-1, 2) of rosenbrock's [-2, 2] × [-1, 3].
	type point struct{ X, Y float64 }
	click, err := chromedp.Run(ctx, chromedp.Evaluate[point](`(() => {
		const svg = document.querySelector("#plot");
		const [l, t, w, h] = svg.dataset.box.split(" ").map(Number);
		const m = svg.getScreenCTM();
		const p = new DOMPoint(l + w / 4, t + h / 4).matrixTransform(m);
		return {X: p.x, Y: p.y};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(click.X, click.Y)); err != nil {
		t.Fatal(err)
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[[2]string](`[document.querySelector("#start-x").value, document.querySelector("#start-y").value]`))
	if err != nil {
		t.Fatal(err)
	}
	if start != [2]string{"-1", "2"} {
		t.Fatalf("clicked at data point (-1, 2), start inputs show (%s, %s)", start[0], start[1])
	}
	runs := waitForRuns(t, ctx, 2)
	screenshot(t, ctx, "rosenbrock-adam-momentum")

	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1, 2], "steps": 400,
		"optimizers": [{"name": "momentum", "lr": 0.0005}, {"name": "adam", "lr": 0.05}]}`)
	for i, r := range runs {
		w := want.Runs[i]
		if r.Optimizer != w.Name || r.Points != len(w.Path) || r.Status != w.Status {
			t.Errorf("drawn %s with %d points, status %q; /api/run gives %s with %d points, status %q",
				r.Optimizer, r.Points, r.Status, w.Name, len(w.Path), w.Status)
		}
	}
}

// TestBrowserShowsErrorBesideField checks that a bad value shows the
// server's message and marks the field.
func TestBrowserShowsErrorBesideField(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#plot`),
		chromedp.SetValue(`#param-momentum-momentum`, "1.5"),
		chromedp.Click(`#run`),
		chromedp.WaitVisible(`#param-momentum-momentum[aria-invalid="true"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	message, err := chromedp.Run(ctx, chromedp.Text(`#error`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(message, "optimizers[1].momentum: must be between 0 and 1") {
		t.Errorf("error shown: %q", message)
	}
	screenshot(t, ctx, "error")
}

// TestBrowserRosterOverlays runs BFGS and Polyak-averaged momentum on
// rosenbrock and checks what the roster adds to the plot: the line-search
// probes, the dashed average, and the inspector for a hovered iterate.
func TestBrowserRosterOverlays(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?surface=rosenbrock"),
		chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`),
		chromedp.Click(`input[name="optimizer"][value="sgd"]`),
		chromedp.Click(`input[name="optimizer"][value="bfgs"]`),
		chromedp.SetValue(`#param-momentum-lr`, "0.001"),
		chromedp.Click(`.optimizer[data-optimizer="momentum"] details summary`),
		chromedp.SetValue(`#param-momentum-average`, "uniform"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#param-momentum-average").dispatchEvent(new Event("change", {bubbles: true}))`),
		chromedp.Click(`#run`),
	)
	if err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 2)

	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 200,
		"optimizers": [{"name": "momentum", "lr": 0.001, "average": "uniform"}, {"name": "bfgs"}]}`)
	for i, r := range runs {
		if r.Optimizer != want.Runs[i].Name || r.Points != len(want.Runs[i].Path) {
			t.Errorf("drawn %s with %d points, /api/run gives %s with %d", r.Optimizer, r.Points, want.Runs[i].Name, len(want.Runs[i].Path))
		}
	}
	type overlay struct {
		AveragePoints int    `json:"averagePoints"`
		Probes        int    `json:"probes"`
		DecayHidden   bool   `json:"decayHidden"`
		Inspector     string `json:"inspector"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[overlay](`(() => {
		const groups = document.querySelectorAll("#trajectories .run");
		return {
			averagePoints: window.saddlepoint.plot().drawnAverage(0).length,
			probes: groups[1].querySelectorAll(".probes circle").length,
			decayHidden: document.querySelector("#param-momentum-average_decay").closest("label").hidden,
		};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.AveragePoints != len(want.Runs[0].Average) || got.AveragePoints == 0 {
		t.Errorf("dashed average drawn with %d points, /api/run gives %d averages", got.AveragePoints, len(want.Runs[0].Average))
	}
	if got.Probes != len(want.Runs[1].Evals) || got.Probes == 0 {
		t.Errorf("%d probes drawn for bfgs, /api/run gives %d", got.Probes, len(want.Runs[1].Evals))
	}
	if !got.DecayHidden {
		t.Error("average_decay is shown although the average is uniform")
	}

	// Hover BFGS's third iterate: the inspector shows its gradient and
	// search direction.
	hover, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ X, Y float64 }](`(() => {
		document.querySelector("#plot").scrollIntoView();
		const [sx, sy] = window.saddlepoint.plot().drawnPath(1)[2];
		const p = new DOMPoint(sx, sy).matrixTransform(document.querySelector("#plot").getScreenCTM());
		return {X: p.x, Y: p.y};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(hover.X, hover.Y)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(`#inspector`))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"BFGS", "iterate 2", "∇f(θ)", "search direction", "inverse Hessian estimate"} {
		if !strings.Contains(text, w) {
			t.Errorf("inspector %q lacks %q", text, w)
		}
	}
	screenshot(t, ctx, "roster-overlays")
}

// TestBrowserSharedURL opens a shared link, checks every trajectory is drawn
// with the points /api/run gives for that state, changes a parameter, and
// checks that the URL now holds the change and reopens to the same runs.
func TestBrowserSharedURL(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=himmelblau&start=-1,-1&steps=300&opt=adam(lr=0.1,average=uniform)&opt=lbfgs&opt=nesterov(lr=0.002)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="himmelblau"]`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 3)
	want := apiRuns(t, srv, `{"surface": "himmelblau", "start": [-1, -1], "steps": 300, "optimizers": [
		{"name": "nesterov", "lr": 0.002}, {"name": "adam", "lr": 0.1, "average": "uniform"}, {"name": "lbfgs"}]}`)
	// The page lists ticked optimizers in display order: nesterov, adam, lbfgs.
	for i, r := range runs {
		w := want.Runs[i]
		if r.Optimizer != w.Name || r.Points != len(w.Path) || r.Status != w.Status {
			t.Errorf("drawn %s: %d points, %q; want %s: %d points, %q", r.Optimizer, r.Points, r.Status, w.Name, len(w.Path), w.Status)
		}
	}

	if err := chromedp.Do(ctx,
		chromedp.SetValue(`#param-lbfgs-memory`, "2"),
		chromedp.Click(`#run`),
	); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 3)
	location, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"surface=himmelblau", "start=-1,-1", "steps=300", "opt=nesterov(lr=0.002)", "opt=adam(lr=0.1,average=uniform)", "opt=lbfgs(memory=2)"} {
		if !strings.Contains(location, part) {
			t.Errorf("URL %q lacks %q", location, part)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+location), chromedp.WaitVisible(`#plot[data-surface="himmelblau"]`)); err != nil {
		t.Fatal(err)
	}
	again := waitForRuns(t, ctx, 3)
	memory, err := chromedp.Run(ctx, chromedp.Value(`#param-lbfgs-memory`))
	if err != nil {
		t.Fatal(err)
	}
	if memory != "2" || len(again) != 3 {
		t.Errorf("reopened link shows memory %q and %d runs", memory, len(again))
	}
}

// TestBrowserManyStarts opens a link with a cloud of starts on the deep
// linear network and checks that every run of every start is drawn with the
// points /api/run gives it, with one legend row per optimizer.
func TestBrowserManyStarts(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=deep-linear&start=0,0&steps=150&starts=40,normal,0.4,2&opt=sgd(lr=0.1)&opt=adam(lr=0.05)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="deep-linear"]`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 80)
	want := apiRuns(t, srv, `{"surface": "deep-linear", "start": [0, 0], "steps": 150,
		"starts": {"n": 40, "distribution": "normal", "scale": 0.4, "seed": 2},
		"optimizers": [{"name": "sgd", "lr": 0.1}, {"name": "adam", "lr": 0.05}]}`)
	for i, r := range runs {
		if w := want.Runs[i]; r.Optimizer != w.Name || r.Points != len(w.Path) {
			t.Errorf("run %d drawn as %s with %d points; /api/run: %s with %d", i, r.Optimizer, r.Points, w.Name, len(w.Path))
		}
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#legend tbody tr")].map((r) => r.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !strings.Contains(rows[0], "40 of 40 runs") {
		t.Errorf("legend rows %q, want one per optimizer summarising 40 runs", rows)
	}
	rings, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#trajectories .starts circle").length`))
	if err != nil {
		t.Fatal(err)
	}
	if rings != 40 {
		t.Errorf("%d start rings drawn, want 40", rings)
	}
	// Each optimizer's heads are one path of dots, one at each of its runs'
	// last points.
	heads, err := chromedp.Run(ctx, chromedp.Evaluate[[][][2]float64](`[...document.querySelectorAll("#trajectories .cloud-heads .head")].map((p) =>
		[...p.getAttribute("d").matchAll(/M([-\d.]+),([-\d.]+)a/g)].map((m) => [Number(m[1]) + 2.5, Number(m[2])]))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(heads) != 2 {
		t.Fatalf("%d paths of heads, want one per optimizer", len(heads))
	}
	frame, err := chromedp.Run(ctx, chromedp.Evaluate[[2][4]float64](`["view", "box"].map((k) => document.querySelector("#plot").dataset[k].split(" ").map(Number))`))
	if err != nil {
		t.Fatal(err)
	}
	view, box := frame[0], frame[1]
	for g, group := range heads {
		if len(group) != 40 {
			t.Fatalf("optimizer %d: %d heads drawn, want 40", g, len(group))
		}
		for j, at := range group {
			end := want.Runs[g*40+j].Path[len(want.Runs[g*40+j].Path)-1]
			sx := box[0] + (end[0]-view[0])/(view[1]-view[0])*box[2]
			sy := box[1] + (view[3]-end[1])/(view[3]-view[2])*box[3]
			if math.Abs(at[0]-sx) > 0.051 || math.Abs(at[1]-sy) > 0.051 {
				t.Errorf("run %d: head at %v, its last point %v is at (%.2f, %.2f)", g*40+j, at, end, sx, sy)
			}
		}
	}
	screenshot(t, ctx, "many-starts")

	// The same page, runs without the cloud: their lines are drawn as their
	// elements' styles now say, not in the look the cloud's thin,
	// translucent lines had.
	if err := chromedp.Do(ctx, chromedp.SetValue(`#cloud-n`, "0"), chromedp.Click(`#run`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	looks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.saddlepoint.plot().paths.lines.filter((l) => l.style).map((l) => {
		const css = getComputedStyle(l.hook);
		return l.style.width === parseFloat(css.strokeWidth) && l.style.alpha === Number(css.opacity) ? "" : l.hook.getAttribute("class") + " drawn " + l.style.width + "px at " + l.style.alpha + ", styled " + css.strokeWidth + " at " + css.opacity;
	})`))
	if err != nil {
		t.Fatal(err)
	}
	if len(looks) == 0 {
		t.Fatal("no line of the runs after the cloud was drawn")
	}
	for _, mismatch := range looks {
		if mismatch != "" {
			t.Errorf("after a cloud, a line is %s", mismatch)
		}
	}
}

// TestBrowserTypedFunction types a function with a mistake, checks the
// message beside the box, fixes it, and checks the plot, the run and the
// URL follow.
func TestBrowserTypedFunction(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(`#plot`),
		chromedp.SetValue(`#surface`, "custom"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#surface").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(`#plot[data-surface="custom"]`),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#expr").value = ""`),
		chromedp.SendKeys(`#expr`, "x^4 - 2*x^2 + sine(y)"),
		chromedp.WaitVisible(`#expr[aria-invalid="true"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Each keystroke is checked as it is typed, so wait for the message of
	// the whole text: an earlier one (of "x^4 - 2*x^2 + s", say) may show
	// first on a busy machine.
	message, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		const text = document.querySelector("#expr-error").textContent;
		return text.includes("'sine'") ? text : false;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("no message about 'sine' shown: %v", err)
	}
	if !strings.Contains(message, "unknown function 'sine' (did you mean sin?)") {
		t.Errorf("expression error shown: %q", message)
	}
	err = chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#expr").value = ""`),
		chromedp.SendKeys(`#expr`, "x^4 - 3*x^2 + y^2"),
		chromedp.WaitNotPresent(`#expr[aria-invalid="true"]`),
		chromedp.WaitVisible(`#plot[data-formula="x^4 - 3*x^2 + y^2"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 2)
	location, err := chromedp.Run(ctx, chromedp.Evaluate[string](`decodeURIComponent(location.search)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(location, "surface=custom") || !strings.Contains(location, "expr=x^4 - 3*x^2 + y^2") {
		t.Errorf("URL %q does not hold the typed function", location)
	}
	start, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](`[Number(document.querySelector("#start-x").value), Number(document.querySelector("#start-y").value)]`))
	if err != nil {
		t.Fatal(err)
	}
	want := apiRuns(t, srv, fmt.Sprintf(`{"surface": "custom", "expr": "x^4 - 3*x^2 + y^2", "view": [-5, 5, -2.5, 2.5], "start": [%g, %g],
		"optimizers": [{"name": "sgd"}, {"name": "momentum"}]}`, start[0], start[1]))
	for i, r := range runs {
		if r.Points != len(want.Runs[i].Path) {
			t.Errorf("%s drawn with %d points, /api/run gives %d", r.Optimizer, r.Points, len(want.Runs[i].Path))
		}
	}
	screenshot(t, ctx, "typed-function")
}

// TestBrowserContinuation opens a continuation run on rastrigin and checks
// that it reaches the global minimum and that the page fetched and showed
// the blurred surface of its first stage.
func TestBrowserContinuation(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	// At 60 iterates a second each stage shows for about five seconds, so
	// the blurred contours arrive before the stage ends on a busy machine.
	link := "/?surface=rastrigin&steps=600&opt=adam(lr=0.05,stages=2,sigma0=0.5)&speed=60"
	// Record every σ the contours show while the run animates, from the
	// document's start: the run begins as the page loads, and on a busy
	// machine its first stage can be shown before a script run after the
	// page has loaded could see it.
	recordSigmas := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			window.shownSigmas = [];
			new MutationObserver((changes) => changes.forEach((c) => window.shownSigmas.push(c.target.dataset.sigma)))
				.observe(document, {attributes: true, attributeFilter: ["data-sigma"], subtree: true});`})
		return chromedp.Void{}, err
	}
	if err := chromedp.Do(ctx,
		recordSigmas,
		chromedp.Navigate(srv.URL+link),
		chromedp.WaitVisible(`#plot[data-surface="rastrigin"]`),
	); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 1)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#plot").dataset.sigma === "0"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the contours never returned to the surface itself: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.shownSigmas`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(shown, "0.5") {
		t.Errorf("contours shown for σ in %v, want the first stage's 0.5", shown)
	}
	end, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](`(() => {
		const [sx, sy] = window.saddlepoint.plot().drawnPath(0).at(-1);
		const [l, t, w, h] = document.querySelector("#plot").dataset.box.split(" ").map(Number);
		return [-5.12 + (sx - l) / w * 10.24, 5.12 - (sy - t) / h * 10.24];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if math.Hypot(end[0], end[1]) > 0.1 || runs[0].Points != 601 {
		t.Errorf("continuation run drawn with %d points ending at %v, want 601 points ending at the origin", runs[0].Points, end)
	}
	screenshot(t, ctx, "continuation")
}

// TestBrowserExplore drives the three explorations: the fair race sets the
// tuned learning rates /api/tune chooses, the basin map is painted under the
// contours, and a cell of the parameter map runs its values.
func TestBrowserExplore(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=himmelblau&start=0,0&steps=300&opt=momentum&opt=adam"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="himmelblau"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	if err := chromedp.Do(ctx, chromedp.Click(`#race`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#explore-status").textContent.startsWith("Tuned")`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(srv.URL+"/api/tune", "application/json", strings.NewReader(`{"surface": "himmelblau", "start": [0, 0], "steps": 300,
		"optimizers": [{"name": "momentum"}, {"name": "adam"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var tuned struct {
		Optimizers []struct {
			Name string  `json:"name"`
			LR   float64 `json:"lr"`
		} `json:"optimizers"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tuned); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, o := range tuned.Optimizers {
		shown, err := chromedp.Run(ctx, chromedp.Value(`#param-`+o.Name+`-lr`))
		if err != nil {
			t.Fatal(err)
		}
		if shown != strconv.FormatFloat(o.LR, 'g', -1, 64) {
			t.Errorf("%s's lr shows %q after the fair race, /api/tune chose %g", o.Name, shown, o.LR)
		}
	}
	waitForRuns(t, ctx, 2)

	if err := chromedp.Do(ctx,
		chromedp.Click(`#basins`),
		chromedp.WaitVisible(`#plot image.basin-map`),
		chromedp.Click(`#sweep`),
		chromedp.WaitVisible(`#sweep-panel`),
	); err != nil {
		t.Fatal(err)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(`#explore-status`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(status, "Parameter map of momentum: lr × momentum") {
		t.Errorf("status %q", status)
	}
	screenshot(t, ctx, "explore")
	// Click the map's lower-left cell: the smallest lr and momentum 0.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("#sweep-map").scrollIntoView()`)); err != nil {
		t.Fatal(err)
	}
	corner, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](`(() => { const r = document.querySelector("#sweep-map").getBoundingClientRect(); return [r.left + 3, r.bottom - 3]; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(corner[0], corner[1])); err != nil {
		t.Fatal(err)
	}
	momentum, err := chromedp.Run(ctx, chromedp.Value(`#param-momentum-momentum`))
	if err != nil {
		t.Fatal(err)
	}
	if momentum != "0" {
		t.Errorf("after clicking the map's lower-left cell momentum is %q, want 0", momentum)
	}
	waitForRuns(t, ctx, 2)
}

// TestBrowserScenarioMenu picks a scenario from the menu and checks the page
// opens in its state and draws its runs.
func TestBrowserScenarioMenu(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	sc, ok := scenarios.Lookup("momentum-ravine")
	if !ok {
		t.Fatal("no momentum-ravine scenario")
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/?surface=bowl"),
		chromedp.WaitVisible(`#plot[data-surface="bowl"]`),
		// One script sets the menu and fires its change, since the change
		// navigates away from the document a second script would look in.
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
			const menu = document.querySelector("#scenario");
			menu.value = %q;
			menu.dispatchEvent(new Event("change"));
		})()`, sc.URL)),
		chromedp.WaitVisible(`#plot[data-surface="ravine"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, len(sc.Optimizers))
	for i, r := range runs {
		if r.Optimizer != sc.Optimizers[i] || r.Points < 2 {
			t.Errorf("run %d: %s with %d points, want %s", i, r.Optimizer, r.Points, sc.Optimizers[i])
		}
	}
	selected, err := chromedp.Run(ctx, chromedp.Value(`#scenario`))
	if err != nil {
		t.Fatal(err)
	}
	if selected != sc.URL {
		t.Errorf("menu shows %q after opening the scenario", selected)
	}
	screenshot(t, ctx, "scenario-momentum-ravine")
}

// playbackView is what the page shows of its timeline: the iterate k on the
// scrubber and its end, the play button's state, the iteration shown, each
// trajectory's points and legend status, the inspector's title and the loss
// chart's cursor.
type playbackView struct {
	K         int      `json:"k"`
	End       int      `json:"end"`
	State     string   `json:"state"`
	Iteration string   `json:"iteration"`
	Points    []int    `json:"points"`
	Statuses  []string `json:"statuses"`
	Inspector string   `json:"inspector"`
	Cursor    *int     `json:"cursor"`
}

const readPlayback = `({
	k: Number(document.querySelector("#scrubber").value),
	end: Number(document.querySelector("#scrubber").max),
	state: document.querySelector("#play").dataset.state,
	iteration: document.querySelector("#iteration").textContent,
	points: [...document.querySelectorAll('[data-testid="trajectory"]')].map((el) => Number(el.dataset.points)),
	statuses: [...document.querySelectorAll("#legend tbody .status")].map((el) => el.dataset.status),
	inspector: document.querySelector("#inspector .inspector-title").textContent,
	cursor: window.saddlepoint.chart.uplot?.cursor.idx ?? null,
})`

// showPlayback reads the playback once the page has drawn two more frames,
// so that whatever moved the timeline is on screen.
func showPlayback(t *testing.T, ctx context.Context) playbackView {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[playbackView](afterFrames(readPlayback), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// afterFrames wraps a script so that it runs after two animation frames.
func afterFrames(js string) string {
	return `new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(` + js + `))))`
}

// press sends keys to the focused element of the page.
func press(t *testing.T, ctx context.Context, keys string, opts ...chromedp.KeyOption) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys, opts...)); err != nil {
		t.Fatal(err)
	}
}

// scrubTo moves the scrubber to iterate k as a person dragging it would.
func scrubTo(t *testing.T, ctx context.Context, k int) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const s = document.querySelector("#scrubber");
		s.value = "%d";
		s.dispatchEvent(new Event("input", {bubbles: true}));
	})()`, k)))
	if err != nil {
		t.Fatal(err)
	}
}

// apiRuns returns /api/run's reply to body.
func apiRuns(t *testing.T, srv *httptest.Server, body string) runReply {
	t.Helper()
	code, data := postRun(t, srv, body)
	if code != http.StatusOK {
		t.Fatalf("POST /api/run: %d %s", code, data)
	}
	var reply runReply
	if err := json.Unmarshal(data, &reply); err != nil {
		t.Fatal(err)
	}
	return reply
}

// checkDrawnAt checks that the page shows the timeline at iterate k: each
// run drawn with min(k+1, its length) points, and its final status in the
// legend exactly when k has reached its last iterate.
func checkDrawnAt(t *testing.T, v playbackView, k int, want runReply) {
	t.Helper()
	if v.K != k {
		t.Errorf("scrubber at %d, want %d", v.K, k)
	}
	if len(v.Points) != len(want.Runs) {
		t.Fatalf("%d trajectories drawn, want %d", len(v.Points), len(want.Runs))
	}
	for i, w := range want.Runs {
		if n := min(k+1, len(w.Path)); v.Points[i] != n {
			t.Errorf("at iterate %d %s is drawn with %d points, want min(k+1, %d) = %d", k, w.Name, v.Points[i], len(w.Path), n)
		}
		status := "running"
		if k >= len(w.Path)-1 {
			status = w.Status
		}
		if v.Statuses[i] != status {
			t.Errorf("at iterate %d the legend shows %s as %q, want %q", k, w.Name, v.Statuses[i], status)
		}
	}
}

// TestBrowserPlaybackKeyboard drives playback from the keyboard: space
// pauses, → and ← step every trajectory by one iterate (ten with Shift), r
// restarts to the start point, keys typed into a field are left alone, and
// the chosen speed is kept in the URL.
func TestBrowserPlaybackKeyboard(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	// At 20 iterates a second the 300 steps would take 15 s to play.
	link := "/?surface=ravine&start=-4.5,1.5&steps=300&speed=20&opt=sgd&opt=momentum"
	want := apiRuns(t, srv, `{"surface": "ravine", "start": [-4.5, 1.5], "steps": 300, "optimizers": [{"name": "sgd"}, {"name": "momentum"}]}`)
	for _, w := range want.Runs {
		if len(w.Path) < 100 {
			t.Fatalf("%s stops after %d points; the test needs long runs", w.Name, len(w.Path))
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="ravine"]`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Number(document.querySelector("#scrubber").value) >= 5`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("playback never started: %v", err)
	}

	press(t, ctx, " ")
	paused := showPlayback(t, ctx)
	if paused.State != "paused" {
		t.Fatalf("after space the play button is %q, want paused", paused.State)
	}
	k := paused.K
	checkDrawnAt(t, paused, k, want)
	time.Sleep(700 * time.Millisecond) // 14 iterates at 20 a second
	if later := showPlayback(t, ctx); later.K != k || !slices.Equal(later.Points, paused.Points) {
		t.Fatalf("paused at iterate %d with %v points, 0.7 s later at %d with %v", k, paused.Points, later.K, later.Points)
	}
	if paused.Iteration != fmt.Sprintf("%d / %d", k, paused.End) {
		t.Errorf("iteration shows %q at iterate %d of %d", paused.Iteration, k, paused.End)
	}
	screenshot(t, ctx, "playback-paused")

	press(t, ctx, kb.ArrowRight)
	checkDrawnAt(t, showPlayback(t, ctx), k+1, want)
	press(t, ctx, kb.ArrowLeft)
	press(t, ctx, kb.ArrowLeft)
	checkDrawnAt(t, showPlayback(t, ctx), k-1, want)
	press(t, ctx, kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift))
	checkDrawnAt(t, showPlayback(t, ctx), k+9, want)

	press(t, ctx, "r")
	restarted := showPlayback(t, ctx)
	checkDrawnAt(t, restarted, 0, want)
	if restarted.State != "paused" {
		t.Errorf("r while paused left the play button %q, want paused at the start", restarted.State)
	}

	// Keys typed into a field belong to the field.
	if err := chromedp.Do(ctx, chromedp.Focus(`#steps`)); err != nil {
		t.Fatal(err)
	}
	press(t, ctx, kb.ArrowRight+" ")
	if v := showPlayback(t, ctx); v.K != 0 || v.State != "paused" {
		t.Errorf("keys typed into the steps field moved the timeline to %d, %s", v.K, v.State)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`)); err != nil {
		t.Fatal(err)
	}

	press(t, ctx, " ")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Number(document.querySelector("#scrubber").value) >= 3`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("space did not resume playback: %v", err)
	}
	if v := showPlayback(t, ctx); v.State != "playing" {
		t.Errorf("after space the play button is %q, want playing", v.State)
	}
	location, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(location, "speed=20") {
		t.Errorf("URL %q lacks the chosen speed", location)
	}
}

// TestBrowserScrubber sets the scrubber to iterates before, at and after
// the end of a short BFGS run beside a long momentum run: at iterate k every
// trajectory shows min(k+1, its length) points, the legend shows a run's
// final status once k reaches its last iterate, and the inspector follows
// the first run.
func TestBrowserScrubber(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=rosenbrock&start=-1.2,1&steps=300&opt=momentum(lr=0.001)&opt=bfgs"
	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 300, "optimizers": [{"name": "momentum", "lr": 0.001}, {"name": "bfgs"}]}`)
	momentum, bfgs := len(want.Runs[0].Path), len(want.Runs[1].Path)
	if bfgs >= momentum || bfgs < 4 {
		t.Fatalf("BFGS has %d points and momentum %d; the test needs BFGS to stop first", bfgs, momentum)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	end := momentum - 1
	if v := showPlayback(t, ctx); v.State != "ended" || v.End != end {
		t.Errorf("after playing, the timeline is %q at %d of %d; want ended at %d", v.State, v.K, v.End, end)
	}
	for _, k := range []int{0, 1, bfgs - 2, bfgs - 1, bfgs, end / 2, end - 1, end} {
		scrubTo(t, ctx, k)
		v := showPlayback(t, ctx)
		checkDrawnAt(t, v, k, want)
		if v.Iteration != fmt.Sprintf("%d / %d", k, end) || v.State != "paused" {
			t.Errorf("at iterate %d the bar shows %q, %s", k, v.Iteration, v.State)
		}
		if title := fmt.Sprintf("Momentum, iterate %d of %d", k, end); v.Inspector != title {
			t.Errorf("inspector shows %q, want %q", v.Inspector, title)
		}
	}
	scrubTo(t, ctx, bfgs/2)
	screenshot(t, ctx, "scrubber")
}

// chartView is what the loss chart holds: its series' labels and colours,
// the legend's colours, its data, its y scale and axis label, and its
// cursor.
type chartView struct {
	Labels  []string     `json:"labels"`
	Strokes []string     `json:"strokes"`
	Colours []string     `json:"colours"`
	X       []float64    `json:"x"`
	Y       [][]*float64 `json:"y"`
	Distr   int          `json:"distr"`
	Label   string       `json:"label"`
	Cursor  *int         `json:"cursor"`
	Min     float64      `json:"min"`
	Eps     float64      `json:"eps"`
	Note    string       `json:"note"`
}

const readChart = `(() => {
	const c = window.saddlepoint.chart;
	const u = c.uplot;
	return {
		labels: u.series.slice(1).map((s) => s.label),
		strokes: u.series.slice(1).map((s, i) => typeof s.stroke === "function" ? s.stroke(u, i + 1) : s.stroke),
		colours: [...document.querySelectorAll("#legend tbody tr")].map((r) => getComputedStyle(r).getPropertyValue("--c").trim()),
		x: u.data[0],
		y: u.data.slice(1),
		distr: u.scales.y.distr,
		label: u.axes[1].label,
		cursor: u.cursor.idx,
		min: c.scale.min ?? 0,
		eps: c.scale.eps ?? 0,
		note: document.querySelector("#chart-note").textContent,
	};
})()`

func showChart(t *testing.T, ctx context.Context) chartView {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[chartView](afterFrames(readChart), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// checkSeries checks that the chart plots each run's losses, mapped by f,
// against iterations 0 … the longest run's last, with nothing after a run's
// end.
func checkSeries(t *testing.T, got chartView, want runReply, f func(float64) float64) {
	t.Helper()
	if len(got.Y) != len(want.Runs) {
		t.Fatalf("chart has %d series, want one per run (%d)", len(got.Y), len(want.Runs))
	}
	longest := 0
	for _, w := range want.Runs {
		longest = max(longest, len(w.Loss))
	}
	if len(got.X) != longest || got.X[0] != 0 || got.X[len(got.X)-1] != float64(longest-1) {
		t.Errorf("chart's iterations run over %d values, want 0 … %d", len(got.X), longest-1)
	}
	for i, w := range want.Runs {
		ys := got.Y[i]
		if len(ys) != len(got.X) {
			t.Errorf("%s: %d values for %d iterations", w.Name, len(ys), len(got.X))
			continue
		}
		for k, y := range ys {
			if k >= len(w.Loss) {
				if y != nil {
					t.Errorf("%s: value %g at iteration %d, after its last (%d)", w.Name, *y, k, len(w.Loss)-1)
					break
				}
				continue
			}
			if w := f(w.Loss[k]); y == nil || math.Abs(*y-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("%s at iteration %d: chart has %v, want %g", want.Runs[i].Name, k, y, w)
				break
			}
		}
	}
}

// TestBrowserLossChart checks the loss chart against /api/run: one series
// per run in the run's colour holding its losses, on a log scale by default
// and a linear one on request; its cursor follows the timeline, and a click
// or a drag on it moves the timeline. Losses that reach zero or below are
// drawn as f − f_min + ε, and a cloud of starts as a median per optimizer.
func TestBrowserLossChart(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=rosenbrock&start=-1.2,1&steps=200&opt=sgd(lr=0.001)&opt=adam(lr=0.02)"
	want := apiRuns(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 200, "optimizers": [{"name": "sgd", "lr": 0.001}, {"name": "adam", "lr": 0.02}]}`)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="rosenbrock"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	got := showChart(t, ctx)
	if got.Distr != 3 || got.Label != "f(θ)" {
		t.Errorf("chart's y scale has distr %d and label %q, want a log scale (3) of f(θ)", got.Distr, got.Label)
	}
	checkSeries(t, got, want, func(f float64) float64 { return f })
	if !slices.Equal(got.Labels, []string{"Gradient descent (SGD)", "Adam"}) {
		t.Errorf("series %q", got.Labels)
	}
	if len(got.Colours) != 2 || !slices.Equal(got.Strokes, got.Colours) || got.Colours[0] == got.Colours[1] {
		t.Errorf("series drawn in %q, the legend's colours are %q", got.Strokes, got.Colours)
	}
	end := len(got.X) - 1
	if got.Cursor == nil || *got.Cursor != end {
		t.Errorf("after playing, the chart's cursor is at %v, want the end %d", got.Cursor, end)
	}

	// The cursor follows the scrubber and the keys.
	scrubTo(t, ctx, 50)
	if v := showPlayback(t, ctx); v.Cursor == nil || *v.Cursor != 50 {
		t.Errorf("scrubber at 50, chart cursor at %v", v.Cursor)
	}
	press(t, ctx, kb.ArrowRight)
	if v := showPlayback(t, ctx); v.Cursor == nil || *v.Cursor != 51 || v.K != 51 {
		t.Errorf("after → the timeline is at %d and the chart cursor at %v, want 51", v.K, v.Cursor)
	}

	// A click on the chart moves the timeline there; so does a drag.
	type xy struct{ X, Y float64 }
	at := func(k int) xy {
		p, err := chromedp.Run(ctx, chromedp.Evaluate[xy](fmt.Sprintf(`(() => {
			const u = window.saddlepoint.chart.uplot;
			u.over.scrollIntoView({block: "center"});
			const r = u.over.getBoundingClientRect();
			return {X: r.left + u.valToPos(%d, "x"), Y: r.top + r.height / 2};
		})()`, k)))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := at(120)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(p.X, p.Y)); err != nil {
		t.Fatal(err)
	}
	v := showPlayback(t, ctx)
	checkDrawnAt(t, v, 120, want)
	if v.Cursor == nil || *v.Cursor != 120 {
		t.Errorf("clicked the chart at iteration 120: cursor at %v", v.Cursor)
	}
	from, to := at(30), at(90)
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, from.X, from.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, (from.X+to.X)/2, to.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, to.X, to.Y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, to.X, to.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
	); err != nil {
		t.Fatal(err)
	}
	checkDrawnAt(t, showPlayback(t, ctx), 90, want)
	screenshot(t, ctx, "loss-chart")

	// Linear on request.
	if err := chromedp.Do(ctx, chromedp.Click(`#chart-log`)); err != nil {
		t.Fatal(err)
	}
	linear := showChart(t, ctx)
	if linear.Distr != 1 || linear.Label != "f(θ)" {
		t.Errorf("with log scale off the chart has distr %d, label %q", linear.Distr, linear.Label)
	}
	checkSeries(t, linear, want, func(f float64) float64 { return f })

	// A tablet: the page fits 768 pixels and the chart follows its width.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(768, 1024)); err != nil {
		t.Fatal(err)
	}
	widths, err := chromedp.Run(ctx, chromedp.Evaluate[[3]float64](afterFrames(`[
		document.documentElement.scrollWidth,
		document.querySelector("#loss-chart").clientWidth,
		window.saddlepoint.chart.uplot.width]`), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if widths[0] > 768 || math.Abs(widths[1]-widths[2]) > 2 {
		t.Errorf("at 768 px the page is %g px wide, the chart's box %g and the chart %g", widths[0], widths[1], widths[2])
	}
	screenshot(t, ctx, "tablet-768")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 1000)); err != nil {
		t.Fatal(err)
	}

	// Losses that reach zero and below: x² + y² − 1 falls to −1.
	link = "/?surface=custom&expr=x%5E2%2By%5E2-1&view=-2,2,-2,2&start=1,1&steps=100&opt=sgd(lr=0.1)"
	want = apiRuns(t, srv, `{"surface": "custom", "expr": "x^2+y^2-1", "view": [-2, 2, -2, 2], "start": [1, 1], "steps": 100, "optimizers": [{"name": "sgd", "lr": 0.1}]}`)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="custom"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	shifted := showChart(t, ctx)
	lowest := slices.Min(want.Runs[0].Loss)
	if shifted.Distr != 3 || shifted.Label != "f(θ) − f_min + ε" || shifted.Min != lowest || !(shifted.Eps > 0 && shifted.Eps < 1e-6) {
		t.Errorf("losses down to %g drawn on distr %d as %q with f_min %g and ε %g", lowest, shifted.Distr, shifted.Label, shifted.Min, shifted.Eps)
	}
	if !strings.Contains(shifted.Note, "≤ 0") {
		t.Errorf("chart note %q does not say why it shifts the losses", shifted.Note)
	}
	checkSeries(t, shifted, want, func(f float64) float64 { return f - shifted.Min + shifted.Eps })
	screenshot(t, ctx, "loss-chart-shifted")

	// A cloud of starts: one median line per optimizer.
	link = "/?surface=himmelblau&start=0,0&steps=100&starts=20,normal,0.5,3&opt=sgd&opt=adam(lr=0.1)"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="himmelblau"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 40)
	cloud := showChart(t, ctx)
	if !slices.Equal(cloud.Labels, []string{"Gradient descent (SGD) (median of 20 runs)", "Adam (median of 20 runs)"}) {
		t.Errorf("cloud chart series %q", cloud.Labels)
	}
}

// TestBrowserReducedMotion asks for reduced motion: the page then shows each
// run whole as soon as it is complete, without playing it, and plays it on
// request.
func TestBrowserReducedMotion(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	reduce := prefersMedia("prefers-reduced-motion", "reduce")
	link := "/?surface=ravine&start=-4.5,1.5&steps=300&opt=sgd&opt=momentum"
	want := apiRuns(t, srv, `{"surface": "ravine", "start": [-4.5, 1.5], "steps": 300, "optimizers": [{"name": "sgd"}, {"name": "momentum"}]}`)
	if err := chromedp.Do(ctx, reduce, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="ravine"]`),
		// Record every number of points drawn.
		chromedp.Evaluate[chromedp.Void](`window.drawnCounts = new Set();
			new MutationObserver((records) => records.forEach((r) => window.drawnCounts.add(Number(r.target.dataset.points))))
				.observe(document.querySelector("#trajectories"), {subtree: true, attributes: true, attributeFilter: ["data-points"]});`),
	); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	end := max(len(want.Runs[0].Path), len(want.Runs[1].Path)) - 1
	v := showPlayback(t, ctx)
	checkDrawnAt(t, v, end, want)
	if v.State != "ended" {
		t.Errorf("play button %q, want ended", v.State)
	}
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...window.drawnCounts]`))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range counts {
		if n > 1 && n != len(want.Runs[0].Path) && n != len(want.Runs[1].Path) {
			t.Errorf("with reduced motion a trajectory was drawn with %d points on the way; counts %v", n, counts)
			break
		}
	}
	// Play replays from the start.
	if err := chromedp.Do(ctx, chromedp.Click(`#play`)); err != nil {
		t.Fatal(err)
	}
	if v := showPlayback(t, ctx); v.State != "playing" || v.K >= end {
		t.Errorf("after play: %s at %d of %d", v.State, v.K, end)
	}
}

// TestBrowserExports checks what each export gives: CSV and JSON with every
// iterate /api/run gives, a standalone SVG with a trajectory per run, a PNG,
// and a GIF link the server renders for the same state.
func TestBrowserExports(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	link := "/?surface=beale&start=1,1.5&steps=60&opt=adam(lr=0.05)&opt=bfgs"
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+link), chromedp.WaitVisible(`#plot[data-surface="beale"]`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	type exported struct {
		CSV      string `json:"csv"`
		JSON     string `json:"json"`
		SVGLines int    `json:"svgLines"`
		SVGStyle bool   `json:"svgStyle"`
		PNG      []int  `json:"png"`
		GIF      string `json:"gif"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[exported](`(async () => {
		const x = window.saddlepoint.exporter;
		const svg = new DOMParser().parseFromString(x.svg(), "image/svg+xml");
		const png = new Uint8Array(await (await x.png()).arrayBuffer());
		return {
			csv: x.csv(), json: x.json(),
			svgLines: svg.querySelectorAll("polyline.trajectory").length,
			svgStyle: (svg.querySelector("polyline.trajectory").getAttribute("style") || "").includes("stroke:"),
			png: [...png.slice(0, 8)],
			gif: document.querySelector("#export-gif").getAttribute("href"),
		};
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	want := apiRuns(t, srv, `{"surface": "beale", "start": [1, 1.5], "steps": 60, "optimizers": [{"name": "adam", "lr": 0.05}, {"name": "bfgs"}]}`)
	lines := strings.Split(strings.TrimSpace(got.CSV), "\n")
	if n := len(want.Runs[0].Path) + len(want.Runs[1].Path); len(lines) != n+1 || lines[0] != "run,optimizer,k,x,y,loss" {
		t.Errorf("CSV has %d lines, want a header and %d iterates", len(lines), n)
	}
	if first := fmt.Sprintf("0,adam,0,%s,%s,%s", strconv.FormatFloat(want.Runs[0].Path[0][0], 'g', -1, 64),
		strconv.FormatFloat(want.Runs[0].Path[0][1], 'g', -1, 64), strconv.FormatFloat(want.Runs[0].Loss[0], 'g', -1, 64)); len(lines) < 2 || lines[1] != first {
		t.Errorf("CSV's first iterate %q, want %q", lines[1], first)
	}
	var j struct {
		Runs []struct {
			Name string       `json:"name"`
			Path [][2]float64 `json:"path"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(got.JSON), &j); err != nil {
		t.Fatalf("JSON export: %v", err)
	}
	for i, r := range j.Runs {
		if r.Name != want.Runs[i].Name || len(r.Path) != len(want.Runs[i].Path) || r.Path[len(r.Path)-1] != want.Runs[i].Path[len(r.Path)-1] {
			t.Errorf("JSON run %d differs from /api/run", i)
		}
	}
	if got.SVGLines != 2 || !got.SVGStyle {
		t.Errorf("SVG export has %d trajectories (styled: %v), want 2 styled", got.SVGLines, got.SVGStyle)
	}
	if fmt.Sprint(got.PNG) != fmt.Sprint([]int{137, 80, 78, 71, 13, 10, 26, 10}) {
		t.Errorf("PNG export starts %v, not with the PNG signature", got.PNG)
	}
	resp, err := http.Get(srv.URL + got.GIF)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	anim, err := gif.DecodeAll(resp.Body)
	if err != nil {
		t.Fatalf("GIF link %s: %v", got.GIF, err)
	}
	if len(anim.Image) < 10 {
		t.Errorf("GIF of a 60-step run has %d frames", len(anim.Image))
	}
}

// TestBrowserShortcutList opens the list of shortcuts with ? and a scenario
// with its number key.
func TestBrowserShortcutList(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?surface=bowl"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 2)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("?"), chromedp.WaitVisible(`#shortcuts`)); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(`#shortcuts dl`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Space", "play or pause", "1–9", "full screen", "list these shortcuts"} {
		if !strings.Contains(text, want) {
			t.Errorf("shortcut list %q lacks %q", text, want)
		}
	}
	screenshot(t, ctx, "shortcuts")
	first := scenarios.All()[0]
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(`#shortcuts`), chromedp.KeyEvent("1")); err != nil {
		t.Fatal(err)
	}
	// The key navigates, so poll from Go: a poll inside the page would die
	// with the document it runs in.
	var loc string
	for deadline := time.Now().Add(10 * time.Second); loc != first.URL; time.Sleep(100 * time.Millisecond) {
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
		if time.Now().After(deadline) {
			t.Fatalf("key 1 did not open the first scenario %s: at %s", first.URL, loc)
		}
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#plot[data-surface="bowl"]`)); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserBackButton changes the run twice and walks back through the
// changes with the browser's back button.
func TestBrowserBackButton(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?surface=bowl&opt=sgd"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	for _, lr := range []string{"0.05", "0.2"} {
		if err := chromedp.Do(ctx, chromedp.SetValue(`#param-sgd-lr`, lr), chromedp.Click(`#run`)); err != nil {
			t.Fatal(err)
		}
		waitForRuns(t, ctx, 1)
	}
	for _, want := range []string{"0.05", "0.01"} {
		if err := chromedp.Do(ctx, chromedp.NavigateBack(), chromedp.WaitVisible(`#plot`)); err != nil {
			t.Fatal(err)
		}
		waitForRuns(t, ctx, 1)
		lr, err := chromedp.Run(ctx, chromedp.Value(`#param-sgd-lr`))
		if err != nil {
			t.Fatal(err)
		}
		if lr != want {
			t.Errorf("after going back the learning rate is %s, want %s", lr, want)
		}
	}
}

// TestBrowserReconnect cuts the page's WebSocket and checks that the banner
// says so, that the page reconnects on its own and the banner goes, and that
// a run works over the new connection.
func TestBrowserReconnect(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?surface=bowl&opt=sgd"), chromedp.WaitVisible(`#plot`)); err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 1)
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`window.saddlepoint.stream.ws.close()`),
		chromedp.WaitVisible(`#banner`),
	); err != nil {
		t.Fatalf("no banner after the connection was cut: %v", err)
	}
	screenshot(t, ctx, "connection-lost")
	if err := chromedp.Do(ctx, chromedp.WaitNotVisible(`#banner`)); err != nil {
		t.Fatalf("the banner stayed: the page did not reconnect: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.SetValue(`#param-sgd-lr`, "0.1"), chromedp.Click(`#run`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 1)
	want := apiRuns(t, srv, `{"surface": "bowl", "optimizers": [{"name": "sgd", "lr": 0.1}]}`)
	if runs[0].Points != len(want.Runs[0].Path) {
		t.Errorf("after reconnecting the run drew %d points, want %d", runs[0].Points, len(want.Runs[0].Path))
	}
}
