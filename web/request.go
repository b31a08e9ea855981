package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// DefaultRunBudget is how long one optimizer run may compute before it ends
// with status budget; Config.RunBudget changes it for /api/run and /ws.
const DefaultRunBudget = 2 * time.Second

// Limits on a run request.
const (
	maxOptimizers = 8
	maxBodyBytes  = 64 << 10
)

// runRequest is the body of POST /api/run and of a WebSocket "run" message,
// as sent.
type runRequest struct {
	Surface    string                       `json:"surface"`
	Expr       string                       `json:"expr"`
	View       []float64                    `json:"view"`
	Normalize  bool                         `json:"normalize"`
	Start      []float64                    `json:"start"`
	Steps      *int                         `json:"steps"`
	Tol        *float64                     `json:"tol"`
	Optimizers []map[string]json.RawMessage `json:"optimizers"`
	Trace      bool                         `json:"trace"`
	Starts     *startsRequest               `json:"starts"`
}

// startsRequest asks for many starts drawn around a centre (see
// engine.StartCloud); every optimizer runs from each of them.
type startsRequest struct {
	N            *int      `json:"n"`
	Distribution string    `json:"distribution"`
	Scale        *float64  `json:"scale"`
	Center       []float64 `json:"center"`
	Seed         *uint64   `json:"seed"`
}

// Limits on many starts: at most maxStarts of them, and at most
// maxCloudSteps steps over all their runs together.
const (
	maxStarts     = 500
	maxCloudSteps = 20_000_000
)

// run is a validated run request: everything the engine needs.
type run struct {
	surface    surfaces.Surface
	start      surfaces.Point
	limits     engine.Limits
	optimizers []optimizerChoice
	trace      bool
	// starts, when not nil, replaces start: every optimizer runs from each.
	starts []surfaces.Point
}

// job is one run of a request: an optimizer from a start.
type job struct {
	choice optimizerChoice
	start  surfaces.Point
}

// jobs lists the runs of the request in the order of its answer: one per
// optimizer, or with many starts one per optimizer per start,
// optimizer-major.
func (r run) jobs() []job {
	starts := r.starts
	if starts == nil {
		starts = []surfaces.Point{r.start}
	}
	jobs := make([]job, 0, len(r.optimizers)*len(starts))
	for _, c := range r.optimizers {
		for _, s := range starts {
			jobs = append(jobs, job{c, s})
		}
	}
	return jobs
}

// optimizerChoice is one requested optimizer with its resolved parameters.
type optimizerChoice struct {
	method       engine.Method
	params       engine.Params
	continuation *continuation // nil: a plain run
}

// continuation asks for a run over blurred versions of the surface, from
// σ = Sigma0 down to the surface itself over Stages stages (see
// engine.WithContinuation).
type continuation struct {
	Sigma0 float64 `json:"sigma0"`
	Stages int     `json:"stages"`
}

// check reports what is wrong with c, naming the field.
func (c continuation) check() error {
	if !(c.Sigma0 > 0 && c.Sigma0 <= surfaces.MaxBlurSigma) {
		return fmt.Errorf("continuation.sigma0: must be above 0 and at most %g, got %g", surfaces.MaxBlurSigma, c.Sigma0)
	}
	if c.Stages < 1 || c.Stages > engine.MaxContinuationStages {
		return fmt.Errorf("continuation.stages: must be a whole number from 1 to %d, got %d", engine.MaxContinuationStages, c.Stages)
	}
	return nil
}

// newOptimizer returns a fresh optimizer for one run of this choice.
func (c optimizerChoice) newOptimizer() engine.Optimizer {
	return c.method.Build(c.params) // resolved when the request was validated
}

// options returns what the run of choice c records besides its path: the
// average its parameters ask for, and the trace when the request asks for it.
func (r run) options(c optimizerChoice) []engine.Option {
	opts := c.method.Options(c.params)
	if r.trace {
		opts = append(opts, engine.WithTrace())
	}
	if k := c.continuation; k != nil {
		opts = append(opts, engine.WithContinuation(k.Sigma0, k.Stages, c.newOptimizer))
	}
	return opts
}

// requestError is an error a client caused; its message names the field and
// what is allowed.
type requestError struct{ msg string }

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{msg: fmt.Sprintf(format, args...)}
}

// runFields lists the fields of a run request, for error messages.
const runFields = "surface, expr, view, normalize, start, steps, tol, optimizers, trace, starts"

// errTrailing reports data after the one JSON object a request may hold.
var errTrailing = badRequest("malformed JSON: unexpected data after the request object")

// decodeObject decodes exactly one JSON object from data into dst, refusing
// unknown fields and trailing data. Its error is encoding/json's, or
// errTrailing, for the caller to turn into a message.
func decodeObject(data []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// decodeStrict decodes one JSON object from data into dst as decodeObject
// does, with a message naming the field at fault. allowed lists dst's fields
// for the message about an unknown one.
func decodeStrict(data []byte, dst any, allowed string) error {
	switch err := decodeObject(data, dst); {
	case err == nil, err == errTrailing:
		return err
	default:
		return jsonError(err, allowed)
	}
}

// readBody reads a request body of at most maxBodyBytes, answering 413 if
// it is larger.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "request body: larger than the limit of 64 KiB")
		return nil, false
	}
	return body, true
}

// validateRun checks a decoded request and resolves its defaults.
func validateRun(req runRequest) (run, error) {
	var r run
	s, err := surfaceSpec{Name: req.Surface, Expr: req.Expr, View: req.View, Normalize: req.Normalize}.resolve()
	if err != nil {
		return r, err
	}
	r.surface = s
	r.start = s.Start
	if req.Start != nil {
		if len(req.Start) != 2 {
			return r, badRequest("start: must be an array of two numbers [x, y], got %d numbers", len(req.Start))
		}
		for i, v := range req.Start {
			if math.IsNaN(v) || math.Abs(v) > engine.DivergenceBound {
				return r, badRequest("start[%d]: must be a number between %g and %g, got %g", i, -engine.DivergenceBound, engine.DivergenceBound, v)
			}
		}
		r.start = surfaces.Point{req.Start[0], req.Start[1]}
	}
	r.trace = req.Trace
	r.limits = engine.Limits{Steps: engine.DefaultSteps, Tol: engine.DefaultTol, Budget: DefaultRunBudget}
	if req.Steps != nil {
		if *req.Steps < 1 || *req.Steps > engine.MaxStepLimit {
			return r, badRequest("steps: must be a whole number from 1 to %d, got %d", engine.MaxStepLimit, *req.Steps)
		}
		r.limits.Steps = *req.Steps
	}
	if req.Tol != nil {
		if !(*req.Tol >= 0 && *req.Tol <= 1) {
			return r, badRequest("tol: must be between 0 and 1 (0 disables the convergence test), got %g", *req.Tol)
		}
		r.limits.Tol = *req.Tol
	}
	if len(req.Optimizers) < 1 || len(req.Optimizers) > maxOptimizers {
		return r, badRequest("optimizers: must list 1 to %d optimizers, got %d", maxOptimizers, len(req.Optimizers))
	}
	for i, fields := range req.Optimizers {
		choice, err := decodeOptimizer(fields)
		if err != nil {
			return r, badRequest("optimizers[%d].%s", i, err.Error())
		}
		if err := checkBatch(choice, s); err != nil {
			return r, badRequest("optimizers[%d].%s", i, err.Error())
		}
		r.optimizers = append(r.optimizers, choice)
	}
	if req.Starts != nil {
		starts, err := validateStarts(*req.Starts, r)
		if err != nil {
			return r, err
		}
		r.starts = starts
	}
	return r, nil
}

// validateStarts checks a request for many starts and draws them. The
// centre defaults to the run's start and the scale to a tenth of the
// larger side of the surface's view.
func validateStarts(req startsRequest, r run) ([]surfaces.Point, error) {
	if req.N == nil || *req.N < 1 || *req.N > maxStarts {
		return nil, badRequest("starts.n: required, a whole number from 1 to %d", maxStarts)
	}
	v := r.surface.View
	cloud := engine.StartCloud{N: *req.N, Distribution: "normal", Scale: math.Max(v.XMax-v.XMin, v.YMax-v.YMin) / 10, Center: r.start, Seed: 1}
	if req.Distribution != "" {
		if !slices.Contains(engine.Distributions, req.Distribution) {
			return nil, badRequest("starts.distribution: must be %q or %q, got %q", engine.Distributions[0], engine.Distributions[1], req.Distribution)
		}
		cloud.Distribution = req.Distribution
	}
	if req.Scale != nil {
		if !(*req.Scale >= 0 && *req.Scale <= engine.DivergenceBound) {
			return nil, badRequest("starts.scale: must be between 0 and %g, got %g", engine.DivergenceBound, *req.Scale)
		}
		cloud.Scale = *req.Scale
	}
	if req.Center != nil {
		if len(req.Center) != 2 || math.Abs(req.Center[0]) > engine.DivergenceBound || math.Abs(req.Center[1]) > engine.DivergenceBound {
			return nil, badRequest("starts.center: must be [x, y], each between %g and %g", -engine.DivergenceBound, engine.DivergenceBound)
		}
		cloud.Center = surfaces.Point{req.Center[0], req.Center[1]}
	}
	if req.Seed != nil {
		cloud.Seed = *req.Seed
	}
	if total := cloud.N * len(r.optimizers) * r.limits.Steps; total > maxCloudSteps {
		return nil, badRequest("starts.n: %d starts × %d optimizers × %d steps is %d steps, more than the limit of %d; use fewer starts or steps",
			cloud.N, len(r.optimizers), r.limits.Steps, total, maxCloudSteps)
	}
	return cloud.Points(), nil
}

// checkBatch refuses a minibatch size on a surface that is not made of
// examples, or larger than its number of examples.
func checkBatch(c optimizerChoice, s surfaces.Surface) error {
	size, ok := c.params["batch"].(float64)
	if !ok || size == 0 {
		return nil
	}
	data, ok := s.TwiceDifferentiable.(engine.Minibatcher)
	if !ok {
		return fmt.Errorf("batch: only on least-squares, whose loss is a mean over examples; use 0 here")
	}
	if int(size) > data.Rows() {
		return fmt.Errorf("batch: at most the %d examples of %s, got %g", data.Rows(), s.Name, size)
	}
	if c.continuation != nil {
		return fmt.Errorf("batch: not with continuation, whose blurred surfaces are no mean over examples; use 0 here or leave out continuation")
	}
	return nil
}

// decodeOptimizer reads one optimizer entry, {"name": "adam", "lr": 0.01, ...}.
// Its error starts with the offending field's name, relative to the entry.
func decodeOptimizer(fields map[string]json.RawMessage) (optimizerChoice, error) {
	rawName, ok := fields["name"]
	if !ok {
		return optimizerChoice{}, fmt.Errorf("name: required, one of %s", strings.Join(engine.MethodNames(), ", "))
	}
	var name string
	if err := json.Unmarshal(rawName, &name); err != nil {
		return optimizerChoice{}, fmt.Errorf("name: must be a string, one of %s", strings.Join(engine.MethodNames(), ", "))
	}
	m, ok := engine.LookupMethod(name)
	if !ok {
		return optimizerChoice{}, fmt.Errorf("name: unknown optimizer %q, expected one of %s", name, strings.Join(engine.MethodNames(), ", "))
	}
	var cont *continuation
	if raw, ok := fields["continuation"]; ok {
		cont = &continuation{}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(cont); err != nil {
			return optimizerChoice{}, fmt.Errorf(`continuation: must be an object {"sigma0": 1, "stages": 3}`)
		}
		if err := cont.check(); err != nil {
			return optimizerChoice{}, err
		}
	}
	given := map[string]any{}
	for key, raw := range fields {
		if key == "name" || key == "continuation" {
			continue
		}
		var v any // float64, bool, string, nil, or a slice or map for Resolve to refuse
		if err := json.Unmarshal(raw, &v); err != nil {
			return optimizerChoice{}, fmt.Errorf("%s: must be a finite number", key)
		}
		given[key] = v
	}
	params, err := m.Resolve(given)
	if err != nil {
		var pe *engine.ParamError
		if errors.As(err, &pe) {
			return optimizerChoice{}, fmt.Errorf("%s: %s", pe.Param, pe.Reason)
		}
		return optimizerChoice{}, err
	}
	return optimizerChoice{method: m, params: params, continuation: cont}, nil
}

// jsonError turns an encoding/json error into a message naming the field.
func jsonError(err error, allowed string) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return badRequest("malformed request: expected a JSON object, got %s", typeErr.Value)
		}
		return badRequest("%s: %s", field, expectation(field, typeErr.Value))
	case errors.As(err, &syntaxErr):
		return badRequest("malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.Is(err, io.EOF):
		return badRequest("malformed JSON: empty request, expected a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the request ends too soon")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return badRequest("%s: unknown field (allowed: %s)", strings.Trim(field, `"`), allowed)
	}
	return badRequest("malformed JSON: %s", err.Error())
}

// expectation says what a field of runRequest must hold.
func expectation(field, got string) string {
	switch {
	case field == "surface":
		return "must be a string naming a surface, got " + got
	case field == "expr":
		return "must be a string, a function of x and y, got " + got
	case field == "view":
		return "must be [xmin, xmax, ymin, ymax], got " + got
	case field == "normalize":
		return "must be true or false, got " + got
	case strings.HasPrefix(field, "start"):
		return "must be an array of two numbers [x, y], got " + got
	case field == "steps":
		return fmt.Sprintf("must be a whole number from 1 to %d, got %s", engine.MaxStepLimit, got)
	case field == "tol":
		return "must be a number between 0 and 1, got " + got
	case strings.HasPrefix(field, "starts"):
		return `must be an object like {"n": 100, "distribution": "normal", "scale": 0.5, "center": [0, 0], "seed": 1}, got ` + got
	case field == "trace":
		return "must be true or false, got " + got
	case strings.HasPrefix(field, "optimizers"):
		return `must be an array of objects like {"name": "adam", "lr": 0.01}, got ` + got
	}
	return "wrong type: " + got
}
