package io.mocoj.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The grid leaderboard page, from a leaderboard.json written by hand (values chosen to land in each colour class). */
class LeaderboardHtmlTest {
    private static final String BOARD = """
            {"planned_cells": 3, "complete": true, "missing": [], "ahead": 2, "significantly_ahead": 1, "rows": [
              {"cell": "c1", "task": "t<1>", "method": "m_ahead", "pool": 0, "seed": 1, "models": ["a", "b"], "simulated": ["a"],
               "n": 40, "score": 0.8, "low": 0.7, "high": 0.9, "best_single": "b", "best_single_score": 0.7,
               "vs_best": {"pairs": 40, "wins": 6, "ties": 32, "losses": 2, "mean_difference": 0.1, "low": 0.05, "high": 0.15,
                           "bootstrap_p": 0.01, "mcnemar_p": 0.289},
               "oracle": 0.9, "emergence": 0.05, "emergent": 2, "cost": null, "tokens": 1200, "calls": 80},
              {"cell": "c2", "task": "t<1>", "method": "m_unsure", "pool": 1, "seed": 1, "models": ["c"], "simulated": [],
               "n": 40, "score": 0.71, "low": 0.6, "high": 0.8, "best_single": "c", "best_single_score": 0.7,
               "vs_best": {"pairs": 40, "wins": 3, "ties": 35, "losses": 2, "mean_difference": 0.01, "low": -0.05, "high": 0.07,
                           "bootstrap_p": 0.6, "mcnemar_p": null},
               "oracle": 0.8, "emergence": null, "emergent": 0, "cost": 0.25, "tokens": 900, "calls": 40},
              {"cell": "c3", "task": "other", "method": "m_none", "pool": 0, "seed": 2, "models": ["a"], "simulated": ["a"],
               "n": 10, "score": 0.5, "low": 0.2, "high": 0.8, "best_single": null, "best_single_score": null,
               "vs_best": null, "oracle": null, "emergence": null, "emergent": 0, "cost": null, "tokens": 10, "calls": 10}
            ]}
            """;

    @Test
    void aSectionChartAndRowPerCellWithEscapedNames(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("leaderboard.json");
        Files.writeString(json, BOARD);
        Path html = RunLogReports.writeLeaderboard(json);
        assertEquals(dir.resolve("leaderboard.html"), html);
        String page = Files.readString(html);
        assertEquals(2, page.split("<section class=\"task\"", -1).length - 1);
        assertEquals(2, page.split("<svg", -1).length - 1);
        assertTrue(page.contains("<h2>t&lt;1&gt;</h2>"), "task names are escaped");
        assertTrue(page.contains("<td>+0.1000 [+0.0500, +0.1500]</td><td>6/32/2</td><td>0.2890</td>"), "McNemar p when present");
        assertTrue(page.contains("<td>+0.0100 [-0.0500, +0.0700]</td><td>3/35/2</td><td>0.6000</td>"), "else the bootstrap p");
        assertTrue(page.contains("ahead of its best single model in 2 of 3 cells, significantly (95% paired interval above 0) in 1"));
        assertTrue(page.contains("<strong>Simulated models:</strong> a</div>"));
        // XChart draws text as glyph outlines, so the chart is checked by its colours: green for the cell whose interval
        // is above 0, grey for the one whose interval holds 0, and no red (no cell is significantly behind).
        assertTrue(page.contains("rgb(30,132,73)"), "the ahead cell is drawn green");
        assertTrue(page.contains("rgb(127,140,141)"), "the undecided cell is drawn grey");
        assertTrue(!page.contains("rgb(192,57,43)"), "no cell is drawn red");
    }

    @Test
    void notALeaderboardIsAClearError(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("leaderboard.json");
        Files.writeString(json, "{\"method\": \"x\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunLogReports.writeLeaderboard(json));
        assertTrue(e.getMessage().contains("not a MoCo-J grid leaderboard"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunLogReports.writeLeaderboard(dir.resolve("missing.json")));
    }
}
