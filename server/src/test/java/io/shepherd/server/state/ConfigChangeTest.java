package io.shepherd.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.worker.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The data of a set's config parent: the last change of its values, as JSON without the value. */
class ConfigChangeTest {
  @Test
  void aChangeSurvivesJsonAndHoldsNoValue() {
    ConfigChange set = ConfigChange.set("DB_PASSWORD", "jo");
    byte[] json = RecordCodec.write(set);

    assertThat(RecordCodec.read(json, ConfigChange.class)).isEqualTo(set);
    assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"key\":\"DB_PASSWORD\",\"deleted\":false,\"by\":\"jo\"}");
  }
}
