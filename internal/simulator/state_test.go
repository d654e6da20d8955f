package simulator

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// stateSample makes a simulator holding tokens of every shape a state file
// must keep: no policy, an empty one, a full one with an expiry and
// refreshAllowed false, a name and description, a disabled status.
func stateSample(t *testing.T) *Simulator {
	t.Helper()
	sim := New(Options{UserID: 42})
	no := false
	expiry := time.Date(2030, 1, 1, 11, 0, 0, 0, time.UTC)
	sim.CreateToken(TypeUser, nil)
	sim.CreateToken(TypeUser, &Policy{})
	full := sim.CreateToken(TypeReadNodeData, &Policy{NodeIDs: []int64{101, 100}, SourceIDs: []string{"/A/**", "/B"},
		Aggregations: []string{"Hour", "Day"}, MinLocationPrecision: "Block", NodeMetadataPaths: []string{"/pm/**"},
		UserMetadataPaths: []string{"/um"}, APIPaths: []string{"/users/**"}, NotAfter: &expiry, RefreshAllowed: &no})
	if err := sim.SetInfo(full.ID, "Dashboard \"quoted\"", "Région 1"); err != nil {
		t.Fatal(err)
	}
	if err := sim.SetStatus(full.ID, StatusDisabled); err != nil {
		t.Fatal(err)
	}
	return sim
}

func TestStateFileRoundTrip(t *testing.T) {
	sim := stateSample(t)
	path := filepath.Join(t.TempDir(), "state.json")
	if err := WriteStateFile(path, sim.State()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v %v", fi.Mode(), err)
	}
	st, err := ReadStateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	adminID, adminSecret := sim.AdminCredentials()
	if secret, ok := st.AdminSecret(); st.AdminTokenID != adminID || !ok || secret != adminSecret {
		t.Errorf("admin %q %q %v", st.AdminTokenID, secret, ok)
	}

	// A restarted simulator with the saved admin credentials holds the same
	// tokens, secrets, times and policies.
	restarted := New(Options{UserID: 42, AdminTokenID: adminID, AdminSecret: adminSecret})
	if err := restarted.Restore(st); err != nil {
		t.Fatal(err)
	}
	if got, want := restarted.Tokens(), sim.Tokens(); !reflect.DeepEqual(got, want) {
		t.Errorf("restored tokens\n%+v\nwant\n%+v", got, want)
	}
}

func TestRestoreKeepsTheAdminToken(t *testing.T) {
	sim := New(Options{AdminTokenID: "admin-token-id-00001", AdminSecret: "current secret"})
	other := Token{ID: "other-token-id-00001", Created: time.Now(), UserID: 7, Secret: "s", Status: StatusActive, Type: TypeUser,
		Policy: &Policy{NodeIDs: []int64{3, 1, 3}}}
	created := time.Date(2025, 9, 29, 4, 23, 20, 302917000, time.UTC)
	st := State{AdminTokenID: "admin-token-id-00001", Tokens: []Token{
		{ID: "admin-token-id-00001", Created: created, Name: "Terraform", Secret: "old secret", Status: StatusDisabled, Type: TypeUser,
			Policy: &Policy{NodeIDs: []int64{1}}},
		other,
	}}
	if err := sim.Restore(st); err != nil {
		t.Fatal(err)
	}
	admin, _ := sim.Token("admin-token-id-00001")
	if admin.Secret != "current secret" || admin.Status != StatusActive || admin.Policy != nil ||
		!admin.Created.Equal(created) || admin.Name != "Terraform" {
		t.Errorf("admin token %+v: want the current credentials, status and policy, the saved created and name", admin)
	}
	got, ok := sim.Token(other.ID)
	if !ok || got.Secret != "s" || got.UserID != 7 || !reflect.DeepEqual(got.Policy.NodeIDs, []int64{1, 3}) {
		t.Errorf("restored %+v %v (policies are normalised)", got, ok)
	}

	for _, bad := range []Token{{ID: "x", Type: "Admin", Status: StatusActive}, {ID: "x", Type: TypeUser, Status: "Paused"}, {Type: TypeUser, Status: StatusActive}} {
		before := len(sim.Tokens())
		if err := sim.Restore(State{Tokens: []Token{other, bad}}); err == nil || len(sim.Tokens()) != before {
			t.Errorf("Restore of %+v: %v", bad, err)
		}
	}
}

func TestReadStateFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadStateFile(filepath.Join(dir, "missing.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
	for name, content := range map[string]string{
		"garbage.json": "not json",
		"future.json":  `{"version":2,"adminTokenId":"x","tokens":[]}`,
		"policy.json":  `{"version":1,"tokens":[{"id":"x","type":"User","status":"Active","policy":[1]}]}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadStateFile(path); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestStateSaver(t *testing.T) {
	sim := New(Options{})
	path := filepath.Join(t.TempDir(), "state.json")
	saver := sim.NewStateSaver(path)
	var saveErrors []error
	saver.OnError = func(err error) { saveErrors = append(saveErrors, err) }
	srv := httptest.NewServer(saver.Handler(sim.HandlerWithControl()))
	defer srv.Close()
	tokenIDs := func() []string {
		st, err := ReadStateFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, 0, len(st.Tokens))
		for _, tok := range st.Tokens {
			ids = append(ids, tok.ID)
		}
		return ids
	}
	send := func(method, path, body string) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}

	// A read saves nothing.
	send("GET", "/_sim/tokens", "")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a GET wrote the state file: %v", err)
	}
	// A change is on disk once its answer has arrived.
	send("POST", "/_sim/tokens", `{"type":"User"}`)
	if ids := tokenIDs(); len(ids) != 2 {
		t.Fatalf("after a create the file has %v", ids)
	}
	// A request that changes nothing does not rewrite the file.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	send("DELETE", "/_sim/requests", "")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("an unchanged state was written again: %v", err)
	}
	// Changes through the SolarNetwork API are saved too (here: one the API
	// refuses, which changes nothing, then a control edit).
	send("POST", "/solaruser/api/v1/sec/user/auth-tokens/generate/User", "")
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a refused API request rewrote the state: %v", err)
	}
	toks := sim.Tokens()
	send("DELETE", "/_sim/tokens/"+toks[len(toks)-1].ID, "")
	if ids := tokenIDs(); len(ids) != 1 {
		t.Errorf("after a delete the file has %v", ids)
	}
	if len(saveErrors) != 0 {
		t.Errorf("save errors %v", saveErrors)
	}

	// A failing write is reported, not fatal.
	saver2 := sim.NewStateSaver(filepath.Join(t.TempDir(), "no", "such", "dir", "state.json"))
	saver2.OnError = func(err error) { saveErrors = append(saveErrors, err) }
	rec := httptest.NewRecorder()
	saver2.Handler(sim.HandlerWithControl()).ServeHTTP(rec, httptest.NewRequest("POST", "/_sim/tokens", strings.NewReader(`{"type":"User"}`)))
	if rec.Code != http.StatusCreated || len(saveErrors) != 1 || !strings.Contains(saveErrors[0].Error(), "writing state file") {
		t.Errorf("%d %v", rec.Code, saveErrors)
	}
}
