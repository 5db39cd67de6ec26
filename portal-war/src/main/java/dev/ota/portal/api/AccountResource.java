package dev.ota.portal.api;

import dev.ota.account.Accounts;
import dev.ota.account.IssuedToken;
import dev.ota.account.Roles;
import dev.ota.account.TokenView;
import dev.ota.error.ErrorBody;
import dev.ota.error.ErrorKind;
import dev.ota.portal.PortalAuthentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PathParam;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's own account, API tokens, and (for administrators) new accounts. */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "accounts", description = "The caller's account and API tokens; accounts for administrators")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "429", ref = "TooManyRequests")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class AccountResource {
    @EJB
    private Accounts accounts;

    /** Who the credentials stand for, and which roles they carry. */
    public record Me(String name, List<String> roles) {
    }

    public record PasswordChange(String current, String next) {
    }

    public record TokenRequest(String label, Integer validityDays) {
    }

    public record TokenIssued(long id, String label, String token, java.time.Instant expiresAt) {
    }

    public record TokenList(List<TokenView> tokens) {
    }

    public record NewAccount(String username, Set<String> roles) {
    }

    public record AccountCreated(String username, String oneTimePassword) {
    }

    @GET
    @Path("account")
    @Operation(summary = "Who am I", description = "The account the credentials stand for and its roles.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Me.class)))
    public Me me(@Context SecurityContext security) {
        List<String> roles = Roles.ALL.stream().filter(security::isUserInRole).sorted().toList();
        return new Me(security.getUserPrincipal().getName(), roles);
    }

    @POST
    @Path("account/password")
    @Operation(summary = "Change the caller's password", description = "Required first after a one-time password: "
            + "until then, this is the only operation Basic credentials may call. The new password needs at least "
            + "12 and at most 128 characters, must not be a common password, a repeated or running pattern, or "
            + "contain the user name, and must differ from the current one. Every portal session of the account "
            + "ends, except the one making the change.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PasswordChange.class)))
    @APIResponse(responseCode = "204", description = "Changed; the old password no longer works")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response changePassword(PasswordChange change) {
        if (change == null || change.current() == null || change.next() == null) {
            return ErrorMapper.response(ErrorBody.of(ErrorKind.INVALID_INPUT, StrictJsonReader.CODE,
                    "send {\"current\": ..., \"next\": ...}"));
        }
        accounts.changeOwnPassword(change.current().toCharArray(), change.next().toCharArray());
        return Response.noContent().build();
    }

    @POST
    @Path("tokens")
    @Operation(summary = "Issue an API token", description = "For automation: the token acts with the caller's "
            + "roles. The secret is in this response only; the server keeps just its hash. Send it as "
            + "`Authorization: Bearer <token>`. Every token expires: `validityDays` from 1 to 365, default 90. "
            + "Only a password sign-in may issue tokens (403 `token.password-required` for a token).")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenRequest.class)))
    @APIResponse(responseCode = "201", description = "The token, shown once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TokenIssued.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public Response issueToken(TokenRequest request, @Context HttpServletRequest http) {
        if (request == null) {
            return ErrorMapper.response(ErrorBody.of(ErrorKind.INVALID_INPUT, StrictJsonReader.CODE,
                    "send {\"label\": ..., \"validityDays\": ...}"));
        }
        IssuedToken t = accounts.issueToken(request.label(), request.validityDays(), PortalAuthentication.tokenId(http));
        return Response.status(201).entity(new TokenIssued(t.id(), t.label(), t.secret(), t.expiresAt())).build();
    }

    @GET
    @Path("tokens")
    @Operation(summary = "List API tokens", description = "The caller's tokens (an administrator's list holds every "
            + "account's), with their state; never a secret.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "The tokens, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "TokenList")))
    public TokenList tokens() {
        return new TokenList(accounts.tokens());
    }

    @DELETE
    @Path("tokens/{id}")
    @Operation(summary = "Revoke an API token", description = "At once, on every server. The owner may revoke a "
            + "token, and any administrator; a leaked token should be revoked here, then replaced.")
    @SecurityRequirement(name = "basic", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @SecurityRequirement(name = "bearer", scopes = {Roles.ADMINISTRATOR, Roles.RELEASE_MANAGER,
            Roles.SECURITY_OFFICER, Roles.AUDITOR})
    @APIResponse(responseCode = "200", description = "Revoked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "TokenView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public TokenView revokeToken(@Parameter(description = "Token id") @PathParam("id") long id) {
        return accounts.revokeToken(id);
    }

    @POST
    @Path("accounts")
    @Operation(summary = "Create an account", description = "The answer carries a random one-time password, shown "
            + "once; the new account must change it before anything else.")
    @SecurityRequirement(name = "basic", scopes = Roles.ADMINISTRATOR)
    @SecurityRequirement(name = "bearer", scopes = Roles.ADMINISTRATOR)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewAccount.class)))
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountCreated.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response createAccount(NewAccount request) {
        // An empty body goes to the service too, which refuses it and records the refusal.
        String username = request == null ? null : request.username();
        String password = accounts.createAccount(username, request == null ? null : request.roles());
        return Response.status(201).entity(new AccountCreated(username, password)).build();
    }
}
