package io.shepherd.worker.gateway;

import java.util.Optional;
import java.util.Set;

/** Chooses the copy one client connection tries next. */
@FunctionalInterface
interface Picker {
  /** The target to try after {@code tried} (empty on the first try); empty when there is none left. */
  Optional<Target> pick(Set<Target> tried);
}
