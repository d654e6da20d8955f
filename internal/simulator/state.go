package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// State is what a state file holds: every token with its secret, and which
// one the admin token is, so that a restarted simulator has the same tokens
// and accepts the same credentials.
type State struct {
	AdminTokenID string
	Tokens       []Token
}

// stateFile is the JSON layout of a state file.
type stateFile struct {
	Version      int          `json:"version"`
	AdminTokenID string       `json:"adminTokenId"`
	Tokens       []stateToken `json:"tokens"`
}

// stateToken is a Token in a state file. The policy has SolarNetwork's JSON
// shape.
type stateToken struct {
	ID          string    `json:"id"`
	Created     time.Time `json:"created"`
	UserID      int64     `json:"userId"`
	Name        string    `json:"name,omitempty"`
	Description string    `json:"description,omitempty"`
	Secret      string    `json:"secret"`
	Status      string    `json:"status"`
	Type        string    `json:"type"`
	Policy      *Policy   `json:"policy,omitempty"`
}

const stateVersion = 1

// State returns a snapshot of every token, the admin token among them.
func (s *Simulator) State() State {
	return State{AdminTokenID: s.adminID, Tokens: s.Tokens()}
}

// AdminSecret returns the secret of the token AdminTokenID names, if the
// state has it.
func (st State) AdminSecret() (string, bool) {
	for _, t := range st.Tokens {
		if t.ID == st.AdminTokenID {
			return t.Secret, true
		}
	}
	return "", false
}

// Restore adds the tokens of st, replacing tokens with the same id. This
// simulator's own admin token takes only its creation time, name and
// description from st: it stays an Active, unrestricted User token with the
// credentials New gave it. Restore fails, changing nothing, on a token with
// an invalid type or status.
func (s *Simulator) Restore(st State) error {
	for _, t := range st.Tokens {
		if t.ID == "" || !validType(t.Type) || !validStatus(t.Status) {
			return fmt.Errorf("simulator: state has an invalid token (id %q, type %q, status %q)", t.ID, t.Type, t.Status)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range st.Tokens {
		if admin := s.tokens[s.adminID]; t.ID == s.adminID && admin != nil {
			admin.Created = roundCreated(t.Created)
			admin.Name, admin.Description = t.Name, t.Description
			continue
		}
		c := t.clone()
		c.Created = roundCreated(c.Created)
		c.Policy = normalizePolicy(c.Policy)
		s.tokens[c.ID] = &c
	}
	return nil
}

// MarshalJSON writes the state file layout.
func (st State) MarshalJSON() ([]byte, error) {
	f := stateFile{Version: stateVersion, AdminTokenID: st.AdminTokenID, Tokens: make([]stateToken, 0, len(st.Tokens))}
	for _, t := range st.Tokens {
		f.Tokens = append(f.Tokens, stateToken(t))
	}
	return json.MarshalIndent(f, "", "  ")
}

// UnmarshalJSON reads the state file layout.
func (st *State) UnmarshalJSON(data []byte) error {
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return err
	}
	if f.Version != stateVersion {
		return fmt.Errorf("simulator: state file version %d, want %d", f.Version, stateVersion)
	}
	*st = State{AdminTokenID: f.AdminTokenID, Tokens: make([]Token, 0, len(f.Tokens))}
	for _, t := range f.Tokens {
		st.Tokens = append(st.Tokens, Token(t))
	}
	return nil
}

// ReadStateFile reads a state file written by WriteStateFile.
func ReadStateFile(path string) (State, error) {
	var st State
	data, err := os.ReadFile(path)
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("state file %s: %w", path, err)
	}
	return st, nil
}

// WriteStateFile writes st to path atomically (a temporary file in the same
// folder, then a rename), readable by the owner only: it holds secrets.
func WriteStateFile(path string, st State) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(data, '\n'))
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so that a reader never sees half a file. The mode is
// 0600: the state file and solarsim's env file hold secrets.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// StateSaver writes the simulator's state to a file whenever it changed.
type StateSaver struct {
	sim  *Simulator
	path string
	// OnError, if set, receives write failures of the handler wrapper.
	OnError func(error)

	mu   sync.Mutex
	last []byte
}

// NewStateSaver returns a saver for path; nothing is written until Save.
func (s *Simulator) NewStateSaver(path string) *StateSaver {
	return &StateSaver{sim: s, path: path}
}

// Save writes the state when it differs from what was last written.
func (ss *StateSaver) Save() error {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	data, err := json.Marshal(ss.sim.State())
	if err != nil {
		return err
	}
	if ss.last != nil && bytes.Equal(data, ss.last) {
		return nil
	}
	if err := WriteFileAtomic(ss.path, append(data, '\n')); err != nil {
		return fmt.Errorf("writing state file %s: %w", ss.path, err)
	}
	ss.last = data
	return nil
}

// Handler wraps next (the API, the control API or both) so that every
// request that may change tokens saves the state once it has been handled.
func (ss *StateSaver) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		// Deferred: a fault that drops the connection aborts the handler
		// after the token store may have changed.
		defer func() {
			if err := ss.Save(); err != nil && ss.OnError != nil {
				ss.OnError(err)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
