package io.mocoj.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A calibrated cascade's run log gets the dev cost–quality chart; an uncalibrated one does not. */
class CalibrationChartTest {
    @Test
    void aCalibratedRouterShowsItsDevCurveAndChosenPoint(@TempDir Path dir) throws Exception {
        Path data = RunLogs.CONFIGS.resolve("data/demo_mcq.json").toAbsolutePath().normalize();
        Path cfg = dir.resolve("calibrated.json");
        Files.writeString(cfg, """
                {"method": "api_cascade", "task": "%s", "task_type": "multiple_choice",
                 "model_names": ["sim:small?accuracy=0.5&calibration=0.9&price_in=0.05&price_out=0.2",
                                 "sim:large?accuracy=0.85&calibration=0.9&price_in=3&price_out=15"],
                 "hyperparameters": {"mode": "logit", "percentage": 0.5, "calibrate": {"strong_share": 0.3}}, "seed": 7}
                """.formatted(data.toString().replace("\\", "/")));
        Path log = RunLogs.runConfig(cfg, dir.resolve("logs"));
        JsonNode cal = null;
        for (JsonNode t : new ObjectMapper().readTree(log.toFile()).path("trace")) if (t.path("event").asText().equals("calibration")) cal = t.path("data");
        assertTrue(cal != null && cal.path("curve").size() > 1, "the run log has the calibration trace");

        List<Path> md = RunLogReports.write(log, ReportFormat.MARKDOWN, dir.resolve("r.md"));
        assertTrue(md.stream().anyMatch(p -> p.getFileName().toString().equals("r-calibration.svg")), md.toString());
        String page = Files.readString(RunLogReports.write(log, ReportFormat.HTML, dir.resolve("r.html")).get(0));
        assertTrue(page.contains("id=\"chart-calibration\""));
        assertTrue(page.contains("red diamond: the point chosen for target {&quot;strong_share&quot;:0.3}"), "the caption names the target");
        assertTrue(page.contains("blue: each model alone"), "with prices, the chart is in dollars and shows each model");

        Path plain = RunLogs.run("cascade.json", dir.resolve("plain"));
        assertFalse(Files.readString(RunLogReports.write(plain, ReportFormat.HTML, dir.resolve("p.html")).get(0)).contains("chart-calibration"));
        assertEquals(4, Files.readString(dir.resolve("r.html")).split("<figure class=\"chart\"", -1).length - 1, "three charts + calibration");
    }
}
