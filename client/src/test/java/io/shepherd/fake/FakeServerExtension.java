package io.shepherd.fake;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeShepherdServer} that refuses requests without the given token, started before each test and closed
 * after it. Register it on an instance field with {@code @RegisterExtension}.
 */
public final class FakeServerExtension implements BeforeEachCallback, AfterEachCallback {
  private final String token;
  private FakeShepherdServer server;

  private FakeServerExtension(String token) {
    this.token = token;
  }

  public static FakeServerExtension requiringToken(String token) {
    return new FakeServerExtension(token);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server = FakeShepherdServer.start();
    server.requireToken(token);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    server.close();
  }

  public FakeShepherdServer server() {
    return server;
  }
}
