package web

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"saddlepoint/scenarios"
)

// screenshotDir receives the browser tests' screenshots, for a person to
// look at; it is ignored by git.
const screenshotDir = "../.screenshots"

// browser starts headless Chromium for one test and fails the test on any
// error the page logs or throws. Without Chromium the test is skipped,
// except on CI (CI=true), where it must run.
func browser(t *testing.T) context.Context {
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

// waitForRuns polls the page until every trajectory's legend shows a final
// status, and returns what is drawn.
func waitForRuns(t *testing.T, ctx context.Context, want int) []drawnRun {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := chromedp.Run(ctx, chromedp.Evaluate[[]drawnRun](readRuns))
		if err != nil {
			t.Fatal(err)
		}
		finished := len(runs) == want
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

	code, body := postRun(t, srv, `{"surface": "rosenbrock", "start": [-1, 2], "steps": 400,
		"optimizers": [{"name": "momentum", "lr": 0.0005}, {"name": "adam", "lr": 0.05}]}`)
	if code != 200 {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
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

	code, body := postRun(t, srv, `{"surface": "rosenbrock", "start": [-1.2, 1], "steps": 200,
		"optimizers": [{"name": "momentum", "lr": 0.001, "average": "uniform"}, {"name": "bfgs"}]}`)
	if code != 200 {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
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
		const avg = groups[0].querySelector(".average").getAttribute("points") ?? "";
		return {
			averagePoints: avg.trim() === "" ? 0 : avg.trim().split(" ").length,
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
		const line = document.querySelectorAll("#trajectories .trajectory")[1];
		const [sx, sy] = line.getAttribute("points").split(" ")[2].split(",").map(Number);
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
	code, body := postRun(t, srv, `{"surface": "himmelblau", "start": [-1, -1], "steps": 300, "optimizers": [
		{"name": "nesterov", "lr": 0.002}, {"name": "adam", "lr": 0.1, "average": "uniform"}, {"name": "lbfgs"}]}`)
	if code != 200 {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
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
	code, body := postRun(t, srv, `{"surface": "deep-linear", "start": [0, 0], "steps": 150,
		"starts": {"n": 40, "distribution": "normal", "scale": 0.4, "seed": 2},
		"optimizers": [{"name": "sgd", "lr": 0.1}, {"name": "adam", "lr": 0.05}]}`)
	if code != 200 {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
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
	screenshot(t, ctx, "many-starts")
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
	message, err := chromedp.Run(ctx, chromedp.Text(`#expr-error`))
	if err != nil {
		t.Fatal(err)
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
	code, body := postRun(t, srv, fmt.Sprintf(`{"surface": "custom", "expr": "x^4 - 3*x^2 + y^2", "view": [-5, 5, -2.5, 2.5], "start": [%g, %g],
		"optimizers": [{"name": "sgd"}, {"name": "momentum"}]}`, start[0], start[1]))
	if code != 200 {
		t.Fatalf("POST /api/run: %d %s", code, body)
	}
	var want runReply
	if err := json.Unmarshal(body, &want); err != nil {
		t.Fatal(err)
	}
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
	link := "/?surface=rastrigin&steps=600&opt=adam(lr=0.05,stages=2,sigma0=0.5)"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+link),
		chromedp.WaitVisible(`#plot[data-surface="rastrigin"]`),
	); err != nil {
		t.Fatal(err)
	}
	// Record every σ the contours show while the run animates.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`
		window.shownSigmas = [];
		new MutationObserver(() => window.shownSigmas.push(document.querySelector("#plot").dataset.sigma))
			.observe(document.querySelector("#plot"), {attributes: true, attributeFilter: ["data-sigma"]});`)); err != nil {
		t.Fatal(err)
	}
	runs := waitForRuns(t, ctx, 1)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector("#plot").dataset.sigma === "0"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
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
		const pts = document.querySelector(".trajectory").getAttribute("points").trim().split(" ");
		const [sx, sy] = pts[pts.length - 1].split(",").map(Number);
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
