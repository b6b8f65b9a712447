package io.shepherd.server.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import io.shepherd.worker.zk.ZkAccess;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.apache.zookeeper.data.Id;

/**
 * {@code zookeeper.acl}: the ids the ACLs of Shepherd's znodes admit, as {@code scheme:id}
 * ({@code digest:user:hash}, {@code x509:CN=...}, {@code sasl:principal}). This server's own digest id (from
 * {@code zookeeper.auth}) is a server id and the embedded agent's one an agent id without being listed.
 */
public class ZooKeeperAclSettings {
  /** Ids that may do everything: every other server of the cluster, and operators' tools. */
  @NotNull
  @JsonProperty
  public List<String> servers = List.of();

  /** Ids that may do what agents do (docs/SECURITY.md has the table). */
  @NotNull
  @JsonProperty
  public List<String> agents = List.of();

  @ValidationMethod(message = "zookeeper.acl: every id must be scheme:id: digest:user:base64(sha1(user:password)), x509:CN=..., "
      + "sasl:principal or ip:address")
  @JsonIgnore
  public boolean isValidIds() {
    try {
      serverIds();
      agentIds();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public List<Id> serverIds() {
    return servers.stream().map(ZkAccess::parseId).toList();
  }

  public List<Id> agentIds() {
    return agents.stream().map(ZkAccess::parseId).toList();
  }

  @JsonIgnore
  public boolean isEmpty() {
    return servers.isEmpty() && agents.isEmpty();
  }
}
