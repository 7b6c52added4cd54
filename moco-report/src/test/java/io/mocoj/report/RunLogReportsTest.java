package io.mocoj.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLogReportsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path log;
    static JsonNode root;

    @BeforeAll
    static void runCascade() throws Exception {
        log = RunLogs.run("cascade.json", dir);
        root = JSON.readTree(Files.readString(log));
    }

    @Test
    void htmlIsSelfContainedAndHasEverySection() throws Exception {
        Path out = RunLogReports.write(log, ReportFormat.HTML, null).get(0);
        assertEquals(log.resolveSibling(log.getFileName().toString().replace(".json", ".html")), out);
        String html = Files.readString(out);
        for (String id : List.of("id=\"comparison\"", "id=\"groups\"", "id=\"chart-score\"", "id=\"chart-cost\"",
                "id=\"chart-latency\"", "id=\"example-list\"", "id=\"example-data\"")) {
            assertTrue(html.contains(id), id);
        }
        // Works offline: nothing is fetched from anywhere.
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "page loads an external resource");
        assertFalse(html.contains("@import"));
        assertEquals(3, count(html, "<svg"));
    }

    @Test
    void comparisonTableCarriesTheLogsNumbers() throws Exception {
        String html = RunLogReports.html(Files.readString(log));
        JsonNode s = root.path("summary");
        String methodRow = String.format(java.util.Locale.ROOT, "<td>api_cascade (method)</td><td>%.4f</td><td>[%.4f, %.4f]</td><td>%d</td>",
                s.path("mean").asDouble(), s.path("interval").path("low").asDouble(), s.path("interval").path("high").asDouble(),
                s.path("n").asInt());
        assertTrue(html.contains(methodRow), methodRow);
        for (JsonNode b : root.path("baselines")) {
            String row = String.format(java.util.Locale.ROOT, "<td>%s alone</td><td>%.4f</td>", b.path("model").asText(),
                    b.path("summary").path("mean").asDouble());
            assertTrue(html.contains(row), row);
        }
        // Paired comparison computed from the per-example scores, checked by counting them here.
        int[] wlt = outcomes(root);
        assertTrue(html.contains(wlt[0] + " wins, " + wlt[2] + " ties, " + wlt[1] + " losses"), html.substring(html.indexOf("class=\"paired\"")));
        assertTrue(html.contains("wins (" + wlt[0] + ")") && html.contains("losses (" + wlt[1] + ")") && html.contains("ties (" + wlt[2] + ")"));
    }

    @Test
    void markdownHasTablesAndChartFiles() throws Exception {
        Path out = dir.resolve("md/report.md");
        List<Path> files = RunLogReports.write(log, ReportFormat.MARKDOWN, out);
        assertEquals(4, files.size());
        String md = Files.readString(out);
        assertTrue(md.contains("| api_cascade (method) |"));
        assertTrue(md.contains("## By group"));
        for (String chart : List.of("report-score.svg", "report-cost.svg", "report-latency.svg")) {
            assertTrue(md.contains("](" + chart + ")"), chart);
            String svg = Files.readString(out.resolveSibling(chart));
            assertTrue(svg.contains("<svg") && svg.contains("<path"), chart);
        }
        int[] wlt = outcomes(root);
        assertTrue(md.contains("### Wins (" + wlt[0] + ")") && md.contains("### Losses (" + wlt[1] + ")"));
    }

    @Test
    void newerLogFieldsAreShown() throws Exception {
        ObjectNode r = root.deepCopy();
        r.putObject("degraded").putArray("models").addObject().put("model", "sim:medium").put("failedCalls", 7);
        r.put("mocojVersion", "9.9.9-test");
        ((ObjectNode) r.path("examples").get(0)).put("gold", "the-gold-answer")
                .putArray("calls").addObject().put("model", "sim:small").put("response", "call-response-text");
        r.putObject("comparison").put("against", "sim:large").put("wins", 11).put("ties", 22).put("losses", 3)
                .put("meanDifference", 0.2).put("low", 0.1).put("high", 0.3).put("bootstrapPValue", 0.01);
        String html = RunLogReports.html(r.toString());
        assertTrue(html.contains("<strong>DEGRADED</strong> models: [(model: sim:medium; failedCalls: 7)]"));
        assertTrue(html.contains("9.9.9-test"));
        assertTrue(html.contains("the-gold-answer") && html.contains("call-response-text"));
        assertTrue(html.contains("11 wins, 22 ties, 3 losses"), "the log's own paired comparison is preferred");
        assertFalse(RunLogReports.html(root.toString()).contains("DEGRADED"));
    }

    @Test
    void hostileModelTextCannotEndTheDataScript() throws Exception {
        ObjectNode r = root.deepCopy();
        ((ObjectNode) r.path("examples").get(0)).put("output", "</script><script>alert(1)</script>");
        String html = RunLogReports.html(r.toString());
        String data = html.substring(html.indexOf("id=\"example-data\">"), html.indexOf("</script>", html.indexOf("id=\"example-data\">")));
        assertFalse(data.substring(data.indexOf('>') + 1).contains("<"), "a raw '<' inside the data script");
        assertTrue(data.contains("\\u003c/script>\\u003cscript>alert(1)"));
    }

    @Test
    void notARunLogIsAClearError() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"hello\": 1}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunLogReports.write(bad, ReportFormat.HTML, null));
        assertTrue(e.getMessage().contains("not a MoCo-J run log"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunLogReports.write(dir.resolve("missing.json"), ReportFormat.HTML, null));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReportFormat.parseList("html,pdf"));
    }

    /** wins, losses, ties of the method against the best baseline, counted from the log. */
    static int[] outcomes(JsonNode root) {
        JsonNode best = null;
        for (JsonNode b : root.path("baselines")) {
            if (best == null || b.path("summary").path("mean").asDouble() > best.path("summary").path("mean").asDouble()) best = b;
        }
        int[] wlt = new int[3];
        for (JsonNode e : root.path("examples")) {
            double m = e.path("score").asDouble();
            double s = best.path("examples").get(e.path("index").asInt()).path("score").asDouble();
            wlt[m > s ? 0 : m < s ? 1 : 2]++;
        }
        return wlt;
    }

    static int count(String s, String sub) {
        Matcher m = Pattern.compile(Pattern.quote(sub)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
