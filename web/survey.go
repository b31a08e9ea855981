package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
	"saddlepoint/survey"
)

// Limits on the survey requests, which run one optimizer many times.
const (
	// maxSurveySteps bounds the steps a basin map or a sweep may take in
	// all, resolution² × steps or x.n × y.n × steps: a 256 × 256 basin map
	// of 512 steps, about a second of both cores for a first-order method.
	// A tuning takes at most 25 × 8 × 100000 = 20 million steps, below it.
	maxSurveySteps = 1 << 25
	// maxResolution is the largest basin map, maxResolution² starts.
	maxResolution     = 256
	defaultResolution = 64
)

// Fields of the survey requests, for error messages.
const (
	basinsFields = "surface, expr, view, normalize, optimizer, steps, tol, resolution"
	sweepFields  = "surface, expr, view, normalize, start, optimizer, steps, tol, x, y"
	axisFields   = "param, min, max, n, scale"
)

// basinsRequest is the body of POST /api/basins.
type basinsRequest struct {
	Surface    string                     `json:"surface"`
	Expr       string                     `json:"expr"`
	View       []float64                  `json:"view"`
	Normalize  bool                       `json:"normalize"`
	Optimizer  map[string]json.RawMessage `json:"optimizer"`
	Steps      *int                       `json:"steps"`
	Tol        *float64                   `json:"tol"`
	Resolution *int                       `json:"resolution"`
}

// basinsResponse is the answer to POST /api/basins: for each start of the
// grid, row-major from the view's lower-left corner, the index into Minima
// of the minimum its run ended at (or −1 diverged, −2 not converged) and
// the steps it took. The first Known minima are the surface's; the rest are
// clusters of converged end points farther than Radius from all of them.
type basinsResponse struct {
	Surface    string           `json:"surface"`
	Optimizer  string           `json:"optimizer"`
	Params     engine.Params    `json:"params"`
	View       [4]float64       `json:"view"`
	Resolution int              `json:"resolution"`
	Minima     []surfaces.Point `json:"minima"`
	Known      int              `json:"known"`
	Radius     float64          `json:"radius"`
	Basin      []int            `json:"basin"`
	Steps      []int            `json:"steps"`
}

func (s *Server) handleBasins(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req basinsRequest
	if err := decodeSurvey(body, &req, "", basinsFields); err != nil {
		writeRequestError(w, err)
		return
	}
	run, choice, err := validateOneOptimizer(runRequest{Surface: req.Surface, Expr: req.Expr, View: req.View, Normalize: req.Normalize,
		Steps: req.Steps, Tol: req.Tol}, req.Optimizer)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	n := defaultResolution
	if req.Resolution != nil {
		if n = *req.Resolution; n < 2 || n > maxResolution {
			writeRequestError(w, badRequest("resolution: must be a whole number from 2 to %d, got %d", maxResolution, n))
			return
		}
	}
	if steps := run.limits.Steps; n*n*steps > maxSurveySteps {
		writeRequestError(w, badRequest("steps: resolution² × steps must be at most %d, got %d² × %d = %d; at resolution %d steps can be up to %d",
			maxSurveySteps, n, steps, n*n*steps, n, maxSurveySteps/(n*n)))
		return
	}
	view := run.surface.View
	m, err := survey.Basins(r.Context(), setupOf(run, choice), view, n, run.surface.Minima)
	if err != nil {
		return // the client has gone
	}
	resp := basinsResponse{
		Surface:    run.surface.Name,
		Optimizer:  choice.method.Name,
		Params:     choice.params,
		View:       [4]float64{view.XMin, view.XMax, view.YMin, view.YMax},
		Resolution: n,
		Minima:     m.Minima,
		Known:      m.Known,
		Radius:     m.Radius,
		Basin:      m.Basin,
		Steps:      make([]int, len(m.Runs)),
	}
	for k, out := range m.Runs {
		resp.Steps[k] = out.Steps
	}
	writeJSON(w, http.StatusOK, resp)
}

// sweepRequest is the body of POST /api/sweep. The axes are decoded on
// their own, so that an error inside one names it.
type sweepRequest struct {
	Surface   string                     `json:"surface"`
	Expr      string                     `json:"expr"`
	View      []float64                  `json:"view"`
	Normalize bool                       `json:"normalize"`
	Start     []float64                  `json:"start"`
	Optimizer map[string]json.RawMessage `json:"optimizer"`
	Steps     *int                       `json:"steps"`
	Tol       *float64                   `json:"tol"`
	X         json.RawMessage            `json:"x"`
	Y         json.RawMessage            `json:"y"`
}

// axisRequest is one axis of a sweep, as sent.
type axisRequest struct {
	Param string   `json:"param"`
	Min   *float64 `json:"min"`
	Max   *float64 `json:"max"`
	N     *int     `json:"n"`
	Scale *string  `json:"scale"`
}

// sweepResponse is the answer to POST /api/sweep: for each pair of values,
// row-major with y outer (index j·len(x.values) + i for x.values[i] and
// y.values[j]), the final loss, the status and the steps taken. Params are
// the optimizer's other parameters, resolved.
type sweepResponse struct {
	Surface   string          `json:"surface"`
	Start     surfaces.Point  `json:"start"`
	Optimizer string          `json:"optimizer"`
	Params    engine.Params   `json:"params"`
	X         sweptAxis       `json:"x"`
	Y         sweptAxis       `json:"y"`
	Loss      []float64       `json:"loss"`
	Status    []engine.Status `json:"status"`
	Steps     []int           `json:"steps"`
}

type sweptAxis struct {
	Param  string       `json:"param"`
	Scale  survey.Scale `json:"scale"`
	Values []float64    `json:"values"`
}

func (s *Server) handleSweep(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req sweepRequest
	if err := decodeSurvey(body, &req, "", sweepFields); err != nil {
		writeRequestError(w, err)
		return
	}
	run, choice, err := validateOneOptimizer(runRequest{Surface: req.Surface, Expr: req.Expr, View: req.View, Normalize: req.Normalize,
		Start: req.Start, Steps: req.Steps, Tol: req.Tol}, req.Optimizer)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	x, err := decodeAxis("x", req.X)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	y, err := decodeAxis("y", req.Y)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	if err := survey.CheckAxes(choice.method, x, y); err != nil {
		writeRequestError(w, badRequest("%s", err))
		return
	}
	if steps := run.limits.Steps; x.N*y.N*steps > maxSurveySteps {
		writeRequestError(w, badRequest("steps: x.n × y.n × steps must be at most %d, got %d × %d × %d = %d",
			maxSurveySteps, x.N, y.N, steps, x.N*y.N*steps))
		return
	}
	m, err := survey.Sweep(r.Context(), setupOf(run, choice), run.start, x, y)
	switch {
	case errors.Is(err, survey.ErrStartNotFinite):
		writeRequestError(w, badRequest("start: %s is not finite at (%g, %g); choose another start", run.surface.Name, run.start[0], run.start[1]))
		return
	case err != nil:
		return // the client has gone
	}
	params := maps.Clone(choice.params)
	delete(params, x.Param)
	delete(params, y.Param)
	resp := sweepResponse{
		Surface:   run.surface.Name,
		Start:     run.start,
		Optimizer: choice.method.Name,
		Params:    params,
		X:         sweptAxis{Param: x.Param, Scale: x.Scale, Values: m.X},
		Y:         sweptAxis{Param: y.Param, Scale: y.Scale, Values: m.Y},
		Loss:      make([]float64, len(m.Runs)),
		Status:    make([]engine.Status, len(m.Runs)),
		Steps:     make([]int, len(m.Runs)),
	}
	for k, out := range m.Runs {
		resp.Loss[k], resp.Status[k], resp.Steps[k] = out.Loss, out.Status, out.Steps
	}
	writeJSON(w, http.StatusOK, resp)
}

// decodeAxis reads the axis called name ("x" or "y") of a sweep request.
func decodeAxis(name string, raw json.RawMessage) (survey.Axis, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return survey.Axis{}, badRequest("%s: required, %s", name, axisExample)
	}
	var req axisRequest
	if err := decodeSurvey(raw, &req, name+".", axisFields); err != nil {
		return survey.Axis{}, err
	}
	a := survey.Axis{Param: req.Param, Scale: survey.Linear}
	switch {
	case req.Min == nil:
		return a, badRequest("%s.min: required, the first value of the parameter", name)
	case req.Max == nil:
		return a, badRequest("%s.max: required, the last value of the parameter", name)
	case req.N == nil:
		return a, badRequest("%s.n: required, a whole number of values from 2 to %d", name, survey.MaxAxisValues)
	}
	a.Min, a.Max, a.N = *req.Min, *req.Max, *req.N
	if req.Scale != nil {
		a.Scale = survey.Scale(*req.Scale)
	}
	return a, nil
}

const axisExample = `an object like {"param": "lr", "min": 0.0001, "max": 1, "n": 32, "scale": "log"}`

// tuneResponse is the answer to POST /api/tune: for each optimizer of the
// request, in order, the learning rate of Grid whose run ended with the
// lowest loss, and the parameters to race it with.
type tuneResponse struct {
	Surface    string           `json:"surface"`
	Start      surfaces.Point   `json:"start"`
	Grid       []float64        `json:"grid"`
	Optimizers []tunedOptimizer `json:"optimizers"`
}

// tunedOptimizer is one optimizer of a tuning: LR, Loss, Status and Steps
// are those of the chosen run when Tuned; otherwise Note says why not, and
// Params are as requested.
type tunedOptimizer struct {
	Name   string        `json:"name"`
	Params engine.Params `json:"params"`
	Tuned  bool          `json:"tuned"`
	LR     *float64      `json:"lr,omitempty"`
	Loss   *float64      `json:"loss,omitempty"`
	Status engine.Status `json:"status,omitempty"`
	Steps  *int          `json:"steps,omitempty"`
	Note   string        `json:"note,omitempty"`
}

func (s *Server) handleTune(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req runRequest
	if err := decodeStrict(body, &req, runFields); err != nil {
		writeRequestError(w, err)
		return
	}
	run, err := validateRun(req)
	if err != nil {
		writeRequestError(w, err)
		return
	}
	if run.starts != nil {
		writeRequestError(w, badRequest("starts: not allowed in a tuning, which runs from one start; leave it out"))
		return
	}
	run.trace = false // a tuning keeps no paths
	grid := survey.LRGrid()
	resp := tuneResponse{Surface: run.surface.Name, Start: run.start, Grid: grid, Optimizers: make([]tunedOptimizer, len(run.optimizers))}
	for i, c := range run.optimizers {
		tuning, err := survey.TuneLR(r.Context(), setupOf(run, c), run.start)
		t := tunedOptimizer{Name: c.method.Name, Params: c.params}
		switch {
		case errors.Is(err, survey.ErrNoLearningRate):
			t.Note = c.method.Name + " has no learning rate lr to tune; it races as given"
		case err != nil:
			return // the client has gone
		case tuning.Best < 0:
			t.Note = fmt.Sprintf("%s diverged at every learning rate from %g to %g; it races as given", c.method.Name, grid[0], grid[len(grid)-1])
		default:
			best := tuning.Runs[tuning.Best]
			lr := tuning.Grid[tuning.Best]
			t.Params = maps.Clone(c.params)
			t.Params["lr"] = lr
			t.Tuned, t.LR, t.Loss, t.Status, t.Steps = true, &lr, &best.Loss, best.Status, &best.Steps
		}
		resp.Optimizers[i] = t
	}
	writeJSON(w, http.StatusOK, resp)
}

// setupOf returns what every run of a survey of choice c under run r
// shares. Each run's options are those of c with the run's parameters, so
// that the stages of a continuation run of a sweep or a tuning build their
// optimizers with the swept values.
func setupOf(r run, c optimizerChoice) survey.Setup {
	return survey.Setup{
		F:      r.surface.TwiceDifferentiable, // not the Surface, whose promoted methods copy it on every call
		Method: c.method,
		Params: c.params,
		Limits: r.limits,
		Options: func(p engine.Params) []engine.Option {
			cell := c
			cell.params = p
			return r.options(cell)
		},
	}
}

// validateOneOptimizer validates a survey request's surface, start, steps
// and tol as validateRun does those of req, and its one optimizer entry,
// whose errors it names optimizer.<field>.
func validateOneOptimizer(req runRequest, optimizer map[string]json.RawMessage) (run, optimizerChoice, error) {
	if optimizer == nil {
		return run{}, optimizerChoice{}, badRequest(`optimizer: required, an object like {"name": "adam", "lr": 0.01}`)
	}
	req.Optimizers = []map[string]json.RawMessage{optimizer}
	r, err := validateRun(req)
	if err != nil {
		if rest, ok := strings.CutPrefix(err.Error(), "optimizers[0]."); ok {
			return r, optimizerChoice{}, badRequest("optimizer.%s", rest)
		}
		return r, optimizerChoice{}, err
	}
	return r, r.optimizers[0], nil
}

// decodeSurvey decodes one JSON object as decodeStrict does, saying what
// the survey requests' own fields hold when one has the wrong type, and
// naming the fields of a nested object, such as an axis, with prefix ("x.").
func decodeSurvey(data []byte, dst any, prefix, allowed string) error {
	err := decodeObject(data, dst)
	if err == nil || err == errTrailing {
		return err
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if field := strings.TrimSuffix(prefix+typeErr.Field, "."); field != "" {
			return badRequest("%s: %s", field, surveyExpectation(field, typeErr.Value))
		}
	}
	err = jsonError(err, allowed)
	if prefix != "" {
		return badRequest("%s%s", prefix, err.Error())
	}
	return err
}

// surveyExpectation says what a field of a survey request must hold.
func surveyExpectation(field, got string) string {
	switch field {
	case "optimizer":
		return `must be an object like {"name": "adam", "lr": 0.01}, got ` + got
	case "resolution":
		return fmt.Sprintf("must be a whole number from 2 to %d, got %s", maxResolution, got)
	case "x", "y":
		return "must be " + axisExample + ", got " + got
	}
	if axis, name, ok := strings.Cut(field, "."); ok && (axis == "x" || axis == "y") {
		switch name {
		case "param":
			return "must be a string naming a number or integer parameter of the optimizer, got " + got
		case "min", "max":
			return "must be a number, got " + got
		case "n":
			return fmt.Sprintf("must be a whole number from 2 to %d, got %s", survey.MaxAxisValues, got)
		case "scale":
			return `must be "linear" or "log", got ` + got
		}
	}
	return expectation(field, got)
}
