package io.github.llmbridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes rows of values as an aligned table for people, or as JSON lines or CSV for programs. The
 * machine formats carry every column with full values (times as ISO-8601 UTC instants, numbers as
 * numbers); the table shows each column in its own human form, cut to a width.
 *
 * @param <T> what one row is made from
 */
final class Rows<T> {

    /** The output formats of the listing commands. */
    enum Format {
        /** Aligned columns for a terminal. */
        TABLE,
        /** One JSON object per line. */
        JSONL,
        /** Comma-separated values with a header line (RFC 4180 quoting). */
        CSV
    }

    /**
     * One column.
     *
     * @param name     its name in the header, the JSON field and the CSV header
     * @param value    the value of a row: a String, Number, Boolean, Instant or {@code null}
     * @param shown    how the table shows a value ({@code null} values show as {@code -})
     * @param width    the table column's widest; longer values are cut with {@code …}
     * @param right    whether the table aligns it right (numbers)
     * @param <T>      what one row is made from
     */
    record Column<T>(String name, Function<T, Object> value, Function<Object, String> shown, int width, boolean right) {

        /** A text column shown as it is. */
        static <T> Column<T> text(String name, Function<T, Object> value, int width) {
            return new Column<>(name, value, String::valueOf, width, false);
        }

        /** A number column shown by {@code shown}, aligned right. */
        static <T> Column<T> number(String name, Function<T, Object> value, Function<Object, String> shown, int width) {
            return new Column<>(name, value, shown, width, true);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Format format;
    private final List<Column<T>> columns;
    private final List<Column<T>> tableColumns;
    private final PrintStream out;
    private final boolean streaming;
    private final List<String[]> buffered = new ArrayList<>();
    private boolean headerWritten;
    private long count;

    /**
     * Creates a writer.
     *
     * @param columns      every column, for JSON lines and CSV
     * @param tableColumns the columns a table shows
     * @param streaming    whether rows arrive over time ({@code --follow}): the table then prints
     *                     each row at once, at the columns' fixed widths
     */
    Rows(Format format, List<Column<T>> columns, List<Column<T>> tableColumns, PrintStream out, boolean streaming) {
        this.format = format;
        this.columns = List.copyOf(columns);
        this.tableColumns = List.copyOf(tableColumns);
        this.out = out;
        this.streaming = streaming;
    }

    /** Writes (or, for a table that is not streaming, collects) one row. */
    void write(T row) {
        count++;
        switch (format) {
            case JSONL -> out.println(json(row));
            case CSV -> {
                if (!headerWritten) {
                    out.println(String.join(
                            ",", columns.stream().map(c -> csv(c.name())).toList()));
                    headerWritten = true;
                }
                out.println(String.join(
                        ",",
                        columns.stream()
                                .map(c -> csv(plain(c.value().apply(row))))
                                .toList()));
            }
            case TABLE -> {
                String[] cells = tableColumns.stream()
                        .map(c -> {
                            Object v = c.value().apply(row);
                            return v == null ? "-" : c.shown().apply(v);
                        })
                        .toArray(String[]::new);
                if (streaming) {
                    if (!headerWritten) {
                        printTableLine(headers(), fixedWidths());
                        headerWritten = true;
                    }
                    printTableLine(cells, fixedWidths());
                } else {
                    buffered.add(cells);
                }
            }
        }
        out.flush();
    }

    /** Returns how many rows were written. */
    long count() {
        return count;
    }

    /** Prints a buffered table; nothing for the other formats. */
    void finish() {
        if (format != Format.TABLE || streaming || buffered.isEmpty()) {
            return;
        }
        int[] widths = new int[tableColumns.size()];
        String[] headers = headers();
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : buffered) {
                widths[i] = Math.max(
                        widths[i], Math.min(row[i].length(), tableColumns.get(i).width()));
            }
        }
        printTableLine(headers, widths);
        buffered.forEach(row -> printTableLine(row, widths));
        buffered.clear();
        out.flush();
    }

    private String[] headers() {
        return tableColumns.stream().map(Column::name).toArray(String[]::new);
    }

    private int[] fixedWidths() {
        return tableColumns.stream()
                .mapToInt(c -> Math.max(c.width(), c.name().length()))
                .toArray();
    }

    private void printTableLine(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cut(cells[i], widths[i]);
            String pad = " ".repeat(widths[i] - cell.length());
            if (i > 0) {
                line.append("  ");
            }
            boolean last = i == cells.length - 1;
            if (tableColumns.get(i).right()) {
                line.append(pad).append(cell);
            } else {
                line.append(cell).append(last ? "" : pad);
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private static String cut(String text, int width) {
        String oneLine = text.replaceAll("\\s*\\R\\s*", " ");
        return oneLine.length() <= width ? oneLine : oneLine.substring(0, Math.max(0, width - 1)) + "…";
    }

    private String json(T row) {
        ObjectNode node = JSON.createObjectNode();
        for (Column<T> c : columns) {
            Object v = c.value().apply(row);
            if (v == null) {
                node.putNull(c.name());
            } else if (v instanceof Long l) {
                node.put(c.name(), l);
            } else if (v instanceof Integer n) {
                node.put(c.name(), n);
            } else if (v instanceof Double d) {
                node.put(c.name(), d);
            } else if (v instanceof Boolean b) {
                node.put(c.name(), b);
            } else {
                node.put(c.name(), plain(v));
            }
        }
        return node.toString();
    }

    /** A value as the machine formats write it. */
    static String plain(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite()
                    ? ""
                    : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        return String.valueOf(v);
    }

    /** Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180). */
    static String csv(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
