package dev.ota.portal.api;

import dev.ota.account.Accounts;
import dev.ota.account.IssuedToken;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The caller's own account, API tokens, and (for administrators) new accounts. */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
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

    public record TokenIssued(long id, String label, String token) {
    }

    public record NewAccount(String username, Set<String> roles) {
    }

    public record AccountCreated(String username, String oneTimePassword) {
    }

    @GET
    @Path("account")
    public Me me(@Context SecurityContext security) {
        List<String> roles = dev.ota.account.Roles.ALL.stream().filter(security::isUserInRole).sorted().toList();
        return new Me(security.getUserPrincipal().getName(), roles);
    }

    @POST
    @Path("account/password")
    public Response changePassword(PasswordChange change) {
        if (change == null || change.current() == null || change.next() == null) {
            return ErrorMapper.json(400, "request.malformed", "send {\"current\": ..., \"next\": ...}");
        }
        accounts.changeOwnPassword(change.current().toCharArray(), change.next().toCharArray());
        return Response.noContent().build();
    }

    @POST
    @Path("tokens")
    public Response issueToken(TokenRequest request) {
        if (request == null) {
            return ErrorMapper.json(400, "request.malformed", "send {\"label\": ..., \"validityDays\": ...}");
        }
        Duration validity = request.validityDays() == null ? null : Duration.ofDays(Math.max(1, request.validityDays()));
        IssuedToken t = accounts.issueToken(request.label(), validity);
        return Response.status(201).entity(new TokenIssued(t.id(), t.label(), t.secret())).build();
    }

    @POST
    @Path("accounts")
    public Response createAccount(NewAccount request) {
        if (request == null) {
            return ErrorMapper.json(400, "request.malformed", "send {\"username\": ..., \"roles\": [...]}");
        }
        String password = accounts.createAccount(request.username(), request.roles());
        return Response.status(201).entity(new AccountCreated(request.username(), password)).build();
    }
}
