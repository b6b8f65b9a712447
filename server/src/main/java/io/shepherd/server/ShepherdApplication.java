package io.shepherd.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.api.BodyLimitFilter;
import io.shepherd.server.api.BreakerResource;
import io.shepherd.server.api.BreakerStore;
import io.shepherd.server.api.ClusterResource;
import io.shepherd.server.api.ConfigResource;
import io.shepherd.server.api.ConfigStore;
import io.shepherd.server.api.ErrorMappers;
import io.shepherd.server.api.ErrorPages;
import io.shepherd.server.api.EventsResource;
import io.shepherd.server.api.LogProxy;
import io.shepherd.server.api.LogsResource;
import io.shepherd.server.api.ReadModels;
import io.shepherd.server.api.ReplicaSetResource;
import io.shepherd.server.api.ReplicaSetStore;
import io.shepherd.server.api.StreamsCloser;
import io.shepherd.server.api.TokensResource;
import io.shepherd.server.auth.AdminTokenBootstrap;
import io.shepherd.server.auth.ApiAuth;
import io.shepherd.server.auth.ZkTokenStore;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.ManagedController;
import io.shepherd.server.embedded.EmbeddedAgent;
import io.shepherd.server.embedded.EmbeddedZooKeeper;
import io.shepherd.server.embedded.ManagedCurator;
import io.shepherd.server.events.EventFeed;
import io.shepherd.server.events.EventJournal;
import io.shepherd.server.events.ManagedEvents;
import io.shepherd.server.health.BreakerHealthCheck;
import io.shepherd.server.health.ControllerHealthCheck;
import io.shepherd.server.health.ZooKeeperHealthCheck;
import io.shepherd.worker.agent.LaunchMechanism;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.glassfish.jersey.server.ServerProperties;

/** Wires Shepherd together; decides nothing. */
public final class ShepherdApplication extends Application<ShepherdConfiguration> {
  private volatile Controller controller;
  private volatile CuratorFramework client;

  public static void main(String[] args) throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
    LaunchMechanism.preferVfork();
    new ShepherdApplication().run(args);
  }

  @Override
  public String getName() {
    return "shepherd";
  }

  @Override
  public void initialize(Bootstrap<ShepherdConfiguration> bootstrap) {
    ShepherdJson.configure(bootstrap.getObjectMapper());
  }

  @Override
  public void run(ShepherdConfiguration config, Environment env) {
    if (config.getServerFactory() instanceof AbstractServerFactory factory) {
      factory.setRegisterDefaultExceptionMappers(false);
      // Streamed responses (followed logs) flush chunk by chunk; gzip without sync flush would hold chunks back.
      factory.getGzipFilterFactory().setSyncFlush(true);
    }
    // Streamed responses (logs) are written by the request's own thread and must reach the reader at each flush;
    // Jersey would otherwise hold back the first 8 KiB of every entity to compute its length. Jetty still sets the
    // length of a response that is written whole before it is committed.
    env.jersey().property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
    Clock clock = Clock.systemUTC();
    ZkLayout layout = new ZkLayout(config.zookeeper.root);

    if (config.embeddedZooKeeper.enabled) {
      env.lifecycle().manage(new EmbeddedZooKeeper(config.embeddedZooKeeper));
    }
    CuratorFramework client = ZkClients.newClient(config.zkSettings());
    env.lifecycle().manage(new ManagedCurator(client));
    this.client = client;
    ZkTokenStore tokens = new ZkTokenStore(client, layout);
    env.lifecycle().manage(tokens);
    env.lifecycle().manage(new AdminTokenBootstrap(client, layout, Path.of(config.auth.bootstrapTokenFile), clock));

    Controller controller = new Controller(client, layout, config.controller.toSettings(), clock);
    this.controller = controller;
    env.lifecycle().manage(new ManagedController(controller));
    if (config.agent.enabled) {
      // Managed after the controller, so stopped before it: the agent stops its copies while ZooKeeper is still up.
      env.lifecycle().manage(new EmbeddedAgent(config.zkSettings(), layout, config.agent.toAgentConfig()));
    }

    EventJournal journal = new EventJournal(config.events.bufferSize, config.events.subscriberQueue);
    env.lifecycle().manage(new ManagedEvents(new EventFeed(client, layout, controller.view(), journal::publish, clock),
        journal));
    LogProxy logProxy = new LogProxy(config.logs);
    env.lifecycle().addEventListener(new StreamsCloser(journal, logProxy));

    ReadModels reads = new ReadModels(controller, clock);
    env.jersey().register(new ReplicaSetResource(new ReplicaSetStore(client, layout, controller.view()), reads));
    env.jersey().register(new ClusterResource(reads));
    env.jersey().register(new BreakerResource(new BreakerStore(client, layout, controller.view()), clock));
    env.jersey().register(new ConfigResource(new ConfigStore(client, layout, controller.view())));
    env.jersey().register(new EventsResource(journal, env.getObjectMapper(), config.events.keepAlive.toJavaDuration(),
        config.events.subscriberQueue));
    env.jersey().register(new LogsResource(reads, logProxy));
    env.jersey().register(new TokensResource(tokens, clock));
    ApiAuth.providers(tokens).forEach(env.jersey()::register);
    env.jersey().register(new BodyLimitFilter());
    ErrorMappers.all().forEach(env.jersey()::register);
    // What Jetty refuses before Jersey (odd paths, malformed requests) gets the API's JSON error shape too.
    env.getApplicationContext().setErrorHandler(new ErrorPages());
    env.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new ErrorPages()));

    env.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(client));
    env.healthChecks().register("controller", new ControllerHealthCheck(controller));
    env.healthChecks().register("breaker", new BreakerHealthCheck(controller.view()));
  }

  /** The controller this application runs; for fault tests (its hooks) and embedders. Set by {@link #run}. */
  public Controller controller() {
    if (controller == null) {
      throw new IllegalStateException("not running");
    }
    return controller;
  }

  /** This server's ZooKeeper client (its session is the leader's, should it lead). Set by {@link #run}. */
  public CuratorFramework zooKeeperClient() {
    if (client == null) {
      throw new IllegalStateException("not running");
    }
    return client;
  }
}
