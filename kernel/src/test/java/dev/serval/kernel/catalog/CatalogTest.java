package dev.serval.kernel.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import dev.serval.sdk.Manifest;
import dev.serval.sdk.ModelConfig;
import dev.serval.serving.Deadlines;
import dev.serval.serving.LoadOptions;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CatalogTest {

    private final Deadlines deadlines = new Deadlines();

    @AfterEach
    void closeTimer() {
        deadlines.close();
    }

    private static final Source STORE = Source.registered("digits.mar", LoadOptions.NONE, Source.Kind.MODEL_STORE);
    private static final Source OWN_FILE = Source.deployFolder(Path.of("deploy/own.mar"));

    private final Catalog catalog = new Catalog();
    private final ModelVersion fromStore = version("digits", "1.0", "store/digits.mar", deadlines);

    @Test
    void aNewModelIsRefusedWhenItsNameIsServedFromElsewhereInAnyVersion() {
        catalog.add(fromStore, STORE);

        assertConflict(
                () -> catalog.add(
                        version("digits", "2.0", "deploy/thief.mar", deadlines),
                        Source.deployFolder(Path.of("deploy/thief.mar"))),
                "store/digits.mar");
        assertEquals(List.of(fromStore), catalog.versions("digits"));
    }

    @Test
    void registerCallsAddVersionsBesideEachOtherButNeverTheSameVersionTwice() {
        catalog.add(fromStore, STORE);
        ModelVersion second = version("digits", "2.0", "store/digits_v2.mar", deadlines);
        catalog.add(second, registerCall("digits_v2.mar"));

        ServingException again = assertThrows(
                ServingException.class,
                () -> catalog.add(version("digits", "2.0", "store/other.mar", deadlines), registerCall("other.mar")));
        assertEquals(409, again.status());
        assertTrue(again.getMessage().contains("already registered"), again.getMessage());
        assertEquals(List.of(fromStore, second), catalog.versions("digits"));
        assertTrue(catalog.isDefault(fromStore));
    }

    @Test
    void aDuplicateIsRefusedBeforeItsHandlerIsBound() {
        List<ModelVersion> bound = new ArrayList<>();
        catalog.onPrepare(bound::add);
        catalog.add(fromStore, STORE);

        assertThrows(
                ServingException.class,
                () -> catalog.add(version("digits", "1.0", "store/copy.mar", deadlines), registerCall("copy.mar")));
        assertEquals(List.of(fromStore), bound, "only the version served was bound");
    }

    @Test
    void aPreparedVersionHoldsItsNameAndVersionButRequestsDoNotReachItUntilPublished() {
        Catalog.Preparation preparation = catalog.prepare(fromStore, STORE, Optional.empty());

        assertEquals(
                404,
                assertThrows(ServingException.class, () -> catalog.resolve("digits", Optional.empty()))
                        .status());
        assertEquals(List.of(fromStore), catalog.bound());
        assertThrows(
                ServingException.class,
                () -> catalog.add(version("digits", "1.0", "store/copy.mar", deadlines), registerCall("copy.mar")));

        catalog.publish(preparation);
        assertEquals(fromStore, catalog.resolve("digits", Optional.empty()));
    }

    @Test
    void aCancelledPreparationIsReportedGoneAndFreesItsName() {
        List<ModelVersion> gone = new ArrayList<>();
        catalog.onRemove(gone::add);
        catalog.cancel(catalog.prepare(fromStore, STORE, Optional.empty()));

        assertEquals(List.of(fromStore), gone);
        assertEquals(List.of(), catalog.bound());
        ModelVersion again = version("digits", "1.0", "store/digits.mar", deadlines);
        catalog.add(again, STORE);
        assertEquals(again, catalog.resolve("digits", Optional.empty()));
    }

    @Test
    void aReplacementTakesOnlyTheVersionItReplaces() {
        catalog.add(fromStore, STORE);
        ModelVersion own = version("own", "1.0", "deploy/own.mar", deadlines);
        catalog.add(own, OWN_FILE);

        assertConflict(() -> replace(own, version("digits", "1.0", "deploy/own.mar", deadlines)), "store/digits.mar");
        assertEquals(List.of(own), catalog.versions("own"));
        assertEquals(List.of(fromStore), catalog.versions("digits"));

        ModelVersion renamed = version("renamed", "1.0", "deploy/own.mar", deadlines);
        replace(own, renamed);
        assertThrows(ServingException.class, () -> catalog.versions("own"));
        ModelVersion next = version("renamed", "2.0", "deploy/own.mar", deadlines);
        replace(renamed, next);
        assertEquals(List.of(next), catalog.versions("renamed"));
        assertTrue(catalog.isDefault(next));
        assertEquals(Optional.of(new Catalog.Entry(next, OWN_FILE)), catalog.servedFrom(OWN_FILE));
    }

    @Test
    void aSourceReplacesOnlyWhatItServes() {
        catalog.add(fromStore, STORE);

        assertThrows(
                IllegalArgumentException.class,
                () -> catalog.prepare(
                        version("digits", "1.0", "deploy/own.mar", deadlines), OWN_FILE, Optional.of(fromStore)));
        assertEquals(List.of(fromStore), catalog.versions("digits"));
    }

    @Test
    void everyVersionThatStopsBeingServedIsReportedOnceAfterItIsGone() {
        List<String> gone = new ArrayList<>();
        catalog.onRemove(version -> {
            assertFalse(catalog.all().contains(version), "reported while still served");
            gone.add(version.name() + " " + version.version());
        });
        catalog.add(fromStore, STORE);
        ModelVersion own = version("own", "1.0", "deploy/own.mar", deadlines);
        catalog.add(own, OWN_FILE);
        ModelVersion next = version("own", "2.0", "deploy/own.mar", deadlines);
        replace(own, next);
        ModelVersion renamed = version("renamed", "1.0", "deploy/own.mar", deadlines);
        replace(next, renamed);

        assertTrue(catalog.remove(fromStore));
        assertFalse(catalog.remove(fromStore));

        assertEquals(List.of("own 1.0", "own 2.0", "digits 1.0"), gone);
        assertTrue(catalog.serves("renamed", "1.0"));
        assertFalse(catalog.serves("own", "2.0"));
    }

    @Test
    void aVersionBesideAFilesModelIsRefused() {
        Source file = Source.deployFolder(Path.of("deploy/digits.mar"));
        ModelVersion own = version("digits", "1.0", "deploy/digits.mar", deadlines);
        catalog.add(own, file);

        assertConflict(
                () -> catalog.add(
                        version("digits", "2.0", "store/digits_v2.mar", deadlines), registerCall("digits_v2.mar")),
                "deploy/digits.mar");
        assertEquals(List.of(own), catalog.versions("digits"));
    }

    @Test
    void aRefusedReplacementIsShownUntilTheVersionIsReplacedOrRemoved() {
        ModelVersion own = version("own", "1.0", "deploy/own.mar", deadlines);
        catalog.add(own, OWN_FILE);
        catalog.refusedReplacement(own, "its handler failed to initialize");

        assertEquals(Optional.of("its handler failed to initialize"), catalog.failure(own));
        ModelVersion next = version("own", "1.1", "deploy/own.mar", deadlines);
        replace(own, next);
        assertEquals(Optional.empty(), catalog.failure(next));
        assertEquals(Optional.empty(), catalog.failure(own));

        catalog.refusedReplacement(own, "a version no longer served records nothing");
        assertEquals(Optional.empty(), catalog.failure(own));
    }

    @Test
    void closeAllClosesEveryVersion() {
        catalog.add(fromStore, STORE);
        ModelVersion own = version("own", "1.0", "deploy/own.mar", deadlines);
        catalog.add(own, OWN_FILE);

        catalog.closeAll();

        assertEquals(List.of(), catalog.all());
        assertEquals(ModelVersion.Status.STOPPED, fromStore.status());
        assertEquals(ModelVersion.Status.STOPPED, own.status());
    }

    @Test
    void removeSaysWhetherThisCallRemovedTheVersion() {
        catalog.add(fromStore, STORE);

        assertTrue(catalog.remove(fromStore));
        assertFalse(catalog.remove(fromStore));
    }

    @Test
    void aJobForAVersionReplacedMeanwhileGoesToTheVersionInItsPlace() throws Exception {
        ModelVersion old = version("own", "1.0", "deploy/own.mar", deadlines);
        catalog.add(old, OWN_FILE);
        ModelVersion replacement = version("own", "1.0", "deploy/own.mar", deadlines);
        List<ModelVersion> given = new ArrayList<>();

        CompletableFuture<String> answer = catalog.submit("own", Optional.empty(), target -> {
            given.add(target);
            if (target != old) {
                return CompletableFuture.completedFuture("answered");
            }
            // Replaced and closed after it was resolved: it refuses the job, as a closed version does.
            replace(old, replacement);
            old.close();
            return CompletableFuture.failedFuture(ServingException.unavailable("being unloaded"));
        });

        assertEquals("answered", answer.get());
        assertEquals(List.of(old, replacement), given);
    }

    @Test
    void aVersionClosedUnderTheCallerIsNotFoundRatherThanFailed() {
        fromStore.close();

        ServingException scaled = assertThrows(ServingException.class, () -> fromStore.scale(2, 2));
        assertEquals(404, scaled.status());
        assertEquals("ModelVersionNotFoundException", scaled.type());
        assertEquals(
                404,
                assertThrows(ServingException.class, () -> fromStore.awaitWorkers(1_000))
                        .status());
    }

    private void replace(ModelVersion current, ModelVersion replacement) {
        catalog.publish(catalog.prepare(replacement, OWN_FILE, Optional.of(current)));
    }

    private static Source registerCall(String url) {
        return Source.registered(url, LoadOptions.NONE, Source.Kind.REGISTER_CALL);
    }

    private static void assertConflict(Executable call, String otherSource) {
        ServingException e = assertThrows(ServingException.class, call);
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("is already served from " + Path.of(otherSource)), e.getMessage());
    }

    /**
     * A version of no engine: the catalog reads only its name, version and source; its workers
     * get no predictor.
     */
    static ModelVersion version(String name, String version, String source, Deadlines deadlines) {
        Model model = (Model) Proxy.newProxyInstance(
                Model.class.getClassLoader(),
                new Class<?>[] {Model.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close", "newPredictor" -> null;
                    case "getNDManager" ->
                        Proxy.newProxyInstance(
                                NDManager.class.getClassLoader(),
                                new Class<?>[] {NDManager.class},
                                (manager, call, a) -> Device.cpu());
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "model " + name;
                    default -> throw new UnsupportedOperationException(method.getName());
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
        return new ModelVersion(
                new LoadedModel(archive, model, "none", Instant.now(), Duration.ZERO, Signature.of(model, Map.of())),
                ServingSettings.DEFAULTS,
                deadlines);
    }
}
