package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CallbackUrlPolicyTest {

    private final CallbackUrlPolicy deployed = new CallbackUrlPolicy(false);
    private final CallbackUrlPolicy local = new CallbackUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/pacer?token=x", "HTTPS://hooks.example.com:8443/a/b", "https://[2001:db8::1]/hook"})
    void acceptsAbsoluteHttpsUrls(String url) {
        assertEquals(URI.create(url), deployed.validate(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000/hook", "http://localhost/hook", "http://[::1]:8000/"})
    void acceptsPlainHttpToLoopbackOnlyWhereAllowed(String url) {
        assertEquals(URI.create(url), local.validate(url));
        assertThrows(InvalidRequestException.class, () -> deployed.validate(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "/relative/path", "hooks.example.com/pacer", "ftp://hooks.example.com/x", "https:///no-host",
            "https://user:secret@hooks.example.com/x", "http://hooks.example.com/x", "http://10.0.0.1/x", "https://exa mple.com/",
            "mailto:someone@example.com", "javascript:alert(1)"})
    void refusesEverythingElseNamingTheField(String url) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> local.validate(url));
        assertEquals("callbackUrl", refused.field());
    }

    @ParameterizedTest
    @ValueSource(ints = {2048, 2049})
    void allowsAtMost2048Characters(int length) {
        String prefix = "https://hooks.example.com/";
        String url = prefix + "a".repeat(length - prefix.length());
        if (length <= CallbackUrlPolicy.MAX_LENGTH) {
            assertEquals(URI.create(url), deployed.validate(url));
        } else {
            assertEquals("callbackUrl", assertThrows(InvalidRequestException.class, () -> deployed.validate(url)).field());
        }
    }
}
