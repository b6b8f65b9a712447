package io.shepherd.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.shepherd.server.ShepherdConfiguration;
import io.shepherd.worker.record.PortRange;
import java.io.File;
import org.junit.jupiter.api.Test;

/** The embedded agent's port range, as conf/shepherd.yml and overrides give it, validated at start. */
class AgentSettingsTest {
  private final YamlConfigurationFactory<ShepherdConfiguration> factory = new YamlConfigurationFactory<>(
      ShepherdConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");

  @Test
  void theOneMachineDefaultLendsPorts20000To29999() throws Exception {
    ShepherdConfiguration conf = factory.build(new File("../conf/shepherd.yml"));

    assertThat(conf.agent.toAgentConfig().ports()).isEqualTo(new PortRange(20_000, 29_999));
    assertThat(new AgentSettings().toAgentConfig().ports()).isEqualTo(PortRange.DEFAULT);
  }

  @Test
  void aRangeUpsideDownOrPrivilegedIsRefusedAtStart() {
    assertThatThrownBy(() -> build("agent: {ports: {from: 30000, to: 20000}}"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("agent.ports");
    assertThatThrownBy(() -> build("agent: {ports: {from: 80, to: 90}}"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("agent.ports");
    assertThatThrownBy(() -> build("agent: {ports: {from: 20000, to: 70000}}"))
        .isInstanceOf(ConfigurationValidationException.class).hasMessageContaining("agent.ports.to");
  }

  @Test
  void privilegedPortsOnlyWhenAllowed() throws Exception {
    ShepherdConfiguration conf = build("agent: {ports: {from: 80, to: 90, allowPrivileged: true}}");

    assertThat(conf.agent.toAgentConfig().ports()).isEqualTo(new PortRange(80, 90));
  }

  private ShepherdConfiguration build(String yaml) throws Exception {
    return factory.build(path -> new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        "test.yml");
  }
}
