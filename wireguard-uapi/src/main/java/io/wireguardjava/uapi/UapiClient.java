package io.wireguardjava.uapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of the UAPI socket, as {@code wg} speaks it: one request per connection. Used by
 * {@code wg-java show} and by tests.
 */
public final class UapiClient {

  private static final int MAX_REPLY_BYTES = 64 << 20;

  private final Path directory;

  /**
   * A client for sockets in {@code directory} (usually {@link UapiServer#DEFAULT_DIRECTORY}).
   *
   * @param directory the socket directory
   */
  public UapiClient(Path directory) {
    this.directory = directory;
  }

  /**
   * The socket path of interface {@code name}.
   *
   * @param name the interface name
   * @return the socket path of interface {@code name}
   */
  public Path socketPath(String name) {
    if (name.indexOf('/') >= 0) {
      throw new IllegalArgumentException("invalid interface name: " + name);
    }
    return directory.resolve(name + ".sock");
  }

  /**
   * The names of the interfaces with a socket that answers, sorted; stale sockets are skipped (not
   * removed).
   *
   * @return the names of the interfaces with a socket that answers, sorted; stale sockets are
   *     skipped (not removed)
   * @throws java.io.IOException when the directory cannot be listed
   */
  @SuppressWarnings("try") // the resource is opened only to see whether it can be
  public List<String> interfaces() throws IOException {
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*.sock")) {
      for (Path p : dir) {
        String file = p.getFileName().toString();
        String name = file.substring(0, file.length() - ".sock".length());
        if (name.isEmpty()) {
          continue;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(p))) {
          if (c.isConnected()) { // open(address) connects: a live daemon
            out.add(name);
          }
        } catch (IOException e) {
          // not a live daemon
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    out.sort(null);
    return out;
  }

  /**
   * {@code get=1}: the device's state.
   *
   * @param name the interface name
   * @return the device's configuration and its peers' statistics
   * @throws java.io.IOException when the socket cannot be reached
   * @throws io.wireguardjava.uapi.UapiException when the device answers with an error, or the reply
   *     is malformed
   */
  public UapiDevice get(String name) throws IOException, UapiException {
    List<String> lines = exchange(name, "get=1\n\n");
    return GetReply.parse(lines);
  }

  /**
   * {@code set=1} with {@code body} (lines each ending in {@code \n}, without the blank line).
   *
   * @param name the interface name
   * @param body the request's lines
   * @throws UapiException with the errno of the reply when it is not 0
   * @throws java.io.IOException when the socket cannot be reached
   */
  public void set(String name, String body) throws IOException, UapiException {
    exchange(name, "set=1\n" + body + "\n");
  }

  /**
   * Sends {@code request} and reads the reply up to {@code errno=N} and its blank line.
   *
   * @param name the interface name
   * @param request the whole request, ending in a blank line
   * @return the reply lines before the {@code errno=} line
   * @throws UapiException when the errno is not 0, or the reply is malformed ({@link
   *     Errno#PROTOCOL})
   * @throws java.io.IOException when the socket cannot be reached
   */
  public List<String> exchange(String name, String request) throws IOException, UapiException {
    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      c.connect(UnixDomainSocketAddress.of(socketPath(name)));
      ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
      while (out.hasRemaining()) {
        c.write(out);
      }
      List<String> lines = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      ByteBuffer in = ByteBuffer.allocate(8192);
      long total = 0;
      while (c.read(in) >= 0) {
        in.flip();
        total += in.remaining();
        if (total > MAX_REPLY_BYTES) {
          throw new UapiException(Errno.PROTOCOL, "reply too large");
        }
        while (in.hasRemaining()) {
          char ch = (char) (in.get() & 0xff);
          if (ch != '\n') {
            line.append(ch);
            continue;
          }
          String l = line.toString();
          line.setLength(0);
          if (l.startsWith("errno=")) {
            int errno;
            try {
              errno = Integer.parseInt(l.substring("errno=".length()));
            } catch (NumberFormatException e) {
              throw new UapiException(
                  Errno.PROTOCOL, "malformed reply line " + UapiText.describe(l));
            }
            if (errno != 0) {
              throw new UapiException(errno < 0 ? errno : -errno, "request failed");
            }
            return lines;
          }
          lines.add(l);
        }
        in.clear();
      }
      throw new UapiException(Errno.PROTOCOL, "reply ended without errno");
    }
  }
}
