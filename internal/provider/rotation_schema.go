package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/provider/validate"
)

var (
	pathRotation         = path.Root("rotation")
	pathReadyForRotation = path.Root("ready_for_rotation")
)

// rotationBlock is the resource's rotation block. A block rather than a
// nested attribute, like policy: a misspelled argument inside it is an error.
func rotationBlock() schema.SingleNestedBlock {
	return schema.SingleNestedBlock{
		MarkdownDescription: "Replace the token on a schedule. The token expires `lifetime` after it was created; from " +
			"`rotate_before` ahead of that, `ready_for_rotation` is true and every plan replaces the token with a new one " +
			"(new ID and secret), with a warning that says why. SolarNetwork has no rotate operation, so rotation is a " +
			"replacement: add `lifecycle { create_before_destroy = true }` so the new token exists before the old one goes, " +
			"and `overlap` so the old one keeps working while its users switch. Rotation happens when Terraform runs: run " +
			"plan and apply more often than `rotate_before`. Conflicts with `expiration_date`.",
		Attributes: map[string]schema.Attribute{
			"lifetime": schema.StringAttribute{
				// Required inside the block (validateRotation): a Required
				// attribute would make the block itself required.
				Optional: true,
				MarkdownDescription: "Required. How long each token lives: its expiry (`expires_at`, the policy's `notAfter`) is its creation " +
					"time plus `lifetime`, so a leaked secret stops working on its own. " + duration.Formats + ", at least 1m. " +
					"Changing it moves the expiry of the current token (counted from its `created`) in place.",
				Validators: []validator.String{validate.DaysDuration(minLifetime)},
			},
			"rotate_before": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Required. How long before its expiry the token is due for rotation: from `expires_at` minus " +
					"`rotate_before` on, plans replace it. " + duration.Formats + ", shorter than `lifetime`; " +
					"`0s` replaces a token only once it has expired.",
				Validators: []validator.String{validate.DaysDuration(0)},
			},
			"overlap": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "How long a rotated-out token keeps working. When Terraform removes a token that is due for " +
					"rotation (`ready_for_rotation`), it does not delete or disable it but moves its expiry to the time of " +
					"the apply plus `overlap`, never later than it already was; the token then expires on its own and stays " +
					"in SolarNetwork, expired. " + duration.Formats + ", at most `lifetime`. Omit it (or `0s`) to remove the " +
					"old token at once, as `on_destroy` says.",
				Validators: []validator.String{validate.DaysDuration(0)},
			},
		},
		Validators: []validator.Object{
			objectvalidator.ConflictsWith(path.MatchRoot("expiration_date")),
		},
	}
}

func readyForRotationAttribute() schema.BoolAttribute {
	return schema.BoolAttribute{
		Computed: true,
		MarkdownDescription: "Whether the token is due for rotation, as of the last refresh: `rotation` is set and the time is " +
			"past `expires_at` minus `rotation.rotate_before` (or the token has expired). A plan then replaces the token. " +
			"Always false without `rotation`.",
	}
}
