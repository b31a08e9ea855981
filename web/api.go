package web

import (
	"net/http"
	"time"

	"saddlepoint/engine"
	"saddlepoint/surfaces"
)

// surfaceInfo is one entry of GET /api/surfaces.
type surfaceInfo struct {
	Name    string           `json:"name"`
	Formula string           `json:"formula"`
	About   string           `json:"about"`
	View    [4]float64       `json:"view"`
	Start   surfaces.Point   `json:"start"`
	Minima  []surfaces.Point `json:"minima"`
}

func describeSurface(s surfaces.Surface) surfaceInfo {
	minima := s.Minima
	if minima == nil {
		minima = []surfaces.Point{}
	}
	return surfaceInfo{
		Name:    s.Name,
		Formula: s.Formula,
		About:   s.About,
		View:    [4]float64{s.View.XMin, s.View.XMax, s.View.YMin, s.View.YMax},
		Start:   s.Start,
		Minima:  minima,
	}
}

func surfaceCatalogue() []surfaceInfo {
	var all []surfaceInfo
	for _, s := range surfaces.All() {
		all = append(all, describeSurface(s))
	}
	return all
}

// optimizerInfo is one entry of GET /api/optimizers.
type optimizerInfo struct {
	Name   string      `json:"name"`
	Title  string      `json:"title"`
	Rule   string      `json:"rule"`
	Params []paramInfo `json:"params"`
}

// paramInfo describes one parameter: min and max for numbers and integers,
// choices for a choice.
type paramInfo struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Default  any      `json:"default"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Choices  []string `json:"choices,omitempty"`
	About    string   `json:"about"`
	Advanced bool     `json:"advanced,omitempty"`
}

func describeParam(p engine.Param) paramInfo {
	info := paramInfo{Name: p.Name, Kind: p.Kind.String(), Default: p.Default, Choices: p.Choices, About: p.About, Advanced: p.Advanced}
	if p.Kind == engine.Number || p.Kind == engine.Integer {
		lo, hi := p.Min, p.Max
		info.Min, info.Max = &lo, &hi
	}
	return info
}

func optimizerCatalogue() []optimizerInfo {
	var all []optimizerInfo
	for _, m := range engine.Methods() {
		info := optimizerInfo{Name: m.Name, Title: m.Title, Rule: m.Rule, Params: []paramInfo{}}
		for _, p := range m.Params {
			info.Params = append(info.Params, describeParam(p))
		}
		all = append(all, info)
	}
	return all
}

func (s *Server) handleSurfaces(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, surfaceCatalogue())
}

func (s *Server) handleOptimizers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, optimizerCatalogue())
}

// runResponse is the answer to POST /api/run.
type runResponse struct {
	Surface string      `json:"surface"`
	Runs    []runResult `json:"runs"`
}

// runResult is one optimizer's finished trajectory. Average is present when
// the optimizer averages its iterates, Evals when it probes with a line
// search, and Trace when the request asked for it.
type runResult struct {
	Name    string           `json:"name"`
	Params  engine.Params    `json:"params"`
	Path    []surfaces.Point `json:"path"`
	Loss    []float64        `json:"loss"`
	Status  engine.Status    `json:"status"`
	Average []surfaces.Point `json:"average,omitempty"`
	Evals   [][3]float64     `json:"evals,omitempty"`
	Trace   []engine.Trace   `json:"trace,omitempty"`
	Stages  []stageStart     `json:"stages,omitempty"`
}

// stageStart marks where a continuation stage begins: the index of its first
// iterate and the σ of the blurred surface it runs on (0 for the surface
// itself).
type stageStart struct {
	From  int     `json:"from"`
	Sigma float64 `json:"sigma"`
}

// stageStarts lists the stages of a continuation run from the stage of every
// iterate.
func stageStarts(stage []int, sigma []float64) []stageStart {
	var starts []stageStart
	for k := range stage {
		if k == 0 || stage[k] != stage[k-1] {
			starts = append(starts, stageStart{From: k, Sigma: sigma[k]})
		}
	}
	return starts
}

func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
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
	run.limits.Budget = s.runBudget
	jobs := run.jobs()
	resp := runResponse{Surface: run.surface.Name, Runs: make([]runResult, len(jobs))}
	for i, j := range jobs {
		c := j.choice
		began := time.Now()
		res := engine.Run(run.surface.TwiceDifferentiable, c.newOptimizer(), j.start, run.limits, run.options(c)...)
		s.metrics.finished(c.method.Name, res.Status, len(res.Path), time.Since(began))
		resp.Runs[i] = runResult{
			Name: c.method.Name, Params: c.params, Status: res.Status,
			Path: nonNil(res.Path), Loss: nonNil(res.Loss),
			Average: res.Average, Evals: res.Evals, Trace: res.Trace,
		}
		if c.continuation != nil {
			resp.Runs[i].Stages = stageStarts(res.Stage, res.Sigma)
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// nonNil returns s, or an empty slice for nil, so that JSON shows [] rather
// than null for a run whose start already diverged.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
