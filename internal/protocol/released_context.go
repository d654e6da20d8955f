package protocol

import (
	"context"
	"sync/atomic"
	"time"
)

// releasableContext passes every call to the request context it wraps until
// the request ends; then it lets go of that context and from then on acts
// as a cancelled context with no values. Whatever still holds it after the
// request, such as the framework's list of contexts to cancel on
// StopProvider, then holds a few words instead of the request's whole
// context chain.
type releasableContext struct {
	request atomic.Pointer[context.Context]
}

// released is the state after release: cancelled, no deadline, no values.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// withRelease returns a context that behaves as ctx until release is called.
func withRelease(ctx context.Context) (context.Context, func()) {
	r := &releasableContext{}
	r.request.Store(&ctx)
	return r, func() { r.request.Store(&released) }
}

func (r *releasableContext) current() context.Context { return *r.request.Load() }

func (r *releasableContext) Deadline() (time.Time, bool) { return r.current().Deadline() }
func (r *releasableContext) Done() <-chan struct{}       { return r.current().Done() }
func (r *releasableContext) Err() error                  { return r.current().Err() }
func (r *releasableContext) Value(key any) any           { return r.current().Value(key) }
