package dev.serval.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void theVersionIsThePoms() {
        assertEquals(System.getProperty("serval.pom.version"), ServerVersion.CURRENT);
    }
}
