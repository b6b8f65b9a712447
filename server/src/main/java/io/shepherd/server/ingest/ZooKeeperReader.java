package io.shepherd.server.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooKeeper;

/**
 * Reads with {@code multiRead} (ZooKeeper 3.6 and later) on Curator's underlying {@link ZooKeeper} handle, the one
 * the ingest's watch is on, asynchronously: the answer arrives on ZooKeeper's event thread behind the
 * notifications sent before it, which makes each read the barrier {@link ZnodeReader} promises.
 */
final class ZooKeeperReader implements ZnodeReader {
  /** Znodes per request: an answer must stay well under ZooKeeper's 1 MB packet limit. */
  private static final int CHUNK = 100;
  private static final long TIMEOUT_SECONDS = 30;

  private final CuratorFramework client;
  private final String root;

  /** {@code root}: what is read when there is nothing to read but a barrier is wanted. */
  ZooKeeperReader(CuratorFramework client, String root) {
    this.client = client;
    this.root = root;
  }

  @Override
  public Map<String, Znode> read(Collection<String> paths) throws Exception {
    List<String> all = new ArrayList<>(paths);
    Map<String, Znode> read = new HashMap<>();
    if (all.isEmpty()) {
      all.add(root); // nothing to read, but the barrier is still wanted
    }
    List<CompletableFuture<List<OpResult>>> answers = new ArrayList<>();
    List<List<String>> chunks = chunks(all);
    for (List<String> chunk : chunks) {
      answers.add(multiRead(chunk.stream().map(p -> Op.getData(p)).toList()));
    }
    for (int c = 0; c < chunks.size(); c++) {
      List<String> chunk = chunks.get(c);
      List<OpResult> results = await(answers.get(c));
      for (int i = 0; i < chunk.size(); i++) {
        if (results.get(i) instanceof OpResult.GetDataResult data && paths.contains(chunk.get(i))) {
          read.put(chunk.get(i), Znode.of(chunk.get(i), data.getData(), data.getStat()));
        }
      }
    }
    return read;
  }

  /** Level by level: the children and data of every znode of a level in as few requests as fit. */
  @Override
  public List<Znode> readTree(String root) throws Exception {
    List<Znode> tree = new ArrayList<>();
    List<String> level = List.of(root);
    while (!level.isEmpty()) {
      List<String> next = new ArrayList<>();
      List<List<String>> chunks = chunks(level);
      List<CompletableFuture<List<OpResult>>> answers = new ArrayList<>();
      for (List<String> chunk : chunks) {
        List<Op> ops = new ArrayList<>();
        chunk.forEach(p -> {
          ops.add(Op.getData(p));
          ops.add(Op.getChildren(p));
        });
        answers.add(multiRead(ops));
      }
      for (int c = 0; c < chunks.size(); c++) {
        List<String> chunk = chunks.get(c);
        List<OpResult> results = await(answers.get(c));
        for (int i = 0; i < chunk.size(); i++) {
          String path = chunk.get(i);
          if (results.get(2 * i) instanceof OpResult.GetDataResult data
              && results.get(2 * i + 1) instanceof OpResult.GetChildrenResult children) {
            tree.add(Znode.of(path, data.getData(), data.getStat()));
            children.getChildren().forEach(child -> next.add((path.equals("/") ? "" : path) + "/" + child));
          }
        }
      }
      level = next;
    }
    return tree;
  }

  private CompletableFuture<List<OpResult>> multiRead(List<Op> ops) throws Exception {
    ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
    CompletableFuture<List<OpResult>> answer = new CompletableFuture<>();
    zk.multi(ops, (rc, path, ctx, results) -> {
      if (results != null && results.size() == ops.size()) {
        answer.complete(results);
      } else {
        answer.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc)));
      }
    }, null);
    return answer;
  }

  private static List<OpResult> await(CompletableFuture<List<OpResult>> answer) throws Exception {
    try {
      return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private static List<List<String>> chunks(List<String> paths) {
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < paths.size(); i += CHUNK) {
      chunks.add(paths.subList(i, Math.min(paths.size(), i + CHUNK)));
    }
    return chunks;
  }
}
