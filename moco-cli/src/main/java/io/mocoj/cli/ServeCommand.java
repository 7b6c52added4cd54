package io.mocoj.cli;

import io.mocoj.chat.CollaborationChatModel;
import io.mocoj.config.ConfigException;
import io.mocoj.config.ConfigRuns;
import io.mocoj.config.MocoConfig;
import io.mocoj.method.CollaborationMethod;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.serve.MocoServer;
import io.mocoj.task.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code moco serve -c config.json --port 8080}: serves the config's method over its pool as an
 * OpenAI-compatible chat-completions endpoint until interrupted (Ctrl-C / SIGTERM stop it gracefully).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serves the config's method over its pool at /v1/chat/completions (OpenAI API); the config's task calibrates dev-based methods.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true, description = "the MoCo JSON config whose method and models to serve")
    Path config;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "interface to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for all)")
    String host;

    @Option(names = "--name", paramLabel = "NAME", description = "the model name clients ask for (default: the method's name)")
    String name;

    @Option(names = "--token-env", paramLabel = "VAR", description = "require 'Authorization: Bearer <token>' with the token read from this environment variable")
    String tokenEnv;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "64", description = "requests answered at once; more get 429 (default ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "keep model responses on disk (dev work survives restarts)")
    Path cacheDir;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "folder holding <task>.json files (also MOCO_DATA_DIR)")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Set by tests: receives the started server instead of blocking until the process is stopped. */
    static volatile java.util.function.Consumer<MocoServer> started;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        MocoConfig cfg = MocoConfig.read(config);
        String where = config.toString();
        CollaborationMethod method = ConfigRuns.method(cfg);
        MocoCli loader = new MocoCli();
        loader.dataDir = dataDir;
        Task task = ConfigRuns.task(cfg, loader::loadTask);
        List<ModelEndpoint> models = ConfigRuns.models(cfg, task);
        String token = null;
        if (tokenEnv != null) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) throw new IllegalArgumentException("--token-env " + tokenEnv + ": that environment variable is not set");
        }
        CollaborationChatModel chat;
        try {
            CollaborationChatModel.Builder b = CollaborationChatModel.builder().models(models).method(method).calibration(task)
                    .settings(cfg.settings()).name(name);
            if (cacheDir != null) b.cacheDir(cacheDir);
            chat = b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage(), e);
        }
        MocoServer server = MocoServer.builder().model(chat).host(host).port(port).bearerToken(token).maxConcurrent(maxConcurrent).start();
        out.println("serving " + chat.name() + " (" + method.name() + " over " + models.size() + " models"
                + (models.stream().anyMatch(ModelEndpoint::simulated) ? ", SIMULATED: " + models.stream().filter(ModelEndpoint::simulated).map(ModelEndpoint::name).toList() : "")
                + ") at http://" + host + ":" + server.port() + "/v1" + (token != null ? " (bearer token required)" : ""));
        out.flush();
        if (started != null) {
            started.accept(server);
            return 0;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(30));
            stopped.countDown();
        }, "moco-serve-shutdown"));
        stopped.await();
        return 0;
    }
}
