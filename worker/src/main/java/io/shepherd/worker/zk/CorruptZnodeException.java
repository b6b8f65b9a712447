package io.shepherd.worker.zk;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A znode's data that its {@link ZnodeCodec} cannot read: the message names the kind of znode and what is wrong.
 * An {@link UncheckedIOException}, as a corrupt JSON record has always been, so readers that skip a corrupt record
 * skip this one too.
 */
public final class CorruptZnodeException extends UncheckedIOException {
  CorruptZnodeException(String kind, String problem, IOException cause) {
    super("corrupt " + kind + " znode: " + problem, cause);
  }
}
