package io.shepherd.server;

import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.shepherd.api.ShepherdJson;
import io.shepherd.server.api.BodyLimitFilter;
import io.shepherd.server.api.ClusterResource;
import io.shepherd.server.api.ErrorMappers;
import io.shepherd.server.api.ReadModels;
import io.shepherd.server.api.ReplicaSetResource;
import io.shepherd.server.api.ReplicaSetStore;
import io.shepherd.server.controller.Controller;
import io.shepherd.server.controller.ManagedController;
import io.shepherd.server.embedded.EmbeddedZooKeeper;
import io.shepherd.server.embedded.ManagedCurator;
import io.shepherd.server.health.ControllerHealthCheck;
import io.shepherd.server.health.ZooKeeperHealthCheck;
import io.shepherd.worker.zk.ZkLayout;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Wires Shepherd together; decides nothing. */
public final class ShepherdApplication extends Application<ShepherdConfiguration> {
  public static void main(String[] args) throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
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
    }
    Clock clock = Clock.systemUTC();
    ZkLayout layout = new ZkLayout(config.zookeeper.root);

    if (config.embeddedZooKeeper.enabled) {
      env.lifecycle().manage(new EmbeddedZooKeeper(config.embeddedZooKeeper));
    }
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(config.zookeeper.connect)
        .sessionTimeoutMs((int) config.zookeeper.sessionTimeout.toMilliseconds())
        .connectionTimeoutMs((int) config.zookeeper.connectionTimeout.toMilliseconds())
        .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
        .build();
    env.lifecycle().manage(new ManagedCurator(client));

    Controller controller = new Controller(client, layout, config.controller.toSettings(), clock);
    env.lifecycle().manage(new ManagedController(controller));

    ReadModels reads = new ReadModels(controller, clock);
    env.jersey().register(new ReplicaSetResource(new ReplicaSetStore(client, layout, controller.view()), reads));
    env.jersey().register(new ClusterResource(reads));
    env.jersey().register(new BodyLimitFilter());
    ErrorMappers.all().forEach(env.jersey()::register);

    env.healthChecks().register("zookeeper", new ZooKeeperHealthCheck(client));
    env.healthChecks().register("controller", new ControllerHealthCheck(controller));
  }
}
