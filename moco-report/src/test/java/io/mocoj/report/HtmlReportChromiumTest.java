package io.mocoj.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium (Debian's {@code chromium} package; {@code .ci/run}
 * installs it) and reads the DOM after the page's scripts ran: the three SVG charts were laid out
 * with a non-empty drawing, the example browser filled its list, a filter works, and no script
 * error happened. Skips when no Chromium is installed.
 */
class HtmlReportChromiumTest {
    @TempDir
    static Path dir;
    static Path html;
    static int[] outcomes;

    @BeforeAll
    static void writeReport() throws Exception {
        Path log = RunLogs.run("cascade.json", dir);
        html = RunLogReports.write(log, ReportFormat.HTML, dir.resolve("report.html")).get(0);
        outcomes = RunLogReportsTest.outcomes(new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(log)));
    }

    @Test
    void chartsRenderAndNoScriptError() throws Exception {
        String dom = dumpDom(html.toUri().toString());
        assertEquals("ok", attribute(dom, "data-ready"), "the page script did not finish");
        assertEquals(null, attribute(dom, "data-script-errors"), "a script error occurred");
        assertEquals("3", attribute(dom, "data-charts-drawn"), "charts laid out by the browser");
        assertEquals("40", attribute(dom, "data-shown"), "examples listed");
        String list = dom.substring(dom.indexOf("id=\"example-list\""), dom.indexOf("</table>", dom.indexOf("id=\"example-list\"")));
        assertEquals(41, RunLogReportsTest.count(list, "<tr"), "header + rows the script built in the example list");
        assertTrue(list.contains("<tr class=\"sel\"><td>1000</td>"), "the first example is selected");
        assertTrue(dom.contains("Method trace"), "the detail pane of the first example");
    }

    @Test
    void theWinsFilterShowsTheWins() throws Exception {
        String dom = dumpDom(html.toUri() + "#filter=win");
        assertEquals(null, attribute(dom, "data-script-errors"));
        assertEquals(Integer.toString(outcomes[0]), attribute(dom, "data-shown"));
        assertFalse(dom.contains("<td class=\"tie\">tie</td>"));
    }

    @Test
    void aScriptErrorIsDetected() throws Exception {
        // The check itself must be able to fail: the same page with a broken script reports the error.
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, Files.readString(html).replace("'use strict';", "'use strict'; undefinedFunction();"));
        String dom = dumpDom(broken.toUri().toString());
        assertEquals("1", attribute(dom, "data-script-errors"));
        assertEquals(null, attribute(dom, "data-ready"));
    }

    static String dumpDom(String url) throws Exception {
        Optional<String> browser = chromium();
        Assumptions.assumeTrue(browser.isPresent(), "no chromium on PATH (apt-get install chromium); .ci/run installs it");
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(browser.get(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=5000",
                "--dump-dom", url));
        Path out = dir.resolve("dom-" + System.nanoTime() + ".html");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s");
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(dom.contains("<body"), "chromium printed no DOM (exit " + p.exitValue() + ")");
        return dom;
    }

    static Optional<String> chromium() {
        String given = System.getProperty("mocoj.chromium", System.getenv("MOCO_CHROMIUM"));
        if (given != null && !given.isBlank()) return Optional.of(given);
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "chrome")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path c = Path.of(d, name);
                if (Files.isExecutable(c)) return Optional.of(c.toString());
            }
        }
        return Optional.empty();
    }

    /** The value of an attribute on the html or body element, or null. */
    static String attribute(String dom, String name) {
        Matcher m = Pattern.compile("<(?:html|body)\\b[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }
}
