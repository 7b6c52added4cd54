package io.mocoj.local.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.mocoj.model.ChatMessage;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face chat template (Jinja, as stored in {@code tokenizer.chat_template}) rendered
 * with jinjava in the environment transformers uses: {@code trim_blocks} and {@code lstrip_blocks}
 * on, no trailing newline kept, and the variables and helpers templates expect:
 * {@code messages} (maps with {@code role} and {@code content}), {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token}, {@code raise_exception(message)} and
 * {@code strftime_now(format)}. Extra variables (e.g. {@code tools}, {@code date_string}) can be
 * passed per call. Instances are immutable and thread-safe.
 */
public final class ChatTemplate implements ChatRenderer {
    private static final String RAISED = "chat template raised an exception: ";

    /** {@code not name is [not] test}: jinjava binds {@code not} tighter than {@code is}, Jinja the other way round. */
    private static final java.util.regex.Pattern NOT_IS = java.util.regex.Pattern.compile(
            "\\bnot\\s+([A-Za-z_][A-Za-z0-9_.]*(?:\\[[^\\]]*\\])*)\\s+is\\s+(not\\s+)?([A-Za-z_]+)\\b");

    /** {@code seq[::-1]} (Python's reversing slice), which jinjava cannot parse: read as {@code (seq|reverse)}. */
    private static final java.util.regex.Pattern REVERSE_SLICE = java.util.regex.Pattern.compile(
            "\\b([A-Za-z_][A-Za-z0-9_.]*)\\[\\s*:\\s*:\\s*-1\\s*\\]");

    private final String source;
    private final String renderedSource;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;
    private final Jinjava jinjava;

    private ChatTemplate(String source, String bosToken, String eosToken, Clock clock) {
        this.source = source;
        this.renderedSource = parenthesizeNamespaceArguments(REVERSE_SLICE.matcher(
                NOT_IS.matcher(source).replaceAll("not ($1 is $2$3)")).replaceAll("($1|reverse)"));
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.clock = clock;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withElResolver(pythonStringResolver())
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withEvaluateMapKeys(true)
                        .withIterateOverMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build();
        this.jinjava = new Jinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                TemplateFunctions.class, "raiseException", Object.class));
        jinjava.getGlobalContext().registerFilter(new io.mocoj.local.chat.internal.PythonToJsonFilter());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                TemplateFunctions.class, "strftimeNow", String.class));
    }

    /**
     * {@code namespace(n=messages|length - 1)}: jinjava ends a keyword argument's value at the
     * filter, so each value is wrapped in parentheses, giving Jinja's reading.
     */
    static String parenthesizeNamespaceArguments(String source) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        int at;
        while ((at = source.indexOf("namespace(", from)) >= 0) {
            int open = at + "namespace(".length();
            int close = matchingParenthesis(source, open - 1);
            if (close < 0) {
                break;
            }
            out.append(source, from, open);
            List<String> args = splitTopLevel(source.substring(open, close));
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*=)(?!=)(.*)$",
                        java.util.regex.Pattern.DOTALL).matcher(arg);
                out.append(i == 0 ? "" : ",").append(m.matches() ? m.group(1) + "(" + m.group(2) + ")" : arg);
            }
            out.append(')');
            from = close + 1;
        }
        return out.append(source.substring(from)).toString();
    }

    /** Receives each character outside string literals with the bracket depth after it; returning true stops the scan. */
    private interface BracketVisitor {
        boolean visit(int index, char c, int depth);
    }

    /** Walks {@code s} from {@code from}, skipping quoted strings (with escapes) and tracking (), [] and {} depth. */
    private static void scanBrackets(String s, int from, BracketVisitor visitor) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            if (visitor.visit(i, c, depth)) return;
        }
    }

    private static int matchingParenthesis(String s, int open) {
        int[] match = {-1};
        scanBrackets(s, open, (i, c, depth) -> {
            if (depth == 0 && (c == ')' || c == ']' || c == '}')) {
                match[0] = i;
                return true;
            }
            return false;
        });
        return match[0];
    }

    private static List<String> splitTopLevel(String args) {
        List<String> parts = new ArrayList<>();
        int[] start = {0};
        scanBrackets(args, 0, (i, c, depth) -> {
            if (c == ',' && depth == 0) {
                parts.add(args.substring(start[0], i));
                start[0] = i + 1;
            }
            return false;
        });
        parts.add(args.substring(start[0]));
        return parts;
    }

    private static jinjava.javax.el.ELResolver pythonStringResolver() {
        jinjava.javax.el.CompositeELResolver resolver = new jinjava.javax.el.CompositeELResolver();
        resolver.add(new io.mocoj.local.chat.internal.PythonStringMethods());
        resolver.add(com.hubspot.jinjava.el.JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return resolver;
    }

    /**
     * A template with the model's BOS/EOS token texts (empty strings when the model has none).
     *
     * @throws ChatTemplateException when the source is blank
     */
    public static ChatTemplate of(String source, String bosToken, String eosToken) {
        return of(source, bosToken, eosToken, Clock.systemDefaultZone());
    }

    /** As {@link #of(String, String, String)} with the clock {@code strftime_now} reads. */
    public static ChatTemplate of(String source, String bosToken, String eosToken, Clock clock) {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new ChatTemplateException("the chat template is empty");
        }
        // Jinja (keep_trailing_newline=False) drops one newline at the end of the template.
        String trimmed = source.endsWith("\r\n") ? source.substring(0, source.length() - 2)
                : source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        return new ChatTemplate(trimmed, bosToken == null ? "" : bosToken, eosToken == null ? "" : eosToken,
                Objects.requireNonNull(clock, "clock"));
    }

    /** The template text. */
    public String source() {
        return source;
    }

    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders with extra template variables (they override the standard ones of the same name).
     *
     * @throws ChatTemplateException with the template's own message when it calls
     *                               {@code raise_exception}, or with jinjava's errors
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extraVariables) {
        List<Map<String, Object>> messageMaps = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", ChatFormat.roleName(m.role()));
            map.put("content", m.text());
            messageMaps.add(map);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", messageMaps);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        // Templates test "strftime_now is defined" before calling it; the call itself goes to the
        // registered function, this binding only makes the name defined.
        bindings.put("strftime_now", "strftime_now");
        bindings.put("raise_exception", "raise_exception");
        bindings.putAll(extraVariables);
        RenderResult result;
        TemplateFunctions.CLOCK.set(clock);
        TemplateFunctions.RAISED_MESSAGE.remove();
        String raisedMessage;
        try {
            result = jinjava.renderForResult(renderedSource, bindings);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("chat template failed: " + e.getMessage(), e);
        } finally {
            raisedMessage = TemplateFunctions.RAISED_MESSAGE.get();
            TemplateFunctions.CLOCK.remove();
            TemplateFunctions.RAISED_MESSAGE.remove();
        }
        if (raisedMessage != null) {
            throw new ChatTemplateException(raisedMessage);
        }
        List<String> problems = new ArrayList<>();
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() != TemplateError.ErrorType.FATAL) {
                continue;
            }
            String message = error.getMessage() == null ? "" : error.getMessage();
            int raised = message.indexOf(RAISED);
            if (raised >= 0) {
                throw new ChatTemplateException(message.substring(raised + RAISED.length()).strip());
            }
            problems.add((error.getLineno() > 0 ? "line " + error.getLineno() + ": " : "") + message);
        }
        if (!problems.isEmpty()) {
            throw new ChatTemplateException("chat template failed: " + String.join("; ", problems));
        }
        return result.getOutput();
    }

    /** Functions exposed to templates (public static for jinjava's EL). */
    public static final class TemplateFunctions {
        static final ThreadLocal<Clock> CLOCK = new ThreadLocal<>();
        static final ThreadLocal<String> RAISED_MESSAGE = new ThreadLocal<>();

        private TemplateFunctions() {}

        /** {@code raise_exception(message)}: aborts rendering with the template's message. */
        public static Object raiseException(Object message) {
            if (RAISED_MESSAGE.get() == null) {
                RAISED_MESSAGE.set(String.valueOf(message));
            }
            throw new IllegalStateException(RAISED + message);
        }

        /** {@code strftime_now(format)}: the current local time formatted with Python strftime directives. */
        public static String strftimeNow(String format) {
            Clock clock = CLOCK.get();
            return Strftime.format(format, ZonedDateTime.now(clock == null ? Clock.systemDefaultZone() : clock));
        }
    }
}
