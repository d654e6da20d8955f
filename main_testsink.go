//go:build testsink

package main

import (
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/testsink"
)

// The secret-encryption tests' build also serves solarnetwork_test_sink, a
// resource with a write-only argument: see testsink.
func init() {
	newProvider = func(version string) func() fwprovider.Provider {
		return testsink.WithSink(provider.New(version))
	}
}
