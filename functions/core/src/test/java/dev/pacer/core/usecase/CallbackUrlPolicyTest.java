package dev.pacer.core.usecase;

import dev.pacer.core.job.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbackUrlPolicyTest {

    private final CallbackUrlPolicy deployed = new CallbackUrlPolicy(false);
    private final CallbackUrlPolicy local = new CallbackUrlPolicy(true);

    /** Refused, naming the field, whatever the reason. */
    private static boolean refuses(CallbackUrlPolicy policy, String url) {
        try {
            policy.validate(url);
            return false;
        } catch (InvalidRequestException e) {
            assertEquals("callbackUrl", e.field());
            return true;
        }
    }

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
    @ValueSource(strings = {
            // loopback: one number, octal, hex, fewer parts, a mix, a trailing dot
            "https://2130706433/", "https://0177.0.0.1/", "https://0x7f.0.0.1/", "https://0X7F.0.0.1/", "https://0x7f000001/",
            "https://017700000001/", "https://127.1/", "https://127.0.1/", "https://0x7f.1/", "https://0177.0x0.0.01/",
            "https://127.0.0.1./", "https://127.0.0.1/", "https://127.255.255.254:8443/",
            // private, shared, link-local (the metadata service), unspecified, multicast, reserved
            "https://10.0.0.1/", "https://012.0.0.1/", "https://0xa.0.0.1/", "https://167772161/", "https://172.16.0.1/",
            "https://172.31.255.255/", "https://192.168.1.1/", "https://0xc0a80101/", "https://100.64.0.1/",
            "https://169.254.169.254/latest/meta-data/", "https://2852039166/", "https://0xa9fea9fe/", "https://0251.0376.0251.0376/",
            "https://169.254.43518/", "https://0.0.0.0/", "https://0/", "https://224.0.0.1/", "https://255.255.255.255/",
            "https://198.18.0.1/", "https://192.0.0.8/"})
    void refusesEverySpellingOfALoopbackPrivateOrLinkLocalIpv4Address(String url) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> deployed.validate(url));
        assertEquals("callbackUrl", refused.field());
        assertTrue(refused.reason().startsWith("must not point to a"), refused::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://[::1]/", "https://[0:0:0:0:0:0:0:1]/", "https://[::]/", "https://[fc00::1]/",
            "https://[fd12:3456:789a::1]/", "https://[fe80::1]/", "https://[FE80::abcd]/", "https://[fec0::1]/", "https://[ff02::1]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:7f00:1]/", "https://[::ffff:169.254.169.254]/", "https://[::ffff:10.0.0.1]/",
            "https://[::127.0.0.1]/", "https://[::a9fe:a9fe]/", "https://[64:ff9b::a9fe:a9fe]/", "https://[64:ff9b::10.1.2.3]/",
            "https://[64:ff9b:1::1]/", "https://[2002:a9fe:a9fe::1]/", "https://[2002:7f00:1::]/", "https://[2001:0:4136:e378::1]/",
            "https://[100::1]/"})
    void refusesLoopbackUniqueLocalLinkLocalAndEmbeddedInternalIpv6Addresses(String url) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> deployed.validate(url));
        assertEquals("callbackUrl", refused.field());
        assertTrue(refused.reason().startsWith("must not point to a"), refused::getMessage);
    }

    @Test
    void anIpv6ZoneIdIsRefused() {
        assertEquals("callbackUrl", assertThrows(InvalidRequestException.class,
                () -> local.validate("https://[fe80::1%25eth0]/")).field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://localhost/", "https://LOCALHOST./hook", "https://api.localhost:8443/"})
    void refusesTheNamesOfLoopbackButTheLocalRunTakesThem(String url) {
        assertTrue(refuses(deployed, url), url);
        assertEquals(URI.create(url), local.validate(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://134744072/", "https://0x08.8.8.8/", "https://8.8.2056/", "https://010.0.0.1/"})
    void refusesAPublicIpv4AddressInAnyButTheDottedQuadSinceResolversDisagreeOnTheOthers(String url) {
        // 010.0.0.1 is 8.0.0.1 to inet_aton but 10.0.0.1 to Java: neither reading is trusted
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> deployed.validate(url));
        assertTrue(refused.reason().contains("write it as four decimal numbers"), refused::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://1.2.3.4.5/", "https://1.256.3.4/", "https://4294967296/", "https://1.2.65536/", "https://09.1.1.1/",
            "https://a.0x10/", "https://1..1/"})
    void refusesAHostThatEndsInANumberButIsNoIpv4Address(String url) {
        assertTrue(refuses(deployed, url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8/hook", "https://93.184.216.34:8443/x", "https://[2606:4700:4700::1111]/hook",
            "https://hooks.example.com./x", "https://127.example.com/x", "https://localhost.example.com/x"})
    void acceptsPublicAddressesAndNamesThatOnlyLookLikeLoopback(String url) {
        assertEquals(URI.create(url), deployed.validate(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/", "https://0177.0.0.1/"})
    void theLocalRunTakesLoopbackOnlyAsADottedQuadOrAName(String url) {
        assertTrue(refuses(local, url), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/x", "https://192.168.0.10/", "https://169.254.169.254/", "http://[fd00::1]/"})
    void theLocalRunStillRefusesEveryInternalAddressButLoopback(String url) {
        assertTrue(refuses(local, url), url);
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
