package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/protocol"
)

// State written by every earlier version of the resource, as the CLI keeps
// it (testdata/state-vN.json, the attributes of each resource), still reads:
// the version's own fixture decodes as it is, an older one through its
// upgrader, and every value survives. A schema change that breaks old
// state fails here until tokenStateVersion is raised and an upgrader added.
func TestStateOfEveryVersion(t *testing.T) {
	ctx := context.Background()
	srv, err := protocol.NewServer(New("test")())
	if err != nil {
		t.Fatal(err)
	}
	schemaType := tokenResourceSchema().Type().TerraformType(ctx)
	for version := int64(0); version <= tokenStateVersion; version++ {
		data, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("state-v%d.json", version)))
		if err != nil {
			t.Fatalf("state version %d has no fixture: %v", version, err)
		}
		var resources map[string]json.RawMessage
		if err := json.Unmarshal(data, &resources); err != nil {
			t.Fatal(err)
		}
		for name, raw := range resources {
			t.Run(fmt.Sprintf("v%d/%s", version, name), func(t *testing.T) {
				resp, err := srv.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
					TypeName: "solarnetwork_security_token",
					Version:  version,
					RawState: &tfprotov6.RawState{JSON: raw},
				})
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range resp.Diagnostics {
					t.Errorf("%s: %s", d.Summary, d.Detail)
				}
				if resp.UpgradedState == nil {
					t.Fatal("no upgraded state")
				}
				got, err := resp.UpgradedState.Unmarshal(schemaType)
				if err != nil {
					t.Fatal(err)
				}
				var want map[string]any
				if err := json.Unmarshal(raw, &want); err != nil {
					t.Fatal(err)
				}
				var attrs map[string]tftypes.Value
				if err := got.As(&attrs); err != nil {
					t.Fatal(err)
				}
				for key, w := range want {
					v, ok := attrs[key]
					if !ok {
						t.Errorf("attribute %s of state version %d is gone from the schema: its value would be lost", key, version)
						continue
					}
					if (w == nil) != v.IsNull() {
						t.Errorf("%s = %v, the state held %v", key, v, w)
						continue
					}
					switch w := w.(type) {
					case string:
						var s string
						if err := v.As(&s); err != nil || s != w {
							t.Errorf("%s = %v, the state held %q", key, v, w)
						}
					case bool:
						var b bool
						if err := v.As(&b); err != nil || b != w {
							t.Errorf("%s = %v, the state held %v", key, v, w)
						}
					}
				}
			})
		}
	}
}
