package io.mocoj.model.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.Secrets;
import java.io.IOException;
import java.util.List;

/**
 * Maps LangChain4j failures to {@link ModelCallException}: rate limits, server errors, time-outs
 * and I/O failures (connection refused or reset) are transient; authentication, invalid requests,
 * unknown models and unresolvable hosts are permanent. The HTTP status is taken from the
 * {@link HttpException} in the cause chain when there is one. LangChain4j's exceptions do not carry
 * response headers, so no {@code Retry-After} is available on this path.
 */
public final class LangChain4jExceptions {
    private static final int MAX_MESSAGE = 500;

    private LangChain4jExceptions() {}

    /** Converts a failure of a LangChain4j call; {@code secrets} are blanked out of the message. */
    public static ModelCallException toModelCallException(String model, RuntimeException e, List<String> secrets) {
        if (e instanceof ModelCallException mce) return mce;
        int status = httpStatus(e);
        String detail = redact(detailOf(e), secrets);
        if (e instanceof RateLimitException || status == 429) {
            return new ModelCallException(model, "rate limited (HTTP 429): " + detail, true, status, null, e);
        }
        if (e instanceof InternalServerException || status >= 500) {
            return new ModelCallException(model, "server error" + statusText(status) + ": " + detail, true, status, null, e);
        }
        if (e instanceof TimeoutException || status == 408) {
            return new ModelCallException(model, "timed out: " + detail, true, status, null, e);
        }
        if (e instanceof AuthenticationException || status == 401 || status == 403) {
            return new ModelCallException(model, "authentication failed" + statusText(status)
                    + " (check the API key and its permissions): " + detail, false, status, null, e);
        }
        if (e instanceof ModelNotFoundException || status == 404) {
            return new ModelCallException(model, "model or endpoint not found" + statusText(status)
                    + " (check the model name and base URL): " + detail, false, status, null, e);
        }
        if (e instanceof UnresolvedModelServerException) {
            return new ModelCallException(model, "cannot resolve the server address (check the base URL): " + detail,
                    false, 0, null, e);
        }
        if (e instanceof InvalidRequestException || (status >= 400 && status < 500)) {
            return new ModelCallException(model, "invalid request" + statusText(status) + ": " + detail, false, status, null, e);
        }
        if (hasCause(e, JsonProcessingException.class)) {
            // a 2xx whose body is not the expected JSON (truncated, an HTML page): transient, as the OpenAI SDKs treat it
            return new ModelCallException(model, "the server's response could not be parsed: " + detail, true, status, null, e);
        }
        if (e instanceof RetriableException || hasIoCause(e)) {
            return new ModelCallException(model, "connection failed: " + detail, true, status, null, e);
        }
        return new ModelCallException(model, "call failed: " + detail, false, status, null, e);
    }

    /**
     * Removes the given secrets, every registered one ({@link Secrets}) and anything shaped like an
     * OpenAI key from a message, then cuts it to 500 characters (redaction first, so a key never
     * straddles the cut).
     */
    public static String redact(String message, List<String> secrets) {
        if (message == null) return "";
        String out = Secrets.redact(message, secrets);
        return out.length() > MAX_MESSAGE ? out.substring(0, MAX_MESSAGE) + "..." : out;
    }

    private static String statusText(int status) { return status > 0 ? " (HTTP " + status + ")" : ""; }

    private static int httpStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) return h.statusCode();
            if (t.getCause() == t) break;
        }
        return 0;
    }

    private static boolean hasIoCause(Throwable e) { return hasCause(e, IOException.class); }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static String detailOf(Throwable e) {
        // Prefer the innermost message: LangChain4j wraps the HTTP error (whose message is the body).
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) msg = t.getMessage();
            if (t.getCause() == t) break;
        }
        return msg != null ? msg : e.getClass().getSimpleName();
    }
}
