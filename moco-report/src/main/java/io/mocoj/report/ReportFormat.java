package io.mocoj.report;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The formats a run report can be written in. */
public enum ReportFormat {
    /** One self-contained HTML page (inline charts and browser; works offline). */
    HTML("html"),
    /** Markdown with the charts as SVG files beside it. */
    MARKDOWN("md");

    private final String extension;

    ReportFormat(String extension) { this.extension = extension; }

    /** The file extension, without the dot. */
    public String extension() { return extension; }

    /** {@code html} or {@code md} (also {@code markdown}), case-insensitive. */
    public static ReportFormat parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "html", "htm" -> HTML;
            case "md", "markdown" -> MARKDOWN;
            default -> throw new IllegalArgumentException("unknown report format '" + name + "'; use html or md");
        };
    }

    /** A comma-separated list such as {@code html,md}. */
    public static Set<ReportFormat> parseList(String list) {
        Set<ReportFormat> out = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).forEach(s -> out.add(parse(s)));
        if (out.isEmpty()) throw new IllegalArgumentException("no report format given; use html, md or html,md");
        return out;
    }
}
