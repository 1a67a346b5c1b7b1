package io.github.llmbridge.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rLLM URL slug is byte-compatible with rLLM's Python encoder. The expected values were
 * computed independently with CPython 3:
 *
 * <pre>
 * body = json.dumps(m, separators=(",", ":"), sort_keys=True)
 * "rllm1:" + base64.urlsafe_b64encode(body.encode("utf-8")).rstrip(b"=").decode("ascii")
 * </pre>
 */
class RllmMetadataSlugTest {

    /** {@code m} in the Python above, built in the same (unsorted) order. */
    private static Map<String, Object> vectorMetadata() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1);
        nested.put("a", List.of(1.5, "x", -2));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_name", "step-42");
        m.put("session_uids", List.of("outer-uid", "inner-uid"));
        m.put("epoch", 3);
        m.put("lr", 0.0001);
        m.put("ratio", 1e-05);
        m.put("big", 1e16);
        m.put("mid", 123456.5);
        m.put("ok", true);
        m.put("none", null);
        m.put("note", "caf\u00e9 \u2713 \uD83D\uDE00 \"q\"\n/\t\u007f");
        m.put("nested", nested);
        m.put("Zeta", false);
        m.put("third", 1.0 / 3);
        return m;
    }

    @Test
    void encodesExactlyAsRllmsPythonEncoder() {
        assertThat(RllmMetadataSlug.encode(vectorMetadata()))
                .isEqualTo("rllm1:"
                        + "eyJaZXRhIjpmYWxzZSwiYmlnIjoxZSsxNiwiZXBvY2giOjMsImxyIjowLjAwMDEsIm1pZCI6MTIzNDU2LjUsIm5lc3RlZCI6"
                        + "eyJhIjpbMS41LCJ4IiwtMl0sInoiOjF9LCJub25lIjpudWxsLCJub3RlIjoiY2FmXHUwMGU5IFx1MjcxMyBcdWQ4M2RcdWRl"
                        + "MDAgXCJxXCJcbi9cdFx1MDA3ZiIsIm9rIjp0cnVlLCJyYXRpbyI6MWUtMDUsInNlc3Npb25fbmFtZSI6InN0ZXAtNDIiLCJz"
                        + "ZXNzaW9uX3VpZHMiOlsib3V0ZXItdWlkIiwiaW5uZXItdWlkIl0sInRoaXJkIjowLjMzMzMzMzMzMzMzMzMzMzN9");
    }

    @Test
    void writesTheJsonPythonWrites() {
        assertThat(PythonJson.write(vectorMetadata())).isEqualTo("""
                {"Zeta":false,"big":1e+16,"epoch":3,"lr":0.0001,"mid":123456.5,"nested":{"a":[1.5,"x",-2],"z":1},\
                "none":null,"note":"caf\\u00e9 \\u2713 \\ud83d\\ude00 \\"q\\"\\n/\\t\\u007f","ok":true,"ratio":1e-05,\
                "session_name":"step-42","session_uids":["outer-uid","inner-uid"],"third":0.3333333333333333}""");
    }

    @Test
    void shortVectorWithoutPadding() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace_id", "t-1");
        m.put("step", 9);

        String slug = RllmMetadataSlug.encode(m);

        assertThat(slug).isEqualTo("rllm1:eyJzdGVwIjo5LCJ0cmFjZV9pZCI6InQtMSJ9");
        assertThat(new String(Base64.getUrlDecoder().decode(slug.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("{\"step\":9,\"trace_id\":\"t-1\"}");
    }

    @ParameterizedTest(name = "repr({0}) = {1}")
    @CsvSource({
        "0.1, 0.1",
        "1e-05, 1e-05",
        "1e16, 1e+16",
        "1e15, 1000000000000000.0",
        "123456789.123, 123456789.123",
        "5e-324, 5e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "2e23, 2e+23",
        "-0.0, -0.0",
        "100.0, 100.0",
        "0.0001, 0.0001",
        "-2.5e-7, -2.5e-07",
        "1e22, 1e+22",
        "4.35, 4.35",
        "1.5e-323, 1.5e-323",
    })
    void floatsAreWrittenAsPythonsRepr(double value, String python) {
        assertThat(PythonJson.repr(value)).isEqualTo(python);
    }

    @Test
    void nonFiniteFloatsAreWrittenAsPythonWritesThem() {
        assertThat(PythonJson.repr(Double.NaN)).isEqualTo("NaN");
        assertThat(PythonJson.repr(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(PythonJson.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void keysAreSortedByCodePointNotByUtf16Unit() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\uFB01", 1); // U+FB01, sorts before U+1F600 by code point
        m.put("\uD83D\uDE00", 2); // U+1F600, whose UTF-16 units (D83D...) sort first
        assertThat(PythonJson.write(m)).isEqualTo("{\"\\ufb01\":1,\"\\ud83d\\ude00\":2}");
    }
}
