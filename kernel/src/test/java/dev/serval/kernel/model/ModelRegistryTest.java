package dev.serval.kernel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import dev.serval.serving.LoadedModel;
import dev.serval.serving.ModelArchive;
import dev.serval.serving.ModelVersion;
import dev.serval.serving.ServingException;
import dev.serval.serving.ServingSettings;
import dev.serval.serving.Signature;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ModelRegistryTest {

    private final ModelRegistry registry = new ModelRegistry();
    private final ModelVersion fromStore = version("digits", "1.0", "store/digits.mar");

    @Test
    void aNewModelIsRefusedWhenItsNameIsServedFromElsewhereInAnyVersion() {
        registry.register(fromStore);

        assertConflict(() -> registry.registerNew(version("digits", "2.0", "deploy/thief.mar")), "store/digits.mar");
        assertEquals(List.of(fromStore), registry.versions("digits"));
    }

    @Test
    void aReplacementTakesOnlyTheVersionItReplaces() {
        registry.register(fromStore);
        ModelVersion own = version("own", "1.0", "deploy/own.mar");
        registry.registerNew(own);

        assertConflict(() -> registry.replace(own, version("digits", "1.0", "deploy/own.mar")), "store/digits.mar");
        assertEquals(List.of(own), registry.versions("own"));
        assertEquals(List.of(fromStore), registry.versions("digits"));

        ModelVersion renamed = version("renamed", "1.0", "deploy/own.mar");
        registry.replace(own, renamed);
        assertThrows(ServingException.class, () -> registry.versions("own"));
        ModelVersion next = version("renamed", "2.0", "deploy/own.mar");
        registry.replace(renamed, next);
        assertEquals(List.of(next), registry.versions("renamed"));
        assertTrue(registry.isDefault(next));
    }

    @Test
    void everyVersionThatStopsBeingServedIsReportedOnceAfterItIsGone() {
        List<String> gone = new ArrayList<>();
        registry.onUnregister(version -> {
            assertFalse(registry.all().contains(version), "reported while still served");
            gone.add(version.name() + " " + version.version());
        });
        registry.register(fromStore);
        ModelVersion own = version("own", "1.0", "deploy/own.mar");
        registry.registerNew(own);
        ModelVersion next = version("own", "2.0", "deploy/own.mar");
        registry.replace(own, next);
        ModelVersion renamed = version("renamed", "1.0", "deploy/own.mar");
        registry.replace(next, renamed);

        assertTrue(registry.unregister(fromStore));
        assertFalse(registry.unregister(fromStore));

        assertEquals(List.of("own 1.0", "own 2.0", "digits 1.0"), gone);
        assertTrue(registry.serves("renamed", "1.0"));
        assertFalse(registry.serves("own", "2.0"));
    }

    @Test
    void aReplacementIsRefusedBesideAnotherSourcesVersionOfItsName() {
        ModelVersion own = version("digits", "1.0", "deploy/digits.mar");
        registry.registerNew(own);
        ModelVersion registered = version("digits", "2.0", "store/digits_v2.mar");
        registry.register(registered);

        assertConflict(() -> registry.replace(own, version("digits", "1.1", "deploy/digits.mar")),
                "store/digits_v2.mar");
        assertEquals(List.of(own, registered), registry.versions("digits"));
    }

    @Test
    void unregisterSaysWhetherThisCallRemovedTheVersion() {
        registry.register(fromStore);

        assertTrue(registry.unregister(fromStore));
        assertFalse(registry.unregister(fromStore));
    }

    @Test
    void aVersionClosedUnderTheCallerIsNotFoundRatherThanFailed() {
        fromStore.close();

        ServingException scaled = assertThrows(ServingException.class, () -> fromStore.scale(2, 2));
        assertEquals(404, scaled.status());
        assertEquals("ModelVersionNotFoundException", scaled.type());
        assertEquals(404, assertThrows(ServingException.class, () -> fromStore.awaitWorkers(1_000)).status());
    }

    private static void assertConflict(Executable call, String otherSource) {
        ServingException e = assertThrows(ServingException.class, call);
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("is already served from " + Path.of(otherSource)), e.getMessage());
    }

    /** A version of no engine: the registry reads only its name, version and source. */
    private static ModelVersion version(String name, String version, String source) {
        Model model = (Model) Proxy.newProxyInstance(Model.class.getClassLoader(), new Class<?>[] {Model.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Manifest manifest = new Manifest() {
            @Override
            public String modelName() {
                return name;
            }

            @Override
            public String modelVersion() {
                return version;
            }

            @Override
            public String serializedFile() {
                return "model.pt";
            }

            @Override
            public String handler() {
                return "none";
            }

            @Override
            public Optional<String> configFile() {
                return Optional.empty();
            }

            @Override
            public Optional<String> runtime() {
                return Optional.empty();
            }
        };
        ModelArchive archive = new ModelArchive(Path.of(source), Path.of(source), manifest, ModelConfig.empty());
        return new ModelVersion(new LoadedModel(archive, model, "none", Instant.now(), Duration.ZERO, Signature.of(model)),
                ServingSettings.DEFAULTS);
    }
}
