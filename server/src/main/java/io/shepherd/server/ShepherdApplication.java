package io.shepherd.server;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.assets.AssetServlet;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.api.BodyLimitFilter;
import io.shepherd.server.api.BreakerResource;
import io.shepherd.server.api.BreakerStore;
import io.shepherd.server.api.ClusterResource;
import io.shepherd.server.api.ConfigResource;
import io.shepherd.server.api.ConfigStore;
import io.shepherd.server.api.DashboardResource;
import io.shepherd.server.api.ErrorMappers;
import io.shepherd.server.api.ErrorPages;
import io.shepherd.server.api.EventsResource;
import io.shepherd.server.api.LogProxy;
import io.shepherd.server.api.LogsResource;
import io.shepherd.server.api.MetricsResource;
import io.shepherd.server.api.ReadModels;
import io.shepherd.server.api.ReplicaSetResource;
import io.shepherd.server.api.ReplicaSetStore;
import io.shepherd.server.api.RevisionsResource;
import io.shepherd.server.api.RolloutResource;
import io.shepherd.server.api.StreamsCloser;
import io.shepherd.server.api.WhoAmIResource;
import io.shepherd.server.commands.TlsInitCommand;
import io.shepherd.server.commands.ZkAclCommand;
import io.shepherd.server.commands.ZkDigestCommand;
import io.shepherd.server.api.TokensResource;
import io.shepherd.server.auth.AdminTokenBootstrap;
import io.shepherd.server.auth.ApiAuth;
import io.shepherd.server.auth.ZkTokenStore;
import io.shepherd.server.controller.CommitHook;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.ControllerHooks;
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
import io.shepherd.server.metrics.ClusterGauges;
import io.shepherd.server.metrics.ServerMetrics;
import io.shepherd.worker.agent.LaunchMechanism;
import io.shepherd.worker.zk.ZkClients;
import io.shepherd.worker.zk.ZkLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.glassfish.jersey.server.ServerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires Shepherd together; decides nothing. */
public final class ShepherdApplication extends Application<ShepherdConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(ShepherdApplication.class);
  private final CommitHook commitHook;
  private volatile Controller controller;
  private volatile ReadModels reads;
  private volatile CuratorFramework client;

  public ShepherdApplication() {
    this(CommitHook.NONE);
  }

  /** An application whose controller runs {@code commitHook} between deciding and committing (fault tests). */
  public ShepherdApplication(CommitHook commitHook) {
    this.commitHook = commitHook;
  }

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
    bootstrap.addCommand(new ZkAclCommand());
    bootstrap.addCommand(new ZkDigestCommand());
    bootstrap.addCommand(new TlsInitCommand());
    // ${VAR} in the configuration is the environment variable VAR (a keystore password need not be in the file).
    bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(bootstrap.getConfigurationSourceProvider(),
        new EnvironmentVariableSubstitutor(false)));
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
    ShepherdConfiguration.ZooKeeperAccess zk = config.zooKeeperAccess(System.getenv());
    LOG.info("ZooKeeper: {}", zk.server().access());
    CuratorFramework client = ZkClients.newClient(zk.server());
    env.lifecycle().manage(new ManagedCurator(client));
    this.client = client;
    ZkTokenStore tokens = new ZkTokenStore(client, layout);
    env.lifecycle().manage(tokens);
    env.lifecycle().manage(new AdminTokenBootstrap(client, layout, Path.of(config.auth.bootstrapTokenFile), clock));

    ServerMetrics metrics = new ServerMetrics(this::clusterReading);
    Controller controller = new Controller(client, layout, config.controller.toSettings(), clock,
        new ControllerHooks(metrics, commitHook));
    this.controller = controller;
    env.lifecycle().manage(new ManagedController(controller));
    if (config.agent.enabled) {
      // Managed after the controller, so stopped before it: the agent stops its copies while ZooKeeper is still up.
      env.lifecycle().manage(new EmbeddedAgent(zk.agent(), layout, config.agent.toAgentConfig()));
    }

    ReadModels reads = new ReadModels(controller, clock);
    this.reads = reads;

    EventJournal journal = new EventJournal(config.events.bufferSize, config.events.subscriberQueue);
    controller.addChangeListener(new EventFeed(layout, metrics.countingEvents(journal::publish), journal::missed,
        clock));
    env.lifecycle().manage(new ManagedEvents(journal));
    LogProxy logProxy = new LogProxy(config.logs);
    env.lifecycle().addEventListener(new StreamsCloser(journal, logProxy));

    ReplicaSetStore store = new ReplicaSetStore(client, layout, controller.view(), clock);
    env.jersey().register(new ReplicaSetResource(store, reads));
    env.jersey().register(new RolloutResource(store, reads, reads));
    env.jersey().register(new RevisionsResource(reads));
    env.jersey().register(new ClusterResource(reads));
    env.jersey().register(new BreakerResource(new BreakerStore(client, layout, controller.view()), clock));
    env.jersey().register(new ConfigResource(new ConfigStore(client, layout, controller.view(), clock)));
    env.jersey().register(new EventsResource(journal, env.getObjectMapper(), config.events.keepAlive.toJavaDuration(),
        config.events.subscriberQueue));
    env.jersey().register(new LogsResource(reads, logProxy));
    env.jersey().register(new MetricsResource(metrics::scrape));
    env.jersey().register(new WhoAmIResource());
    env.jersey().register(new DashboardResource());
    // The dashboard's scripts and style sheet, from the jar; outside Jersey, so no token is needed for them.
    env.servlets().addServlet("dashboard-assets",
            new AssetServlet(DashboardResource.ASSETS, "/ui", null, StandardCharsets.UTF_8))
        .addMapping("/ui/*");
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

  private ClusterGauges.Reading clusterReading() {
    Controller c = controller;
    return new ClusterGauges.Reading(reads.summaries(), c.isLeader(), c.view().epoch(), c.view().nodes().size(),
        c.view().breaker().open(), client.getZookeeperClient().isConnected());
  }

  /** The controller this application runs; for tests and embedders. Set by {@link #run}. */
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
