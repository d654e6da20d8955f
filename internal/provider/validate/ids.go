package validate

import (
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
)

// TokenID refuses a value that cannot be a SolarNetwork token ID.
func TokenID() validator.String {
	return stringCheck{
		description: "a token ID: 20 letters, digits, '.', '_' or '-'",
		summary:     "Invalid token ID",
		check:       func(s string) string { return errorText(client.CheckTokenID(s)) },
	}
}
