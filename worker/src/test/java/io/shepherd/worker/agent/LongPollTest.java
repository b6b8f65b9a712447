package io.shepherd.worker.agent;

import static io.shepherd.worker.agent.LongPoll.Action.ANSWER;
import static io.shepherd.worker.agent.LongPoll.Action.UNAVAILABLE;
import static io.shepherd.worker.agent.LongPoll.Action.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The long-poll rule of the local API, and its two parameters. */
class LongPollTest {
  private static final Optional<Long> NONE = Optional.empty();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a plain read is answered at once", NONE, Optional.of(7L), true, false, ANSWER),
        Arguments.of("an index that moved on is answered at once", Optional.of(6L), Optional.of(7L), true, false,
            ANSWER),
        Arguments.of("an index of another agent (higher) is answered at once", Optional.of(90L), Optional.of(7L), true,
            false, ANSWER),
        Arguments.of("the current index waits", Optional.of(7L), Optional.of(7L), true, false, WAIT),
        Arguments.of("the current index is answered when the wait ends", Optional.of(7L), Optional.of(7L), true, true,
            ANSWER),
        Arguments.of("disconnected: 503, even for a plain read", NONE, Optional.of(7L), false, false, UNAVAILABLE),
        Arguments.of("disconnected: 503 instead of waiting", Optional.of(7L), Optional.of(7L), false, false,
            UNAVAILABLE),
        Arguments.of("a view not loaded yet: a plain read gets 503", NONE, NONE, true, false, UNAVAILABLE),
        Arguments.of("a view not loaded yet: a long poll waits for it", Optional.of(7L), NONE, true, false, WAIT),
        Arguments.of("a view still not loaded when the wait ends: 503", Optional.of(7L), NONE, true, true,
            UNAVAILABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, Optional<Long> seen, Optional<Long> current, boolean connected, boolean waitOver,
      LongPoll.Action expected) {
    assertThat(LongPoll.decide(seen, current, connected, waitOver)).isEqualTo(expected);
  }

  static Stream<Arguments> waits() {
    return Stream.of(
        Arguments.of(null, LongPoll.DEFAULT_WAIT),
        Arguments.of("500ms", Duration.ofMillis(500)),
        Arguments.of("30s", Duration.ofSeconds(30)),
        Arguments.of("45", Duration.ofSeconds(45)),
        Arguments.of("5m", Duration.ofMinutes(5)),
        Arguments.of("0s", Duration.ZERO));
  }

  @ParameterizedTest(name = "wait={0} is {1}")
  @MethodSource("waits")
  void parsesTheWait(String value, Duration expected) {
    assertThat(LongPoll.waitOf(value)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "wait={0} is refused, naming the parameter")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "6m", "-1s", "1h", "soon", "1.5s"})
  void refusesABadWait(String value) {
    assertThatThrownBy(() -> LongPoll.waitOf(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("wait: ");
  }

  @ParameterizedTest(name = "index={0} is refused, naming the parameter")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "-1", "x", "1.0"})
  void refusesABadIndex(String value) {
    assertThatThrownBy(() -> LongPoll.index(value)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("index: ");
  }

  @ParameterizedTest(name = "index={0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"0", "12", "9000000000"})
  void parsesAnIndex(String value) {
    assertThat(LongPoll.index(value)).contains(Long.parseLong(value));
  }
}
