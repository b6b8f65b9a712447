package io.shepherd.worker.zk;

import static org.apache.zookeeper.ZooDefs.Perms.ALL;
import static org.apache.zookeeper.ZooDefs.Perms.CREATE;
import static org.apache.zookeeper.ZooDefs.Perms.DELETE;
import static org.apache.zookeeper.ZooDefs.Perms.READ;
import static org.apache.zookeeper.ZooDefs.Perms.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ZkAclsTest {
  private static final ZkLayout LAYOUT = ZkLayout.defaultLayout();
  private static final ZkCredential SERVER = new ZkCredential("srv", "s");
  private static final Id AGENT = new Id("digest", ZkCredential.digest("agent", "a"));
  private static final ZkAcls ACLS =
      new ZkAcls(LAYOUT, ZkAccess.server(Optional.of(SERVER), List.of(), List.of(AGENT)));

  static Stream<Arguments> table() {
    return Stream.of(
        arguments("an agent may create nothing at the top level (its creator would choose its ACL)", "/shepherd",
            READ),
        arguments("an agent reads the epoch, to refuse stale assignments", "/shepherd/epoch", READ),
        arguments("an agent may not take part in the controllers' election", "/shepherd/leader", 0),
        arguments("an agent may not see a controller's latch znode", "/shepherd/leader/_c_1-latch-0000000001", 0),
        arguments("an agent may not touch the breaker", "/shepherd/breaker", 0),
        arguments("an agent may not list the replica sets", "/shepherd/replicasets", 0),
        arguments("an agent may not read or write a spec (it holds the environment)", "/shepherd/replicasets/web", 0),
        arguments("an agent may not write a set's crash-loop status", "/shepherd/replicasets/web/status", 0),
        arguments("an agent may not see revisions or rollouts", "/shepherd/replicasets/web/rollout", 0),
        arguments("an agent registers and deregisters copies", "/shepherd/replicasets/web/instances",
            READ | CREATE | DELETE),
        arguments("an agent writes its copy's ready flag", "/shepherd/replicasets/web/instances/web-1", READ | WRITE),
        arguments("an agent registers its host", "/shepherd/nodes", READ | CREATE | DELETE),
        arguments("an agent updates its host's record", "/shepherd/nodes/host-a", READ | WRITE),
        arguments("an agent creates its assignments' parent", "/shepherd/assignments", READ | CREATE),
        arguments("an agent may not create an assignment", "/shepherd/assignments/host-a", READ),
        arguments("an agent records an assignment's progress", "/shepherd/assignments/host-a/web-1", READ | WRITE),
        arguments("copies read their configuration", "/shepherd/config/web/color", READ),
        arguments("copies elect a leader", "/shepherd/elections/web", READ | CREATE | DELETE),
        arguments("a copy's latch znode", "/shepherd/elections/web/_c_1-latch-0000000001", READ | WRITE),
        arguments("agents create their copies' elections' parents", "/shepherd/copy-elections", READ | CREATE),
        arguments("agents hold their ready copies' elections", "/shepherd/copy-elections/web", READ | CREATE | DELETE),
        arguments("a ready copy's participant znode", "/shepherd/copy-elections/web/_c_1-n_0000000001", READ | WRITE),
        arguments("a token is the servers' alone", "/shepherd/tokens/t1", 0),
        arguments("every agent's gateway lists the exposed ports", "/shepherd/exposed", READ),
        arguments("and reads which set each one forwards to, never writes it", "/shepherd/exposed/9000", READ),
        arguments("anything not in the table is the servers' alone", "/shepherd/something/else", 0),
        arguments("a path outside the root gets nothing", "/elsewhere/nodes", 0),
        arguments("a path that only starts like the root gets nothing", "/shepherdx/nodes", 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theServersMayDoEverythingTheAgentsWhatTheTableGrantsTheWorldNothing(String row, String path, int agents) {
    List<ACL> acl = ACLS.getAclForPath(path);

    assertThat(acl.get(0)).isEqualTo(new ACL(ALL, SERVER.id()));
    if (agents == 0) {
      assertThat(acl).hasSize(1);
    } else {
      assertThat(acl).containsExactly(new ACL(ALL, SERVER.id()), new ACL(agents, AGENT));
    }
    assertThat(acl).noneMatch(a -> a.getId().getScheme().equals("world"));
  }

  @Test
  void theAncestorsOfANestedRootCountAsTheRoot() {
    ZkLayout nested = new ZkLayout("/org/shepherd");

    assertThat(nested.agentPermissions("/org")).isEqualTo(READ);
    assertThat(nested.agentPermissions("/org/shepherd")).isEqualTo(READ);
    assertThat(nested.agentPermissions("/org/shepherd/nodes")).isEqualTo(READ | CREATE | DELETE);
    assertThat(nested.agentPermissions("/org/other")).isZero();
  }

  @Test
  void anIdThatIsBothServerAndAgentGetsEverythingOnce() {
    ZkAcls acls = new ZkAcls(LAYOUT, ZkAccess.server(Optional.of(SERVER), List.of(), List.of(SERVER.id())));

    assertThat(acls.getAclForPath("/shepherd/nodes")).containsExactly(new ACL(ALL, SERVER.id()));
  }

  @Test
  void theDefaultAclIsTheServers() {
    assertThat(ACLS.getDefaultAcl()).containsExactly(new ACL(ALL, SERVER.id()));
  }

  @Test
  void openAccessHasNoAcls() {
    assertThat(ZkAccess.open().restricted()).isFalse();
    assertThatThrownBy(() -> new ZkAcls(LAYOUT, ZkAccess.open())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCredentialNeverShowsItsPassword() {
    ZkCredential c = new ZkCredential("agent", "pa55word");

    assertThat(c.toString()).doesNotContain("pa55word");
    assertThat(ZkAccess.agent(Optional.of(c), List.of(SERVER.id()), List.of()).toString()).doesNotContain("pa55word");
    assertThat(new ZkCredentialSource("agent", "pa55word", null, null, false).toString()).doesNotContain("pa55word");
  }

  @Test
  void theDigestIdIsZooKeepersOwn() {
    // As printed by ZooKeeper's DigestAuthenticationProvider for test-agent:test-agent-secret.
    assertThat(new ZkCredential("test-agent", "test-agent-secret").id())
        .isEqualTo(new Id("digest", "test-agent:n/0ql1FggbQC61GasamiPOtKhS8="));
  }

  @Test
  void anIdIsSchemeColonId() {
    assertThat(ZkAccess.parseId("x509:CN=agent,O=example")).isEqualTo(new Id("x509", "CN=agent,O=example"));
    assertThat(ZkAccess.parseId("sasl:agent@EXAMPLE.COM")).isEqualTo(new Id("sasl", "agent@EXAMPLE.COM"));
    assertThatThrownBy(() -> ZkAccess.parseId("digest:agent:short")).hasMessageContaining("digest:user:base64");
    assertThatThrownBy(() -> ZkAccess.parseId("world:anyone")).hasMessageContaining("unknown ACL scheme 'world'");
    assertThatThrownBy(() -> ZkAccess.parseId("nocolon")).hasMessageContaining("scheme:id");
  }
}
