package io.shepherd.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A count of copies, absolute ({@code 1}) or a percentage of the replica count ({@code "25%"}), as a rollout's
 * {@code maxSurge} and {@code maxUnavailable} are written. The text is kept as given so that validation can name
 * a bad value; {@link SpecValidation} checks it.
 *
 * @param text the value as written: digits, optionally followed by {@code %}
 */
public record IntOrPercent(String text) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(%?)");

  public static IntOrPercent of(int count) {
    return new IntOrPercent(Integer.toString(count));
  }

  public static IntOrPercent percent(int percent) {
    return new IntOrPercent(percent + "%");
  }

  /** Reads {@code 1} or {@code "25%"} (or {@code "1"}). */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static IntOrPercent parse(Object value) {
    return new IntOrPercent(value == null ? null : value.toString().trim());
  }

  /** Written back as a number when absolute, as a string when a percentage. */
  @JsonValue
  public Object json() {
    return isValid() && !isPercent() ? (Object) Integer.parseInt(text) : text;
  }

  public boolean isValid() {
    return text != null && FORM.matcher(text).matches();
  }

  public boolean isPercent() {
    return text != null && text.endsWith("%");
  }

  /** The number written, without its percent sign. */
  public int number() {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalStateException("not a count or a percentage: " + text);
    }
    return Integer.parseInt(m.group(1));
  }

  /**
   * The count of copies for a replica count of {@code replicas}: a percentage rounded up when {@code roundUp} (as
   * Kubernetes rounds maxSurge), else down (as it rounds maxUnavailable).
   */
  public int resolve(int replicas, boolean roundUp) {
    if (!isPercent()) {
      return number();
    }
    long scaled = (long) number() * replicas;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  @Override
  public String toString() {
    return text;
  }
}
