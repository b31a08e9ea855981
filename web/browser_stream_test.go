package web

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"saddlepoint/engine"
)

// TestBrowserBinaryStream checks that the page asks for its points in
// binary frames, gets every points message that way, and decodes them to
// exactly /api/run's numbers: each run's path, loss, running average,
// line-search probes, stages and trace, bit for bit.
func TestBrowserBinaryStream(t *testing.T) {
	ctx := browser(t)
	srv := newTestServer(t)

	var mu sync.Mutex
	var binaryFrames, textPoints int
	var runMessage string
	var frameErrors []string
	err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventWebSocketFrameSent:
			if strings.Contains(string(ev.Response.PayloadData), `"type":"run"`) {
				runMessage = string(ev.Response.PayloadData)
			}
		case *network.EventWebSocketFrameReceived:
			switch ev.Response.Opcode {
			case 2:
				if msg, err := decodePointsFrame(ev.Response.PayloadData); err != nil || msg.Type != "points" {
					frameErrors = append(frameErrors, fmt.Sprintf("binary frame of type %q: %v", msg.Type, err))
				}
				binaryFrames++
			case 1:
				if strings.Contains(string(ev.Response.PayloadData), `"type":"points"`) {
					textPoints++
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
			return err
		}),
		chromedp.Navigate(srv.URL+"/?surface=rosenbrock&steps=1500&opt=adam(lr=0.01,average=exponential)&opt=bfgs()"+
			"&opt=momentum(lr=0.001,average=uniform)&opt=sgd(lr=0.0005,stages=3,sigma0=1)"),
		chromedp.WaitVisible(`#plot`),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitForRuns(t, ctx, 4)

	type pageRun struct {
		Path    [][2]float64   `json:"path"`
		Loss    []float64      `json:"loss"`
		Average [][2]float64   `json:"average"`
		Evals   [][3]float64   `json:"evals"`
		Stages  []stageStart   `json:"stages"`
		Trace   []engine.Trace `json:"trace"`
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Request json.RawMessage `json:"request"`
		Runs    []pageRun       `json:"runs"`
	}](`({request: window.saddlepoint.state.request, runs: window.saddlepoint.state.runs.map((r) =>
		({path: r.path, loss: r.loss, average: r.average, evals: r.evals, stages: r.stages, trace: r.trace}))})`))
	if err != nil {
		t.Fatal(err)
	}
	want := apiRuns(t, srv, string(shown.Request))
	if len(shown.Runs) != len(want.Runs) {
		t.Fatalf("the page holds %d runs, /api/run gives %d", len(shown.Runs), len(want.Runs))
	}
	for i, w := range want.Runs {
		got := shown.Runs[i]
		if !slices.Equal(got.Path, w.Path) || !slices.Equal(got.Loss, w.Loss) {
			t.Errorf("%s: the page holds %d points and %d losses that differ from /api/run's %d", w.Name, len(got.Path), len(got.Loss), len(w.Path))
		}
		if !slices.Equal(got.Average, w.Average) || !slices.Equal(got.Evals, w.Evals) || !slices.Equal(got.Stages, w.Stages) {
			t.Errorf("%s: the page holds %d averages, %d probes and stages %v; /api/run %d, %d and %v, or they differ",
				w.Name, len(got.Average), len(got.Evals), got.Stages, len(w.Average), len(w.Evals), w.Stages)
		}
	}
	for i, w := range want.Runs {
		got := shown.Runs[i].Trace
		if len(got) != len(w.Trace) {
			t.Errorf("%s: the page holds %d trace entries, /api/run gives %d", w.Name, len(got), len(w.Trace))
			continue
		}
		for k := range got {
			text, err := json.Marshal(got[k])
			if err != nil {
				t.Fatal(err)
			}
			if string(text) != string(w.Trace[k]) {
				t.Errorf("%s trace %d: the page holds %s, /api/run gives %s", w.Name, k, text, w.Trace[k])
				break
			}
		}
	}
	var averages, probes, stages int
	for _, w := range want.Runs {
		averages += len(w.Average)
		probes += len(w.Evals)
		stages += len(w.Stages)
	}
	if averages == 0 || probes == 0 || stages != 3 || len(want.Runs[0].Trace) == 0 {
		t.Errorf("the test wants averages, probes, 3 stages and traces: /api/run gave %d, %d, %d and %d trace entries", averages, probes, stages, len(want.Runs[0].Trace))
	}

	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(runMessage, `"encoding":"binary"`) {
		t.Errorf("the page's run message %q does not ask for binary frames", runMessage)
	}
	for _, e := range frameErrors {
		t.Error(e)
	}
	if binaryFrames < len(want.Runs) || textPoints != 0 {
		t.Errorf("%d points messages in binary frames and %d as text; want every one binary", binaryFrames, textPoints)
	}
}
