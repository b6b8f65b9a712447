package io.shepherd.server.controller;

import io.shepherd.api.Probe;
import io.shepherd.api.ReplicaSetSpec;
import io.shepherd.worker.record.ProbeRecord;
import io.shepherd.worker.record.Probes;

/** A spec's probes as the agent reads them in an assignment. */
final class SpecProbes {
  private SpecProbes() {}

  static Probes of(ReplicaSetSpec spec) {
    return new Probes(record(spec.startup()), record(spec.liveness()), record(spec.readiness()));
  }

  static ProbeRecord record(Probe p) {
    if (p == null) {
      return null;
    }
    return new ProbeRecord(
        p.exec() == null ? null : new ProbeRecord.Exec(p.exec().command()),
        p.http() == null ? null : new ProbeRecord.Http(p.http().port(), p.http().path()),
        p.tcp() == null ? null : new ProbeRecord.Tcp(p.tcp().port()),
        p.initialDelayMs(), p.periodMs(), p.timeoutMs(), p.failureThreshold(), p.successThreshold());
  }
}
