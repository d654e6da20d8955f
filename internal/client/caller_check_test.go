package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// A provider token restricted after someone read it by /find?identifiers=
// lists itself alone, from SolarNetwork's per-token cache, as it was:
// unrestricted. Taken at its word, that list says every other token was
// deleted. ConfirmDeletions reads the caller where no cache answers, finds
// it restricted, and from then on the store reports that instead.
func TestConfirmDeletionsSeesARestrictedCallerBehindTheCache(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{FindCacheTTL: 15 * time.Minute}, nil)
	other := env.sim.CreateToken(simulator.TypeReadNodeData, nil)
	admin, _ := env.sim.AdminCredentials()
	env.sim.ReadByIdentifier(admin)
	if err := env.sim.SetPolicy(admin, &simulator.Policy{NodeIDs: []int64{1}}); err != nil {
		t.Fatal(err)
	}

	store := NewTokenStore(env.client)
	if _, found, err := store.Token(context.Background(), other.ID); err != nil || found {
		t.Fatalf("the cached list: found %v, err %v; want the caller alone, unrestricted", found, err)
	}
	var restricted *RestrictedCredentialError
	if err := store.ConfirmDeletions(context.Background()); !errors.As(err, &restricted) || !slices.Equal(restricted.Fields, []string{"nodeIds"}) {
		t.Fatalf("ConfirmDeletions: %v, want the caller restricted by nodeIds", err)
	}
	if _, _, err := store.Token(context.Background(), other.ID); !errors.As(err, &restricted) {
		t.Errorf("a later read: %v, want the restriction", err)
	}
}

// An account whose list holds only the caller, unrestricted, is confirmed
// with one find, once per list; a list with other tokens needs none.
func TestConfirmDeletionsCost(t *testing.T) {
	t.Parallel()
	env := newEnv(t, simulator.Options{FindCacheTTL: 15 * time.Minute}, nil)
	store := NewTokenStore(env.client)
	for range 2 {
		if err := store.ConfirmDeletions(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := env.sim.Count(http.MethodGet, "/find"); n != 1 {
		t.Errorf("%d finds for a list of the caller alone, want 1", n)
	}

	env.sim.CreateToken(simulator.TypeUser, nil)
	store.Invalidate()
	env.sim.ResetRequests()
	if err := store.ConfirmDeletions(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := env.sim.Count(http.MethodGet, "/find"); n != 0 {
		t.Errorf("%d finds for a list of two tokens, want none", n)
	}
}
