package client

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// slowEnv is a simulator and a client on one fake clock; the client's waits
// move that clock instead of sleeping, and its log lines are kept.
type slowEnv struct {
	*testEnv
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
	warns []string
}

func newSlowEnv(t *testing.T, opts simulator.Options, mod func(*Config)) *slowEnv {
	t.Helper()
	e := &slowEnv{now: time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)}
	opts.Now = e.clock
	e.testEnv = newEnv(t, opts, func(c *Config) {
		c.Now = e.clock
		c.After = e.after
		c.Logger = func(_ context.Context, level LogLevel, msg string, fields map[string]any) {
			if level == LogWarn {
				e.mu.Lock()
				e.warns = append(e.warns, msg)
				e.mu.Unlock()
			}
		}
		if mod != nil {
			mod(c)
		}
	})
	return e
}

func (e *slowEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *slowEnv) after(d time.Duration) <-chan time.Time {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.waits = append(e.waits, d)
	now := e.now
	e.mu.Unlock()
	return passedAt(now)(d)
}

func (e *slowEnv) warned(part string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.ContainsFunc(e.warns, func(w string) bool { return strings.Contains(w, part) })
}

// generateCancelledWhenReached sends a generate and cancels it (Ctrl-C) as
// soon as the simulator holds it.
func generateCancelledWhenReached(t *testing.T, e *slowEnv, fault simulator.Fault) error {
	t.Helper()
	reached := make(chan struct{}, 1)
	fault.Method, fault.Path, fault.Reached = http.MethodPost, generateUserPath, reached
	e.sim.InjectFault(fault)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-reached
		cancel()
	}()
	_, _, err := NewTokenStore(e.client).GenerateToken(ctx, TokenTypeUser, nil)
	if err == nil {
		t.Fatal("a cancelled generate succeeded")
	}
	return err
}

// Ctrl-C while SolarNetwork is still inserting the token: the first list
// lacks it, the clean-up waits (on the client's clock) and looks again,
// finds it and deletes it.
func TestTokenStoreGenerateSlowTokenFoundOnSecondLook(t *testing.T) {
	t.Parallel()
	e := newSlowEnv(t, simulator.Options{}, nil)
	err := generateCancelledWhenReached(t, e, simulator.Fault{LandAfter: 5 * time.Second})
	if !strings.Contains(err.Error(), "was found by its marker and deleted") || strings.Contains(err.Error(), "left behind") {
		t.Errorf("error = %v", err)
	}
	if !slices.Equal(e.waits, []time.Duration{markerRecheckWait}) {
		t.Errorf("waits %v, want one of %v", e.waits, markerRecheckWait)
	}
	if ids := simTokenIDs(e.sim); len(ids) != 1 {
		t.Errorf("tokens %v, want only the admin token", ids)
	}
	if n := e.sim.Count(http.MethodGet, listPath); n != 2 {
		t.Errorf("%d lists, want 2", n)
	}
	if !e.warned("found and deleted the token of an unanswered generate") {
		t.Errorf("warnings %q", e.warns)
	}
}

// A token that lands later than the second look: the error does not say
// that nothing was left, but names its type and when it stops working, and
// that is when the token that lands stops working.
func TestTokenStoreGenerateSlowTokenNotFound(t *testing.T) {
	t.Parallel()
	e := newSlowEnv(t, simulator.Options{}, nil)
	err := generateCancelledWhenReached(t, e, simulator.Fault{LandAfter: time.Minute})
	msg := err.Error()
	if strings.Contains(msg, "left behind") || !strings.Contains(msg, "if SolarNetwork still completes it, that token is unusable") ||
		!strings.Contains(msg, "a User token without a name") {
		t.Errorf("error = %v", err)
	}
	if !e.warned("no token carrying the marker of an unanswered generate was found") {
		t.Errorf("warnings %q", e.warns)
	}
	e.mu.Lock()
	e.now = e.now.Add(time.Minute)
	e.mu.Unlock()
	toks := e.sim.Tokens()
	if len(toks) != 2 || toks[1].Policy == nil || toks[1].Policy.NotAfter == nil {
		t.Fatalf("tokens after the slow one landed: %+v", toks)
	}
	if marker := toks[1].Policy.NotAfter.UTC().Format(time.RFC3339Nano); !strings.Contains(msg, "stops working at "+marker) {
		t.Errorf("the landed token expires at %s; error = %v", marker, err)
	}
}

// With time left, the store generates again after the two looks; the token
// it returns comes with a warning about the one that may still appear, and
// the retry is logged.
func TestTokenStoreGenerateSlowRetryWarns(t *testing.T) {
	t.Parallel()
	e := newSlowEnv(t, simulator.Options{}, func(c *Config) { c.RequestTimeout = 200 * time.Millisecond })
	e.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, LandAfter: time.Hour})
	tok, warnings, err := NewTokenStore(e.client).GenerateToken(context.Background(), TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "stops working at") || !strings.Contains(warnings[0], "User token") {
		t.Errorf("warnings %q", warnings)
	}
	if ids := simTokenIDs(e.sim); len(ids) != 2 || ids[1] != tok.ID {
		t.Errorf("tokens %v", ids)
	}
	if !e.warned("generating a token again") {
		t.Errorf("log %q", e.warns)
	}
}

// A list that lags (another SolarUser process) lacks the token a lost
// generate made: the clean-up cannot find it, and says so instead of
// claiming nothing was left.
func TestTokenStoreGenerateLaggingList(t *testing.T) {
	t.Parallel()
	e := newSlowEnv(t, simulator.Options{ListLag: 15 * time.Minute}, nil)
	store := NewTokenStore(e.client)
	if _, err := store.Tokens(context.Background()); err != nil { // the lagging process reads the list now
		t.Fatal(err)
	}
	e.sim.InjectFault(simulator.Fault{Method: http.MethodPost, Path: generateUserPath, DropConnection: true, AfterHandling: true})
	tok, warnings, err := store.GenerateToken(context.Background(), TokenTypeUser, nil)
	if err != nil {
		t.Fatal(err)
	}
	toks := e.sim.Tokens()
	if len(toks) != 3 {
		t.Fatalf("tokens %+v, want the admin, the lost and the returned one", toks)
	}
	// Tokens made on the same instant list in ID order: pick the lost one
	// by what it is not.
	admin, _ := e.sim.AdminCredentials()
	var lost simulator.Token
	for _, t := range toks {
		if t.ID != tok.ID && t.ID != admin {
			lost = t
		}
	}
	if lost.Policy == nil || lost.Policy.NotAfter == nil {
		t.Fatalf("the lost token %+v carries no marker", lost)
	}
	if marker := lost.Policy.NotAfter.UTC().Format(time.RFC3339Nano); len(warnings) != 1 || !strings.Contains(warnings[0], marker) {
		t.Errorf("the lost token expires at %s; warnings %q", marker, warnings)
	}
}
