package dev.serval.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void parsesHostAndPortWithoutScheme() {
        assertEquals(new Address("127.0.0.1", 8080), Address.parse("127.0.0.1:8080"));
    }

    @Test
    void parsesHttpUrl() {
        assertEquals(new Address("localhost", 1), Address.parse("http://localhost:1"));
    }

    @Test
    void parsesHttpsAsTls() {
        assertEquals(new Address("x", 1, true), Address.parse("https://x:1"));
        assertEquals("https://x:1", Address.parse("https://x:1").toString());
    }

    @Test
    void refusesOtherSchemes() {
        assertThrows(IllegalArgumentException.class, () -> Address.parse("ftp://x:1"));
    }

    @Test
    void refusesHostWithoutPort() {
        assertThrows(IllegalArgumentException.class, () -> Address.parse("nohost"));
    }

    @Test
    void printsAsHttpUrl() {
        assertEquals("http://0.0.0.0:9090", new Address("0.0.0.0", 9090).toString());
    }

    @Test
    void refusesAPortOutsideTcpsRange() {
        assertThrows(IllegalArgumentException.class, () -> Address.parse("http://x:65536"));
        assertThrows(IllegalArgumentException.class, () -> new Address("x", -1));
        assertEquals(65535, Address.parse("x:65535").port());
    }
}
