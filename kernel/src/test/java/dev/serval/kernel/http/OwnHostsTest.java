package dev.serval.kernel.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serval.kernel.config.Address;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code Host} headers a listener answers, and which names are its own. */
class OwnHostsTest {

    @Test
    void aLoopbackListenerAnswersItsLoopbackNamesOnly() {
        OwnHosts hosts = OwnHosts.of(new Address("127.0.0.1", 8081), List.of());

        for (String host : List.of("127.0.0.1:8081", "127.0.0.1", "localhost:1", "LocalHost", "[::1]:8081", "[::1]")) {
            assertTrue(hosts.answers(host), host);
        }
        for (String host : List.of(
                "evil.example",
                "evil.example:8081",
                "localhost.evil.example",
                "127.0.0.1.nip.io",
                "localhost.",
                "::1",
                "[::2]:8081",
                "0.0.0.0:8081",
                "",
                "127.0.0.1:8081@evil.example",
                "[::1]evil.example",
                "localhost:http")) {
            assertFalse(hosts.answers(host), host);
        }
    }

    @Test
    void anOriginIsTheListenersOwnWithItsSchemeNameAndPort() {
        OwnHosts hosts = OwnHosts.of(new Address("127.0.0.1", 8081), List.of());

        for (String origin : List.of("http://127.0.0.1:8081", "http://localhost:8081", "http://[::1]:8081")) {
            assertTrue(hosts.isOwnOrigin(origin, false, 8081), origin);
        }
        for (String origin : List.of(
                "https://127.0.0.1:8081",
                "http://127.0.0.1:8080",
                "http://127.0.0.1",
                "http://evil.example:8081",
                "null",
                "",
                "http://127.0.0.1:8081@evil.example")) {
            assertFalse(hosts.isOwnOrigin(origin, false, 8081), origin);
        }
        assertTrue(hosts.isOwnOrigin("https://localhost", true, 443));
    }

    @Test
    void allowedHostsAddNamesOrLiftTheCheck() {
        OwnHosts named = OwnHosts.of(new Address("localhost", 8080), List.of("Serval.Internal"));
        assertTrue(named.answers("serval.internal:8080"));
        assertFalse(named.answers("other.internal"));

        OwnHosts any = OwnHosts.of(new Address("127.0.0.1", 8080), List.of("*"));
        assertTrue(any.answers("evil.example"));
        assertFalse(any.isOwn("evil.example"), "an Origin is still not the listener's own");
        assertFalse(any.isOwn("*"));
    }

    @Test
    void aListenerOnEveryInterfaceAnswersAnyHostButOwnsOnlyItsNames() {
        OwnHosts hosts = OwnHosts.of(new Address("0.0.0.0", 8081), List.of());

        assertTrue(hosts.answers("serval.example.com:8081"));
        assertTrue(hosts.isOwn("localhost"));
        assertFalse(hosts.isOwn("serval.example.com"));
    }
}
