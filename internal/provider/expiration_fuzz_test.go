package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// FuzzResolveExpiration: whatever a user writes in expiration_date and
// time_zone, an accepted value is an instant SolarNetwork can hold exactly
// (whole milliseconds), expires_at written from it reads back as the same
// instant, and the plan-time validator agrees with the resolver.
func FuzzResolveExpiration(f *testing.F) {
	for _, seed := range [][2]string{
		{"2027-10-30", ""}, {"2027-10-30T12:45", "Pacific/Auckland"}, {"2027-10-30T12:45:00.123", "-05:00"},
		{"2027-10-30T12:45:00+13:00", "UTC"}, {"2027-10-30 12:45:00Z", ""}, {"2027-10-30T12:45:00.0000001", ""},
		{"0001-01-01", "+18:00"}, {"9999-12-31T23:59:59.999Z", ""}, {"2027-02-30", ""}, {"", "Local"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, date, zone string) {
		got, err := resolveExpiration(date, zone)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Errorf("%q in %q resolved to a non-UTC time %v", date, zone, got)
		}
		if got.Nanosecond()%int(time.Millisecond) != 0 {
			t.Errorf("%q in %q resolved to %v, finer than SolarNetwork's milliseconds: the plan would never be empty", date, zone, got)
		}
		back, err := resolveExpiration(formatInstant(got), "")
		if err != nil || !back.Equal(got) {
			t.Errorf("%q in %q: expires_at %q reads back as %v (%v)", date, zone, formatInstant(got), back, err)
		}
		resp := validator.StringResponse{}
		expirationDateValidator{}.ValidateString(context.Background(),
			validator.StringRequest{Path: path.Root("expiration_date"), ConfigValue: types.StringValue(date)}, &resp)
		if _, utcErr := resolveExpiration(date, ""); resp.Diagnostics.HasError() != (utcErr != nil) {
			t.Errorf("%q: validator errors %v, resolver error %v", date, resp.Diagnostics, utcErr)
		}
	})
}
