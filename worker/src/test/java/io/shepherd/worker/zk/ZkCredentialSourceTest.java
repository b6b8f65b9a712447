package io.shepherd.worker.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZkCredentialSourceTest {
  @TempDir
  Path dir;

  @Test
  void aGeneratedPasswordFileIsReadableByItsOwnerOnlyAndKeptAcrossStarts() throws Exception {
    Path file = dir.resolve("data/zookeeper-agent.password");
    ZkCredentialSource source = new ZkCredentialSource("agent", null, file, null, true);

    ZkCredential first = source.resolve(Map.of());
    ZkCredential second = source.resolve(Map.of());

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(first).isEqualTo(second);
    assertThat(first.user()).isEqualTo("agent");
    assertThat(Files.readString(file).strip()).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void twoGeneratedPasswordsDiffer() {
    ZkCredential a = new ZkCredentialSource("u", null, dir.resolve("a"), null, true).resolve(Map.of());
    ZkCredential b = new ZkCredentialSource("u", null, dir.resolve("b"), null, true).resolve(Map.of());

    assertThat(a.id()).isNotEqualTo(b.id());
  }

  @Test
  void aPasswordFileGivesItsFirstLineAndTheEnvironmentItsVariable() throws Exception {
    Path file = Files.writeString(dir.resolve("pw"), "  first  \nsecond\n");

    assertThat(new ZkCredentialSource("u", null, file, null, false).resolve(Map.of()))
        .isEqualTo(new ZkCredential("u", "first"));
    assertThat(new ZkCredentialSource("u", null, null, "PW", false).resolve(Map.of("PW", "from-env")))
        .isEqualTo(new ZkCredential("u", "from-env"));
  }

  @Test
  void eachMistakeNamesItsField() {
    assertThatThrownBy(() -> new ZkCredentialSource("u", null, null, null, false).resolve(Map.of()))
        .hasMessageStartingWith("password: give exactly one of");
    assertThatThrownBy(() -> new ZkCredentialSource("u", "p", null, null, true).resolve(Map.of()))
        .hasMessageStartingWith("generate: only with passwordFile");
    assertThatThrownBy(() -> new ZkCredentialSource("a:b", "p", null, null, false).resolve(Map.of()))
        .hasMessageStartingWith("user:");
    assertThatThrownBy(() -> new ZkCredentialSource("u", null, dir.resolve("none"), null, false).resolve(Map.of()))
        .hasMessageStartingWith("passwordFile: ").hasMessageEndingWith("no such file");
    assertThatThrownBy(() -> new ZkCredentialSource("u", null, null, "UNSET", false).resolve(Map.of()))
        .hasMessageStartingWith("passwordEnv: the environment variable UNSET is not set");
  }
}
