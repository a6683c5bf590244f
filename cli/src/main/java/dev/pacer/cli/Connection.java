package dev.pacer.cli;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** The API to talk to: --url or PACER_URL, signed with SigV4 for an execute-api host or with --sigv4. */
final class Connection {

    static final String DEFAULT_URL = "http://localhost:8080";
    static final Set<String> VALUED = Set.of("url", "region");
    static final Set<String> FLAGS = Set.of("sigv4");

    private Connection() {
    }

    static PacerApi open(Arguments args, Cli cli) {
        String url = args.value("url").or(() -> Optional.ofNullable(cli.environment().get("PACER_URL")))
                .filter(text -> !text.isBlank()).orElse(DEFAULT_URL);
        URI base;
        try {
            base = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UsageException("not a URL: " + url);
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new UsageException("the pacer URL must be http(s)://host[:port][/stage], not " + url);
        }
        if (!args.flag("sigv4") && !SigV4.isExecuteApiHost(base.getHost())) {
            return new PacerApi(base, Optional.empty());
        }
        String region = args.value("region")
                .or(() -> SigV4.regionOf(base.getHost()))
                .or(() -> Optional.ofNullable(cli.environment().get("AWS_REGION")))
                .or(() -> Optional.ofNullable(cli.environment().get("AWS_DEFAULT_REGION")))
                .orElseThrow(() -> new UsageException("SigV4 needs a region: --region or AWS_REGION"));
        return new PacerApi(base, Optional.of(new SigV4(DefaultCredentialsProvider.builder().build(), region, cli.clock())));
    }
}
