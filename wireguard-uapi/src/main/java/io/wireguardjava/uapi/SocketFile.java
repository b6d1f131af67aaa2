package io.wireguardjava.uapi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * The socket file {@code <directory>/<name>.sock} and its listening socket: created owner-only, and
 * removed again only while it is still ours.
 *
 * <p>The directory is created with mode 0755 if missing; the socket is bound inside a private 0700
 * directory (the JDK binds with the process umask), set to 0600 and only then renamed into place,
 * so no other user can ever connect. A socket file left by a dead process is replaced; one that
 * still answers is not ("unix socket in use").
 */
final class SocketFile {
  final Path path;
  final ServerSocketChannel channel;
  private final @Nullable Object fileKey;

  private SocketFile(Path path, ServerSocketChannel channel, @Nullable Object fileKey) {
    this.path = path;
    this.channel = channel;
    this.fileKey = fileKey;
  }

  /** Binds {@code <directory>/<name>.sock}; throws naming the name or the path on failure. */
  static SocketFile bind(Path directory, String name, int backlog) throws IOException {
    checkName(name);
    ensureDirectory(directory);
    Path socketPath = directory.resolve(name + ".sock");
    removeStaleSocket(socketPath);

    Path privateDir =
        Files.createTempDirectory(
            directory,
            "." + name + ".",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path tmpSocket = privateDir.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Object fileKey;
    try {
      server.bind(UnixDomainSocketAddress.of(tmpSocket), backlog);
      Files.setPosixFilePermissions(tmpSocket, PosixFilePermissions.fromString("rw-------"));
      fileKey = Files.readAttributes(tmpSocket, BasicFileAttributes.class).fileKey();
      // A rename keeps the bound socket: clients connect to the inode the path names.
      Files.move(tmpSocket, socketPath, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      server.close();
      Files.deleteIfExists(tmpSocket);
      throw e;
    } finally {
      Files.deleteIfExists(privateDir);
    }
    return new SocketFile(socketPath, server, fileKey);
  }

  /**
   * Whether our socket file is still in place: false once someone removed or replaced it, which
   * newer {@code wg-quick down} does to stop a userspace daemon.
   */
  boolean isPresent() {
    try {
      Object key =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
              .fileKey();
      return fileKey == null || fileKey.equals(key);
    } catch (IOException e) {
      return false;
    }
  }

  /** Closes the listening socket and removes the file if it is still ours. */
  void close() throws IOException {
    boolean ours = isPresent();
    try {
      channel.close();
    } finally {
      if (ours) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void checkName(String name) throws IOException {
    // Linux IFNAMSIZ is 16 with the NUL; wg refuses names with '/'.
    if (name.isEmpty() || name.length() > 15 || name.equals(".") || name.equals("..")) {
      throw new IOException("invalid interface name: " + UapiText.quote(name));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c <= ' ' || c >= 0x7f || c == ':') {
        throw new IOException("invalid interface name: " + UapiText.quote(name));
      }
    }
  }

  private static void ensureDirectory(Path directory) throws IOException {
    if (Files.isDirectory(directory)) {
      return;
    }
    Path parent = directory.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(directory);
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    }
  }

  /** Removes {@code path} if it is a socket nobody answers on (a daemon that died). */
  @SuppressWarnings("try") // the probe connection is opened only to see whether it can be
  private static void removeStaleSocket(Path path) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!attrs.isOther()) {
      throw new IOException(path + " exists and is not a socket");
    }
    boolean live;
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      live = probe.isConnected(); // open(address) connects: someone still listens
    } catch (IOException e) {
      live = false; // ECONNREFUSED: nobody listens any more
    }
    if (live) {
      throw new IOException("unix socket in use: " + path);
    }
    Files.deleteIfExists(path);
  }
}
