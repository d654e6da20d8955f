package provider

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// newWithTimers is New with another clock than time.Now and, when after is
// set, waits (client.Config.After) that end as after says, so that a test
// does not sleep through them. The clock goes to the client
// (client.Config.Now), and every decision the provider makes by the time
// (expired, due for rotation, the expiry of a new ephemeral token or of a
// rotated-out one) reads it from there, so a test that moves this clock, and
// gives the same one to the simulator, moves all of them together.
func newWithTimers(version string, now func() time.Time, after func(time.Duration) <-chan time.Time) func() provider.Provider {
	return func() provider.Provider {
		return &solarNetworkProvider{version: version, now: now, after: after}
	}
}

// storeNow is the provider's clock: the store's client's, or time.Now before
// the provider is configured.
func storeNow(store *client.TokenStore) time.Time {
	if store == nil {
		return time.Now()
	}
	return store.Now()
}

func (r *tokenResource) now() time.Time { return storeNow(r.store) }
