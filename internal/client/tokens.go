package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
)

// ListTokens returns every token of the caller's account, both types,
// ordered by creation. Each request is unique, so SolarNetwork's response
// cache cannot answer it, and an answer marked as cached is refused; the
// list may still lag by up to ListLag (see list_freshness.go). A success
// without a data array is refused: it would read as an account without
// tokens.
func (c *Client) ListTokens(ctx context.Context) ([]SecurityToken, error) {
	var data json.RawMessage
	if err := c.do(ctx, request{method: http.MethodGet, path: tokensPath, idempotent: true, uncached: true}, &data); err != nil {
		return nil, err
	}
	if trimmed := bytes.TrimSpace(data); len(trimmed) == 0 || trimmed[0] != '[' {
		return nil, &IncompleteListError{Reason: "the answer has no list of tokens (data is missing, null or not an array)"}
	}
	var tokens []SecurityToken
	if err := json.Unmarshal(data, &tokens); err != nil {
		return nil, &UnreadableResponseError{Method: http.MethodGet, Path: tokensPath, StatusCode: http.StatusOK, ContentType: "application/json",
			Reason: "the token list does not have the expected shape: " + err.Error(), Excerpt: bodyExcerpt(data, "application/json")}
	}
	return tokens, nil
}

// GenerateToken creates a token of tokenType ("User" or "ReadNodeData") with
// an optional policy. The result carries AuthSecret, which SolarNetwork never
// returns again. It is retried only after a rate-limit refusal: any other
// retry could create a second token. A *TransportError with Sent set means
// a token may exist.
func (c *Client) GenerateToken(ctx context.Context, tokenType string, policy *SecurityPolicy) (*SecurityToken, error) {
	req := request{method: http.MethodPost, path: tokensPath + "/generate/" + url.PathEscape(tokenType)}
	if policy != nil {
		req.json = policy
	}
	var token SecurityToken
	if err := c.do(ctx, req, &token); err != nil {
		// SolarNetwork checks each node of the policy before it makes the
		// token (DaoUserBiz.generateUserAuthToken).
		if policy != nil && len(policy.NodeIDs) > 0 && (IsNotFound(err) || IsAccessDenied(err)) {
			var apiErr *APIError
			errors.As(err, &apiErr)
			return nil, &NodeAccessError{NodeIDs: SortedNodeIDs(policy.NodeIDs), Err: apiErr}
		}
		return nil, err
	}
	if token.ID == "" || token.AuthSecret == "" {
		return nil, &UnreadableResponseError{Method: req.method, Path: req.path, StatusCode: http.StatusOK, ContentType: "application/json",
			Reason: "the answer holds no token ID and secret"}
	}
	return &token, nil
}

// UpdateTokenInfo sets a token's name and description. SolarNetwork replaces
// both: an empty value clears that field.
func (c *Client) UpdateTokenInfo(ctx context.Context, tokenID, name, description string) error {
	form := url.Values{"tokenId": {tokenID}}
	if name != "" {
		form.Set("name", name)
	}
	if description != "" {
		form.Set("description", description)
	}
	return c.do(ctx, request{method: http.MethodPost, path: tokensPath + "/info", form: form, idempotent: true}, nil)
}

// UpdateTokenStatus sets a token's status, "Active" or "Disabled".
func (c *Client) UpdateTokenStatus(ctx context.Context, tokenID, status string) error {
	form := url.Values{"tokenId": {tokenID}, "status": {status}}
	return c.do(ctx, request{method: http.MethodPost, path: tokensPath + "/status", form: form, idempotent: true}, nil)
}

// MergeTokenPolicy adds policy to the token's policy (set union, scalars
// overwritten when given). It cannot remove anything.
func (c *Client) MergeTokenPolicy(ctx context.Context, tokenID string, policy SecurityPolicy) (*SecurityToken, error) {
	return c.writePolicy(ctx, http.MethodPatch, tokenID, policy)
}

// ReplaceTokenPolicy replaces the token's whole policy.
func (c *Client) ReplaceTokenPolicy(ctx context.Context, tokenID string, policy SecurityPolicy) (*SecurityToken, error) {
	return c.writePolicy(ctx, http.MethodPut, tokenID, policy)
}

func (c *Client) writePolicy(ctx context.Context, method, tokenID string, policy SecurityPolicy) (*SecurityToken, error) {
	// A merge sends the same union again on retry, so both are idempotent.
	req := request{method: method, path: tokensPath + "/policy", query: url.Values{"tokenId": {tokenID}}, json: policy, idempotent: true}
	var token SecurityToken
	if err := c.do(ctx, req, &token); err != nil {
		return nil, err
	}
	if token.ID != tokenID {
		// A success without the token says nothing of the policy it now
		// holds; read as a token without a policy it would be a false state.
		return nil, &UnreadableResponseError{Method: req.method, Path: req.path, StatusCode: http.StatusOK, ContentType: "application/json",
			Reason: "the answer holds no token " + tokenID}
	}
	return &token, nil
}

// DeleteToken deletes a token. Deleting a token that does not exist succeeds.
func (c *Client) DeleteToken(ctx context.Context, tokenID string) error {
	return c.do(ctx, request{method: http.MethodDelete, path: tokensPath, query: url.Values{"tokenId": {tokenID}}, idempotent: true}, nil)
}

// Identity is who the client's credentials authenticate as.
type Identity struct {
	UserID    int64  `json:"userId"`
	Token     string `json:"token"`
	TokenType string `json:"tokenType"`
}

// WhoAmI checks the credentials and returns their identity.
func (c *Client) WhoAmI(ctx context.Context) (*Identity, error) {
	var id Identity
	if err := c.do(ctx, request{method: http.MethodGet, path: "/solaruser/api/v1/sec/whoami", idempotent: true}, &id); err != nil {
		return nil, err
	}
	return &id, nil
}
