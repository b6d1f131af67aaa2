package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 head parser, targets and body framing, against RFC 9112's layouts. */
class HttpParsingTest {
  static InputStream in(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static HttpHead request(String s) throws IOException {
    return HttpHeadReader.read(in(s), true).orElseThrow();
  }

  @Test
  void aRequestHead() throws IOException {
    HttpHead h =
        request(
            "\r\nGET http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                + "Connection: keep-alive, X-A\r\nX-A:  spaced value \t\r\nx-a: second\n\r\nBODY");
    assertThat(h.first).isEqualTo("GET");
    assertThat(h.second).isEqualTo("http://a.test/x");
    assertThat(h.third).isEqualTo("HTTP/1.1");
    assertThat(h.get("host")).contains("a.test");
    assertThat(h.getAll("X-A")).containsExactly("spaced value", "second");
    assertThat(h.hasToken("Connection", "x-a")).isTrue();
    assertThat(h.tokens("connection")).containsExactly("keep-alive", "x-a");
    assertThat(HttpExchange.endToEnd(h)).extracting(f -> f[0]).containsExactly("Host");
  }

  @Test
  void aStatusHead() throws IOException {
    HttpHead h = HttpHeadReader.read(in("HTTP/1.0 204 No Content\r\n\r\n"), false).orElseThrow();
    assertThat(h.first).isEqualTo("HTTP/1.0");
    assertThat(h.second).isEqualTo("204");
    assertThat(h.third).isEqualTo("No Content");
    assertThat(HttpHeadReader.read(in("HTTP/1.1 200 \r\n\r\n"), false).orElseThrow().third)
        .isEmpty();
  }

  @Test
  void endOfStreamBeforeAHeadIsEmptyAndInsideOneIsEof() throws IOException {
    assertThat(HttpHeadReader.read(in(""), true)).isEmpty();
    for (String truncated :
        new String[] {
          "G",
          "GET http://a/ HTTP/1.1",
          "GET http://a/ HTTP/1.1\r\n",
          "GET http://a/ HTTP/1.1\r\nHost: a\r\n",
          "\r\n"
        }) {
      assertThatThrownBy(() -> HttpHeadReader.read(in(truncated), true))
          .as(truncated)
          .isInstanceOf(EOFException.class);
    }
  }

  @Test
  void malformedHeadsAreRejectedWithTheirStatus() {
    Object[][] cases = {
      {"GET  http://a/ HTTP/1.1\r\n\r\n", 400},
      {"GET http://a/\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1 extra\r\n\r\n", 400},
      {"G(T http://a/ HTTP/1.1\r\n\r\n", 400},
      {"GET http://a/\u0001 HTTP/1.1\r\n\r\n", 400},
      {"GET http://a/ FTP/1.0\r\n\r\n", 400},
      {"GET http://a/ HTTP/0.9\r\n\r\n", 505},
      {"GET http://a/ HTTP/1.1\r\nNo-Colon\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1\r\n: empty name\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1\r\nName : space\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1\r\nA: b\r\n\tfolded\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1\r\nA: b\u0000c\r\n\r\n", 400},
      {"GET http://a/ HTTP/1.1\r\n" + "A: b\r\n".repeat(201) + "\r\n", 431},
      {"GET http://a/ HTTP/1.1\r\n" + ("A: " + "b".repeat(8000) + "\r\n").repeat(9) + "\r\n", 431}
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> HttpHeadReader.read(in((String) c[0]), true))
          .as(Printable.of((String) c[0]))
          .isInstanceOf(HttpException.class)
          .satisfies(e -> assertThat(((HttpException) e).status()).isEqualTo(c[1]));
    }
  }

  @Test
  void targets() throws HttpException {
    assertThat(HttpTarget.ofAbsolute("http://a.test/x?y#frag"))
        .isEqualTo(new HttpTarget("a.test", 80, "a.test", "/x?y"));
    assertThat(HttpTarget.ofAbsolute("HTTP://A.test:8080"))
        .isEqualTo(new HttpTarget("A.test", 8080, "A.test:8080", "/"));
    assertThat(HttpTarget.ofAbsolute("http://[fd00::1]:81?q"))
        .isEqualTo(new HttpTarget("fd00::1", 81, "[fd00::1]:81", "/?q"));
    assertThat(HttpTarget.ofAuthority("10.0.0.1:443"))
        .isEqualTo(new HttpTarget("10.0.0.1", 443, "10.0.0.1:443", ""));
    assertThat(HttpTarget.ofAuthority("[::1]:22").host()).isEqualTo("::1");
    for (String bad :
        new String[] {
          "a.test",
          "a.test:",
          "a.test:0",
          "a.test:65536",
          ":80",
          "::1:22",
          "[::1]22",
          "[a.test]:1",
          "[::1"
        }) {
      assertThatThrownBy(() -> HttpTarget.ofAuthority(bad))
          .as(bad)
          .isInstanceOf(HttpException.class);
    }
  }

  static String copy(HttpBody body, String input, boolean dechunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.copy(in(input), out, dechunk, new LongAdder());
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void bodyFraming() throws IOException {
    HttpHead chunked =
        request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
    HttpBody b = HttpBody.ofRequest(chunked);
    assertThat(b.framing).isEqualTo(HttpBody.Framing.CHUNKED);
    String wire = "4;x=y\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: t\r\n\r\nNEXT";
    assertThat(copy(b, wire, false)).isEqualTo(wire.substring(0, wire.length() - 4));
    assertThat(copy(b, wire, true)).isEqualTo("Wikipedia");
    assertThatThrownBy(() -> copy(b, "4\r\nWik", false)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> copy(b, "4\r\nWikiX\r\n", false)).isInstanceOf(HttpException.class);
    assertThatThrownBy(() -> copy(b, "-1\r\n", false)).isInstanceOf(HttpException.class);

    HttpBody fixed =
        HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\n"));
    assertThat(copy(fixed, "abcdef", false)).isEqualTo("abc");
    assertThatThrownBy(() -> copy(fixed, "ab", false)).isInstanceOf(EOFException.class);
    assertThat(HttpBody.ofRequest(request("GET http://a/ HTTP/1.1\r\n\r\n")))
        .isSameAs(HttpBody.NONE);

    HttpHead resp =
        HttpHeadReader.read(in("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), false)
            .orElseThrow();
    assertThat(HttpBody.ofResponse(resp, "HEAD", 200)).isSameAs(HttpBody.NONE);
    assertThat(HttpBody.ofResponse(resp, "GET", 304)).isSameAs(HttpBody.NONE);
    assertThat(HttpBody.ofResponse(resp, "GET", 200).length).isEqualTo(5);
    HttpHead noLength = HttpHeadReader.read(in("HTTP/1.0 200 OK\r\n\r\n"), false).orElseThrow();
    assertThat(HttpBody.ofResponse(noLength, "GET", 200).framing)
        .isEqualTo(HttpBody.Framing.UNTIL_CLOSE);
    assertThat(copy(HttpBody.ofResponse(noLength, "GET", 200), "to the end", false))
        .isEqualTo("to the end");
  }
}
