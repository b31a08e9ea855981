package web

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// contourPaintScript runs in the page before its own scripts. It resolves
// window.contourPainted with the time, from the start of the navigation
// (performance.now()), at which the first frame showing the contour lines
// was rendered: the frame after the contours' first path is in the DOM
// (requestAnimationFrame runs just before a frame is rendered; a task
// queued from it runs just after), and sets window.contourInDOM to the time
// that path was parsed. It resolves window.firstContentfulPaint with the
// browser's paint timing, once the browser has recorded it.
const contourPaintScript = `window.contourPainted = new Promise((resolve) => {
	const painted = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
	const present = () => document.querySelector("#plot .contours path") !== null;
	if (present()) { window.contourInDOM = performance.now(); painted(); return; }
	const watch = new MutationObserver(() => {
		if (present()) { window.contourInDOM = performance.now(); watch.disconnect(); painted(); }
	});
	watch.observe(document, { childList: true, subtree: true });
});
window.firstContentfulPaint = new Promise((resolve) => {
	new PerformanceObserver((list) => {
		for (const entry of list.getEntriesByName("first-contentful-paint")) resolve(entry.startTime);
	}).observe({ type: "paint", buffered: true });
});`

// BenchmarkFirstPaint navigates headless Chromium to the page on localhost,
// with the browser's cache off as on a first visit, and reads from the
// Performance API the time from the start of the navigation to the first
// frame with the contour plot in it. ns/op is that time; fcp-ns the first
// contentful paint, as the browser reports it. The paint timing is when a
// frame reached the screen, the page's own mark when the main thread had
// rendered it, so the contours' time is the later of the two: the first
// contentful frame when they were in it. Where the time goes: html-ns is
// when the page's last byte had arrived (responseEnd), in-dom-ns when the
// parser had put the contours' first path in the DOM, parsed-ns when it had
// parsed the whole page (domInteractive), all from the start of the
// navigation. Every server starts cold: the first navigation computes the
// plot and renders the page. Goal: ≤ 300 ms (issue 6). Without Chromium it
// is skipped.
func BenchmarkFirstPaint(b *testing.B) {
	ctx := browser(b)
	srv := newTestServer(b)
	firstVisits(b, ctx, contourPaintScript)
	var contour, fcp, html, inDOM, parsed float64 // milliseconds, summed over the navigations
	for b.Loop() {
		// From a blank page, as a first visit comes from another site: the
		// page of the navigation before would run its animation frames
		// into the first 100 ms of this one, until Chromium froze it.
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
			b.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
			Contour float64 `json:"contour"`
			FCP     float64 `json:"fcp"`
			HTML    float64 `json:"html"`
			InDOM   float64 `json:"inDOM"`
			Parsed  float64 `json:"parsed"`
		}](`Promise.all([window.contourPainted, window.firstContentfulPaint]).then(([contour, fcp]) => {
			const nav = performance.getEntriesByType("navigation")[0];
			return {contour, fcp, html: nav.responseEnd, inDOM: window.contourInDOM, parsed: nav.domInteractive};
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			b.Fatal(err)
		}
		if got.FCP <= 0 {
			b.Fatalf("the browser reports no first contentful paint (%v)", got.FCP)
		}
		// The frame with the contours cannot be on screen before the first
		// frame with content is; when it was rendered before that one was
		// presented, it is that frame.
		contour += max(got.Contour, got.FCP)
		fcp += got.FCP
		html += got.HTML
		inDOM += got.InDOM
		parsed += got.Parsed
	}
	n := float64(b.N)
	b.ReportMetric(contour/n*1e6, "ns/op")
	b.ReportMetric(fcp/n*1e6, "fcp-ns")
	b.ReportMetric(html/n*1e6, "html-ns")
	b.ReportMetric(inDOM/n*1e6, "in-dom-ns")
	b.ReportMetric(parsed/n*1e6, "parsed-ns")
}

// firstVisits turns the browser's cache off, so that every navigation loads
// the page as a first visit does, and has script run in every page before
// its own scripts.
func firstVisits(tb testing.TB, ctx context.Context, script string) {
	tb.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, performance.Enable, performance.EnableParams{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: script})
		return err
	}))
	if err != nil {
		tb.Fatal(err)
	}
}

// frameScript runs in the page before its own scripts and records, for
// every frame from the first, its time and the playback's state as
// window.recordedFrames: [time, state, iteration] each.
const frameScript = `window.recordedFrames = [];
requestAnimationFrame(function record(t) {
	const play = document.getElementById("play");
	const iteration = document.getElementById("iteration");
	window.recordedFrames.push([t, play?.dataset.state ?? "", iteration?.value ?? iteration?.textContent ?? ""]);
	requestAnimationFrame(record);
});`

// animationCase is a page that plays many long runs.
type animationCase struct {
	name  string
	query string
	runs  int // trajectories drawn
	steps int
}

// animationCases: 8 optimizers × 10,000 steps, the goal, and a cloud
// of 8 optimizers × 100 starts. Gradient noise keeps every run going for
// all its steps (the convergence test never passes) without diverging.
var animationCases = []animationCase{
	{"8x10000", "surface=rosenbrock&start=-1.2,1&steps=10000" + eightNoisyOptimizers, 8, 10000},
	{"8x100starts", "surface=rosenbrock&start=-1.2,1&steps=200&starts=100,normal,0.5,1" + eightNoisyOptimizers, 800, 200},
}

const eightNoisyOptimizers = "&opt=sgd(lr=0.0005,noise=1,seed=1)&opt=momentum(lr=0.0002,momentum=0.9,noise=1,seed=2)" +
	"&opt=nesterov(lr=0.0002,momentum=0.9,noise=1,seed=3)&opt=adagrad(lr=0.05,noise=1,seed=4)" +
	"&opt=rmsprop(lr=0.001,noise=1,seed=5)&opt=rmsprop-nesterov(lr=0.001,noise=1,seed=6)" +
	"&opt=adam(lr=0.005,noise=1,seed=7)&opt=adamw(lr=0.005,noise=1,seed=8)"

// BenchmarkAnimation loads a page that plays many long runs in headless
// Chromium and measures its frames with requestAnimationFrame while the
// timeline plays, in two passes: live, as the runs stream in and play
// (what a reader sees), and a replay from the start once every point is in
// (the drawing alone). It reports the frames per second and the 95th
// percentile of the time between frames of each pass, the same for the
// page sitting still afterwards (what the browser manages with nothing to
// draw: headless Chromium renders at 60 frames a second), and the main
// thread's script, style, layout and other time per frame of the replay,
// from Chromium's Performance.getMetrics. Goal: 60 frames per second with
// 8 runs of 10,000 points (issue 6). Without Chromium it is skipped.
func BenchmarkAnimation(b *testing.B) {
	for _, c := range animationCases {
		b.Run(c.name, func(b *testing.B) {
			ctx := browser(b)
			srv := newTestServer(b)
			firstVisits(b, ctx, frameScript)
			var live, replay, still frameStats
			var work mainThreadWork
			for b.Loop() {
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?"+c.query)); err != nil {
					b.Fatal(err)
				}
				frames := waitForPlayback(b, ctx, c, 0)
				live.add(playingFrames(frames))
				before := mainThreadMetrics(b, ctx)
				if err := chromedp.Do(ctx, chromedp.Click("#restart")); err != nil {
					b.Fatal(err)
				}
				frames = waitForPlayback(b, ctx, c, len(frames))
				work.add(mainThreadMetrics(b, ctx).minus(before))
				replay.add(playingFrames(frames))
				time.Sleep(time.Second)
				still.add(stillFrames(b, ctx))
			}
			work.frames = replay.frames
			b.ReportMetric(0, "ns/op")
			live.report(b, "live")
			replay.report(b, "replay")
			still.report(b, "still")
			work.report(b)
		})
	}
}

// frame is one frame the page recorded: its time in milliseconds from the
// start of the navigation, the playback's state and the iteration shown.
type frame struct {
	t         float64
	state     string
	iteration string
}

// recordedFrames reads the frames the page has recorded since the from-th.
func recordedFrames(tb testing.TB, ctx context.Context, from int) []frame {
	tb.Helper()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[][3]any](fmt.Sprintf("window.recordedFrames.slice(%d)", from)))
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]frame, len(raw))
	for i, r := range raw {
		t, _ := r[0].(float64)
		state, _ := r[1].(string)
		iteration, _ := r[2].(string)
		out[i] = frame{t, state, iteration}
	}
	return out
}

// waitForPlayback waits until the page's runs are all drawn to their last
// point and a playback has started and ended, and returns every frame
// recorded since the from-th.
func waitForPlayback(tb testing.TB, ctx context.Context, c animationCase, from int) []frame {
	tb.Helper()
	deadline := time.Now().Add(45 * time.Second)
	want := fmt.Sprintf("%d / %d", c.steps, c.steps)
	for {
		drawn, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[...document.querySelectorAll('[data-testid="trajectory"]')].map((el) => Number(el.dataset.points))`))
		if err != nil {
			tb.Fatal(err)
		}
		frames := recordedFrames(tb, ctx, from)
		if len(frames) > 0 {
			last := frames[len(frames)-1]
			complete := len(drawn) == c.runs && !slices.ContainsFunc(drawn, func(n int) bool { return n != c.steps+1 })
			// A playback seen to start, so that frames recorded before a
			// click on restart took effect do not pass for its end.
			started := playingFrames(frames) != nil
			if complete && started && last.state == "ended" && strings.TrimSpace(last.iteration) == want {
				return frames
			}
			if time.Now().After(deadline) {
				tb.Fatalf("the playback did not end with every run drawn in full: %d runs drawn (want %d of %d points), last frame %+v", len(drawn), c.runs, c.steps+1, last)
			}
		} else if time.Now().After(deadline) {
			tb.Fatalf("no frame recorded in 45 s: %d runs drawn", len(drawn))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// playingFrames returns the times of the frames of one playback: from the
// last frame at its start (playing at iteration 0) to the first frame
// after its end, so that a playback of a single slow frame still counts.
func playingFrames(frames []frame) []float64 {
	start := -1
	for i, f := range frames {
		atStart := strings.HasPrefix(strings.TrimSpace(f.iteration), "0 /")
		switch {
		case f.state == "playing" && (start < 0 || atStart):
			start = i
		case f.state == "ended" && start >= 0:
			var times []float64
			for _, g := range frames[start : i+1] {
				times = append(times, g.t)
			}
			return times
		}
	}
	return nil
}

// stillFrames records the page for half a second with nothing moving.
func stillFrames(tb testing.TB, ctx context.Context) []float64 {
	tb.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.recordedFrames.length`))
	if err != nil {
		tb.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	var times []float64
	for _, f := range recordedFrames(tb, ctx, n) {
		times = append(times, f.t)
	}
	return times
}

// frameStats gathers the intervals between frames over several passes.
type frameStats struct {
	intervals []float64 // milliseconds
	span      float64   // milliseconds covered
	frames    int
}

func (s *frameStats) add(times []float64) {
	for i := 1; i < len(times); i++ {
		s.intervals = append(s.intervals, times[i]-times[i-1])
	}
	if len(times) > 1 {
		s.span += times[len(times)-1] - times[0]
		s.frames += len(times) - 1
	}
}

// report gives the frames per second and the 95th percentile of the
// intervals, in milliseconds.
func (s *frameStats) report(b *testing.B, pass string) {
	if s.frames == 0 {
		b.Fatalf("%s: no frames recorded", pass)
	}
	sorted := slices.Sorted(slices.Values(s.intervals))
	p95 := sorted[min(len(sorted)-1, (len(sorted)*95+99)/100-1)]
	b.ReportMetric(float64(s.frames)/s.span*1000, pass+"-fps")
	b.ReportMetric(p95, pass+"-p95-frame-ms")
}

// mainThreadWork is the renderer's main-thread time, by kind, over the
// replays: Chromium's cumulative ScriptDuration, RecalcStyleDuration,
// LayoutDuration and TaskDuration (all of it, painting and the rest
// included), in seconds.
type mainThreadWork struct {
	script, style, layout, task float64
	frames                      int
}

func mainThreadMetrics(tb testing.TB, ctx context.Context) mainThreadWork {
	tb.Helper()
	res, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		tb.Fatal(err)
	}
	var w mainThreadWork
	for _, m := range res.Metrics {
		switch m.Name {
		case "ScriptDuration":
			w.script = m.Value
		case "RecalcStyleDuration":
			w.style = m.Value
		case "LayoutDuration":
			w.layout = m.Value
		case "TaskDuration":
			w.task = m.Value
		}
	}
	return w
}

func (w mainThreadWork) minus(v mainThreadWork) mainThreadWork {
	return mainThreadWork{script: w.script - v.script, style: w.style - v.style, layout: w.layout - v.layout, task: w.task - v.task}
}

func (w *mainThreadWork) add(v mainThreadWork) {
	w.script += v.script
	w.style += v.style
	w.layout += v.layout
	w.task += v.task
}

// report gives the main thread's time per replayed frame, in milliseconds.
func (w mainThreadWork) report(b *testing.B) {
	per := func(seconds float64) float64 { return seconds * 1000 / float64(max(w.frames, 1)) }
	b.ReportMetric(per(w.script), "script-ms/frame")
	b.ReportMetric(per(w.style), "style-ms/frame")
	b.ReportMetric(per(w.layout), "layout-ms/frame")
	b.ReportMetric(per(w.task-w.script-w.style-w.layout), "other-ms/frame")
}
