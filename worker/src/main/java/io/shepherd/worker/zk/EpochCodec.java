package io.shepherd.worker.zk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /epoch}: the controller epoch as UTF-8 decimal text ("7"). Empty data is epoch 0 (a znode created
 * without data); surrounding whitespace is ignored. Anything else (not a number, negative, out of range) is a
 * {@link CorruptZnodeException}: an epoch that cannot be read fences nothing, so each reader takes its safe side
 * (the agent admits no assignment, a server does not claim, a view keeps what it had).
 */
final class EpochCodec {
  private EpochCodec() {}

  static ZnodeCodec<Long> codec() {
    return ZnodeCodec.of("epoch", EpochCodec::encode, EpochCodec::decode);
  }

  private static byte[] encode(Long epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("an epoch is never negative: " + epoch);
    }
    return Long.toString(epoch).getBytes(StandardCharsets.UTF_8);
  }

  private static Long decode(byte[] data) throws IOException {
    String text = new String(data, StandardCharsets.UTF_8).trim();
    if (text.isEmpty()) {
      return 0L;
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IOException("'" + abbreviated(text) + "' is not a non-negative decimal number");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("'" + abbreviated(text) + "' is out of range", e);
    }
  }

  private static String abbreviated(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
