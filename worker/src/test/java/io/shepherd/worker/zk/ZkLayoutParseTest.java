package io.shepherd.worker.zk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@link ZkLayout#parse} makes of the configuration paths. */
class ZkLayoutParseTest {
  private final ZkLayout layout = ZkLayout.defaultLayout();

  @Test
  void aSetsConfigParentAndItsValuesParseAsSuch() {
    assertThat(layout.parse(layout.configOf("web"))).isEqualTo(new ZkPath.Config("web"));
    assertThat(layout.parse(layout.configValue("web", "LOG_LEVEL")))
        .isEqualTo(new ZkPath.ConfigValue("web", "LOG_LEVEL"));
    assertThat(layout.parse(layout.config())).isInstanceOf(ZkPath.Other.class);
    assertThat(layout.parse(layout.configValue("web", "LOG_LEVEL") + "/deeper")).isInstanceOf(ZkPath.Other.class);
  }
}
