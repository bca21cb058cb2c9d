package io.pricepath.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port to a server, that a test can cut (every connection dropped, the
 * port closed: clients get "connection refused", as from a server that went down) and restore on
 * the same port. The server behind it keeps its state, which a stopped in-memory server would not.
 */
final class TcpRelay implements AutoCloseable {
  private final int port;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  private TcpRelay(int port, int targetPort) {
    this.port = port;
    this.targetPort = targetPort;
  }

  /** A relay from a free loopback port to {@code targetPort}, accepting connections. */
  static TcpRelay to(int targetPort) throws IOException {
    TcpRelay relay = new TcpRelay(SparkCluster.freePort(), targetPort);
    relay.restore();
    return relay;
  }

  int port() {
    return port;
  }

  /** Closes the port and drops every connection through it. */
  synchronized void cut() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /** Opens the port again. */
  synchronized void restore() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = socket;
    Thread acceptor = new Thread(() -> accept(socket), "tcp-relay-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(target);
        pump(client, target);
        pump(target, client);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException dropped) {
        // cut, or one side closed: the other side is closed below
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-relay-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
