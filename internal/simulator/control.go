package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ControlPrefix is where the control API lives, apart from SolarNetwork's
// /solaruser and /solarquery paths.
const ControlPrefix = "/_sim/"

// maxControlBody bounds a control request body.
const maxControlBody = 1 << 20

// ControlHandler returns the control API: plain JSON over HTTP, without
// SNWS2, doing what a second writer would do (s10k, the SolarUser web app)
// through the out-of-band methods of out_of_band.go, plus fault injection and the
// request log. Control requests neither pass through fault injection nor
// appear in the request log. It is a local test aid: serve it on loopback
// only. cmd/solarsim/README.md documents every path.
func (s *Simulator) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_sim/{$}", s.controlIndex)
	mux.HandleFunc("GET /_sim/tokens", s.controlListTokens)
	mux.HandleFunc("POST /_sim/tokens", s.controlCreateToken)
	mux.HandleFunc("GET /_sim/tokens/{id}", s.controlGetToken)
	mux.HandleFunc("PATCH /_sim/tokens/{id}", s.controlUpdateToken)
	mux.HandleFunc("DELETE /_sim/tokens/{id}", s.controlDeleteToken)
	mux.HandleFunc("PUT /_sim/tokens/{id}/policy", s.controlReplacePolicy)
	mux.HandleFunc("PATCH /_sim/tokens/{id}/policy", s.controlMergePolicy)
	mux.HandleFunc("GET /_sim/faults", s.controlListFaults)
	mux.HandleFunc("POST /_sim/faults", s.controlInjectFault)
	mux.HandleFunc("DELETE /_sim/faults", s.controlClearFaults)
	mux.HandleFunc("GET /_sim/caches", s.controlGetCaches)
	mux.HandleFunc("PUT /_sim/caches", s.controlSetCaches)
	mux.HandleFunc("GET /_sim/clock", s.controlGetClock)
	mux.HandleFunc("PUT /_sim/clock", s.controlSetClock)
	mux.HandleFunc("GET /_sim/requests", s.controlListRequests)
	mux.HandleFunc("DELETE /_sim/requests", s.controlResetRequests)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r) // sets the path values
			return
		}
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			controlError(w, http.StatusMethodNotAllowed, "%s %s: use %s", r.Method, r.URL.Path, strings.Join(allow, ", "))
			return
		}
		controlError(w, http.StatusNotFound, "no control endpoint %s %s; GET %s lists them", r.Method, r.URL.Path, ControlPrefix)
	})
}

// HandlerWithControl serves the control API under ControlPrefix and the
// SolarNetwork API (Handler) everywhere else.
func (s *Simulator) HandlerWithControl() http.Handler {
	control := s.ControlHandler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, ControlPrefix):
			control.ServeHTTP(w, r)
		case r.URL.Path+"/" == ControlPrefix:
			http.Redirect(w, r, ControlPrefix, http.StatusMovedPermanently)
		default:
			s.handler.ServeHTTP(w, r)
		}
	})
}

// ControlEndpoints describes the control API, one endpoint a line; GET
// /_sim/ answers with it.
func ControlEndpoints() []string { return slices.Clone(controlEndpoints) }

var controlEndpoints = []string{
	"GET    /_sim/tokens                 list tokens (no secrets)",
	"POST   /_sim/tokens                 create a token as s10k would: {\"type\",\"name\",\"description\",\"status\",\"policy\"}; the answer has its authSecret",
	"GET    /_sim/tokens/{id}            one token",
	"PATCH  /_sim/tokens/{id}            set any of {\"name\",\"description\",\"status\"}",
	"DELETE /_sim/tokens/{id}            delete a token",
	"PUT    /_sim/tokens/{id}/policy     replace the policy (SolarNetwork policy JSON; null removes it)",
	"PATCH  /_sim/tokens/{id}/policy     merge into the policy, like s10k sec-tokens update without --replace",
	"GET    /_sim/faults                 pending faults",
	"POST   /_sim/faults                 inject a fault: {\"method\",\"path\",\"times\",\"status\",\"code\",\"retryAfter\",\"delay\",\"dropConnection\",\"afterHandling\",\"landAfter\"}",
	"DELETE /_sim/faults                 clear pending faults",
	"GET    /_sim/caches                 SolarNetwork's token-list caches: {\"responseCacheTTL\",\"listLag\"}",
	"PUT    /_sim/caches                 set them (absent or \"0s\": off), e.g. {\"responseCacheTTL\":\"60s\",\"listLag\":\"15m\"}",
	"GET    /_sim/clock                  SolarNetwork's clock: {\"now\",\"offset\"}",
	"PUT    /_sim/clock                  move it: {\"offset\":\"80d\"} (Go duration or days; \"0s\" for none)",
	"GET    /_sim/requests               the request log of the SolarNetwork API, oldest first",
	"DELETE /_sim/requests               clear the request log",
}

func (s *Simulator) controlIndex(w http.ResponseWriter, _ *http.Request) {
	controlJSON(w, http.StatusOK, struct {
		Endpoints []string `json:"endpoints"`
	}{controlEndpoints})
}

func (s *Simulator) controlListTokens(w http.ResponseWriter, _ *http.Request) {
	now := s.now()
	toks := s.Tokens()
	out := make([]tokenJSON, 0, len(toks))
	for i := range toks {
		out = append(out, toks[i].toJSON(now, false))
	}
	controlJSON(w, http.StatusOK, out)
}

func (s *Simulator) controlGetToken(w http.ResponseWriter, r *http.Request) {
	s.controlRespondToken(w, http.StatusOK, r.PathValue("id"), false)
}

// controlRespondToken answers with a token's JSON, or 404.
func (s *Simulator) controlRespondToken(w http.ResponseWriter, status int, id string, withSecret bool) {
	t, ok := s.Token(id)
	if !ok {
		controlError(w, http.StatusNotFound, "no token %q", id)
		return
	}
	controlJSON(w, status, t.toJSON(s.now(), withSecret))
}

// controlCreate is the body of POST /_sim/tokens.
type controlCreate struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Status      string          `json:"status"`
	Policy      json.RawMessage `json:"policy"`
}

func (s *Simulator) controlCreateToken(w http.ResponseWriter, r *http.Request) {
	var req controlCreate
	if !decodeControl(w, r, &req) {
		return
	}
	if !validType(req.Type) {
		controlError(w, http.StatusBadRequest, "type must be %q or %q, not %q", TypeReadNodeData, TypeUser, req.Type)
		return
	}
	if req.Status != "" && !validStatus(req.Status) {
		controlError(w, http.StatusBadRequest, "status must be %q or %q, not %q", StatusActive, StatusDisabled, req.Status)
		return
	}
	p, ok := controlPolicy(w, req.Policy)
	if !ok {
		return
	}
	// s10k generates through the API, which refuses nodes the user does
	// not own; so does this.
	if p != nil {
		for _, id := range p.NodeIDs {
			if s.nodes[id] != s.userID {
				controlError(w, http.StatusForbidden, "node %d is not one of the account's nodes", id)
				return
			}
		}
	}
	var probe Token
	if err := setInfo(&probe, req.Name, req.Description); err != nil {
		controlError(w, http.StatusBadRequest, "%v", err)
		return
	}
	t := s.CreateToken(req.Type, p)
	if req.Name != "" || req.Description != "" {
		if err := s.SetInfo(t.ID, req.Name, req.Description); err != nil {
			controlError(w, http.StatusInternalServerError, "%v", err)
			return
		}
	}
	if req.Status != "" && req.Status != t.Status {
		if err := s.SetStatus(t.ID, req.Status); err != nil {
			controlError(w, http.StatusInternalServerError, "%v", err)
			return
		}
	}
	s.controlRespondToken(w, http.StatusCreated, t.ID, true)
}

// controlUpdate is the body of PATCH /_sim/tokens/{id}: absent fields stay.
type controlUpdate struct {
	Name        *string `json:"name"`
	Description *string `json:"description"`
	Status      *string `json:"status"`
}

func (s *Simulator) controlUpdateToken(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var req controlUpdate
	if !decodeControl(w, r, &req) {
		return
	}
	t, ok := s.Token(id)
	if !ok {
		controlError(w, http.StatusNotFound, "no token %q", id)
		return
	}
	if req.Status != nil && !validStatus(*req.Status) {
		controlError(w, http.StatusBadRequest, "status must be %q or %q, not %q", StatusActive, StatusDisabled, *req.Status)
		return
	}
	if req.Name != nil || req.Description != nil {
		name, desc := t.Name, t.Description
		if req.Name != nil {
			name = *req.Name
		}
		if req.Description != nil {
			desc = *req.Description
		}
		if !s.controlEdit(w, id, s.SetInfo(id, name, desc)) {
			return
		}
	}
	if req.Status != nil && !s.controlEdit(w, id, s.SetStatus(id, *req.Status)) {
		return
	}
	s.controlRespondToken(w, http.StatusOK, id, false)
}

func (s *Simulator) controlDeleteToken(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, ok := s.Token(id); !ok {
		controlError(w, http.StatusNotFound, "no token %q", id)
		return
	}
	s.DeleteToken(id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Simulator) controlReplacePolicy(w http.ResponseWriter, r *http.Request) {
	s.controlPolicyEdit(w, r, s.SetPolicy)
}

func (s *Simulator) controlMergePolicy(w http.ResponseWriter, r *http.Request) {
	s.controlPolicyEdit(w, r, s.MergePolicy)
}

// controlPolicyEdit reads a SolarNetwork policy body and applies it with
// SetPolicy or MergePolicy.
func (s *Simulator) controlPolicyEdit(w http.ResponseWriter, r *http.Request, apply func(string, *Policy) error) {
	id := r.PathValue("id")
	body, ok := readControlBody(w, r)
	if !ok {
		return
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		controlError(w, http.StatusBadRequest, "the body must be a SolarNetwork security policy as JSON, or null")
		return
	}
	p, ok := controlPolicy(w, body)
	if !ok {
		return
	}
	if s.controlEdit(w, id, apply(id, p)) {
		s.controlRespondToken(w, http.StatusOK, id, false)
	}
}

// controlEdit answers an admin method's error and reports whether there was
// none.
func (s *Simulator) controlEdit(w http.ResponseWriter, id string, err error) bool {
	switch {
	case errors.Is(err, ErrUnknownToken):
		controlError(w, http.StatusNotFound, "no token %q", id)
	case err != nil:
		controlError(w, http.StatusBadRequest, "%v", err)
	default:
		return true
	}
	return false
}

// controlPolicy parses a policy in SolarNetwork's JSON shape (as s10k and
// the API take it); absent or null is no policy.
func controlPolicy(w http.ResponseWriter, raw json.RawMessage) (*Policy, bool) {
	trimmed := strings.TrimSpace(string(raw))
	if trimmed == "" || trimmed == "null" {
		return nil, true
	}
	p, err := parsePolicyBody(raw)
	if err != nil {
		controlError(w, http.StatusBadRequest, "policy: %s", strings.TrimPrefix(err.Error(), errPolicyBody.Error()+": "))
		return nil, false
	}
	return p, true
}

// faultJSON is a Fault on the wire; durations are Go durations ("1.5s").
type faultJSON struct {
	Method         string `json:"method,omitempty"`
	Path           string `json:"path,omitempty"`
	Times          int    `json:"times,omitempty"`
	Remaining      int    `json:"remaining,omitempty"` // in GET answers; <0: unlimited
	Status         int    `json:"status,omitempty"`
	Code           string `json:"code,omitempty"`
	RetryAfter     string `json:"retryAfter,omitempty"`
	Delay          string `json:"delay,omitempty"`
	DropConnection bool   `json:"dropConnection,omitempty"`
	AfterHandling  bool   `json:"afterHandling,omitempty"`
	LandAfter      string `json:"landAfter,omitempty"`
}

func toFaultJSON(f Fault) faultJSON {
	j := faultJSON{Method: f.Method, Path: f.Path, Times: f.Times, Status: f.Status, Code: f.Code,
		DropConnection: f.DropConnection, AfterHandling: f.AfterHandling}
	if f.RetryAfter != 0 {
		j.RetryAfter = f.RetryAfter.String()
	}
	if f.Delay != 0 {
		j.Delay = f.Delay.String()
	}
	if f.LandAfter != 0 {
		j.LandAfter = f.LandAfter.String()
	}
	return j
}

func (s *Simulator) controlListFaults(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := make([]faultJSON, 0, len(s.faults))
	for _, f := range s.faults {
		j := toFaultJSON(f.Fault)
		j.Remaining = f.remaining
		out = append(out, j)
	}
	s.mu.Unlock()
	controlJSON(w, http.StatusOK, out)
}

func (s *Simulator) controlInjectFault(w http.ResponseWriter, r *http.Request) {
	var req faultJSON
	if !decodeControl(w, r, &req) {
		return
	}
	if req.Remaining != 0 {
		controlError(w, http.StatusBadRequest, "remaining is read-only; use times")
		return
	}
	f := Fault{Method: strings.ToUpper(req.Method), Path: req.Path, Times: req.Times, Status: req.Status, Code: req.Code,
		DropConnection: req.DropConnection, AfterHandling: req.AfterHandling}
	for _, d := range []struct {
		name string
		text string
		into *time.Duration
	}{{"retryAfter", req.RetryAfter, &f.RetryAfter}, {"delay", req.Delay, &f.Delay}, {"landAfter", req.LandAfter, &f.LandAfter}} {
		if !controlDuration(w, d.name, d.text, d.into) {
			return
		}
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		controlError(w, http.StatusBadRequest, "status %d is not an HTTP status", f.Status)
		return
	}
	if f.Code != "" && (f.Status != http.StatusTooManyRequests || (f.Code != codeRateLimited && databaseErrorMessages[f.Code] == "")) {
		controlError(w, http.StatusBadRequest, "code %q: a code goes with status 429 and is %s or one of %s",
			f.Code, codeRateLimited, strings.Join(DatabaseErrorCodes(), ", "))
		return
	}
	if f.Status == 0 && !f.DropConnection && f.Delay == 0 && f.LandAfter == 0 {
		controlError(w, http.StatusBadRequest, "a fault needs a status, dropConnection, a delay or landAfter")
		return
	}
	if f.AfterHandling && f.Status == 0 && !f.DropConnection {
		controlError(w, http.StatusBadRequest, "afterHandling needs a status or dropConnection")
		return
	}
	s.InjectFault(f)
	controlJSON(w, http.StatusCreated, toFaultJSON(f))
}

// controlDuration parses an optional Go duration of a control body into
// into, answering the error itself.
func controlDuration(w http.ResponseWriter, name, text string, into *time.Duration) bool {
	if text == "" {
		return true
	}
	v, err := time.ParseDuration(text)
	if err != nil || v < 0 {
		controlError(w, http.StatusBadRequest, "%s: %q is not a duration such as \"1.5s\" or \"200ms\"", name, text)
		return false
	}
	*into = v
	return true
}

// cachesJSON is Caches on the wire; durations are Go durations ("60s").
type cachesJSON struct {
	ResponseCacheTTL string `json:"responseCacheTTL"`
	ListLag          string `json:"listLag"`
}

func (s *Simulator) controlGetCaches(w http.ResponseWriter, _ *http.Request) {
	c := s.CacheSettings()
	controlJSON(w, http.StatusOK, cachesJSON{ResponseCacheTTL: c.ResponseCacheTTL.String(), ListLag: c.ListLag.String()})
}

func (s *Simulator) controlSetCaches(w http.ResponseWriter, r *http.Request) {
	var req cachesJSON
	if !decodeControl(w, r, &req) {
		return
	}
	var c Caches
	if !controlDuration(w, "responseCacheTTL", req.ResponseCacheTTL, &c.ResponseCacheTTL) ||
		!controlDuration(w, "listLag", req.ListLag, &c.ListLag) {
		return
	}
	s.SetCaches(c)
	s.controlGetCaches(w, r)
}

// clockJSON is the simulator's clock on the wire.
type clockJSON struct {
	Now    time.Time `json:"now"`
	Offset string    `json:"offset"`
}

func (s *Simulator) controlGetClock(w http.ResponseWriter, _ *http.Request) {
	controlJSON(w, http.StatusOK, clockJSON{Now: s.now().UTC(), Offset: s.ClockOffset().String()})
}

func (s *Simulator) controlSetClock(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Offset string `json:"offset"`
	}
	if !decodeControl(w, r, &req) {
		return
	}
	d, err := ParseOffset(req.Offset)
	if err != nil {
		controlError(w, http.StatusBadRequest, "offset: %s", err.Error())
		return
	}
	s.SetClockOffset(d)
	s.controlGetClock(w, r)
}

func (s *Simulator) controlClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

// requestJSON is a Request on the wire.
type requestJSON struct {
	Method   string    `json:"method"`
	Path     string    `json:"path"`
	RawQuery string    `json:"query,omitempty"`
	Status   int       `json:"status"`
	TokenID  string    `json:"tokenId,omitempty"`
	Target   string    `json:"target,omitempty"`
	Time     time.Time `json:"time"`
	Fault    bool      `json:"fault,omitempty"`
	Dropped  bool      `json:"dropped,omitempty"`
}

func (s *Simulator) controlListRequests(w http.ResponseWriter, _ *http.Request) {
	reqs := s.Requests()
	out := make([]requestJSON, 0, len(reqs))
	for _, q := range reqs {
		out = append(out, requestJSON(q))
	}
	controlJSON(w, http.StatusOK, out)
}

func (s *Simulator) controlResetRequests(w http.ResponseWriter, _ *http.Request) {
	s.ResetRequests()
	w.WriteHeader(http.StatusNoContent)
}

// readControlBody reads a bounded request body.
func readControlBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		controlError(w, http.StatusBadRequest, "reading the body: %v", err)
		return nil, false
	}
	return body, true
}

// decodeControl decodes a JSON object body, refusing unknown fields so that
// a misspelt field is an error rather than ignored.
func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	body, ok := readControlBody(w, r)
	if !ok {
		return false
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		controlError(w, http.StatusBadRequest, "the body must be a JSON object: %v", err)
		return false
	}
	if dec.More() {
		controlError(w, http.StatusBadRequest, "the body must be one JSON object")
		return false
	}
	return true
}

func controlJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		controlError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func controlError(w http.ResponseWriter, status int, format string, args ...any) {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{fmt.Sprintf(format, args...)})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
