// Command terraform-provider-solarnetwork serves the SolarNetwork provider
// to Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/protocol"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// newProvider is the provider served; benchmark builds add to it.
var newProvider = provider.New

const address = "registry.terraform.io/solarnetwork/solarnetwork"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietUnrequestedLogs()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(address, func() tfprotov6.ProviderServer {
		server, err := protocol.NewServer(newProvider(version)())
		if err != nil {
			log.Fatal(err)
		}
		return server
	}, opts...)
	if err != nil {
		log.Fatal(err)
	}
}
