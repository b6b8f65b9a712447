package io.shepherd.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of a spec's rollout policy, each refusal naming its field; its JSON; what the template is. */
class RolloutValidationTest {
  private static final ObjectMapper JSON = ShepherdJson.newMapper();
  private static final ReplicaSetSpec WEB = ReplicaSetSpec.of(3, List.of("app"));

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("surge and unavailable both 0", "{\"maxSurge\": 0, \"maxUnavailable\": 0}", "rollout.maxSurge"),
        Arguments.of("surge and unavailable both 0%", "{\"maxSurge\": \"0%\", \"maxUnavailable\": \"0%\"}",
            "rollout.maxSurge"),
        Arguments.of("a surge that is no count", "{\"maxSurge\": \"many\"}", "rollout.maxSurge"),
        Arguments.of("a negative unavailable", "{\"maxUnavailable\": -1}", "rollout.maxUnavailable"),
        Arguments.of("a percentage above 100", "{\"maxUnavailable\": \"150%\"}", "rollout.maxUnavailable"),
        Arguments.of("a negative minReadyMs", "{\"minReadyMs\": -1}", "rollout.minReadyMs"),
        Arguments.of("a progress deadline of 0", "{\"progressDeadlineMs\": 0}", "rollout.progressDeadlineMs"),
        Arguments.of("a negative canary", "{\"canary\": -2}", "rollout.canary"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void aBadRolloutPolicyIsRefusedNamingTheField(String behaviour, String rollout, String field) throws Exception {
    ReplicaSetSpec spec = JSON.readValue("{\"replicas\": 3, \"command\": [\"app\"], \"rollout\": " + rollout + "}",
        ReplicaSetSpec.class);

    assertThat(SpecValidation.validate(spec)).extracting(FieldError::field).containsExactly(field);
  }

  @Test
  void theDefaultsAreKubernetesButAutoRevertIsOn() {
    RolloutPolicy p = WEB.rollout();

    assertThat(p.maxSurge().text()).isEqualTo("25%");
    assertThat(p.maxUnavailable().text()).isEqualTo("25%");
    assertThat(p.progressDeadlineMs()).isEqualTo(600_000);
    assertThat(p.autoRevert()).isTrue();
    assertThat(p.canary()).isZero();
    assertThat(SpecValidation.validate(WEB)).isEmpty();
  }

  @Test
  void countsAreWrittenAsNumbersAndPercentagesAsStrings() throws Exception {
    String json = JSON.writeValueAsString(WEB.withRollout(RolloutPolicy.DEFAULT.withBounds("1", "10%")));

    assertThat(json).contains("\"maxSurge\":1").contains("\"maxUnavailable\":\"10%\"");
    assertThat(JSON.readValue(json, ReplicaSetSpec.class)).isEqualTo(
        WEB.withRollout(RolloutPolicy.DEFAULT.withBounds("1", "10%")));
  }

  @Test
  void theTemplateIsEverythingButReplicasAndRollout() {
    assertThat(WEB.sameTemplate(WEB.withReplicas(7))).isTrue();
    assertThat(WEB.sameTemplate(WEB.withRollout(RolloutPolicy.DEFAULT.withCanary(1)))).isTrue();
    assertThat(WEB.sameTemplate(ReplicaSetSpec.of(3, List.of("app", "--v2")))).isFalse();
    assertThat(WEB.sameTemplate(WEB.withEnv(java.util.Map.of("MODE", "prod")))).isFalse();
  }
}
