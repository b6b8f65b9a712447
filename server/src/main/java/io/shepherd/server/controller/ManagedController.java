package io.shepherd.server.controller;

import io.dropwizard.lifecycle.Managed;

/** Starts and closes the controller with the application. */
public final class ManagedController implements Managed {
  private final Controller controller;

  public ManagedController(Controller controller) {
    this.controller = controller;
  }

  @Override
  public void start() throws Exception {
    controller.start();
  }

  @Override
  public void stop() {
    controller.close();
  }
}
