package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.fake.FakeServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code shepherd} finds its API token ({@code --token}, {@code --token-file}, {@code SHEPHERD_TOKEN},
 * {@code $XDG_CONFIG_HOME/shepherd/token} or {@code ~/.config/shepherd/token}), and {@code shepherd token}, against
 * a fake server that refuses requests without the right token.
 */
class TokenCliTest {
  private static final String TOKEN = "shp_aaaaaaaaaaaaaaaa_" + "k".repeat(43);

  @TempDir Path dir;
  @RegisterExtension
  final FakeServerExtension fake = FakeServerExtension.requiringToken(TOKEN);

  private CliRun shepherd(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("SHEPHERD_SERVERS", fake.server().url());
    return CliRun.run(env, "", args);
  }

  private Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }

  @Test
  void withoutATokenTheServersRefusalIsExit1WithItsMessage() {
    CliRun run = shepherd(Map.of(), "nodes");
    assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.REFUSED);
    assertThat(run.err()).contains("a valid API token is required").doesNotContain("\tat ");
    assertThat(fake.server().requests().get(0).header("authorization")).isEmpty();
  }

  @Test
  void theTokenOptionIsSentAsABearerHeader() {
    CliRun run = shepherd(Map.of(), "--token", TOKEN, "nodes");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(fake.server().requests().get(0).header("authorization")).contains("Bearer " + TOKEN);
  }

  @Test
  void theEnvironmentVariableIsUsedWithoutAnOption() {
    assertThat(shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "nodes").exit()).isZero();
  }

  @Test
  void aTokenFileIsReadWithoutItsNewline() throws IOException {
    Path f = file("admin.token", TOKEN + "\n");
    assertThat(shepherd(Map.of(), "--token-file", f.toString(), "nodes").exit()).isZero();
  }

  @Test
  void theXdgConfigFileIsTheLastResort() throws IOException {
    file("xdg/shepherd/token", TOKEN + "\n");
    assertThat(shepherd(Map.of("XDG_CONFIG_HOME", dir.resolve("xdg").toString()), "nodes").exit()).isZero();
  }

  @Test
  void withoutXdgConfigHomeTheFileIsUnderHomeDotConfig() throws IOException {
    file("home/.config/shepherd/token", TOKEN);
    assertThat(shepherd(Map.of("HOME", dir.resolve("home").toString()), "nodes").exit()).isZero();
  }

  @Test
  void theOptionWinsOverTheFileWhichWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
    Path wrong = file("wrong.token", "shp_wrong");
    file("xdg/shepherd/token", "shp_also_wrong");
    Map<String, String> env = Map.of("SHEPHERD_TOKEN", "shp_env_wrong", "XDG_CONFIG_HOME", dir.resolve("xdg").toString());
    assertThat(shepherd(env, "--token", TOKEN, "--token-file", wrong.toString(), "nodes").exit()).isZero();
    Path right = file("right.token", TOKEN);
    assertThat(shepherd(env, "--token-file", right.toString(), "nodes").exit()).isZero();
    assertThat(shepherd(Map.of("SHEPHERD_TOKEN", TOKEN, "XDG_CONFIG_HOME", dir.resolve("xdg").toString()), "nodes")
        .exit()).isZero();
  }

  @Test
  void aMissingOrEmptyTokenFileIsBadInputNamingTheFile() throws IOException {
    CliRun missing = shepherd(Map.of(), "--token-file", dir.resolve("nope").toString(), "nodes");
    assertThat(missing.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(missing.err()).contains("--token-file").contains("nope").doesNotContain("\tat ");
    CliRun empty = shepherd(Map.of(), "--token-file", file("empty", "\n").toString(), "nodes");
    assertThat(empty.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(empty.err()).contains("empty");
    assertThat(fake.server().requests()).isEmpty();
  }

  @Test
  void aTokenWithSpacesInsideIsBadInput() {
    CliRun run = shepherd(Map.of(), "--token", "two words", "nodes");
    assertThat(run.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err()).contains("--token");
  }

  @Test
  void tokenCreatePrintsTheSecretAloneOnStandardOutput() {
    CliRun run = shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "create", "ci", "--role", "operator");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().strip()).startsWith("shp_").doesNotContain(" ");
    assertThat(run.err()).contains("token/ci created").contains("operator").contains("shown only now");
    assertThat(fake.server().requests().get(0).line()).isEqualTo("POST /api/v1/tokens");
    assertThat(fake.server().requests().get(0).body()).isEqualTo("{\"name\":\"ci\",\"role\":\"operator\"}");
  }

  @Test
  void tokenListAndRevoke() {
    shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "create", "ci", "--role", "viewer");
    CliRun list = shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "list");
    assertThat(list.out()).contains("ID").contains("NAME").contains("ROLE").contains("ci").contains("viewer")
        .doesNotContain("shp_");
    String id = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
    CliRun revoke = shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "revoke", id);
    assertThat(revoke.exit()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).contains("revoked");
    CliRun again = shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "revoke", id);
    assertThat(again.exit()).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void aRoleThatDoesNotExistIsAUsageError() {
    CliRun run = shepherd(Map.of("SHEPHERD_TOKEN", TOKEN), "token", "create", "ci", "--role", "root");
    assertThat(run.exit()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(fake.server().requests()).isEmpty();
  }
}
