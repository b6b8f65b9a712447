package io.shepherd.worker.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's listening sockets, one per exposed port, and the client connections they accept, all on one small
 * Netty event loop group ({@code shepherd-gateway}; epoll on Linux, see {@link Transport}). Thread-safe.
 */
final class ProxyServer implements Closeable {
  private final Transport transport;
  private final EventLoopGroup group;
  private final String bindHost;
  private final int connectTimeoutMs;
  private final int maxTries;
  private final Map<Integer, Channel> listening = new ConcurrentHashMap<>();

  ProxyServer(String bindHost, int connectTimeoutMs, int maxTries, int threads) {
    this.transport = Transport.best();
    this.group = transport.group(threads, new DefaultThreadFactory("shepherd-gateway", true));
    this.bindHost = bindHost;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxTries = maxTries;
  }

  /**
   * Listens on {@code port}, sending each connection to the copies {@code picker} chooses.
   *
   * @throws Exception if the port cannot be bound (taken, or not permitted)
   */
  void bind(int port, Picker picker, Runnable onNoTarget) throws Exception {
    if (listening.containsKey(port)) {
      return;
    }
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new FrontendHandler(picker, transport.clientChannel(), connectTimeoutMs, maxTries,
                onNoTarget));
          }
        })
        .bind(new InetSocketAddress(bindHost, port))
        .sync()
        .channel();
    listening.put(port, server);
  }

  /** Stops listening on {@code port}; connections already accepted go on. */
  void unbind(int port) {
    Channel server = listening.remove(port);
    if (server != null) {
      server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /** The transport in use: {@code epoll} or {@code nio}. */
  String transport() {
    return transport.name();
  }

  /** The ports listened on now. */
  Set<Integer> ports() {
    return Set.copyOf(listening.keySet());
  }

  /** The port actually bound for {@code port} (differs only for port 0, in tests). */
  int localPort(int port) {
    Channel server = listening.get(port);
    return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Closes every listening socket and every connection. */
  @Override
  public void close() {
    listening.keySet().forEach(this::unbind);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
