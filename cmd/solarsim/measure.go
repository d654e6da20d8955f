package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// measuring sits in front of the simulator for benchmarks: it delays every
// request by a fixed latency, as a distant server would, and counts
// requests and response bytes per method and path.
type measuring struct {
	next    http.Handler
	latency time.Duration

	mu  sync.Mutex
	ops map[string]*opCount
}

// opCount is what one method and path cost since the last snapshot.
type opCount struct {
	Requests int   `json:"requests"`
	Bytes    int64 `json:"bytes"`
}

func (m *measuring) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if m.latency > 0 {
		t := time.NewTimer(m.latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	cw := &countingWriter{ResponseWriter: w}
	defer func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		key := r.Method + " " + r.URL.Path
		c := m.ops[key]
		if c == nil {
			c = &opCount{}
			m.ops[key] = c
		}
		c.Requests++
		c.Bytes += cw.n
	}()
	m.next.ServeHTTP(cw, r)
}

// snapshot returns the counts so far, keyed by "METHOD /path", and starts
// counting afresh.
func (m *measuring) snapshot() map[string]opCount {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]opCount, len(m.ops))
	for k, v := range m.ops {
		out[k] = *v
	}
	m.ops = map[string]*opCount{}
	return out
}

// writeStats writes a snapshot as JSON, one "METHOD /path" a key.
func (m *measuring) writeStats(path string) error {
	b, err := json.MarshalIndent(m.snapshot(), "", "  ") // keys sorted
	if err != nil {
		return err
	}
	return simulator.WriteFileAtomic(path, append(b, '\n'))
}

// countingWriter counts the body bytes sent. It keeps Hijack working, which
// the simulator's dropped-connection faults need.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := c.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("hijacking not supported")
	}
	return hj.Hijack()
}

// measured wraps next in a measuring layer. SIGUSR1
// writes the counts to statsFile and resets them; the last counts are
// written when stop is called.
func measured(next http.Handler, latency time.Duration, statsFile string) (handler http.Handler, stop func()) {
	m := &measuring{next: next, latency: latency, ops: map[string]*opCount{}}
	usr1 := make(chan os.Signal, 1)
	done := make(chan struct{})
	if statsFile != "" {
		signal.Notify(usr1, syscall.SIGUSR1)
		go func() {
			for {
				select {
				case <-usr1:
					if err := m.writeStats(statsFile); err != nil {
						fmt.Fprintln(os.Stderr, "solarsim: writing stats:", err)
					}
				case <-done:
					return
				}
			}
		}()
	}
	stop = func() {
		signal.Stop(usr1)
		close(done)
		if statsFile != "" {
			_ = m.writeStats(statsFile)
		}
	}
	return m, stop
}
