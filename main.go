// Command terraform-provider-solarnetwork serves the SolarNetwork provider
// to Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// newProvider is the provider served; benchmark builds add to it.
var newProvider = provider.New

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietUnrequestedLogs()
	err := providerserver.Serve(context.Background(), newProvider(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/solarnetwork/solarnetwork",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
