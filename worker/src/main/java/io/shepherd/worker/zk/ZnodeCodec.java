package io.shepherd.worker.zk;

import io.shepherd.worker.record.RecordCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * How one kind of znode stores its value: the one place that encodes it and decodes it. {@link Znodes} (and the
 * server's own kinds) hold one per kind. Decoding bad bytes throws a {@link CorruptZnodeException} naming the kind;
 * {@code null} data (a znode read without its data) decodes as empty bytes.
 *
 * @param <T> the value a znode of this kind holds
 */
public final class ZnodeCodec<T> {
  /** Reads a value from bytes; throws {@link IOException} (or an unchecked exception) on bad bytes. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] data) throws IOException;
  }

  private final String kind;
  private final Function<T, byte[]> encoder;
  private final Decoder<T> decoder;

  private ZnodeCodec(String kind, Function<T, byte[]> encoder, Decoder<T> decoder) {
    this.kind = Objects.requireNonNull(kind);
    this.encoder = encoder;
    this.decoder = decoder;
  }

  /** A record stored as JSON (unknown fields ignored, so a newer writer's additions do not break an older reader). */
  public static <T> ZnodeCodec<T> json(String kind, Class<T> type) {
    return new ZnodeCodec<>(kind, RecordCodec::write, data -> RecordCodec.mapper().readValue(data, type));
  }

  /** UTF-8 text, stored as given. */
  public static ZnodeCodec<String> text(String kind) {
    return new ZnodeCodec<>(kind, s -> s.getBytes(StandardCharsets.UTF_8),
        data -> new String(data, StandardCharsets.UTF_8));
  }

  /** Any other encoding. */
  public static <T> ZnodeCodec<T> of(String kind, Function<T, byte[]> encoder, Decoder<T> decoder) {
    return new ZnodeCodec<>(kind, encoder, decoder);
  }

  /** The kind of znode, as error messages name it ("assignment", "epoch"). */
  public String kind() {
    return kind;
  }

  public byte[] encode(T value) {
    return encoder.apply(Objects.requireNonNull(value, kind));
  }

  /**
   * The value {@code data} holds.
   *
   * @throws CorruptZnodeException when it does not hold one
   */
  public T decode(byte[] data) {
    byte[] bytes = data == null ? new byte[0] : data;
    try {
      T value = decoder.decode(bytes);
      if (value == null) {
        throw new CorruptZnodeException(kind, "no value", new IOException("empty " + kind));
      }
      return value;
    } catch (CorruptZnodeException e) {
      throw e;
    } catch (IOException e) {
      throw new CorruptZnodeException(kind, firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      // A record's own checks (a compact constructor) refusing what was stored.
      throw new CorruptZnodeException(kind, firstLine(String.valueOf(e.getMessage())), new IOException(e));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public String toString() {
    return "ZnodeCodec[" + kind + "]";
  }
}
