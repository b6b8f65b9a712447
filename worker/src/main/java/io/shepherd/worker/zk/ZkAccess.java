package io.shepherd.worker.zk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.zookeeper.data.Id;

/**
 * Who a client is to ZooKeeper and whom the znodes it creates admit: its own credential (none when ZooKeeper
 * authenticates the connection itself, with x509 or SASL), the ids of the servers (who may do everything) and the
 * ids of the agents (who may do what {@link ZkLayout#agentPermissions} grants). The world is never admitted.
 *
 * <p>{@link #open()} is the absence of all this: no credential, and every znode created open to the world (Curator's
 * default). A client built with {@link ZkClients#newClient} applies these ACLs to every znode it creates.
 *
 * @param credential the digest identity this client authenticates as, if any
 * @param servers    the ids with every permission on every znode; empty only when {@link #open()}
 * @param agents     the ids with the agents' permissions
 */
public record ZkAccess(Optional<ZkCredential> credential, List<Id> servers, List<Id> agents) {
  public ZkAccess {
    Objects.requireNonNull(credential, "credential");
    servers = List.copyOf(servers);
    agents = List.copyOf(agents);
    if (servers.isEmpty() && (credential.isPresent() || !agents.isEmpty())) {
      throw new IllegalArgumentException("ZooKeeper ACLs need the servers' ids");
    }
  }

  /** No credential, no ACLs: every znode open to the world. */
  public static ZkAccess open() {
    return new ZkAccess(Optional.empty(), List.of(), List.of());
  }

  /** A server's access: its own digest id, if it has a credential, is one of the servers' ids. */
  public static ZkAccess server(Optional<ZkCredential> own, List<Id> servers, List<Id> agents) {
    return new ZkAccess(own, with(own, servers), agents);
  }

  /** An agent's access: its own digest id, if it has a credential, is one of the agents' ids. */
  public static ZkAccess agent(Optional<ZkCredential> own, List<Id> servers, List<Id> agents) {
    return new ZkAccess(own, servers, with(own, agents));
  }

  /** Whether znodes get ACLs; false for {@link #open()}. */
  public boolean restricted() {
    return !servers.isEmpty();
  }

  /**
   * An ACL id as operators write it, {@code scheme:id}: {@code digest:user:base64hash}, {@code x509:CN=agent,O=example},
   * {@code sasl:agent@EXAMPLE.COM}, {@code ip:10.0.0.0/8}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Id parseId(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("an ACL id is scheme:id (digest:user:hash, x509:CN=..., sasl:principal, "
          + "ip:address), got '" + text + "'");
    }
    String scheme = text.substring(0, colon);
    String id = text.substring(colon + 1);
    if (!List.of("digest", "x509", "sasl", "ip").contains(scheme)) {
      throw new IllegalArgumentException("unknown ACL scheme '" + scheme + "' (known: digest, x509, sasl, ip)");
    }
    if (scheme.equals("digest") && !id.matches("[^:]+:[A-Za-z0-9+/]{27}=")) {
      throw new IllegalArgumentException("a digest id is digest:user:base64(sha1(user:password)), got '" + text
          + "'");
    }
    return new Id(scheme, id);
  }

  /** {@code own}'s id first, then {@code ids} without it. */
  private static List<Id> with(Optional<ZkCredential> own, List<Id> ids) {
    List<Id> all = new ArrayList<>();
    own.map(ZkCredential::id).ifPresent(all::add);
    ids.stream().filter(id -> !all.contains(id)).forEach(all::add);
    return all;
  }

  @Override
  public String toString() {
    return restricted() ? "ZooKeeper ACLs for " + servers.size() + " server id(s) and " + agents.size()
        + " agent id(s)" + credential.map(c -> ", authenticated as " + c).orElse("") : "open ZooKeeper access";
  }
}
