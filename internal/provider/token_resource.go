package provider

import (
	"context"
	"time"

	"filippo.io/age"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/client"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/duration"
	"github.com/solarnetwork/terraform-provider-solarnetwork/internal/expiration"
)

var (
	_ resource.ResourceWithConfigure      = (*tokenResource)(nil)
	_ resource.ResourceWithImportState    = (*tokenResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*tokenResource)(nil)
	_ resource.ResourceWithValidateConfig = (*tokenResource)(nil)
	_ resource.ResourceWithIdentity       = (*tokenResource)(nil)
)

var (
	pathExpirationDate = path.Root("expiration_date")
	pathPolicy         = path.Root("policy")
)

type tokenResource struct {
	store      *client.TokenStore
	guardrails *guardrails // nil: none
	// recipients is the provider's secret_recipients; encrypt, when set,
	// stands in for encryptSecret (secret_encryption.go).
	recipients types.Set
	encrypt    func(secret string, recipients []age.Recipient) (string, error)
	nodes      *client.NodeList // the account's nodes, read once per run for the node_ids check
	warnings   policyWarnings
	// expiryWarning is the provider's expiry_warning_window.
	expiryWarning time.Duration
}

func newTokenResource() resource.Resource { return &tokenResource{} }

func (r *tokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_security_token"
}

func (r *tokenResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = tokenResourceSchema()
}

// IdentitySchema lets Terraform 1.12+ and OpenTofu 1.12+ import by identity
// (import { identity = { id = "..." } }) and track the token's identity.
func (r *tokenResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The token ID.",
			},
		},
	}
}

// setIdentity records the token ID as the resource identity, where the CLI
// supports identities.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root("id"), id)
}

func (r *tokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if pd := providerDataOf(req.ProviderData, &resp.Diagnostics); pd != nil {
		r.store, r.guardrails, r.recipients, r.nodes, r.warnings = pd.store, pd.guardrails, pd.recipients, pd.nodes, pd.warnings
		r.expiryWarning = pd.expiryWarning
	}
}

func (r *tokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan tokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	rotation, rotationKnown := plan.rotation(ctx)
	desired, _, diags := plan.desiredPolicy(ctx, rotation, rotationKnown)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if rotation != nil {
		// The marker Generate sets is never later than this.
		desired = withExpiry(desired, rotation.expiry(r.now()))
	}
	token, warnings, err := r.store.GenerateToken(ctx, plan.Type.ValueString(), desired)
	addGenerateWarnings(&resp.Diagnostics, warnings)
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not create the security token", err)
		return
	}

	// From here on the token exists and its secret is known only to us:
	// state is written after every step so a later failure loses nothing.
	// Until its policy is set the token carries Generate's marker expiry, a
	// restriction stricter than configured, which state records truly.
	state := plan
	state.setFromToken(token)
	state.Secret, state.EncryptedSecret, err = r.sealSecret(&plan, token.AuthSecret)
	if err != nil {
		discardUnsealed(ctx, r.store, token.ID, err, &resp.Diagnostics)
		return
	}
	state.Name, state.Description = types.StringNull(), types.StringNull()
	state.Status = types.StringValue(token.Status)
	state.ReadyForRotation = types.BoolValue(false)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, token.ID)...)
	// Observed now: a plan with -refresh=false judges the token as of this,
	// and a list that lags behind it does not count as its deletion.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRefreshedAt, refreshedAtValue(r.now()))...)
	resp.Diagnostics.Append(recordListed(ctx, resp.Private, r.now())...)

	// A token configured Disabled is disabled before anything else, so it
	// is Active only for as long as one request takes.
	if plan.Status.ValueString() != token.Status {
		if err := r.store.UpdateTokenStatus(ctx, token.ID, plan.Status.ValueString()); err != nil {
			addAPIErrorNoting(ctx, &resp.Diagnostics, "Token "+token.ID+" was created, but setting its status failed", err, partiallyCreated)
			return
		}
		state.Status = plan.Status
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	if rotation != nil {
		desired = withExpiry(desired, rotation.expiry(token.Created))
	}
	token, err = r.store.ReplaceTokenPolicy(ctx, token.ID, *orEmpty(desired))
	if err != nil {
		addAPIErrorNoting(ctx, &resp.Diagnostics, "Token "+state.ID.ValueString()+" was created, but setting its policy failed", err, partiallyCreated)
		return
	}
	if lost := policyNotKept(desired, token.Policy); len(lost) > 0 {
		if discardUnkept(ctx, r.store, token.ID, lost, &resp.Diagnostics) {
			resp.State.RemoveResource(ctx)
			return
		}
	}
	state.setPolicyFromToken(token)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if !plan.Name.IsNull() || !plan.Description.IsNull() {
		if err := r.store.UpdateTokenInfo(ctx, token.ID, plan.Name.ValueString(), plan.Description.ValueString()); err != nil {
			addAPIErrorNoting(ctx, &resp.Diagnostics, "Token "+token.ID+" was created, but setting its name and description failed", err, partiallyCreated)
			return
		}
		state.Name, state.Description = plan.Name, plan.Description
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	}
}

func (r *tokenResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state tokenModel
	resp.Diagnostics.Append(readTokenModel(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	token, found, err := r.store.Token(ctx, state.ID.ValueString())
	if err != nil {
		addAPIError(ctx, &resp.Diagnostics, "Could not read security token "+state.ID.ValueString(), err)
		return
	}
	if !found && r.keepUnlisted(ctx, req.Private, &state, &resp.Diagnostics) {
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
		return // the list may lag behind it: state stays as it was
	}
	if !found {
		// A restricted provider token may list itself alone, as it was
		// before it was restricted: then nothing is known to be deleted.
		if err := r.store.ConfirmDeletions(ctx); err != nil {
			addCredentialError(ctx, &resp.Diagnostics, err)
			return
		}
		// Deleted outside Terraform: forget it so the plan creates it again.
		// The framework still wants an identity when the CLI kept none.
		resp.State.RemoveResource(ctx)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
		return
	}
	prior := state
	state.setFromToken(&token)
	if state.PolicyUpdate.IsNull() || state.PolicyUpdate.IsUnknown() {
		state.PolicyUpdate = types.StringValue(policyUpdateReplace) // just imported
	}
	resp.Diagnostics.Append(readConfiguredPolicy(ctx, &state, &prior, token.Policy)...)
	rotation, _ := state.rotation(ctx) // parsed once for both
	r.readLifecycle(ctx, &state, rotation, resp)
	resp.Diagnostics.Append(recordListed(ctx, resp.Private, r.now())...)
	r.readGuardrails(ctx, &state, rotation, &resp.Diagnostics)
	resp.Diagnostics.Append(writeTokenModel(ctx, &resp.State.Raw, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, token.ID)...)
}

func (r *tokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state tokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	id := state.ID.ValueString()
	if r.guardOwnToken(id, updateLockout(ctx, &plan, r.now()), atApply, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	if plan.PolicyUpdate.ValueString() == policyUpdateMerge {
		resp.Diagnostics.Append(r.checkUnchangedSincePlan(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	// Each step records its result, so a failure part-way leaves state true.
	wroteInfo := !plan.Name.Equal(state.Name) || !plan.Description.Equal(state.Description)
	wroteStatus := !plan.Status.Equal(state.Status)
	if wroteInfo {
		if err := r.store.UpdateTokenInfo(ctx, id, plan.Name.ValueString(), plan.Description.ValueString()); err != nil {
			addAPIError(ctx, &resp.Diagnostics, "Could not set the name and description of token "+id, err)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		state.Name, state.Description = plan.Name, plan.Description
	}
	if wroteStatus {
		if err := r.store.UpdateTokenStatus(ctx, id, plan.Status.ValueString()); err != nil {
			addAPIError(ctx, &resp.Diagnostics, "Could not set the status of token "+id, err)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		state.Status = plan.Status
	}

	current, diags := state.effective(ctx)
	resp.Diagnostics.Append(diags...)
	planned, diags := plan.effective(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	next := plan
	next.Name, next.Description, next.Status = state.Name, state.Description, state.Status
	if !client.PoliciesEqual(current, planned) {
		var token *client.SecurityToken
		var err error
		patch, additive := policyPatch(current, planned)
		if plan.PolicyUpdate.ValueString() == policyUpdateMerge && additive {
			// Pure additions go out as a merge, which keeps restrictions
			// another writer added since the plan was made.
			token, err = r.store.MergeTokenPolicy(ctx, id, patch)
		} else {
			token, err = r.store.ReplaceTokenPolicy(ctx, id, *orEmpty(planned))
		}
		if err != nil {
			addAPIError(ctx, &resp.Diagnostics, "Could not update the policy of token "+id, err)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
			return
		}
		next.setPolicyFromToken(token)
		if lost := policyNotKept(planned, token.Policy); len(lost) > 0 {
			// State records what SolarNetwork holds, so the next plan shows the difference.
			resp.Diagnostics.AddError("SolarNetwork did not keep the planned policy", notKeptDetail(id, lost)+
				" State records what it holds, so the next plan shows the difference again. Check what the server at "+
				"the provider's url supports, or change the configuration.")
			resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
			return
		}
		if undone := rowNotKept(next, wroteInfo, wroteStatus, token); len(undone) > 0 {
			if wroteInfo {
				next.Name, next.Description = keptOrHeld(next.Name, token.Name), keptOrHeld(next.Description, token.Description)
			}
			if wroteStatus {
				next.Status = types.StringValue(token.Status)
			}
			resp.Diagnostics.AddError("SolarNetwork undid part of this update", rowNotKeptDetail(id, undone))
			resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
			return
		}
		if !plan.Expired.IsUnknown() {
			next.Expired = plan.Expired // as the plan judged it: as of the last refresh
		}
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &next)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}

// checkUnchangedSincePlan refuses a merge-mode update when the policy
// SolarNetwork lists now (when this apply began) differs from the one the
// plan was made from: another writer changed it in between, or the list
// lags behind the last change. Going on would either drop that writer's
// restriction or end in a result other than planned, so nothing is written
// and the user plans again. A token the list lacks is refused the same way:
// it may be gone, or the list may lag behind it (see list_lag.go). A list
// that agrees with the plan but lags could still hide another writer's
// change of the last list_lag_window; no read SolarNetwork offers is free of
// that cache (solarnetwork-api.md §10).
func (r *tokenResource) checkUnchangedSincePlan(ctx context.Context, state *tokenModel) (diags diag.Diagnostics) {
	planned, d := state.effective(ctx)
	diags.Append(d...)
	token, found, err := r.store.Token(ctx, state.ID.ValueString())
	switch {
	case err != nil:
		addAPIError(ctx, &diags, "Could not read security token "+state.ID.ValueString(), err)
	case !found:
		diags.AddError("Token "+state.ID.ValueString()+" is missing from SolarNetwork's token list",
			"With policy_update = \"merge\" the provider compares the policy SolarNetwork holds with the one the plan was made "+
				"from before it writes, and SolarNetwork's token list does not hold this token: it was deleted after the plan was "+
				"made, or the list lags behind it (it can, by up to list_lag_window, "+duration.Format(r.store.ListLag())+"). "+
				"Nothing was changed. Run plan again: a deleted token is removed from state and created anew once the list has "+
				"lacked it for list_lag_window.")
	case !client.PoliciesEqual(token.Policy, planned):
		diags.AddAttributeError(pathPolicy, "Token "+token.ID+" changed since the plan was made",
			"The policy SolarNetwork lists for token "+token.ID+" differs from the one this plan was made from: another writer "+
				"changed it after the plan was made, or the list is older than the last change (SolarNetwork's list can lag by up "+
				"to list_lag_window). With policy_update = \"merge\" the provider keeps restrictions it does not own, and "+
				"applying this plan now would either drop such a change or give a result other than planned. Nothing was "+
				"changed: run plan again, review the new plan, and apply it.")
	}
	return diags
}

func (r *tokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state tokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	r.removeToken(ctx, &state, &resp.Diagnostics)
}

func (r *tokenResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root("id"), &v)...)
		id = v.ValueString()
	}
	if err := client.CheckTokenID(id); err != nil {
		resp.Diagnostics.AddError("Invalid token ID to import", err.Error())
		return
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
}

// readConfiguredPolicy sets the attributes that mirror configuration
// (policy, expiration_date) from what SolarNetwork holds, so a change made
// outside Terraform shows as a diff. In replace mode they take the server's
// whole policy; in merge mode they keep only what Terraform owned and is
// still on the server.
func readConfiguredPolicy(ctx context.Context, state, prior *tokenModel, server *client.SecurityPolicy) (diags diag.Diagnostics) {
	var serverExpiry *time.Time
	if server != nil {
		serverExpiry = server.NotAfter
	}
	if state.PolicyUpdate.ValueString() == policyUpdateMerge {
		owned, _, d := policyFromObject(ctx, prior.Policy)
		diags.Append(d...)
		if owned != nil {
			state.Policy = policyObjectKeepingShape(intersectPolicy(owned, server), prior.Policy)
		}
		if prior.ExpirationDate.IsNull() {
			return diags
		}
	} else {
		state.Policy = policyObjectKeepingShape(server, prior.Policy)
		if !prior.Rotation.IsNull() {
			return diags // rotation owns the expiry: drift shows in expires_at
		}
	}
	switch {
	case serverExpiry == nil:
		state.ExpirationDate = types.StringNull()
	case !prior.ExpirationDate.IsNull():
		if t, err := expiration.Resolve(prior.ExpirationDate.ValueString(), prior.TimeZone.ValueString()); err == nil && t.Equal(*serverExpiry) {
			return diags // same instant: keep the user's spelling
		}
		state.ExpirationDate = types.StringValue(expiration.FormatInstant(*serverExpiry))
	default:
		state.ExpirationDate = types.StringValue(expiration.FormatInstant(*serverExpiry))
	}
	return diags
}

// policyObjectKeepingShape is policyToObject, except that a configured
// empty "policy {}" stays an empty object rather than becoming null.
func policyObjectKeepingShape(p *client.SecurityPolicy, prior types.Object) types.Object {
	obj := policyToObject(p)
	if obj.IsNull() && !prior.IsNull() && !prior.IsUnknown() {
		return emptyPolicyObject()
	}
	return obj
}
