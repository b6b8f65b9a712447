package io.shepherd.worker.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shepherd.worker.record.AssignmentRecord;
import io.shepherd.worker.record.ExposedRecord;
import io.shepherd.worker.record.InstanceRecord;
import io.shepherd.worker.record.NodeRecord;
import io.shepherd.worker.record.OnPartition;
import io.shepherd.worker.record.PortRange;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each kind of znode the worker knows: what is written reads back the same, and bad bytes name the kind. */
class ZnodesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anAssignmentRoundTrips() {
    AssignmentRecord a = AssignmentRecord.assigned("web-1", "web", "n1", List.of("sleep", "60"), Map.of("A", "b"),
        Optional.of("/tmp"), 5000, OnPartition.STOP, 3, 7, T0).running(42, T0.plusSeconds(1));

    assertThat(Znodes.ASSIGNMENT.decode(Znodes.ASSIGNMENT.encode(a))).isEqualTo(a);
  }

  @Test
  void anInstanceANodeAndAnExposedPortRoundTrip() {
    InstanceRecord i = new InstanceRecord("web-1", "web", "n1", "127.0.0.1", 42, T0, 3);
    NodeRecord n = new NodeRecord("n1", "h", 4, Map.of("zone", "a"), Optional.of("http://127.0.0.1:1/logs"), T0,
        Optional.of(new PortRange(20000, 20010)));
    ExposedRecord e = new ExposedRecord("web", "http");

    assertThat(Znodes.INSTANCE.decode(Znodes.INSTANCE.encode(i))).isEqualTo(i);
    assertThat(Znodes.NODE.decode(Znodes.NODE.encode(n))).isEqualTo(n);
    assertThat(Znodes.EXPOSED.decode(Znodes.EXPOSED.encode(e))).isEqualTo(e);
  }

  @Test
  void textRoundTripsAsUtf8() {
    assertThat(Znodes.CONFIG_VALUE.decode(Znodes.CONFIG_VALUE.encode("grüße, 世界"))).isEqualTo("grüße, 世界");
    assertThat(Znodes.CONFIG_VALUE.encode("é")).isEqualTo(utf8("é"));
    assertThat(Znodes.CONFIG_VALUE.decode(null)).as("a znode read without data").isEmpty();
    assertThat(Znodes.LEADER_PARTICIPANT.decode(utf8("server-a"))).isEqualTo("server-a");
    assertThat(Znodes.COPY_ELECTION_ENTRY.decode(Znodes.COPY_ELECTION_ENTRY.encode("web-1"))).isEqualTo("web-1");
  }

  @Test
  void aRecordWithAFieldFromANewerWriterIsStillRead() {
    InstanceRecord i = new InstanceRecord("web-1", "web", "n1", "127.0.0.1", 42, T0, 3);
    String json = new String(Znodes.INSTANCE.encode(i), StandardCharsets.UTF_8);
    byte[] newer = utf8(json.substring(0, json.length() - 1) + ",\"addedLater\":true}");

    assertThat(Znodes.INSTANCE.decode(newer)).isEqualTo(i);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{not json", "[1,2]", "null", "\"text\""})
  void badBytesAreACorruptZnodeNamingTheKind(String data) {
    assertThatThrownBy(() -> Znodes.ASSIGNMENT.decode(utf8(data)))
        .isInstanceOf(CorruptZnodeException.class)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("corrupt assignment znode: ");
    assertThatThrownBy(() -> Znodes.NODE.decode(utf8(data)))
        .hasMessageStartingWith("corrupt node znode: ");
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "7, 7", "9223372036854775807, 9223372036854775807"})
  void anEpochRoundTripsAsDecimalText(String text, long epoch) {
    assertThat(Znodes.EPOCH.encode(epoch)).isEqualTo(utf8(text));
    assertThat(Znodes.EPOCH.decode(utf8(text))).isEqualTo(epoch);
  }

  @Test
  void anEmptyEpochIsZeroAndWhitespaceAroundItIsIgnored() {
    assertThat(Znodes.EPOCH.decode(new byte[0])).isZero();
    assertThat(Znodes.EPOCH.decode(null)).isZero();
    assertThat(Znodes.EPOCH.decode(utf8("  \n"))).isZero();
    assertThat(Znodes.EPOCH.decode(utf8(" 12\n"))).isEqualTo(12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"seven", "-1", "+3", "1.5", "0x10", "1 2", "99999999999999999999"})
  void anythingElseInTheEpochIsACorruptZnode(String text) {
    assertThatThrownBy(() -> Znodes.EPOCH.decode(utf8(text)))
        .isInstanceOf(CorruptZnodeException.class)
        .hasMessageStartingWith("corrupt epoch znode: '" + text + "'");
  }

  @Test
  void aNegativeEpochIsNeverWritten() {
    assertThatThrownBy(() -> Znodes.EPOCH.encode(-1L)).isInstanceOf(IllegalArgumentException.class);
  }
}
