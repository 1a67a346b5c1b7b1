package io.github.llmbridge.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunnelBasicAuthTest {

    @Test
    void tunnelBasicAuthIsAllowedOnlyWhenNobodySetTheProperty() {
        Map<String, String> props = new HashMap<>();
        assertThat(TunnelBasicAuth.allow(props::get, props::put)).isEqualTo(TunnelBasicAuth.Outcome.SET_BY_LIBRARY);
        assertThat(props).containsEntry(TunnelBasicAuth.PROPERTY, "");
        assertThat(TunnelBasicAuth.allow(props::get, props::put)).isEqualTo(TunnelBasicAuth.Outcome.ALREADY_ALLOWED);

        Map<String, String> userSet = new HashMap<>(Map.of(TunnelBasicAuth.PROPERTY, "Digest, Basic"));
        assertThat(TunnelBasicAuth.allow(userSet::get, userSet::put))
                .isEqualTo(TunnelBasicAuth.Outcome.DISABLED_BY_USER);
        assertThat(userSet).containsEntry(TunnelBasicAuth.PROPERTY, "Digest, Basic");
        assertThat(List.of(TunnelBasicAuth.Outcome.values())).hasSize(3);
    }
}
