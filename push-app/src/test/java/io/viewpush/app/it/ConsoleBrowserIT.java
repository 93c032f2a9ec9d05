package io.viewpush.app.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console in a real browser: Chromium driven through WebDriver against {@code run} from the
 * real jar, PostgreSQL and two real receivers. Sign in, a refused key, a failing view that turns
 * healthy once its receiver recovers, the preview paged, push now, the journal entry it writes, pause,
 * resume and replay, a partner key that sees only its view and no admin button, a phone-sized screen, and escaping:
 * {@code <script>} in a view name, an {@code onerror} handler in a value and {@code <script>} in a
 * receiver's answer all show as text and run nothing. Screenshots go to
 * {@code push-app/target/console-screenshots/}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} ({@code apt-get install -y chromium
 * chromium-driver}; other paths with {@code -Dviewpush.chromium=...} and
 * {@code -Dviewpush.chromedriver=...}); without them the tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final String ADMIN_KEY = "console-admin-key-0123456789";
    private static final String PARTNER_KEY = "console-partner-key-0123456789";
    /** A view name that would run if the console ever put it into the page as markup. */
    private static final String SCRIPT_VIEW = "<script>window.__xss=1</script>";
    /** A value that would run its handler if put into the page as markup. */
    private static final String IMG_VALUE = "<img src=x onerror=\"window.__xss=2\">";
    /** The failing receiver's answer. */
    private static final String SCRIPT_ANSWER = "<script>window.__xss=3</script> try later";
    private static final String MANUAL_VIEW = "manual orders";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private Postgres pg;
    private AnsweringReceiver failing;
    private AnsweringReceiver manual;
    private Path dir;
    private RunningApp app;
    private WebDriver driver;
    private WebDriverWait wait;
    private boolean browser;

    private static final String NO_BROWSER = "skipped: the console's browser tests need Chromium and its driver;"
            + " install them with apt-get install -y chromium chromium-driver (or give their paths with"
            + " -Dviewpush.chromium=PATH -Dviewpush.chromedriver=PATH)";

    @BeforeAll
    void start() throws IOException {
        Path chromium = Path.of(System.getProperty("viewpush.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("viewpush.chromedriver", "/usr/bin/chromedriver"));
        browser = Files.isExecutable(chromium) && Files.isExecutable(chromedriver);
        if (!browser) {
            System.err.println("ConsoleBrowserIT: " + NO_BROWSER + " (looked for " + chromium + " and " + chromedriver + ")");
            return;
        }
        pg = new Postgres();
        pg.sql("CREATE TABLE console_failing (id integer PRIMARY KEY, customer text, last_pushed timestamptz)",
                "INSERT INTO console_failing (id, customer) VALUES (1, 'Ada'), (2, 'Grace')",
                "CREATE TABLE console_manual (id integer PRIMARY KEY, customer text, last_pushed timestamptz)",
                "INSERT INTO console_manual (id, customer) VALUES (0, 'first')");
        failing = new AnsweringReceiver(500, SCRIPT_ANSWER);
        manual = new AnsweringReceiver(200, "{\"ok\":true}");
        dir = Files.createTempDirectory("viewpush-console-it");
        Files.writeString(dir.resolve("push.yaml"), pg.databaseYaml()
                + "server:\n  host: 127.0.0.1\n  port: 0\n"
                + "api:\n  keys:\n"
                + "    - {name: ops, key: " + ADMIN_KEY + ", views: ['*'], admin: true}\n"
                + "    - {name: partner, key: " + PARTNER_KEY + ", views: [" + MANUAL_VIEW + "]}\n"
                + "engine: {pollInterval: 200ms, shutdownTimeout: 5s}\n"
                + "views:\n"
                + "  - name: '" + SCRIPT_VIEW + "'\n"
                + "    table: console_failing\n"
                + "    key: id\n"
                + "    fields: {id: id, customer: customer, last pushed: last_pushed}\n"
                + "    filters: ['{last pushed} is empty']\n"
                + "    push: {url: '" + failing.url() + "', stamp: last pushed, minInterval: 0s, backoffInitial: 1s,"
                + " backoffMax: 1s, retry: {attempts: 1}}\n"
                + "  - name: " + MANUAL_VIEW + "\n"
                + "    table: console_manual\n"
                + "    key: id\n"
                + "    fields: {id: id, customer: customer, last pushed: last_pushed}\n"
                + "    filters: ['{last pushed} is empty']\n"
                + "    push: {url: '" + manual.url() + "', stamp: last pushed, minInterval: 1h, retry: {attempts: 1}}\n");
        app = new RunningApp(dir, "run", "-c", "push.yaml");
        // the manual view's first push goes at once; after it, rows wait for an hour (or a push now)
        await().atMost(Duration.ofSeconds(30)).until(() -> manual.count() == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> pg.query(
                "SELECT count(*) AS n FROM console_manual WHERE last_pushed IS NULL").get(0).get("n").equals(0L));
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 25; i++) {
            rows.append(i == 1 ? "" : ", ").append("(").append(i).append(", ")
                    .append(i == 3 ? "'" + IMG_VALUE.replace("'", "''") + "'" : "'customer " + i + "'").append(")");
        }
        pg.sql("INSERT INTO console_manual (id, customer) VALUES " + rows);

        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--user-data-dir=" + Files.createTempDirectory("viewpush-chromium").toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @BeforeEach
    void needsTheBrowser() {
        Assumptions.assumeTrue(browser, NO_BROWSER);
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (app != null) {
            app.stop(Duration.ofSeconds(20));
        }
        if (failing != null) {
            failing.close();
            manual.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private String console() {
        return app.base() + "/console/";
    }

    private void signIn(String key) {
        driver.get(console());
        // a fresh tab: no key kept from an earlier test
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        WebElement field = wait.until(d -> d.findElement(By.id("key")));
        field.clear();
        // by keyboard: type the key and press Enter
        field.sendKeys(key, Keys.ENTER);
    }

    private void signOut() {
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.get("about:blank");
    }

    private String text(By by) {
        return wait.until(d -> d.findElement(by)).getText();
    }

    private void until(Function<WebDriver, Boolean> condition) {
        wait.until(condition::apply);
    }

    private WebElement viewRow(String view) {
        return driver.findElements(By.cssSelector("#views tbody tr")).stream()
                .filter(tr -> view.equals(tr.getAttribute("data-view"))).findFirst().orElseThrow();
    }

    private String cell(String view, String name) {
        return viewRow(view).findElement(By.cssSelector("td[data-cell='" + name + "']")).getText();
    }

    private boolean noScriptRan() {
        return (Boolean) ((JavascriptExecutor) driver).executeScript("return window.__xss === undefined");
    }

    private void shot(String name) {
        try {
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void aRefusedKeyIsToldSoAndNothingIsKept() {
        signIn("not-a-key-of-this-server-0000");
        until(d -> d.findElement(By.id("login-error")).getText().startsWith("Refused:"));
        assertThat(text(By.id("login-error"))).contains("unknown API key");
        assertThat(driver.findElements(By.id("views"))).isEmpty();
        assertThat(((JavascriptExecutor) driver).executeScript("return sessionStorage.length")).isEqualTo(0L);
        assertThat(driver.manage().getCookies()).isEmpty();
        shot("01-refused-key");
    }

    @Test
    @Order(2)
    void aFailingViewShowsTheReceiversAnswerAsTextAndTurnsHealthyWhenTheReceiverRecovers() {
        signIn(ADMIN_KEY);
        until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 2);
        assertThat(text(By.id("who"))).isEqualTo("Key: ops (admin)");
        // the key is sent in a header, never kept anywhere a cross-site page could use it
        assertThat(driver.getCurrentUrl()).doesNotContain(ADMIN_KEY);
        assertThat(driver.manage().getCookies()).isEmpty();

        until(d -> cell(SCRIPT_VIEW, "state").equals("failing"));
        until(d -> cell(SCRIPT_VIEW, "reason").contains("the receiver answered"));
        assertThat(cell(SCRIPT_VIEW, "name")).isEqualTo(SCRIPT_VIEW);
        assertThat(cell(SCRIPT_VIEW, "reason")).isEqualTo("500 Internal Server Error; the receiver answered: "
                + SCRIPT_ANSWER);
        until(d -> cell(SCRIPT_VIEW, "waiting").equals("2"));
        until(d -> cell(MANUAL_VIEW, "waiting").equals("25"));
        assertThat(cell(MANUAL_VIEW, "state")).isEqualTo("healthy");
        assertThat(noScriptRan()).as("no script of the database's or the receiver's ran").isTrue();
        shot("02-failing");

        failing.answer(200, "thanks");
        until(d -> cell(SCRIPT_VIEW, "state").equals("healthy"));
        assertThat(noScriptRan()).isTrue();
        shot("03-recovered");

        // the failing view's page: its journal holds the failures with the answer as text, and the chart
        viewRow(SCRIPT_VIEW).findElement(By.tagName("a")).sendKeys(Keys.ENTER);
        until(d -> d.findElement(By.id("view-name")).getText().equals(SCRIPT_VIEW));
        until(d -> d.findElements(By.cssSelector("#pushes tbody tr[data-status='failed']")).size() > 0);
        WebElement failed = driver.findElements(By.cssSelector("#pushes tbody tr[data-status='failed']")).get(0);
        assertThat(failed.findElement(By.cssSelector("td[data-cell='reason']")).getText())
                .endsWith("the receiver answered: " + SCRIPT_ANSWER);
        assertThat(driver.findElements(By.cssSelector("#pushes tbody tr[data-status='success']"))).isNotEmpty();
        assertThat(text(By.id("chart-summary"))).containsPattern("\\d+ rows? pushed and \\d+ failed push");
        assertThat(driver.findElements(By.cssSelector("#chart-svg rect.failures"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("#chart-svg rect.rows"))).isNotEmpty();
        assertThat(driver.findElements(By.cssSelector("script"))).as("only the console's own script")
                .hasSize(1);
        assertThat(noScriptRan()).isTrue();
        shot("04-failing-view-page");
    }

    @Test
    @Order(3)
    void thePreviewPagesThroughTheRowsAPushWouldSendAndShowsValuesAsText() {
        signIn(ADMIN_KEY);
        until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 2);
        viewRow(MANUAL_VIEW).findElement(By.tagName("a")).click();
        until(d -> d.findElements(By.cssSelector("#preview-rows tbody tr")).size() == 20);
        assertThat(text(By.id("preview-status"))).startsWith("Rows 1 to 20 (more follow)");
        List<WebElement> first = driver.findElements(By.cssSelector("#preview-rows tbody tr"));
        assertThat(first.get(0).findElements(By.tagName("td")).get(0).getText()).isEqualTo("1");
        assertThat(first.get(2).findElements(By.tagName("td")).get(1).getText()).isEqualTo(IMG_VALUE);
        assertThat(driver.findElements(By.cssSelector("#preview img"))).isEmpty();
        assertThat(noScriptRan()).isTrue();
        // the definition, as configured
        assertThat(text(By.id("definition"))).contains("console_manual", "{last pushed} is empty", "last pushed");
        shot("05-preview-page-1");

        driver.findElement(By.id("preview-next")).click();
        until(d -> d.findElements(By.cssSelector("#preview-rows tbody tr")).size() == 5);
        assertThat(text(By.id("preview-status"))).startsWith("Rows 21 to 25");
        assertThat(driver.findElement(By.id("preview-next")).isEnabled()).isFalse();
        driver.findElement(By.id("preview-prev")).click();
        until(d -> d.findElements(By.cssSelector("#preview-rows tbody tr")).size() == 20);
        assertThat(manual.count()).as("looking sends nothing").isEqualTo(1);
    }

    @Test
    @Order(4)
    void pushNowSendsTheRowsAndTheJournalShowsTheEntry() {
        signIn(ADMIN_KEY);
        until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 2);
        driver.get(console() + "#/view/" + "manual%20orders");
        WebElement push = wait.until(d -> d.findElement(By.id("push-now")));
        push.click();
        until(d -> d.findElement(By.id("action-result")).getText().startsWith("Push: success"));
        assertThat(text(By.id("action-result"))).startsWith("Push: success, 25 rows sent, 25 stamped.");
        assertThat(manual.count()).isEqualTo(2);
        until(d -> d.findElements(By.cssSelector("#pushes tbody tr")).size() == 2);
        WebElement entry = driver.findElements(By.cssSelector("#pushes tbody tr")).get(0);
        List<WebElement> cells = entry.findElements(By.tagName("td"));
        assertThat(cells.get(1).getText()).isEqualTo("manual");
        assertThat(cells.get(2).getText()).isEqualTo("success");
        assertThat(cells.get(3).getText()).isEqualTo("25");
        assertThat(cells.get(4).getText()).endsWith("B");
        assertThat(cells.get(5).getText()).matches("\\d+(\\.\\d+)? m?s");
        assertThat(cells.get(6).getText()).isEqualTo("200");
        // a push now makes the count of rows waiting fresh at once
        until(d -> d.findElement(By.id("fact-waiting")).getText().equals("0"));
        driver.findElement(By.id("preview-reload")).click();
        until(d -> d.findElement(By.id("preview-status")).getText().startsWith("No rows"));
        // pause, resume and replay appear only where the server offers them
        for (String action : List.of("pause", "resume", "replay")) {
            int status = probe("/api/views/manual%20orders/" + action);
            if (status != 404) {
                until(d -> !d.findElements(By.id(action)).isEmpty());
            }
            assertThat(driver.findElements(By.id(action))).as(action + " (the API answered %s)", status)
                    .hasSize(status == 404 ? 0 : 1);
        }
        shot("06-pushed-now");
    }

    @Test
    @Order(5)
    void pauseResumeAndReplayFromTheViewPage() {
        signIn(ADMIN_KEY);
        until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 2);
        driver.get(console() + "#/view/" + "manual%20orders");
        wait.until(d -> d.findElement(By.id("pause"))).click();
        until(d -> d.findElement(By.id("action-result")).getText().startsWith("Pause: the view is paused"));
        until(d -> d.findElement(By.id("fact-state")).getText().equals("paused"));
        shot("07-paused");
        driver.findElement(By.id("resume")).click();
        until(d -> d.findElement(By.id("action-result")).getText().equals("Resume: the view pushes again."));
        until(d -> d.findElement(By.id("fact-state")).getText().equals("healthy"));

        // replay two rows: counted first, then for real; the preview shows them waiting again
        WebElement value = driver.findElement(By.id("replay-value"));
        value.sendKeys("3, 4");
        driver.findElement(By.id("replay-count")).click();
        until(d -> d.findElement(By.id("action-result")).getText()
                .equals("Replay (dry run): 2 rows would be sent again; nothing changed."));
        driver.findElement(By.id("replay")).click();
        until(d -> d.findElement(By.id("action-result")).getText()
                .equals("Replay: 2 rows will be sent again with the next push."));
        driver.findElement(By.id("preview-reload")).click();
        until(d -> d.findElements(By.cssSelector("#preview-rows tbody tr")).size() == 2);
        List<WebElement> rows = driver.findElements(By.cssSelector("#preview-rows tbody tr"));
        assertThat(rows.get(0).findElements(By.tagName("td")).get(1).getText()).isEqualTo(IMG_VALUE);
        assertThat(noScriptRan()).isTrue();
        shot("08-replayed");
    }

    @Test
    @Order(6)
    void aPartnerKeySeesOnlyItsViewAndNoAdminButton() {
        signOut();
        signIn(PARTNER_KEY);
        until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 1);
        assertThat(text(By.id("who"))).isEqualTo("Key: partner");
        assertThat(viewRow(MANUAL_VIEW)).isNotNull();
        viewRow(MANUAL_VIEW).findElement(By.tagName("a")).click();
        until(d -> d.findElement(By.id("journal")).getText().contains("needs an admin key"));
        until(d -> d.findElement(By.id("fact-state")).getText().equals("healthy"));
        assertThat(driver.findElements(By.id("push-now"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#actions button"))).isEmpty();
        assertThat(text(By.id("definition"))).doesNotContain(manual.url()).doesNotContain("Pushes to");
        // a view it may not see, typed into the address: nothing of it
        driver.get(console() + "#/view/" + "%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E");
        until(d -> d.findElement(By.id("facts")).getText().contains("not visible with this key"));
        assertThat(noScriptRan()).isTrue();
        shot("09-partner");
    }

    @Test
    @Order(7)
    void onAPhoneSizedScreenNothingOverflowsSideways() {
        signOut();
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            signIn(ADMIN_KEY);
            until(d -> d.findElements(By.cssSelector("#views tbody tr")).size() == 2);
            Object overflow = ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(((Number) overflow).intValue()).as("sideways overflow in px").isLessThanOrEqualTo(0);
            shot("10-phone-list");
            viewRow(MANUAL_VIEW).findElement(By.tagName("a")).click();
            until(d -> d.findElements(By.cssSelector("#pushes tbody tr")).size() >= 2);
            Object pageOverflow = ((JavascriptExecutor) driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(((Number) pageOverflow).intValue()).as("sideways overflow in px").isLessThanOrEqualTo(0);
            shot("11-phone-view");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    private int probe(String path) {
        try {
            java.net.http.HttpResponse<Void> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.base() + path))
                            .header("Authorization", "Bearer " + ADMIN_KEY).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
            return r.statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A receiver on 127.0.0.1 that answers every push with the status and body it is told to. */
    static final class AnsweringReceiver implements AutoCloseable {
        private final HttpServer server;
        private final AtomicReference<Object[]> answer;
        private final AtomicInteger requests = new AtomicInteger();

        AnsweringReceiver(int status, String body) {
            answer = new AtomicReference<>(new Object[] {status, body});
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(2));
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                Object[] a = answer.get();
                byte[] bytes = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
                exchange.sendResponseHeaders((Integer) a[0], bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
                requests.incrementAndGet();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void answer(int status, String body) {
            answer.set(new Object[] {status, body});
        }

        int count() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
