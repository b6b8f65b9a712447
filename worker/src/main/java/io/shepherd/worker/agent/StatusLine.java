package io.shepherd.worker.agent;

/**
 * The status code of an HTTP/1.x response's status line ({@code HTTP/1.1 200 OK}), from its raw bytes. Pure.
 */
final class StatusLine {
  /** Not a status line. */
  static final int INVALID = -1;

  private StatusLine() {}

  /**
   * The status code in {@code bytes[0..length)}, the line without its line end (a trailing CR is allowed), or
   * {@link #INVALID}: {@code HTTP/<digit>.<digit> <three digits>}, then the end or a space and any reason.
   */
  static int code(byte[] bytes, int length) {
    int n = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
    // "HTTP/1.1 200" is 12 bytes.
    if (n < 12 || bytes[0] != 'H' || bytes[1] != 'T' || bytes[2] != 'T' || bytes[3] != 'P' || bytes[4] != '/'
        || !digit(bytes[5]) || bytes[6] != '.' || !digit(bytes[7]) || bytes[8] != ' ') {
      return INVALID;
    }
    if (!digit(bytes[9]) || !digit(bytes[10]) || !digit(bytes[11]) || n > 12 && bytes[12] != ' ') {
      return INVALID;
    }
    int code = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
    return code >= 100 && code <= 599 ? code : INVALID;
  }

  /** Whether a probe with this status passes: 200-399. */
  static boolean passes(int code) {
    return code >= 200 && code < 400;
  }

  private static boolean digit(byte b) {
    return b >= '0' && b <= '9';
  }
}
