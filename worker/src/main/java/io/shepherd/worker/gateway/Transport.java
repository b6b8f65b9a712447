package io.shepherd.worker.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The gateway's Netty transport: Linux's epoll where Netty's native library loads (it comes with ZooKeeper's
 * dependencies), Java NIO elsewhere.
 */
record Transport(String name, Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> clientChannel) {

  static Transport best() {
    return Epoll.isAvailable()
        ? new Transport("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class)
        : new Transport("nio", NioServerSocketChannel.class, NioSocketChannel.class);
  }

  EventLoopGroup group(int threads, ThreadFactory factory) {
    return name.equals("epoll") ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
  }
}
