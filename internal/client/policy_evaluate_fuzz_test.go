package client

import (
	"slices"
	"testing"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/simulator"
)

// FuzzPolicyEvaluator: for random policies and requests, the client's
// evaluator and the simulator's separately written one (the oracle) give the
// same answer, refusing fields included.
func FuzzPolicyEvaluator(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []byte("/a/**/b?*{x}!"), []byte("source ids and api paths"),
		{255, 0, 255, 0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &fuzzPicker{data: data}
		var policy SecurityPolicy
		var oracle simulator.Policy
		policy.NodeIDs = g.nodeIDs()
		oracle.NodeIDs = policy.NodeIDs
		policy.SourceIDs = g.paths(false)
		oracle.SourceIDs = policy.SourceIDs
		switch g.next() % 3 {
		case 0:
			policy.MinAggregation = g.pick(AggregationNames())
		case 1:
			policy.Aggregations = []string{g.pick(AggregationNames()), g.pick(AggregationNames())}
		}
		oracle.MinAggregation, oracle.Aggregations = policy.MinAggregation, policy.Aggregations
		if g.next()%2 == 0 {
			policy.MinLocationPrecision = g.pick(LocationPrecisionNames())
			oracle.MinLocationPrecision = policy.MinLocationPrecision
		}
		policy.NodeMetadataPaths = g.paths(false)
		oracle.NodeMetadataPaths = policy.NodeMetadataPaths
		policy.UserMetadataPaths = g.paths(false)
		oracle.UserMetadataPaths = policy.UserMetadataPaths
		policy.APIPaths = g.paths(true)
		oracle.APIPaths = policy.APIPaths

		var req PolicyRequest
		var q simulator.PolicyQuestion
		if g.next()%2 == 0 {
			id := int64(g.next() % 5)
			req.NodeID, q.NodeID = &id, &id
		}
		if g.next()%3 != 0 {
			s := g.path()
			req.SourceID, q.SourceID = &s, &s
		}
		if g.next()%2 == 0 {
			a := g.pick(AggregationNames())
			req.Aggregation, q.Aggregation = a, &a
		}
		if g.next()%2 == 0 {
			l := g.pick(LocationPrecisionNames())
			req.LocationPrecision, q.LocationPrecision = l, &l
		}
		if g.next()%2 == 0 {
			s := g.path()
			req.NodeMetadataPath, q.NodeMetadataPath = &s, &s
		}
		if g.next()%2 == 0 {
			s := g.path()
			req.UserMetadataPath, q.UserMetadataPath = &s, &s
		}
		if g.next()%2 == 0 {
			req.TokenType, q.UserToken = TokenTypeUser, true
		}
		if g.next()%3 != 0 {
			s := g.path()
			req.APIPath, q.APIPath = &s, &s
		}

		got, err := EvaluatePolicy(&policy, req)
		if err != nil {
			t.Fatalf("%+v %+v: %v", policy, req, err)
		}
		want := simulator.Judge(&oracle, q)
		if !slices.Equal(got.DeniedBy, want) || got.Allowed != (len(want) == 0) {
			t.Errorf("policy %+v\nrequest %+v\nclient says %+v, simulator says denied by %v", policy, req, got, want)
		}
	})
}

// fuzzPicker turns fuzz bytes into choices; it repeats them when they run out.
type fuzzPicker struct {
	data []byte
	i    int
}

func (g *fuzzPicker) next() int {
	if len(g.data) == 0 {
		g.i++
		return g.i * 7
	}
	b := g.data[g.i%len(g.data)] + byte(g.i/len(g.data))
	g.i++
	return int(b)
}

func (g *fuzzPicker) pick(from []string) string { return from[g.next()%len(from)] }

func (g *fuzzPicker) nodeIDs() []int64 {
	var out []int64
	for range g.next() % 3 {
		out = append(out, int64(g.next()%5))
	}
	return out
}

// path builds a short path from a few segments that collide often.
func (g *fuzzPicker) path() string {
	segments := []string{"a", "b", "ab", "*", "**", "?", "a*", "*b", "A", "{v}", ""}
	s := ""
	if g.next()%4 != 0 {
		s = "/"
	}
	n := g.next() % 4
	for i := range n {
		if i > 0 {
			s += "/"
		}
		s += g.pick(segments)
	}
	if g.next()%6 == 0 {
		s += "/"
	}
	return s
}

func (g *fuzzPicker) paths(negations bool) []string {
	var out []string
	for range g.next() % 3 {
		p := g.path()
		if negations && g.next()%3 == 0 {
			p = "!" + p
		}
		out = append(out, p)
	}
	return out
}
