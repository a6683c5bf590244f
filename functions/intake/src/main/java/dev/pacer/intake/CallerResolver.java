package dev.pacer.intake;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext.Authorizer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * Who is calling, from what API Gateway's authorizer put in the request context: the IAM caller's
 * ARN (the default), a JWT's subject, or a Lambda authorizer's principal. Jobs belong to that name.
 * Only where {@code pacer.auth.local-caller-header} is set (the local run and tests, never a
 * deployment) may a plain header name the caller instead.
 */
@ApplicationScoped
public class CallerResolver {

    /** Who the local run is when the local-caller header is absent. */
    static final String LOCAL_CALLER = "local";

    private final Optional<String> localCallerHeader;

    public CallerResolver(IntakeConfig config) {
        this.localCallerHeader = config.auth().localCallerHeader();
    }

    public static final class UnauthenticatedException extends RuntimeException {
        UnauthenticatedException() {
            super("the request carries no caller identity; sign it (IAM SigV4) or send a token the API's authorizer accepts");
        }
    }

    public String callerOf(APIGatewayV2HTTPEvent event) {
        Optional<String> authorized = Optional.ofNullable(event)
                .map(APIGatewayV2HTTPEvent::getRequestContext)
                .map(APIGatewayV2HTTPEvent.RequestContext::getAuthorizer)
                .flatMap(CallerResolver::principal);
        if (authorized.isPresent()) {
            return authorized.get();
        }
        if (localCallerHeader.isPresent()) {
            return header(event, localCallerHeader.get()).filter(name -> !name.isBlank()).orElse(LOCAL_CALLER);
        }
        throw new UnauthenticatedException();
    }

    private static Optional<String> principal(Authorizer authorizer) {
        if (authorizer.getIam() != null) {
            var iam = authorizer.getIam();
            return Optional.ofNullable(iam.getUserArn()).or(() -> Optional.ofNullable(iam.getCallerId()));
        }
        if (authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            return Optional.ofNullable(authorizer.getJwt().getClaims().get("sub"));
        }
        if (authorizer.getLambda() != null && authorizer.getLambda().get("principalId") instanceof String principalId) {
            return Optional.of(principalId);
        }
        return Optional.empty();
    }

    private static Optional<String> header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event == null ? null : event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst();
    }
}
