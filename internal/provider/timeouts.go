package provider

import (
	"context"
	"time"

	etimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
)

// Default operation timeouts. A request takes at most (max_retries + 1) ×
// request_timeout plus the waits between retries; an operation sends a few
// requests.
const (
	defaultCreateTimeout = 20 * time.Minute
	defaultReadTimeout   = 10 * time.Minute
	defaultUpdateTimeout = 20 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute
	defaultOpenTimeout   = 20 * time.Minute
)

func timeoutDescription(op string, d time.Duration) string {
	return "How long " + op + " may take in all, retries included, as a duration such as `30s`, `10m` or `1h`. " +
		"Defaults to `" + duration.Format(d) + "`. When it runs out, the request under way is abandoned and the " +
		"operation fails; each single request is also bounded by the provider's `request_timeout`."
}

// resourceTimeoutsBlock is the resource's timeouts block.
func resourceTimeoutsBlock() rschema.Block {
	block := timeouts.Block(context.Background(), timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: timeoutDescription("creating the token", defaultCreateTimeout) +
			" If it runs out while SolarNetwork may already have made the token, the provider finds that token and deletes it.",
		ReadDescription:   timeoutDescription("reading the token (refresh)", defaultReadTimeout),
		UpdateDescription: timeoutDescription("updating the token", defaultUpdateTimeout),
		DeleteDescription: timeoutDescription("deleting the token", defaultDeleteTimeout),
	})
	if b, ok := block.(rschema.SingleNestedBlock); ok {
		b.MarkdownDescription = "Time limits of the token's operations, in case SolarNetwork or the network is slow."
		for name, a := range b.Attributes {
			if s, ok := a.(rschema.StringAttribute); ok { // the library writes Markdown as plain descriptions
				s.MarkdownDescription, s.Description = s.Description, ""
				b.Attributes[name] = s
			}
		}
		return b
	}
	return block
}

// ephemeralTimeoutsBlock is the ephemeral resource's timeouts block.
func ephemeralTimeoutsBlock() eschema.Block {
	block := etimeouts.BlockWithOpts(context.Background(), etimeouts.Opts{
		OpenDescription: timeoutDescription("making the token", defaultOpenTimeout),
	})
	if b, ok := block.(eschema.SingleNestedBlock); ok {
		b.MarkdownDescription = "Time limit of making the token, in case SolarNetwork or the network is slow."
		for name, a := range b.Attributes {
			if s, ok := a.(eschema.StringAttribute); ok {
				s.MarkdownDescription, s.Description = s.Description, ""
				b.Attributes[name] = s
			}
		}
		return b
	}
	return block
}

// withTimeout bounds ctx by the configured timeout of one operation, such
// as tokenModel.Timeouts.Create, or its default.
func withTimeout(ctx context.Context, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, errs := get(ctx, def)
	diags.Append(errs...)
	if errs.HasError() {
		d = def
	}
	return context.WithTimeoutCause(ctx, d, &operationTimeout{limit: d})
}

// operationTimeout is the cause of an operation's context ending at its
// time limit, so that the error can name the limit that applied.
type operationTimeout struct{ limit time.Duration }

func (e *operationTimeout) Error() string {
	return "the operation ran out of its " + duration.Format(e.limit)
}

// Is makes it a context.DeadlineExceeded, as the context's own error is.
func (e *operationTimeout) Is(target error) bool { return target == context.DeadlineExceeded }
