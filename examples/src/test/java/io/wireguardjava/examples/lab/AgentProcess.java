package io.wireguardjava.examples.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The test's handle on a running {@link LabAgent}: sends command lines and waits, bounded in time,
 * for the answers with the same id. A failure names the command, the answer and the agent's stderr
 * log.
 */
final class AgentProcess implements AutoCloseable {
  private static final String READY = "ready";

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final Supplier<String> log;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, BlockingQueue<String>> answers = new ConcurrentHashMap<>();

  /** A command in flight. */
  final class Pending {
    private final String id;
    private final String command;

    private Pending(String id, String command) {
      this.id = id;
      this.command = command;
    }

    /** Waits for a server command's {@code listening} line. */
    Pending listening(Duration timeout) {
      String a = next(timeout);
      if (!a.equals("listening")) {
        throw failure(a);
      }
      return this;
    }

    /** Waits for the final answer; returns what follows {@code ok}, fails on {@code err}. */
    String ok(Duration timeout) {
      String a = next(timeout);
      if (!a.startsWith("ok")) {
        throw failure(a);
      }
      return a.substring(2).trim();
    }

    /** Waits for the final answer and returns it whole ({@code ok ...} or {@code err ...}). */
    String answer(Duration timeout) {
      return next(timeout);
    }

    private String next(Duration timeout) {
      try {
        String a = queue(id).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (a == null) {
          throw failure("no answer within " + timeout);
        }
        return a;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    private AssertionError failure(String answer) {
      return new AssertionError(
          name + ": `" + command + "` -> " + answer + "\n--- " + name + " log:\n" + log.get());
    }
  }

  private AgentProcess(String name, Process process, Supplier<String> log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, "agent-reader-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Wraps a started agent process and waits until it says {@code ready}. */
  static AgentProcess await(String name, Process process, Supplier<String> log, Duration timeout) {
    AgentProcess a = new AgentProcess(name, process, log);
    a.new Pending(READY, "(start)").next(timeout);
    return a;
  }

  private BlockingQueue<String> queue(String id) {
    return answers.computeIfAbsent(id, k -> new LinkedBlockingQueue<>());
  }

  private void readAnswers() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.equals(READY)) {
          queue(READY).add(line);
          continue;
        }
        int space = line.indexOf(' ');
        if (space > 0) {
          queue(line.substring(0, space)).add(line.substring(space + 1));
        }
      }
    } catch (IOException e) {
      // the process ended; waiting callers time out with its log
    }
  }

  /** Starts {@code command} (e.g. {@code serve-recv 5001}) without waiting. */
  Pending start(String command) {
    String id = Integer.toString(ids.incrementAndGet());
    try {
      synchronized (stdin) {
        stdin.write(id + " " + command + "\n");
        stdin.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + " is gone: " + log.get(), e);
    }
    return new Pending(id, command);
  }

  /**
   * Runs {@code command} and returns its result, failing on {@code err} or after {@code timeout}.
   */
  String call(String command, Duration timeout) {
    return start(command).ok(timeout);
  }

  @Override
  public void close() {
    try {
      synchronized (stdin) {
        stdin.write("quit\n");
        stdin.close(); // and EOF, for the helpers that only wait for their stdin to end
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
