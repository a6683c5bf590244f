package dev.pacer.aws.quota;

import dev.pacer.core.catalog.ModelCatalog;
import dev.pacer.core.quota.Account;
import dev.pacer.core.quota.AccountPool;
import dev.pacer.core.quota.ModelLimits;
import software.amazon.awssdk.services.ssm.SsmClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A named account pool: a JSON file (local runs: {@code PACER_ACCOUNTS_FILE}) or an SSM parameter (deployed:
 * {@code PACER_ACCOUNTS_PARAMETER}, a SecureString or String holding the same JSON). With neither, the functions make
 * the pool from the provider keys in their environment, and one simulated account for the rest.
 */
public final class AccountPools {

    public static final String SIMULATED_ACCOUNT = "simulated";

    private AccountPools() {
    }

    /** The pool the file (which wins) or the SSM parameter holds; empty when neither is named. */
    public static Optional<AccountPool> named(Optional<String> file, Optional<String> ssmParameter, Supplier<SsmClient> ssm) {
        if (file.filter(f -> !f.isBlank()).isPresent()) {
            Path path = Path.of(file.get());
            try {
                return Optional.of(AccountPoolJson.parse(Files.readString(path), path.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the account pool file " + path, e);
            }
        }
        if (ssmParameter.filter(p -> !p.isBlank()).isPresent()) {
            String json = ssm.get().getParameter(get -> get.name(ssmParameter.get()).withDecryption(true)).parameter().value();
            return Optional.of(AccountPoolJson.parse(json, "SSM parameter " + ssmParameter.get()));
        }
        return Optional.empty();
    }

    /** One simulated account serving every model of the catalog, with limits no local run reaches. */
    public static AccountPool simulated(ModelCatalog catalog) {
        Map<String, ModelLimits> models = new LinkedHashMap<>();
        catalog.names().forEach(model -> models.put(model, ModelLimits.of(10_000, 10_000, 10_000_000)));
        return new AccountPool(List.of(new Account(SIMULATED_ACCOUNT, Account.SIMULATED_PROVIDER, URI.create("http://simulated.invalid"),
                "none", models, 0.0, ZoneId.of("UTC"), Optional.empty())));
    }
}
