package io.shepherd.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The status code of a response's first line, and which codes pass. */
class StatusLineTest {
  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', value = {
      "HTTP/1.1 200 OK|200",
      "HTTP/1.0 200 OK\r|200",
      "HTTP/1.1 204|204",
      "HTTP/1.1 399 Odd|399",
      "HTTP/1.1 404 Not Found|404",
      "HTTP/1.1 503 Service Unavailable|503",
      "HTTP/1.1 200 |200",
      "HTTP/1.1 20 OK|-1",
      "HTTP/1.1 2000 OK|-1",
      "HTTP/1.1 600 Nope|-1",
      "HTTP/1.1 099 Nope|-1",
      "HTTP/1.1 2x0 OK|-1",
      "HTTP/1.1  200 OK|-1",
      "HTTP/11 200 OK|-1",
      "http/1.1 200 OK|-1",
      "SSH-2.0-OpenSSH_9.2|-1",
      "HTTP/1.1|-1",
      "''|-1",
  })
  void parsesTheCode(String line, int code) {
    byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(StatusLine.code(bytes, bytes.length)).isEqualTo(code);
  }

  @ParameterizedTest(name = "{0} passes: {1}")
  @CsvSource({"100,false", "199,false", "200,true", "302,true", "399,true", "400,false", "500,false"})
  void twoHundredToThreeNinetyNinePass(int code, boolean passes) {
    assertThat(StatusLine.passes(code)).isEqualTo(passes);
  }
}
