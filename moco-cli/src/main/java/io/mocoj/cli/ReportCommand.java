package io.mocoj.cli;

import io.mocoj.report.ReportFormat;
import io.mocoj.report.RunLogReports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code moco report LOG.json [--format html|md] [-o FILE]}: writes the report of a finished run's log. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes a self-contained HTML page (or Markdown with SVG charts) from a run log.")
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOG.json", description = "a run log written by moco (or by a Java run with a log directory)")
    Path log;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT",
            description = "html, md, or both as html,md (default: from the -o extension, else html)")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "the report file (default: the log's path with .html or .md); one format only")
    Path output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Set<ReportFormat> formats = format != null ? ReportFormat.parseList(format)
                : Set.of(output != null && output.toString().endsWith(".md") ? ReportFormat.MARKDOWN : ReportFormat.HTML);
        if (output != null && formats.size() > 1) {
            throw new IllegalArgumentException("-o names one file, but --format asks for " + formats.size()
                    + " formats; give one format, or leave -o out to write every format beside the log");
        }
        for (ReportFormat f : formats) {
            List<Path> files = RunLogReports.write(log, f, output);
            out.println("report: " + files.get(0) + (files.size() > 1 ? " (+" + (files.size() - 1) + " chart files)" : ""));
        }
        return 0;
    }
}
