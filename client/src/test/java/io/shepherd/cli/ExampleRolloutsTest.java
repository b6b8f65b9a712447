package io.shepherd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shepherd.api.SpecValidation;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The examples in conf/examples declare rollouts that read and validate as their comments say. */
class ExampleRolloutsTest {
  @Test
  void theSleepersRollOutWithAQuarterSurgeAndNoneUnavailable() {
    SpecFile.Named sleepers = SpecFile.read("../conf/examples/sleepers.yaml", InputStream.nullInputStream());

    assertThat(sleepers.spec().rollout().maxSurge().text()).isEqualTo("25%");
    assertThat(sleepers.spec().rollout().surge(3)).isEqualTo(1);
    assertThat(sleepers.spec().rollout().unavailable(3)).isZero();
    assertThat(sleepers.spec().rollout().minReadyMs()).isEqualTo(1_000);
    assertThat(SpecValidation.validate(sleepers.spec())).isEmpty();
  }

  @Test
  void theWebServersRollOutOneAtATimeWithNoneUnavailable() {
    SpecFile.Named web = SpecFile.read("../conf/examples/web.json", InputStream.nullInputStream());

    assertThat(web.spec().rollout().surge(3)).isEqualTo(1);
    assertThat(web.spec().rollout().unavailable(3)).isZero();
    assertThat(SpecValidation.validate(web.spec())).isEmpty();
  }
}
