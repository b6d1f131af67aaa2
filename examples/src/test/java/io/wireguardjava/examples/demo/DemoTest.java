package io.wireguardjava.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.cli.WgJava;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code wg-java demo} runs without root, exits 0 and says what happened. */
class DemoTest {

  @Test
  void demoCommandSucceedsAndReports() {
    CommandLine cl = WgJava.commandLine(new ByteArrayInputStream(new byte[0]));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute("demo", "--count", "10");
    assertThat(status).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("handshake")
        .contains("10/10 answered")
        .contains("OK: handshake done");
  }
}
