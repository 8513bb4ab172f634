package dev.serval.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console as a person uses it, in a real headless Chromium driven by chromedriver, against
 * the built distribution serving the four example models: sign in, the models, "try it" on the
 * classifier, the detector, the segmenter and the text classifier, scaling, the request counter
 * and charts moving, no error in the browser's console, and an inference key refused.
 * Screenshots go to {@code target/console-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of(System.getProperty("serval.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("serval.chromedriver", "/usr/bin/chromedriver"));
    private static final Path TARGET = Path.of("target");
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The console's first call, without a key, which tells it whether keys are on: the browser logs its 401. */
    private static final String SIGN_IN_PROBE =
            "/server - Failed to load resource: the server responded with a status of 401";

    @TempDir
    static Path root;

    private static ServerProcess server;
    private static WebDriver browser;
    private static String console;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "ConsoleIT needs Chromium and chromedriver (apt-get install chromium chromium-driver; ./run-tests installs them)");
        server = ServerProcess.start(root, ServerProcess.DIST.resolve("model-store"), "enable_model_api=true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(root.resolve("chromium")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 800));
        console = "http://127.0.0.1:" + server.managementPort + "/console/";
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    @Order(1)
    void theConsoleIsServedWithoutAKeyUnderAPolicyWithoutInlineScripts() throws Exception {
        HttpResponse<String> page = server.http.send(
                HttpRequest.newBuilder(URI.create(console)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, page.statusCode());
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(
                policy.contains("script-src 'self';")
                        && policy.contains("style-src 'self';")
                        && !policy.contains("unsafe-inline")
                        && !policy.contains("unsafe-eval"),
                policy);
        assertFalse(page.body().contains("<script>") || page.body().contains("style="), "inline script or style");
        // Its files are open, nothing else of the listener is: not by a way through them either.
        for (String path : List.of("/console/../models", "/console/%2e%2e/models", "/webjars/../server", "/server")) {
            HttpResponse<String> refused = server.http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), path);
        }
    }

    @Test
    @Order(2)
    void signingInShowsTheFourExampleModels() throws Exception {
        browser.get(console);
        signIn(server.key("inference"));

        await(driver -> rows().size() == 4);
        assertEquals(
                List.of("digits", "reviews_distilbert", "shapes_detector", "shapes_segmenter"),
                rows().stream().map(row -> row.getAttribute("data-model")).toList());
        assertEquals("READY", statusOf("digits"));
        assertEquals("1 / 1", field("digits", "workers"));
        Map<?, ?> weight = (Map<?, ?>) script("const entries = [...performance.getEntriesByType('navigation'),"
                + " ...performance.getEntriesByType('resource')];"
                + " return {bytes: entries.reduce((sum, e) => sum + e.transferSize, 0),"
                + " decoded: entries.reduce((sum, e) => sum + e.decodedBodySize, 0), files: entries.length,"
                + " domInteractive: performance.getEntriesByType('navigation')[0].domInteractive};");
        // Opened again, signed in (the key is in the tab): how long until the models are shown.
        browser.navigate().refresh();
        await(driver -> rows().size() == 4);
        double interactive = number(script("return performance.now()"));
        System.out.printf(
                "ConsoleIT: first load %.1f KB transferred (%.1f KB decoded) in %s requests, API calls"
                        + " included; DOM interactive after %.0f ms; opened signed in, the models are shown after %.0f ms%n",
                number(weight.get("bytes")) / 1024,
                number(weight.get("decoded")) / 1024,
                weight.get("files"),
                number(weight.get("domInteractive")),
                interactive);
    }

    @Test
    @Order(3)
    void theClassifierReadsTheDigitWithItsProbability() throws Exception {
        open("digits");
        send(Archives.DIGITS.resolve("images/digit_03_label5.jpg"), null);

        WebElement first = browser.findElement(By.cssSelector("#try-answer li"));
        assertEquals("5", first.findElement(By.className("label")).getText());
        assertTrue(first.findElement(By.className("value")).getText().startsWith("0.99"), first.getText());
        String curl = browser.findElement(By.id("try-curl")).getAttribute("textContent");
        assertTrue(curl.contains("$INFERENCE_KEY") && !curl.contains(server.key("inference")), curl);
        assertTrue(browser.findElement(By.id("try-json"))
                .getAttribute("textContent")
                .contains("\"5\": 0.99"));
    }

    @Test
    @Order(4)
    void theDetectorsBoxesAreDrawnOverTheImage() throws Exception {
        open("shapes_detector");
        send(ServerProcess.MODELS.resolve("shapes_detector/images/scene_01.png"), null);

        WebElement canvas = browser.findElement(By.id("try-canvas"));
        await(driver -> "3".equals(canvas.getAttribute("data-boxes")));
        List<String> found = browser.findElements(By.cssSelector("#try-answer li .label")).stream()
                .map(WebElement::getText)
                .toList();
        assertEquals(List.of("square", "triangle", "square"), found);
        // The first box's left edge is drawn in its colour, not the image's grey.
        Map<?, ?> image = (Map<?, ?>) script("const c = document.getElementById('try-canvas');"
                + " const box = document.querySelector('#try-answer li').dataset.box.split(',').map(Number);"
                + " const scale = c.width / 128;"
                + " const p = c.getContext('2d').getImageData(Math.round(box[0] * scale), Math.round((box[1] + box[3]) / 2 * scale), 1, 1).data;"
                + " return {width: c.width, red: p[0], green: p[1], blue: p[2]};");
        assertTrue(number(image.get("width")) > 0);
        assertTrue(number(image.get("red")) > 150 && number(image.get("green")) < 100, image.toString());
        screenshot("try-form", "console-detector.png");
    }

    @Test
    @Order(5)
    void theSegmentersMaskIsOverlaidAndTextsGetBars() throws Exception {
        open("shapes_segmenter");
        send(ServerProcess.MODELS.resolve("shapes_segmenter/images/scene_04.png"), null);
        await(driver -> browser.findElement(By.id("try-canvas")).getAttribute("data-mask") != null);
        assertTrue(
                browser.findElement(By.id("try-answer")).getText().contains("circle: 449 pixels"),
                browser.findElement(By.id("try-answer")).getText());

        open("reviews_distilbert");
        send(null, "Stopped back by Mellow Mushroom with my mate Justin from Brew Bros.");
        assertEquals(
                "negative",
                browser.findElement(By.cssSelector("#try-answer li .label")).getText());
    }

    @Test
    @Order(6)
    void scalingToTwoWorkersShows() throws Exception {
        open("digits");
        WebElement workers = browser.findElement(By.id("scale-workers"));
        workers.clear();
        workers.sendKeys("2");
        browser.findElement(By.cssSelector("#scale-form button")).click();

        await(driver -> browser.findElement(By.id("model-result")).getText().startsWith("Workers scaled to 2"));
        await(driver -> "2 / 2"
                .equals(script("const cell = document.querySelector(\"#versions tr[data-version='1.0']"
                        + " [data-field=workers]\"); return cell ? cell.textContent : '';")));
        JsonNode described = JSON.readTree(
                        server.get(server.managementPort, "/models/digits").body())
                .get(0);
        assertEquals(2, described.get("minWorkers").asInt());
    }

    @Test
    @Order(7)
    void theRequestCounterAndChartMoveAfterRequests() throws Exception {
        browser.get(console + "#/");
        await(driver -> rows().size() == 4);
        long before = Long.parseLong(field("digits", "requests"));
        byte[] image = Files.readAllBytes(Archives.DIGITS.resolve("images/digit_03_label5.jpg"));
        for (int i = 0; i < 8; i++) {
            assertEquals(
                    200, server.predict("/predictions/digits", image, "POST").statusCode());
        }

        await(driver -> Long.parseLong(field("digits", "requests")) >= before + 8);
        await(driver -> lastOf("chart-rate", "digits") > 0);
        await(driver -> !field("digits", "latency").startsWith("–"));
        assertTrue(lastOf("chart-latency", "digits") > 0);
        // The server's log, live: the access log's lines of these requests.
        await(driver -> browser.findElement(By.id("log")).getText().contains("\"POST /predictions/digits\" 200"));
        assertFalse(
                browser.findElement(By.id("log")).getText().contains("\"GET /server/metrics\" 200"),
                "the console's own calls are left out");
        screenshot("models-view", "console-models.png");
        assertEquals(List.of(), errors(List.of(SIGN_IN_PROBE)), "the browser's console");
    }

    @Test
    @Order(8)
    void swaggerUiShowsBothListenersDescriptions() throws Exception {
        browser.get(console + "docs.html#management");
        await(driver -> !browser.findElements(By.cssSelector(".swagger-ui .opblock-summary-path[data-path='/models']"))
                .isEmpty());
        browser.get(console + "docs.html#inference");
        await(driver -> !browser.findElements(
                        By.cssSelector(".swagger-ui .opblock-summary-path[data-path='/predictions/{model}']"))
                .isEmpty());
        assertEquals(List.of(), errors(List.of()), "the browser's console");
        browser.get(console);
        await(driver -> rows().size() == 4);
    }

    @Test
    @Order(9)
    void aRefusedInferenceKeyIsSaidSoAndTheRestWorks() throws Exception {
        browser.findElement(By.id("sign-out")).click();
        signIn("not-the-inference-key");
        await(driver -> rows().size() == 4);
        open("digits");
        send(Archives.DIGITS.resolve("images/digit_03_label5.jpg"), null);

        await(driver -> browser.findElement(By.id("try-error")).getText().contains("refused the inference key"));
        assertTrue(browser.findElements(By.cssSelector("#try-answer li")).isEmpty());
        // Only the refused prediction was an error: the browser logs its 401.
        assertEquals(
                List.of(),
                errors(List.of(
                        "/predictions/digits - Failed to load resource: the server responded with a status of 401")));
    }

    @Test
    @Order(10)
    void aDroppedArchiveIsDeployedAndOneOfTheStoreRegistered() throws Exception {
        Path archive = Archives.digits(
                Files.createDirectories(root.resolve("upload")).resolve("deployed.mar"),
                "deployed",
                "1.0",
                "convnet_digits.pt",
                "image_classifier");
        browser.get(console + "#/");
        await(driver -> rows().size() == 4);
        browser.findElement(By.id("deploy-file"))
                .sendKeys(archive.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("#deploy-form button")).click();

        await(driver -> "READY".equals(statusOf("deployed")));
        assertTrue(Files.isRegularFile(server.deployDir.resolve("deployed.mar")));
        new Select(browser.findElement(By.id("register-url"))).selectByValue("digits.mar");
        browser.findElement(By.id("register-name")).sendKeys("digits2");
        browser.findElement(By.cssSelector("#register-form button")).click();
        await(driver -> "READY".equals(statusOf("digits2")));
        assertEquals(List.of(), errors(List.of()), "the browser's console");
    }

    @Test
    @Order(11)
    void withTheModelApiOffItsControlsAreDisabledSayingWhy() throws Exception {
        Path store = Files.createDirectories(root.resolve("store"));
        Archives.digits(store.resolve("digits.mar"), "digits", "1.0", "convnet_digits.pt", "image_classifier");
        try (ServerProcess closed = ServerProcess.start(Files.createDirectories(root.resolve("closed")), store)) {
            browser.get("http://127.0.0.1:" + closed.managementPort + "/console/#/models/digits");
            await(driver -> browser.findElement(By.id("management-key")).isDisplayed());
            browser.findElement(By.id("management-key")).sendKeys(closed.key("management"));
            browser.findElement(By.cssSelector("#sign-in-form button")).click();
            await(driver ->
                    !browser.findElements(By.cssSelector("#versions tbody tr")).isEmpty());

            List<?> unregister = (List<?>) script("const b = [...document.querySelectorAll('#versions button')]"
                    + ".find(b => b.textContent === 'Unregister'); return [b.disabled, b.title];");
            assertEquals(true, unregister.get(0));
            assertTrue(String.valueOf(unregister.get(1)).contains("enable-model-api"), unregister.toString());
            for (String control : List.of("deploy-file", "register-url")) {
                assertFalse(browser.findElement(By.id(control)).isEnabled(), control);
            }
            assertTrue(browser.findElement(By.id("deploy-disabled"))
                    .getAttribute("textContent")
                    .contains("enable_model_api=true"));
        }
    }

    @Test
    @Order(12)
    void itFitsAPhonesWidthAndReadsInDarkMode() throws Exception {
        ChromeDriver chrome = (ChromeDriver) browser;
        browser.manage().window().setSize(new Dimension(390, 844));
        chrome.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            browser.get(console + "#/models/digits");
            await(driver ->
                    !browser.findElements(By.cssSelector("#versions tbody tr")).isEmpty());
            Map<?, ?> page = (Map<?, ?>) script("return {width: document.documentElement.scrollWidth,"
                    + " view: window.innerWidth, background: getComputedStyle(document.body).backgroundColor,"
                    + " text: getComputedStyle(document.body).color};");

            assertTrue(number(page.get("width")) <= number(page.get("view")), "the page scrolls sideways: " + page);
            assertEquals("rgb(17, 20, 24)", page.get("background"), page.toString());
            assertEquals("rgb(230, 233, 237)", page.get("text"), page.toString());
        } finally {
            chrome.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            browser.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    private static String statusOf(String model) {
        return (String) script("const cell = document.querySelectorAll(\"#models tr[data-model='" + model
                + "'] td\")[2]; return cell ? cell.textContent : '';");
    }

    private static void signIn(String inferenceKey) {
        await(driver -> browser.findElement(By.id("management-key")).isDisplayed());
        browser.findElement(By.id("management-key")).sendKeys(server.key("management"));
        browser.findElement(By.id("inference-key")).sendKeys(inferenceKey);
        browser.findElement(By.cssSelector("#sign-in-form button")).click();
    }

    private static void open(String model) {
        browser.get(console + "#/models/" + model);
        await(driver -> browser.findElement(By.id("model-title")).getText().equals(model)
                && !browser.findElements(By.cssSelector("#versions tbody tr")).isEmpty());
    }

    /** Sends an image or a text with "try it", and waits for the answer or the error. */
    private static void send(Path image, String text) {
        WebElement file = browser.findElement(By.id("try-file"));
        file.clear();
        browser.findElement(By.id("try-text")).clear();
        if (image != null) {
            file.sendKeys(image.toAbsolutePath().toString());
        } else {
            browser.findElement(By.id("try-text")).sendKeys(text);
        }
        script("document.getElementById('try-json').textContent = '';");
        browser.findElement(By.cssSelector("#try-form button[type=submit]")).click();
        await(driver -> !browser.findElement(By.id("try-json"))
                .getAttribute("textContent")
                .isEmpty());
    }

    private static List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#models tbody tr"));
    }

    /** @return a cell of the models table, read at once: the table is drawn anew at each refresh */
    private static String field(String model, String name) {
        return (String) script("const cell = document.querySelector(\"#models tr[data-model='" + model
                + "'] [data-field=" + name + "]\"); return cell ? cell.textContent : '';");
    }

    /** @return the value a chart's series shows at its right edge; 0 for none */
    private static double lastOf(String chart, String series) {
        try {
            JsonNode last = JSON.readTree(browser.findElement(By.id(chart)).getAttribute("data-last"))
                    .get(series);
            return last == null || last.isNull() ? 0 : last.asDouble();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the browser console's errors and warnings since the last call, but the expected ones */
    private static List<String> errors(List<String> expected) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> expected.stream().noneMatch(message::contains))
                .collect(Collectors.toList());
    }

    private static Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static void await(ExpectedCondition<Boolean> condition) {
        new WebDriverWait(browser, WAIT, Duration.ofMillis(100)).until(condition);
    }

    /** Saves what the page shows of an element, the page's header above it. */
    private static void screenshot(String id, String name) throws Exception {
        script("window.scrollTo(0, 0)");
        File shot = browser.findElement(By.id(id)).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), Files.createDirectories(TARGET).resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
