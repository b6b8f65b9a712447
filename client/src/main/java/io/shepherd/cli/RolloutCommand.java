package io.shepherd.cli;

import io.shepherd.api.ReplicaSetStatus;
import io.shepherd.api.Revision;
import io.shepherd.api.Rollout;
import io.shepherd.client.ShepherdClient;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = {"Shows and controls the rollout of a replica set's template changes.",
        "",
        "A changed template (anything but replicas and rollout) makes a new revision; the leader replaces old",
        "copies with new ones within rollout.maxSurge and rollout.maxUnavailable, and goes back to the last",
        "complete revision when the new one crash-loops or no new copy becomes available within",
        "rollout.progressDeadlineMs (with rollout.autoRevert, the default)."},
    subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
        RolloutCommand.Restart.class, RolloutCommand.Pause.class, RolloutCommand.Resume.class,
        RolloutCommand.Promote.class})
final class RolloutCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "a rollout command is required: status, history, undo, restart, pause, resume or promote");
  }

  /** Prints what a control request answered. */
  abstract static class Control extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
    String name;

    /** What the replica set's rollout now does, as printed: "paused", "rolling back". */
    private final String done;

    Control(String done) {
      this.done = done;
    }

    abstract ReplicaSetStatus send(ShepherdClient client);

    @Override
    int run(ShepherdClient client) {
      ReplicaSetStatus status = send(client);
      if (json()) {
        printJson(status);
      } else {
        println("replicaset/" + name + " " + done + " (revision " + status.revision() + ")");
      }
      return ExitCodes.OK;
    }
  }

  /** A control request that takes nothing but the replica set's name. */
  abstract static class NameOnly extends Control {
    private final BiFunction<ShepherdClient, String, ReplicaSetStatus> request;

    NameOnly(String done, BiFunction<ShepherdClient, String, ReplicaSetStatus> request) {
      super(done);
      this.request = request;
    }

    @Override
    final ReplicaSetStatus send(ShepherdClient client) {
      return request.apply(client, name);
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Shows the rollout: revisions, state, counts of new copies (updated, ready, available of",
          "desired) and why. With --watch, follows it until it ends (a paused one names the command that continues",
          "it); exits 5 when it FAILED or was REVERTED, 0 at once when the server has no rollouts."})
  static final class Status extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
    String name;

    @Option(names = {"-w", "--watch"}, description = "Follow the rollout until it ends.")
    boolean watch;

    @Override
    int run(ShepherdClient client) throws InterruptedException {
      if (watch) {
        // The rollout of the revision the spec names now: a change applied a moment ago is waited for, not the end of
        // the rollout before it.
        int revision = client.get(name).revision();
        if (revision == 0) {
          // As apply --wait: no rollout is going on, so the wait is over at once.
          err().println("the server reports no revisions (it predates rollouts): nothing to wait for");
          err().flush();
          return ExitCodes.OK;
        }
        return new RolloutWatch(client, out(), cli().terminal(ProgressTerminal.Stream.STDOUT)).await(name, revision);
      }
      Rollout r = client.rollout(name);
      if (json()) {
        printJson(r);
      } else {
        Table fields = new Table("Revision:", r.fromRevision() + " -> " + r.toRevision());
        fields.row("State:", r.state() + " (" + r.reason() + ")");
        fields.row("Copies:", r.updated() + " updated, " + r.ready() + " ready, " + r.available() + " available of "
            + r.desired() + ", " + r.old() + " old");
        r.revertedFrom().ifPresent(f -> fields.row("Reverted from:", "revision " + f));
        fields.row("Started:", Render.time(r.startedAt()) + " by " + r.startedBy());
        r.finishedAt().ifPresent(t -> fields.row("Ended:", Render.time(t)));
        if (!r.message().isEmpty()) {
          fields.row("Message:", r.message());
        }
        fields.print(out());
        out().flush();
      }
      return r.state().ended() ? RolloutWatch.exitCode(r) : ExitCodes.OK;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = {"Lists the stored revisions (the last 10): when, by whom, why, and the command; and each time",
          "a revision was brought back (an undo by a user, an automatic revert by the controller), on a line of its",
          "own, in time order. '*' marks the line that made the current revision the one to run."})
  static final class History extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The replica set.")
    String name;

    @Override
    int run(ShepherdClient client) {
      List<Revision> revisions = client.revisions(name);
      if (json()) {
        printJson(revisions);
        return ExitCodes.OK;
      }
      int current = client.get(name).revision();
      List<HistoryLine> lines = HistoryLine.of(revisions);
      int marked = -1; // the last line of the current revision: what made it the one to run
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).revision() == current) {
          marked = i;
        }
      }
      Table table = new Table("REVISION", "WHEN", "BY", "CAUSE", "COMMAND");
      for (int i = 0; i < lines.size(); i++) {
        HistoryLine l = lines.get(i);
        table.row(l.revision() + (i == marked ? " *" : ""), Render.time(l.at()), l.by(), l.cause(), l.command());
      }
      table.print(out());
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "undo", mixinStandardHelpOptions = true,
      description = "Goes back to an earlier revision (default: the previous one); a rollout replaces the copies.")
  static final class Undo extends Control {
    @Option(names = "--to-revision", paramLabel = "N", description = "The revision to go back to.")
    Integer revision;

    Undo() {
      super("rolling back");
    }

    @Override
    ReplicaSetStatus send(ShepherdClient client) {
      if (revision != null && revision < 1) {
        throw new BadInputException("--to-revision: must be a revision number, 1 or more: " + revision);
      }
      return client.undoRollout(name, revision == null ? OptionalInt.empty() : OptionalInt.of(revision));
    }
  }

  @Command(name = "restart", mixinStandardHelpOptions = true,
      description = "Replaces every copy with a new one, within the rollout's bounds, without a template change.")
  static final class Restart extends NameOnly {
    Restart() {
      super("restarting", ShepherdClient::restartRollout);
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Pauses the rollout: no more copies are replaced until 'rollout resume'.")
  static final class Pause extends NameOnly {
    Pause() {
      super("paused", ShepherdClient::pauseRollout);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes a paused rollout.")
  static final class Resume extends NameOnly {
    Resume() {
      super("resumed", ShepherdClient::resumeRollout);
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Lets a rollout paused after its canary copies (rollout.canary) replace the rest.")
  static final class Promote extends NameOnly {
    Promote() {
      super("promoted", ShepherdClient::promoteRollout);
    }
  }
}
