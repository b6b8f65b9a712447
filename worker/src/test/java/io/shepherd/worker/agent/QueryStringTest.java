package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueryStringTest {
  static Stream<Arguments> queries() {
    return Stream.of(
        Arguments.of(null, Map.of()),
        Arguments.of("", Map.of()),
        Arguments.of("tail=10", Map.of("tail", "10")),
        Arguments.of("tail=10&follow=true", Map.of("tail", "10", "follow", "true")),
        Arguments.of("follow", Map.of("follow", "")),
        Arguments.of("stream=std%20err&x=a%26b", Map.of("stream", "std err", "x", "a&b")),
        Arguments.of("index=1&index=2", Map.of("index", "2")));
  }

  @ParameterizedTest
  @MethodSource("queries")
  void decodesEachPairAndTheLastOfARepeatedKeyWins(String raw, Map<String, String> expected) {
    assertThat(QueryString.parse(raw)).isEqualTo(expected);
  }
}
