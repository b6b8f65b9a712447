package io.shepherd.worker.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/** The connection to a copy: relays what the copy sends to the client, one chunk at a time (see the frontend). */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final Channel inbound;
  private final FrontendHandler frontend;

  BackendHandler(Channel inbound, FrontendHandler frontend) {
    this.inbound = inbound;
    this.frontend = frontend;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!inbound.isActive()) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    inbound.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        frontend.closeBoth(inbound);
      }
    });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      frontend.copyInputEnded(inbound);
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FrontendHandler.closeOnFlush(inbound);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    frontend.closeBoth(inbound);
  }
}
