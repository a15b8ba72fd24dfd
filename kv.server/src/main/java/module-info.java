/** kvd: the kv server. The composition root: Guice lives here and nowhere below. */
module kv.server {
    requires kv.api;
    requires kv.raft;
    requires kv.wal;
    requires kv.mvcc;
    requires kv.backend;
    requires kv.admin;
    requires kv.peer;
    requires kv.auth;
    requires com.google.guice;
    requires io.grpc.netty.shaded;
    requires io.grpc.services;
    requires org.yaml.snakeyaml;
    requires java.logging;
    requires com.google.protobuf.util;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.instrumentation.jvm;

    opens kv.server.boot to com.google.guice;
}
