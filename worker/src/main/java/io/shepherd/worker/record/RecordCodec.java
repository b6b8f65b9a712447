package io.shepherd.worker.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the records stored in znodes. Readers ignore unknown fields so that a newer writer's extra
 * fields do not break an older reader during a rolling upgrade.
 */
public final class RecordCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setSerializationInclusion(JsonInclude.Include.NON_ABSENT);

  private RecordCodec() {}

  public static byte[] write(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
    }
  }

  /** Decodes a znode's data; a corrupt record is an {@link UncheckedIOException} naming the type. */
  public static <T> T read(byte[] data, Class<T> type) {
    try {
      return MAPPER.readValue(data, type);
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt " + type.getSimpleName() + " record", e);
    }
  }

  /** The mapper, for components that store their own records with the same settings. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
