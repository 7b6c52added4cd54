package io.mocoj.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.providers.internal.RetryAfter;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainableModel;
import io.mocoj.train.TrainingException;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hosted base model fine-tuned through the OpenAI-compatible fine-tuning API: the rows are
 * uploaded as a JSONL file ({@code POST /files}, purpose {@code fine-tune}), an SFT
 * ({@code supervised}) or DPO ({@code dpo}) job is created ({@code POST /fine_tuning/jobs}), the
 * job is polled with growing intervals ({@code GET /fine_tuning/jobs/ID}) and its events are read
 * ({@code GET /fine_tuning/jobs/ID/events}) and passed on as progress; the fine-tuned model comes
 * back as a new chat endpoint on the same server. Rate limits (429, honouring {@code Retry-After})
 * and server errors are retried with backoff; a failed or cancelled job is a
 * {@link TrainingException} with the server's reason. Generation goes to the base model.
 *
 * <p>The API chooses its own training method: {@code loraRank} and {@code steps} of a request are
 * not settable and are refused when given; epochs, a learning-rate multiplier, the batch size, the
 * DPO beta and the seed are passed on.
 */
public final class OpenAiFineTuning implements TrainableModel {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiFineTuning.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_RETRIES = 8;

    /** Waits; tests substitute one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final OpenAiCompatibleModel base;
    private final String apiKey;
    private final Duration pollInterval;
    private final Duration maxPollInterval;
    private final Duration maxWait;
    private final Double learningRateMultiplier;
    private final Integer batchSize;
    private final double dpoBeta;
    private final Sleeper sleeper;
    private final Clock clock;
    private final HttpClient http;

    private OpenAiFineTuning(Builder b) {
        this.apiKey = b.apiKey;
        this.base = OpenAiCompatibleModel.builder().model(b.model).baseUrl(b.baseUrl).name(b.name != null ? b.name : b.model)
                .apiKey(b.apiKey).build();
        this.pollInterval = b.pollInterval;
        this.maxPollInterval = b.maxPollInterval;
        this.maxWait = b.maxWait;
        this.learningRateMultiplier = b.learningRateMultiplier;
        this.batchSize = b.batchSize;
        this.dpoBeta = b.dpoBeta;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return base.name(); }

    @Override public Set<Capability> capabilities() { return Set.of(Capability.TEXT, Capability.TRAIN); }

    @Override public String identity() { return "openai-ft:" + base.baseUrl() + "|" + base.model(); }

    @Override public Generation generate(GenerationRequest request) { return base.generate(request); }

    @Override
    public void checkSettings(TrainingObjective objective, int steps, double learningRate, java.util.Set<String> options) {
        if (objective == TrainingObjective.GRPO) {
            throw new IllegalArgumentException(name() + ": the fine-tuning API takes SFT and DPO jobs; GRPO with a Java reward function"
                    + " runs only locally (a gguf: model)");
        }
        if (objective == TrainingObjective.DEFERRAL) {
            throw new IllegalArgumentException(name() + ": the fine-tuning API has no deferral (Co-LLM) objective; it runs only locally (a gguf: model)");
        }
        if (steps > 0) throw new IllegalArgumentException(name() + ": the fine-tuning API counts epochs, not steps; give epochs instead");
        if (!options.isEmpty()) {
            throw new IllegalArgumentException(name() + ": the fine-tuning API chooses its own training settings; it cannot apply "
                    + options + " (train a gguf: model to control them)");
        }
        if (learningRate > 0) {
            throw new IllegalArgumentException(name() + ": the fine-tuning API takes a learning-rate multiplier, not a rate (asked for "
                    + learningRate + "); set the learning rate to 0 (the API's default) and lr_multiplier in the model spec");
        }
    }

    @Override
    public ModelEndpoint fineTune(FineTuneRequest r) {
        checkSettings(r.objective(), r.steps(), r.learningRate(), r.options().keySet());
        if (r.loraRank() > 0) LOG.info("{}: the fine-tuning API chooses its own method; LoRA rank {} is not sent", name(), r.loraRank());
        byte[] jsonl = toJsonl(r.objective(), r.examples());
        String fileId = upload(jsonl);
        String jobId = createJob(r, fileId);
        LOG.info("{}: fine-tuning job {} created (training file {})", name(), jobId, fileId);
        String model = await(jobId, r);
        LOG.info("{}: fine-tuning job {} succeeded: {}", name(), jobId, model);
        return OpenAiCompatibleModel.builder().model(model).baseUrl(base.baseUrl()).name(model).apiKey(apiKey).build();
    }

    /** The rows in the API's JSONL formats (chat {@code messages}; DPO {@code input}/{@code preferred_output}/{@code non_preferred_output}). */
    static byte[] toJsonl(TrainingObjective objective, List<TrainingExample> rows) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            TrainingExample e = rows.get(i);
            ObjectNode row = JSON.createObjectNode();
            switch (e) {
                case TrainingExample.Completion c when objective == TrainingObjective.SFT ->
                        row.set("messages", messages(List.of(ChatMessage.user(c.prompt()), ChatMessage.assistant(c.completion()))));
                case TrainingExample.Conversation c when objective == TrainingObjective.SFT -> row.set("messages", messages(c.messages()));
                case TrainingExample.Preference p when objective == TrainingObjective.DPO -> {
                    row.putObject("input").set("messages", messages(List.of(ChatMessage.user(p.prompt()))));
                    row.set("preferred_output", messages(List.of(ChatMessage.assistant(p.chosen()))));
                    row.set("non_preferred_output", messages(List.of(ChatMessage.assistant(p.rejected()))));
                }
                default -> throw new IllegalArgumentException("training row " + (i + 1) + " (" + e.getClass().getSimpleName()
                        + ") does not suit objective " + objective.name().toLowerCase(Locale.ROOT)
                        + " (sft: prompt/completion or messages rows; dpo: prompt/chosen/rejected rows)");
            }
            sb.append(row).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ArrayNode messages(List<ChatMessage> ms) {
        ArrayNode a = JSON.createArrayNode();
        for (ChatMessage m : ms) a.addObject().put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.text());
        return a;
    }

    private String upload(byte[] jsonl) {
        String boundary = "mocoj-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"train.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(jsonl);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode file = call("upload the training file", () -> request("/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        return text(file, "id", "the file upload");
    }

    private String createJob(FineTuneRequest r, String fileId) {
        ObjectNode job = JSON.createObjectNode();
        job.put("model", base.model());
        job.put("training_file", fileId);
        job.put("suffix", r.suffix());
        job.put("seed", r.seed());
        ObjectNode method = job.putObject("method");
        String type = r.objective() == TrainingObjective.DPO ? "dpo" : "supervised";
        method.put("type", type);
        ObjectNode hp = method.putObject(type).putObject("hyperparameters");
        hp.put("n_epochs", r.epochs());
        if (learningRateMultiplier != null) hp.put("learning_rate_multiplier", learningRateMultiplier);
        if (batchSize != null) hp.put("batch_size", batchSize);
        if (r.objective() == TrainingObjective.DPO) hp.put("beta", dpoBeta);
        JsonNode created = call("create the fine-tuning job", () -> request("/fine_tuning/jobs")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(job.toString())).build());
        return text(created, "id", "the job creation");
    }

    /** Polls until the job ends; forwards its metric events; returns the fine-tuned model's name. */
    private String await(String jobId, FineTuneRequest r) {
        long start = clock.millis();
        Duration wait = pollInterval;
        String lastEvent = null;
        while (true) {
            JsonNode job = call("poll fine-tuning job " + jobId, () -> request("/fine_tuning/jobs/" + jobId).GET().build());
            lastEvent = forwardEvents(jobId, lastEvent, r);
            String status = job.path("status").asText("");
            switch (status) {
                case "succeeded" -> {
                    String model = job.path("fine_tuned_model").asText(null);
                    if (model == null || model.isBlank()) throw new TrainingException("fine-tuning job " + jobId + " succeeded but names no fine_tuned_model");
                    return model;
                }
                case "failed", "cancelled" -> {
                    JsonNode err = job.path("error");
                    String why = err.isMissingNode() || err.isNull() ? "no reason given"
                            : err.path("code").asText("error") + ": " + err.path("message").asText("");
                    throw new TrainingException("fine-tuning job " + jobId + " of " + name() + " " + status + " (" + why + ")");
                }
                default -> { }
            }
            if (clock.millis() - start > maxWait.toMillis()) {
                throw new TrainingException("fine-tuning job " + jobId + " is still " + status + " after " + maxWait.toSeconds()
                        + " s; it keeps running on the server; raise max_wait or look the job up later");
            }
            sleep(wait);
            wait = Duration.ofMillis(Math.min(maxPollInterval.toMillis(), (long) (wait.toMillis() * 1.5)));
        }
    }

    /** Reads the job's new events (the API lists newest first) and passes metric events on in order. */
    private String forwardEvents(String jobId, String after, FineTuneRequest r) {
        String q = after == null ? "?limit=100" : "?limit=100&after=" + after;
        JsonNode page = call("read events of job " + jobId, () -> request("/fine_tuning/jobs/" + jobId + "/events" + q).GET().build());
        List<JsonNode> events = new ArrayList<>();
        page.path("data").forEach(events::add);
        String newest = after;
        for (int i = events.size() - 1; i >= 0; i--) {
            JsonNode e = events.get(i);
            if (after != null && after.equals(e.path("id").asText())) continue;
            newest = e.path("id").asText(newest);
            JsonNode d = e.path("data");
            if ("metrics".equals(e.path("type").asText()) && d.has("step")) {
                int step = d.path("step").asInt(), total = d.path("total_steps").asInt(step);
                r.listener().accept(new TrainingProgress(step, total, d.path("train_loss").asDouble(Double.NaN), Double.NaN, Double.NaN,
                        Double.NaN, Duration.ZERO, Map.of()));
            } else {
                LOG.info("{} job {}: {}", name(), jobId, e.path("message").asText(""));
            }
        }
        return newest;
    }

    private interface RequestMaker {
        HttpRequest make();
    }

    /** One API call with retries on 429 (after Retry-After) and 5xx / connection errors (exponential backoff). */
    private JsonNode call(String what, RequestMaker maker) {
        Duration backoff = Duration.ofSeconds(1);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> resp;
            try {
                resp = http.send(maker.make(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                if (attempt >= MAX_RETRIES) throw new TrainingException("cannot " + what + " at " + base.baseUrl() + ": " + e.getMessage(), e);
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TrainingException("interrupted while trying to " + what, e);
            }
            int code = resp.statusCode();
            if (code / 100 == 2) {
                try {
                    return JSON.readTree(resp.body());
                } catch (IOException e) {
                    throw new TrainingException("cannot " + what + ": the server's answer is not JSON: " + snippet(resp.body()));
                }
            }
            boolean transientFailure = code == 429 || code >= 500;
            if (!transientFailure || attempt >= MAX_RETRIES) {
                String hint = code == 401 ? " (is the API key right?)" : code == 429 ? " (rate limited " + attempt + " times)" : "";
                throw new TrainingException("cannot " + what + ": HTTP " + code + hint + ": " + snippet(resp.body()));
            }
            Duration d = code == 429 ? RetryAfter.from(resp.headers(), clock).orElse(backoff) : backoff;
            LOG.info("{}: {} got HTTP {}; retrying in {} ms", name(), what, code, d.toMillis());
            sleep(d);
            backoff = backoff.multipliedBy(2);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.baseUrl() + path)).timeout(Duration.ofMinutes(5));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private String snippet(String body) {
        String s = body == null ? "" : body.strip();
        if (apiKey != null) s = s.replace(apiKey, "[redacted]");
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static String text(JsonNode n, String field, String what) {
        String v = n.path(field).asText(null);
        if (v == null || v.isBlank()) throw new TrainingException(what + " answered without an \"" + field + "\": " + n);
        return v;
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainingException("interrupted while waiting for the fine-tuning API", e);
        }
    }

    @Override
    public String toString() { return "OpenAiFineTuning[" + name() + ", " + base.baseUrl() + (apiKey != null ? ", key set" : ", no key") + "]"; }

    /** Builder for {@link OpenAiFineTuning}. */
    public static final class Builder {
        private String model;
        private String baseUrl = OpenAiCompatibleModel.OPENAI_BASE_URL;
        private String name;
        private String apiKey;
        private Duration pollInterval = Duration.ofSeconds(5);
        private Duration maxPollInterval = Duration.ofSeconds(60);
        private Duration maxWait = Duration.ofHours(24);
        private Double learningRateMultiplier;
        private Integer batchSize;
        private double dpoBeta = 0.1;
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The base model to fine-tune, e.g. {@code gpt-4o-mini-2024-07-18}. */
        public Builder model(String v) { model = v; return this; }
        public Builder baseUrl(String v) { baseUrl = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder apiKey(String v) { apiKey = v; return this; }
        /** First wait between polls (grows by 1.5× up to {@link #maxPollInterval}). */
        public Builder pollInterval(Duration v) { pollInterval = Objects.requireNonNull(v); return this; }
        public Builder maxPollInterval(Duration v) { maxPollInterval = Objects.requireNonNull(v); return this; }
        /** Give up waiting (the job keeps running) after this long. */
        public Builder maxWait(Duration v) { maxWait = Objects.requireNonNull(v); return this; }
        public Builder learningRateMultiplier(Double v) { learningRateMultiplier = v; return this; }
        public Builder batchSize(Integer v) { batchSize = v; return this; }
        public Builder dpoBeta(double v) { dpoBeta = v; return this; }
        public Builder sleeper(Sleeper v) { sleeper = Objects.requireNonNull(v); return this; }
        public Builder clock(Clock v) { clock = Objects.requireNonNull(v); return this; }

        public OpenAiFineTuning build() {
            if (model == null || model.isBlank()) throw new IllegalArgumentException("the base model to fine-tune is required");
            return new OpenAiFineTuning(this);
        }
    }
}
