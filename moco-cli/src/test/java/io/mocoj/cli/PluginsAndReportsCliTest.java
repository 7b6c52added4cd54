package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plugins DIR}: a jar compiled here (a method and a model-spec scheme registered the
 * documented ServiceLoader way) is used by {@code moco -c}; {@code --report} and {@code moco report}.
 */
class PluginsAndReportsCliTest {
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();

    record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A user's plugin: scheme {@code fixed:<letter>} (a model that always answers that letter) and method {@code plugin_first_model}. */
    static final Map<String, String> PLUGIN_SOURCES = Map.of(
            "userplugin/FixedResolver.java", """
                    package userplugin;
                    import io.mocoj.model.*;
                    import io.mocoj.spec.*;
                    import java.util.*;
                    public final class FixedResolver implements ModelSpecResolver {
                        public List<String> schemes() { return List.of("fixed"); }
                        public List<String> forms() { return List.of("fixed:<letter>   a user plugin model that always answers <letter>"); }
                        public ModelEndpoint resolve(ModelSpec spec, SpecContext context) {
                            String letter = spec.body();
                            return new ModelEndpoint() {
                                public String name() { return "fixed:" + letter; }
                                public Set<Capability> capabilities() { return EnumSet.of(Capability.TEXT); }
                                public Generation generate(GenerationRequest request) { return Generation.of("The answer is (" + letter + ")."); }
                                public String identity() { return "userplugin.fixed:" + letter; }
                            };
                        }
                    }
                    """,
            "userplugin/FirstModelFactory.java", """
                    package userplugin;
                    import io.mocoj.method.*;
                    import io.mocoj.model.Capability;
                    import java.util.*;
                    public final class FirstModelFactory implements MethodFactory {
                        public String name() { return "plugin_first_model"; }
                        public Level level() { return Level.API; }
                        public String description() { return "user plugin: every example goes to the first model"; }
                        public List<ParameterSpec> parameters() { return List.of(); }
                        public CollaborationMethod create(Hyperparameters h) {
                            return new CollaborationMethod() {
                                public String name() { return "plugin_first_model"; }
                                public Level level() { return Level.API; }
                                public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }
                                public Hyperparameters hyperparameters() { return h; }
                                public MethodOutput run(MethodContext ctx) {
                                    return ctx.forEachTest((example, i) -> ctx.answer(ctx.model(0), example).text());
                                }
                            };
                        }
                    }
                    """);

    static Path buildPluginJar(Path dir) throws IOException {
        Path src = dir.resolve("src"), classes = dir.resolve("classes");
        List<String> files = new ArrayList<>();
        for (var e : PLUGIN_SOURCES.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
            files.add(f.toString());
        }
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        args.addAll(files);
        StringWriter diag = new StringWriter();
        int rc = javac.run(null, OutputStream.nullOutputStream(), new java.io.ByteArrayOutputStream(), args.toArray(String[]::new));
        assertEquals(0, rc, "plugin sources must compile " + diag);
        Path jar = dir.resolve("plugins/user-plugin.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> walk = Files.walk(classes)) {
            for (Path c : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                Files.copy(c, out);
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.mocoj.spec.ModelSpecResolver"));
            out.write("userplugin.FixedResolver\n".getBytes());
            out.putNextEntry(new JarEntry("META-INF/services/io.mocoj.method.MethodFactory"));
            out.write("userplugin.FirstModelFactory\n".getBytes());
        }
        return jar.getParent();
    }

    @Test
    void aPluginMethodAndModelSchemeRunFromAConfigAndTheRunWritesReports(@TempDir Path tmp) throws IOException {
        Path plugins = buildPluginJar(tmp);
        Path cfg = tmp.resolve("cfg.json");
        Files.writeString(cfg, """
                {"method": "plugin_first_model", "task": "%s", "task_type": "multiple_choice",
                 "model_names": ["fixed:A", "sim:beta?accuracy=0.6"], "seed": 3}
                """.formatted(DEMO_DATA.toString().replace("\\", "/")));
        Path logs = tmp.resolve("logs");
        Result r = run("--plugins", plugins.toString(), "-c", cfg.toString(), "-l", logs.toString(), "--no-cache",
                "--progress", "none", "--report", "html,md");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.err().contains("plugins: 1 jar(s) added: [user-plugin.jar]"), r.err());
        assertTrue(r.out().contains("fixed:A alone"), r.out());
        // The plugin method sends everything to fixed:A, so it scores exactly what fixed:A alone scores.
        String methodLine = r.out().lines().filter(l -> l.startsWith("plugin_first_model")).findFirst().orElseThrow();
        String aloneLine = r.out().lines().filter(l -> l.contains("fixed:A alone")).findFirst().orElseThrow();
        assertEquals(aloneLine.trim().split("\\s+")[2], methodLine.trim().split("\\s+")[methodLine.contains("[simulated") ? 3 : 1], r.out());
        List<String> reports = r.out().lines().filter(l -> l.startsWith("report: ")).toList();
        assertEquals(2, reports.size(), r.out());
        Path html = Path.of(reports.get(0).substring("report: ".length()));
        assertTrue(html.toString().endsWith(".html") && Files.readString(html).contains("plugin_first_model (method)"));
        assertTrue(Files.exists(Path.of(reports.get(1).substring("report: ".length()))));
    }

    @Test
    void aSuiteWritesAReportPerTaskAndFailsWhenATaskHasNoScore(@TempDir Path tmp) throws IOException {
        Path second = tmp.resolve("second_mcq.json");
        Files.copy(DEMO_DATA, second);
        Path cfg = tmp.resolve("suite.json");
        Files.writeString(cfg, """
                {"method": "text_majority_vote", "task": ["%s", "%s"], "task_type": "multiple_choice",
                 "model_names": ["sim:alpha?accuracy=0.7", "sim:beta?accuracy=0.6"], "seed": 5}
                """.formatted(DEMO_DATA.toString().replace("\\", "/"), second.toString().replace("\\", "/")));
        Result r = run("-c", cfg.toString(), "-l", tmp.resolve("logs").toString(), "--no-cache", "--progress", "none", "--report", "md");
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> reports = r.out().lines().filter(l -> l.startsWith("report: ")).toList();
        assertEquals(2, reports.size(), "one report per task of the suite: " + r.out());
        for (String line : reports) assertTrue(Files.readString(Path.of(line.substring("report: ".length()))).contains("text_majority_vote"));
        assertTrue(r.out().contains("== suite: text_majority_vote on 2 tasks =="), r.out());

        Path dead = tmp.resolve("dead.json");
        Files.writeString(dead, """
                {"method": "text_majority_vote", "task": ["%s", "%s"], "task_type": "multiple_choice",
                 "model_names": ["sim:alpha?fail=auth", "sim:beta?fail=auth"], "seed": 5, "on_model_failure": "continue"}
                """.formatted(DEMO_DATA.toString().replace("\\", "/"), second.toString().replace("\\", "/")));
        Result failed = run("-c", dead.toString(), "-l", tmp.resolve("dead-logs").toString(), "--no-cache", "--progress", "none", "--no-baselines");
        assertEquals(1, failed.code(), "a suite whose tasks have no score exits 1, like a single run: " + failed.err() + failed.out());
        assertTrue(failed.err().contains("every test example failed, so the run has no score"), failed.err());
    }

    @Test
    void badPluginPathsAreClearErrorsAndPluginsDoNotOutliveTheCommand(@TempDir Path tmp) throws IOException {
        Path plugins = buildPluginJar(tmp.resolve("p"));
        assertTrue(run("--plugins", plugins.toString(), "--list-methods").out().contains("plugin_first_model"));
        Result after = run("--list-methods");
        assertEquals(0, after.code());
        assertTrue(!after.out().contains("plugin_first_model"), "the plugin was uninstalled when the command ended");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result bad = run("--plugins", empty.toString(), "--list-methods");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("holds no .jar file"), bad.err());
        Result missing = run("--plugins", tmp.resolve("nope").toString(), "--list-methods");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void reportSubcommandWritesHtmlOrMarkdown(@TempDir Path tmp) throws IOException {
        Path logs = tmp.resolve("logs");
        Result r = run("-c", Path.of("../examples/configs/quickstart.json").toAbsolutePath().toString(), "-l", logs.toString(),
                "--no-cache", "--progress", "none");
        assertEquals(0, r.code(), r.err());
        Path log;
        try (Stream<Path> s = Files.list(logs)) {
            log = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        Result html = run("report", log.toString());
        assertEquals(0, html.code(), html.err());
        assertTrue(Files.readString(Path.of(log.toString().replace(".json", ".html"))).contains("<svg"));
        Path md = tmp.resolve("out/r.md");
        Result mdRun = run("report", log.toString(), "-o", md.toString());
        assertEquals(0, mdRun.code(), mdRun.err());
        assertTrue(mdRun.out().contains("(+3 chart files)"), mdRun.out());
        assertTrue(Files.readString(md).startsWith("# text_majority_vote on demo_mcq"));
        Result both = run("report", log.toString(), "--format", "html,md", "-o", md.toString());
        assertEquals(2, both.code());
        Result notALog = run("report", tmp.resolve("missing.json").toString());
        assertEquals(2, notALog.code());
        assertTrue(notALog.err().contains("does not exist"), notALog.err());
    }
}
