package io.shepherd.server.auth;

import io.dropwizard.lifecycle.Managed;
import io.shepherd.server.state.ServerZnodes;
import io.shepherd.worker.zk.ZkLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.KeeperException;

/**
 * The tokens in ZooKeeper, {@code /tokens/{id}}. Requests are authenticated against a {@link CuratorCache} of
 * {@code /tokens}, so a revocation on any server reaches this one as fast as ZooKeeper's watch does (milliseconds);
 * a token the cache does not hold (yet: created a moment ago on another server, or before the cache has loaded) is
 * read from ZooKeeper, so it works at once everywhere.
 */
public final class ZkTokenStore implements TokenStore, Managed {
  private final CuratorFramework client;
  private final ZkLayout layout;
  private final CuratorCache cache;

  public ZkTokenStore(CuratorFramework client, ZkLayout layout) {
    this.client = client;
    this.layout = layout;
    this.cache = CuratorCache.build(client, layout.tokens());
  }

  @Override
  public void start() {
    cache.start();
  }

  @Override
  public void stop() {
    cache.close();
  }

  @Override
  public Optional<TokenRecord> find(String id) throws Exception {
    if (!TokenSecrets.isId(id)) {
      return Optional.empty();
    }
    String path = layout.token(id);
    Optional<ChildData> cached = cache.get(path);
    if (cached.isPresent()) {
      return Optional.of(ServerZnodes.TOKEN.decode(cached.get().getData()));
    }
    try {
      return Optional.of(ServerZnodes.TOKEN.decode(client.getData().forPath(path)));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<TokenRecord> list() throws Exception {
    List<TokenRecord> out = new ArrayList<>();
    List<String> ids;
    try {
      ids = client.getChildren().forPath(layout.tokens());
    } catch (KeeperException.NoNodeException e) {
      return out;
    }
    for (String id : ids) {
      try {
        out.add(ServerZnodes.TOKEN.decode(client.getData().forPath(layout.token(id))));
      } catch (KeeperException.NoNodeException revokedMeanwhile) {
        // not listed
      }
    }
    out.sort(Comparator.comparing(TokenRecord::created).thenComparing(TokenRecord::id));
    return out;
  }

  @Override
  public void create(TokenRecord token) throws Exception {
    // Persistent parents: /tokens must outlive its last token, or the next start would make a new admin token.
    client.create().creatingParentsIfNeeded().forPath(layout.token(token.id()), ServerZnodes.TOKEN.encode(token));
  }

  @Override
  public boolean revoke(String id) throws Exception {
    if (!TokenSecrets.isId(id)) {
      return false;
    }
    try {
      client.delete().forPath(layout.token(id));
      return true;
    } catch (KeeperException.NoNodeException e) {
      return false;
    }
  }
}
