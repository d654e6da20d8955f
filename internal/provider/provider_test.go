package provider

import (
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// testAccProviders serves the provider in-process to the CLI under test.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"solarnetwork": providerserver.NewProtocol6WithError(New("test")()),
}

// testAccSimulator starts a SolarNetwork simulator for one test. Acceptance
// tests skip unless TF_ACC is set, as terraform-plugin-testing expects.
func testAccSimulator(t *testing.T) *simulator.Simulator {
	t.Helper()
	return testAccSimulatorWith(t, simulator.Options{})
}

// testAccSimulatorWith is testAccSimulator with options, such as a clock.
func testAccSimulatorWith(t *testing.T, opts simulator.Options) *simulator.Simulator {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
	sim := simulator.New(opts)
	sim.Start()
	t.Cleanup(sim.Close)
	return sim
}

// providerConfig points the provider at sim. Each test has its own
// simulator, so tests can run in parallel.
func providerConfig(sim *simulator.Simulator) string {
	id, secret := sim.AdminCredentials()
	return fmt.Sprintf(`
provider "solarnetwork" {
  url    = %q
  token  = %q
  secret = %q
}
`, sim.URL(), id, secret)
}
