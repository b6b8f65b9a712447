package io.shepherd.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParticipantsTest {
  @Test
  void theLowestLatchSequenceLeadsWhateverTheNamePrefix() {
    Participants p = new Participants();
    p.put("_c_ffff-latch-0000000012", "s2");
    p.put("_c_0000-latch-0000000003", "s1");
    assertThat(p.leader()).hasValue("s1");

    p.remove("_c_0000-latch-0000000003");
    assertThat(p.leader()).hasValue("s2");
    p.remove("_c_ffff-latch-0000000012");
    assertThat(p.leader()).isEmpty();
  }

  @Test
  void aFreshReadReplacesWhatWasKnown() {
    Participants p = new Participants();
    p.put("_c_a-latch-0000000001", "gone");
    p.replaceAll(Map.of("_c_b-latch-0000000007", "s7"));
    assertThat(p.leader()).hasValue("s7");
  }
}
