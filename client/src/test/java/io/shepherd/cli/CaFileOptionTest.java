package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --ca-file} and {@code SHEPHERD_CA}: a file that is not a CA certificate is a usage error naming its source. */
class CaFileOptionTest {
  @TempDir
  Path dir;

  @Test
  void aMissingCaFileIsAUsageErrorNamingTheOption() {
    CliRun run = CliRun.run(Map.of(), "", "get", "--server", "https://127.0.0.1:1", "--ca-file",
        dir.resolve("none.pem").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("shepherd: --ca-file: " + dir.resolve("none.pem") + ": no such file\n");
  }

  @Test
  void aCaFromTheEnvironmentThatIsNoCertificateIsAUsageErrorNamingTheVariable() throws Exception {
    Path notACert = Files.writeString(dir.resolve("ca.pem"), "hello\n");

    CliRun run = CliRun.run(Map.of("SHEPHERD_CA", notACert.toString()), "", "get", "--server",
        "https://127.0.0.1:1");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("shepherd: SHEPHERD_CA: " + notACert + ": ");
    assertThat(run.err()).doesNotContain("Exception").hasLineCount(1);
  }

  @Test
  void theOptionIsListedInTheHelp() {
    assertThat(CliRun.run(Map.of(), "", "--help").out()).contains("--ca-file");
  }
}
