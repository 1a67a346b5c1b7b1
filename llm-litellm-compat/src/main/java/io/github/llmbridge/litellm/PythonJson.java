package io.github.llmbridge.litellm;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.llmbridge.core.internal.Json;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Writes JSON byte for byte as Python's {@code json.dumps(value, separators=(",", ":"),
 * sort_keys=True)} does, which is what rLLM hashes into its URL slug. Where Jackson differs:
 * keys are sorted by code point at every level, every character outside printable ASCII is
 * escaped as a backslash-u escape with four lower-case hex digits (surrogate pairs for characters beyond
 * the BMP), and floats are written as Python's {@code repr} writes them: the shortest digits that
 * read back as the same double, fixed notation for 1e-4 &lt;= |x| &lt; 1e16 ({@code 1.0},
 * {@code 0.0001}), else {@code 1e-05} / {@code 1e+16}; non-finite values as {@code NaN},
 * {@code Infinity}, {@code -Infinity}.
 */
final class PythonJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Comparator<String> BY_CODE_POINT = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private PythonJson() {}

    /**
     * Returns the compact, key-sorted JSON of a JSON-compatible value (maps, lists, strings,
     * numbers, booleans, {@code null}).
     *
     * @throws IllegalArgumentException when Jackson cannot turn the value into JSON
     */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(Json.treeCopy(value), out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("null");
        } else if (node.isObject()) {
            writeObject(node, out);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), out);
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isFloat()) {
            out.append(repr(Double.parseDouble(Float.toString(node.floatValue())))); // 0.1f is meant as 0.1
        } else if (node.isNumber()) {
            out.append(repr(node.doubleValue()));
        } else {
            string(node.asText(), out); // binary or POJO nodes do not come out of plain values
        }
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        keys.sort(BY_CODE_POINT);
        out.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(keys.get(i), out);
            out.append(':');
            write(node.get(keys.get(i)), out);
        }
        out.append('}');
    }

    /** Python's {@code ensure_ascii} escaping: printable ASCII as is, everything else escaped. */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append(c);
                    } else {
                        out.append("\\u")
                                .append(HEX[c >> 12 & 0xf])
                                .append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf])
                                .append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's {@code repr(float)}. */
    static String repr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestDigits(d).stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int point = digits.length() - shortest.scale(); // d = 0.<digits> * 10^point
        String sign = d < 0 ? "-" : "";
        if (point > -4 && point <= 16) {
            if (point <= 0) {
                return sign + "0." + "0".repeat(-point) + digits;
            }
            if (point >= digits.length()) {
                return sign + digits + "0".repeat(point - digits.length()) + ".0";
            }
            return sign + digits.substring(0, point) + "." + digits.substring(point);
        }
        int exponent = point - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /**
     * The fewest significant digits that read back as {@code d}, nearest to {@code d} when several
     * do (what Python's repr and Java 19+'s Double.toString produce; Java 17's does not always).
     */
    private static BigDecimal shortestDigits(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == d) {
                return nearest;
            }
            // Next to a power of two the doubles below are twice as dense as those above, so the
            // nearest candidate can miss while the one on the other side still reads back.
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.UP, RoundingMode.DOWN}) {
                BigDecimal other = exact.round(new MathContext(precision, mode));
                if (other.doubleValue() == d) {
                    return other;
                }
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }
}
