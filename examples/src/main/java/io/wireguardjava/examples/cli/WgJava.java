package io.wireguardjava.examples.cli;

/** Placeholder entry point; replaced by the picocli command line. */
public final class WgJava {
  public static void main(String[] args) {}
}
