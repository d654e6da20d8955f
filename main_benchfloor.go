//go:build benchfloor

package main

import (
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/benchprovider"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider"
)

// The end-to-end benchmark's build also serves solarnetwork_floor_token, a
// resource with the token's schema that does nothing: see benchprovider.
func init() {
	newProvider = func(version string) func() fwprovider.Provider {
		return benchprovider.WithFloor(provider.New(version), "security_token")
	}
}
