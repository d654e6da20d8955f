package provider

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// faultRouter serves a simulator and puts a fault on exactly the requests
// a rule picks out, such as "the PUT of token X" or "the generate whose
// policy names /m/c3/**". The simulator's own faults match by method and
// path only, which cannot tell apart the requests of resources applied in
// parallel.
//
// A request a rule picks is served alone: the rule's fault is injected
// into the simulator and used up by that request before any other request
// reaches the simulator, so no other request can take it.
type faultRouter struct {
	sim *simulator.Simulator
	url string

	gate sync.RWMutex // held exclusively while a picked request is served

	mu    sync.Mutex
	rules []*faultRule
}

// faultRule puts fault on the requests match picks, times times (<0:
// until cleared). When choose is set, it gives each picked request's
// fault instead.
type faultRule struct {
	name   string
	match  func(r *http.Request, params url.Values, body []byte) bool
	fault  simulator.Fault
	choose func() simulator.Fault
	times  int
	used   int
}

// testAccRoutedSimulator is testAccSimulator behind a faultRouter; the
// provider must use the router's url.
func testAccRoutedSimulator(t *testing.T) *faultRouter {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
	fr := &faultRouter{sim: simulator.New(simulator.Options{})}
	srv := httptest.NewServer(fr)
	t.Cleanup(srv.Close)
	fr.url = srv.URL
	return fr
}

// add adds a rule.
func (fr *faultRouter) add(r *faultRule) {
	fr.mu.Lock()
	fr.rules = append(fr.rules, r)
	fr.mu.Unlock()
}

// clear removes every rule and returns how often each was used, by name.
func (fr *faultRouter) clear() map[string]int {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	used := map[string]int{}
	for _, r := range fr.rules {
		used[r.name] += r.used
	}
	fr.rules = nil
	return used
}

func (fr *faultRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	params := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(body)); err == nil {
			for k, v := range form {
				params[k] = append(params[k], v...)
			}
		}
	}
	f := fr.pick(r, params, body)
	if f == nil {
		fr.gate.RLock()
		defer fr.gate.RUnlock()
		fr.sim.Handler().ServeHTTP(w, r)
		return
	}
	if f.AfterHandling && f.Delay > 0 && f.Status == 0 && !f.DropConnection && !f.TruncateBody {
		fr.answerLate(w, r, f.Delay)
		return
	}
	fr.gate.Lock()
	defer fr.gate.Unlock()
	f.Method, f.Path, f.Times = r.Method, r.URL.Path, 1
	fr.sim.InjectFault(*f)
	defer fr.sim.ClearFaults() // used up already, unless the request never got there
	fr.sim.Handler().ServeHTTP(w, r)
}

// answerLate handles r, then holds the answer back for delay or until
// the client gives up, as the simulator's AfterHandling Delay does, but
// without keeping other requests waiting meanwhile.
func (fr *faultRouter) answerLate(w http.ResponseWriter, r *http.Request, delay time.Duration) {
	rec := httptest.NewRecorder()
	fr.gate.RLock()
	fr.sim.Handler().ServeHTTP(rec, r)
	fr.gate.RUnlock()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-r.Context().Done():
		return
	case <-timer.C:
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// pick returns the fault of the first rule that picks r, using it up once.
func (fr *faultRouter) pick(r *http.Request, params url.Values, body []byte) *simulator.Fault {
	fr.mu.Lock()
	defer fr.mu.Unlock()
	for _, rule := range fr.rules {
		if (rule.times < 0 || rule.used < rule.times) && rule.match(r, params, body) {
			rule.used++
			f := rule.fault
			if rule.choose != nil {
				f = rule.choose()
			}
			return &f
		}
	}
	return nil
}

// requestTo picks requests by method and path suffix, and by a parameter
// (query or form field) or a piece of the body when those are not empty.
func requestTo(method, pathSuffix, param, value, bodyHas string) func(*http.Request, url.Values, []byte) bool {
	return func(r *http.Request, params url.Values, body []byte) bool {
		return r.Method == method && strings.HasSuffix(r.URL.Path, pathSuffix) &&
			(param == "" || params.Get(param) == value) &&
			(bodyHas == "" || bytes.Contains(body, []byte(bodyHas)))
	}
}
