//go:build tools

// Package tools pins the developer tools this repository runs with `go run`
// or builds into the cache. It is a separate module (tools/go.mod) so their
// dependencies never reach the provider's go.mod.
package tools

import (
	// Documentation generation (scripts/docs.sh, make docs).
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
