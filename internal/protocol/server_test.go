package protocol

import (
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// testProvider serves test_thing, whose Read reports the context it was
// given to read and, when block is set, returns only once that context ends.
type testProvider struct {
	read  chan context.Context
	block bool
}

func (p *testProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (p *testProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p *testProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (p *testProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p *testProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &testThing{p: p} }}
}

type testThing struct{ p *testProvider }

func (r *testThing) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "test_thing"
}
func (r *testThing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Computed: true}}}
}
func (r *testThing) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (r *testThing) Read(ctx context.Context, _ resource.ReadRequest, _ *resource.ReadResponse) {
	if r.p.read != nil {
		r.p.read <- ctx
	}
	if r.p.block {
		<-ctx.Done()
	}
}
func (r *testThing) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (r *testThing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

var thingType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}

func readRequest(t *testing.T) *tfprotov6.ReadResourceRequest {
	t.Helper()
	state, err := tfprotov6.NewDynamicValue(thingType, tftypes.NewValue(thingType, map[string]tftypes.Value{
		"id": tftypes.NewValue(tftypes.String, "a"),
	}))
	if err != nil {
		t.Fatal(err)
	}
	return &tfprotov6.ReadResourceRequest{TypeName: "test_thing", CurrentState: &state}
}

// requestValue stands for what a request's context carries: the gRPC
// stream, loggers and their fields.
type requestValue struct{ _ [256]byte }

type requestKey struct{}

// kept calls method of srv with a request context carrying a value, and
// says whether that value is still reachable once the call has returned
// and the garbage collector has run.
func kept(t *testing.T, srv tfprotov6.ProviderServer, method string, req any) bool {
	t.Helper()
	w := callWithValue(t, srv, method, req)
	for range 3 {
		runtime.GC()
	}
	stillThere := w.Value() != nil
	// The server lives on, as it does in the provider process.
	runtime.KeepAlive(srv)
	return stillThere
}

func callWithValue(t *testing.T, srv tfprotov6.ProviderServer, method string, req any) weak.Pointer[requestValue] {
	t.Helper()
	v := &requestValue{}
	ctx := context.WithValue(context.Background(), requestKey{}, v)
	m := reflect.ValueOf(srv).MethodByName(method)
	if !m.IsValid() {
		t.Fatalf("the server has no method %s", method)
	}
	if req == nil {
		req = reflect.New(m.Type().In(1).Elem()).Interface()
	}
	func() {
		// An empty request may upset the framework; what matters is
		// what it keeps afterwards.
		defer func() { _ = recover() }()
		m.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(req)})
	}()
	return weak.Make(v)
}

// The reason Server exists: the framework keeps every request's context
// until StopProvider. When this fails, the framework lets go of them itself
// and Server can be removed.
func TestFrameworkKeepsRequestContexts(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(&testProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	if !kept(t, srv, "ReadResource", readRequest(t)) {
		t.Fatal("the framework no longer keeps request contexts: Server is not needed any more")
	}
}

// Every call of the protocol but StopProvider lets go of its context when
// it returns, including calls added to the protocol later (which fail here
// until Server handles them or the framework stops keeping contexts).
func TestServerReleasesEveryRequestContext(t *testing.T) {
	srv, err := NewServer(&testProvider{})
	if err != nil {
		t.Fatal(err)
	}
	if kept(t, srv, "ReadResource", readRequest(t)) {
		t.Error("ReadResource: the request's context is still reachable after the call")
	}
	protocol := reflect.TypeFor[tfprotov6.ProviderServer]()
	for i := range protocol.NumMethod() {
		name := protocol.Method(i).Name
		if name == "StopProvider" || slices.Contains(streamingCalls, name) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			if kept(t, srv, name, nil) {
				t.Errorf("%s: the request's context is still reachable after the call", name)
			}
		})
	}
}

// While a call runs, the provider's code sees the request's values, and the
// call ends when Terraform cancels the request or stops the provider.
func TestServerCallSeesItsRequest(t *testing.T) {
	for _, stop := range []string{"request cancelled", "StopProvider"} {
		t.Run(stop, func(t *testing.T) {
			p := &testProvider{read: make(chan context.Context, 1), block: true}
			srv, err := NewServer(p)
			if err != nil {
				t.Fatal(err)
			}
			v := &requestValue{}
			ctx, cancel := context.WithCancel(context.WithValue(context.Background(), requestKey{}, v))
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := srv.ReadResource(ctx, readRequest(t))
				done <- err
			}()
			var seen context.Context
			select {
			case seen = <-p.read:
			case <-time.After(10 * time.Second):
				t.Fatal("Read was not called")
			}
			if seen.Value(requestKey{}) != v {
				t.Error("Read does not see the request context's values")
			}
			if seen.Err() != nil {
				t.Fatalf("Read's context ended early: %v", seen.Err())
			}
			if stop == "StopProvider" {
				if _, err := srv.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
					t.Fatal(err)
				}
			} else {
				cancel()
			}
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Read did not end after %s", stop)
			}
			if !errors.Is(seen.Err(), context.Canceled) {
				t.Errorf("Read's context after the call: %v, want canceled", seen.Err())
			}
			if seen.Value(requestKey{}) != nil {
				t.Error("the call's context still gives the request's values after the call")
			}
		})
	}
}

func TestReleasableContext(t *testing.T) {
	deadline := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), requestKey{}, "v"), deadline)
	defer cancel()
	ctx, release := withRelease(parent)
	if d, ok := ctx.Deadline(); !ok || !d.Equal(deadline) {
		t.Errorf("Deadline = %v, %v before release", d, ok)
	}
	if ctx.Value(requestKey{}) != "v" || ctx.Err() != nil || ctx.Done() != parent.Done() {
		t.Error("before release the context is not its request's")
	}
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	release()
	if _, ok := ctx.Deadline(); ok {
		t.Error("a released context still has a deadline")
	}
	if ctx.Value(requestKey{}) != nil {
		t.Error("a released context still gives values")
	}
	select {
	case <-ctx.Done():
	default:
		t.Error("a released context is not done")
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("Err = %v after release", ctx.Err())
	}
	// A context derived before release still ends with the request.
	cancel()
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("a context derived before release did not end with its request")
	}
}

// streamingCalls answer with a stream that the framework goes on writing to
// after the call has returned, using the call's context: a context released
// on return would end the stream. Server must never wrap them.
var streamingCalls = []string{"ListResource", "InvokeAction", "ReadStateBytes", "WriteStateBytes"}

// Every call of the protocol whose request or answer is a stream is in
// streamingCalls, so a streaming call added to the protocol is noticed.
func TestStreamingCallsAreListed(t *testing.T) {
	for _, iface := range []reflect.Type{
		reflect.TypeFor[tfprotov6.ProviderServer](),
		reflect.TypeFor[tfprotov6.ListResourceServer](),
		reflect.TypeFor[tfprotov6.ActionServer](),
		reflect.TypeFor[tfprotov6.StateStoreServer](),
	} {
		for i := range iface.NumMethod() {
			m := iface.Method(i)
			streams := false
			for j := range m.Type.NumIn() {
				streams = streams || strings.HasSuffix(m.Type.In(j).String(), "Stream")
			}
			for j := range m.Type.NumOut() {
				streams = streams || strings.HasSuffix(m.Type.Out(j).String(), "Stream")
			}
			if streams != slices.Contains(streamingCalls, m.Name) {
				t.Errorf("%s.%s: streams %v, but streamingCalls says %v", iface.Name(), m.Name, streams, !streams)
			}
		}
	}
}

// Server declares no method for a streaming call: they reach the framework
// with Terraform's own context.
func TestServerDoesNotWrapStreamingCalls(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "server.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv == nil {
			continue
		}
		if slices.Contains(streamingCalls, fn.Name.Name) {
			t.Errorf("server.go wraps the streaming call %s: its stream would end when the call returns", fn.Name.Name)
		}
	}
}
