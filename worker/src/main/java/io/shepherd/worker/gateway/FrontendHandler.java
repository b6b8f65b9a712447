package io.shepherd.worker.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to an exposed port: connects to a copy the {@link Picker} chooses (the next one when a
 * connect fails, at most {@code maxTries} connects), then relays bytes both ways. While no copy is ready (or every
 * ready one was tried) the connection waits for one, polling every {@value #WAIT_POLL_MS} ms, up to the connect
 * timeout counted from its arrival; then the client is closed.
 *
 * <p>Backpressure: both channels have auto-read off, and each side reads its next chunk only once the previous one
 * was written to the other side, so a slow reader slows its writer down instead of filling memory. Half-close: the
 * end of one side's input becomes a shutdown of the other side's output once everything before it was written;
 * when both directions have ended, or either side closes or fails, both are closed. Bytes (and the end of the
 * client's input) that arrive before a copy is connected are kept and passed on once it is.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);
  static final long WAIT_POLL_MS = 20;
  private final Picker picker;
  private final Class<? extends SocketChannel> channel;
  private final int connectTimeoutMs;
  private final int maxTries;
  private final Set<Target> tried = new HashSet<>();
  /** What the client sent before a copy was connected (epoll may read it, even with auto-read off). */
  private final List<Object> early = new ArrayList<>();
  private int connects;
  private long deadlineNanos;
  private final Runnable onNoTarget;
  private Channel outbound;
  private boolean clientInputEnded;
  private boolean copyInputEnded;

  FrontendHandler(Picker picker, Class<? extends SocketChannel> channel, int connectTimeoutMs, int maxTries,
      Runnable onNoTarget) {
    this.picker = picker;
    this.channel = channel;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxTries = maxTries;
    this.onNoTarget = onNoTarget;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMs);
    connect(ctx.channel());
  }

  private void connect(Channel inbound) {
    if (!inbound.isActive()) {
      return;
    }
    Optional<Target> target = connects < maxTries ? picker.pick(Set.copyOf(tried)) : Optional.empty();
    if (target.isEmpty()) {
      if (connects < maxTries && System.nanoTime() < deadlineNanos) {
        // After the wait every ready copy may be tried again: one restarted in place comes back at the same address.
        tried.clear();
        inbound.eventLoop().schedule(() -> connect(inbound), WAIT_POLL_MS, TimeUnit.MILLISECONDS);
        return;
      }
      onNoTarget.run();
      releaseEarly();
      inbound.close();
      return;
    }
    Target t = target.get();
    tried.add(t);
    connects++;
    ChannelFuture connecting = new Bootstrap()
        .group(inbound.eventLoop())
        .channel(channel)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
        .handler(new BackendHandler(inbound, this))
        .connect(t.host(), t.port());
    connecting.addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        outbound = f.channel();
        if (!inbound.isActive()) {
          releaseEarly();
          outbound.close();
          return;
        }
        early.forEach(outbound::write);
        early.clear();
        outbound.flush();
        outbound.read();
        if (clientInputEnded) {
          endOutput(outbound, inbound);
        } else {
          inbound.read();
        }
      } else if (inbound.isActive()) {
        LOG.debug("cannot connect to {}: {}; trying the next copy", t, f.cause().toString());
        connect(inbound);
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (outbound == null) {
      early.add(msg);
      return;
    }
    if (!outbound.isActive()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    outbound.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        closeBoth(ctx.channel());
      }
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      clientInputEnded = true;
      if (outbound != null) {
        endOutput(outbound, ctx.channel());
      }
    }
    ReferenceCountUtil.release(evt);
  }

  /** The copy ended its side: the client is told once everything the copy sent before was written. */
  void copyInputEnded(Channel inbound) {
    copyInputEnded = true;
    endOutput(inbound, inbound);
  }

  private void endOutput(Channel target, Channel inbound) {
    if (clientInputEnded && copyInputEnded) {
      closeBoth(inbound);
      return;
    }
    if (target == null || !target.isActive()) {
      closeBoth(inbound);
      return;
    }
    target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess() && target instanceof SocketChannel s) {
        s.shutdownOutput();
      } else {
        closeBoth(inbound);
      }
    });
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseEarly();
    closeOnFlush(outbound);
  }

  private void releaseEarly() {
    early.forEach(ReferenceCountUtil::release);
    early.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection failed: {}", cause.toString());
    closeBoth(ctx.channel());
  }

  void closeBoth(Channel inbound) {
    closeOnFlush(inbound);
    closeOnFlush(outbound);
  }

  /** Closes {@code ch} once what was written to it has been flushed. */
  static void closeOnFlush(Channel ch) {
    if (ch != null && ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else if (ch != null) {
      ch.close();
    }
  }
}
