package dev.pacer.core.quota;

import java.util.Optional;

/** Turns an account's {@code keyRef} into the key to call its provider with. Keys never leave this port's adapter but in the call. */
public interface AccountKeys {

    /** The key, or empty for an account that needs none (simulated). Throws when a named key cannot be found. */
    Optional<String> apiKey(Account account);
}
